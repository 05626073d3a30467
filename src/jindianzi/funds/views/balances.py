"""Temporary: being written."""
from django.http import Http404


def balances(request, *args, **kwargs):
    raise Http404

def commitments(request, *args, **kwargs):
    raise Http404
