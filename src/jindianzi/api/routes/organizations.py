from ninja import Query, Router
from ninja.pagination import paginate

from jindianzi.areas.models import Area
from jindianzi.areas.selectors import areas_within
from jindianzi.organizations.selectors import organizations_public

from ..pagination import LimitOffset
from ..schemas import OrganizationFilters, OrganizationOut

router = Router(tags=["organizations"])


@router.get("", response=list[OrganizationOut], summary="Organisations (public fields)")
@paginate(LimitOffset)
def list_organizations(request, filters: Query[OrganizationFilters]):
    organizations = organizations_public()
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.area is not None:
        area = Area.objects.filter(pk=filters.area).first()
        organizations = organizations.filter(home_area__in=areas_within(area)) if area else organizations.none()
    return organizations
