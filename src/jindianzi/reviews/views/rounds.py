"""Temporary: being written."""
from django.http import Http404


def round_list(request, *args, **kwargs):
    raise Http404

def round_create(request, *args, **kwargs):
    raise Http404

def rubric(request, *args, **kwargs):
    raise Http404

def round_detail(request, *args, **kwargs):
    raise Http404

def round_settings(request, *args, **kwargs):
    raise Http404

def scoring_open(request, *args, **kwargs):
    raise Http404

def scoring_close(request, *args, **kwargs):
    raise Http404
