"""Temporary: being written."""
from django.http import Http404


def agreement_pdf(request, *args, **kwargs):
    raise Http404
