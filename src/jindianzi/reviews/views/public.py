"""Temporary: being written."""
from django.http import Http404


def results_list(request, *args, **kwargs):
    raise Http404

def results(request, *args, **kwargs):
    raise Http404

def vote_list(request, *args, **kwargs):
    raise Http404

def ballot(request, *args, **kwargs):
    raise Http404

def vote_result(request, *args, **kwargs):
    raise Http404
