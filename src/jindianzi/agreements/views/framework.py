"""Temporary: being written."""
from django.http import Http404


def framework(request, *args, **kwargs):
    raise Http404
