# Written next; see editions/urls.py.
from django.http import HttpResponse


def edition_list(request):
    return HttpResponse("")


edition_new = edition_manage = edition_categories = edition_funding = edition_phases = edition_advance = edition_list
