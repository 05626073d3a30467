"""Temporary: being written."""
from django.http import Http404


def queue(request, *args, **kwargs):
    raise Http404

def detail(request, *args, **kwargs):
    raise Http404

def approve(request, *args, **kwargs):
    raise Http404

def pay(request, *args, **kwargs):
    raise Http404

def return_request(request, *args, **kwargs):
    raise Http404

def request(request, *args, **kwargs):
    raise Http404
