from .models import SOCIAL_KINDS, Organization


def organizations_public():
    return Organization.objects.select_related("home_area").order_by("name")


def social_organizations_in(area):
    return organizations_public().filter(kind__in=SOCIAL_KINDS, home_area__path__startswith=area.path)
