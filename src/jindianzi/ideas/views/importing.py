# Written by the import work; see ideas/importing.py.
from django.http import HttpResponse


def upload(request):
    return HttpResponse("import")


def template(request):
    return HttpResponse("template")


def review(request, pk):
    return HttpResponse("review")
