from ninja import Query, Router
from ninja.pagination import paginate

from jindianzi.areas.models import Area

from ..pagination import LimitOffset
from ..schemas import AreaFilters, AreaOut

router = Router(tags=["areas"])


@router.get("", response=list[AreaOut], summary="Areas: the district tree, flattened")
@paginate(LimitOffset)
def list_areas(request, filters: Query[AreaFilters]):
    # Ordered by the materialised path, so a parent always comes before its children.
    areas = Area.objects.order_by("path")
    if filters.kind:
        areas = areas.filter(kind=filters.kind)
    if filters.parent is not None:
        areas = areas.filter(parent_id=filters.parent)
    return areas
