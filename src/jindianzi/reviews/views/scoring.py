"""Temporary: being written."""
from django.http import Http404


def my_assignments(request, *args, **kwargs):
    raise Http404

def score(request, *args, **kwargs):
    raise Http404

def declare_conflict(request, *args, **kwargs):
    raise Http404
