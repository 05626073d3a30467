"""Temporary: being written."""
from django.http import Http404


def panel_add(request, *args, **kwargs):
    raise Http404

def panel_remove(request, *args, **kwargs):
    raise Http404

def assign(request, *args, **kwargs):
    raise Http404

def assignment_remove(request, *args, **kwargs):
    raise Http404
