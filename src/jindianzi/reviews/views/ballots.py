"""Temporary: being written."""
from django.http import Http404


def vote_settings(request, *args, **kwargs):
    raise Http404

def vote_open(request, *args, **kwargs):
    raise Http404

def vote_close(request, *args, **kwargs):
    raise Http404

def vote_export(request, *args, **kwargs):
    raise Http404

def vote_import(request, *args, **kwargs):
    raise Http404
