"""Temporary: being written."""
from django.http import Http404


def scores(request, *args, **kwargs):
    raise Http404

def ranking(request, *args, **kwargs):
    raise Http404

def decide(request, *args, **kwargs):
    raise Http404

def publish(request, *args, **kwargs):
    raise Http404
