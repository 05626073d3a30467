"""Temporary: being written."""
from django.http import Http404


def agreement_list(request, *args, **kwargs):
    raise Http404

def agreement_create(request, *args, **kwargs):
    raise Http404

def agreement_detail(request, *args, **kwargs):
    raise Http404

def sign(request, *args, **kwargs):
    raise Http404

def cancel(request, *args, **kwargs):
    raise Http404

def milestone(request, *args, **kwargs):
    raise Http404
