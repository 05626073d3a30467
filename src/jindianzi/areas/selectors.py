from django.db.models import QuerySet

from .models import Area, AreaKind


def areas_within(area: Area) -> QuerySet[Area]:
    """The area and everything under it."""
    return Area.objects.filter(path__startswith=area.path)


def streets_of(district: Area) -> QuerySet[Area]:
    return areas_within(district).filter(kind__in=[AreaKind.STREET, AreaKind.TOWN]).order_by("name")


def communities_of(area: Area) -> QuerySet[Area]:
    return areas_within(area).filter(kind=AreaKind.COMMUNITY).select_related("parent").order_by("parent__name", "name")
