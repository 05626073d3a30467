"""Temporary: being written."""
from django.http import Http404


def census_import(request, *args, **kwargs):
    raise Http404

def voter_verify(request, *args, **kwargs):
    raise Http404
