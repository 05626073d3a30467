from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from jindianzi.editions.selectors import editions_public

from ..pagination import LimitOffset
from ..schemas import EditionOut, ErrorOut

router = Router(tags=["editions"])


@router.get("", response=list[EditionOut], summary="Editions of the competition")
@paginate(LimitOffset)
def list_editions(request):
    return editions_public()


@router.get("/{slug}", response={200: EditionOut, 404: ErrorOut}, summary="One edition")
def get_edition(request, slug: str):
    edition = editions_public().filter(slug=slug).first()
    if edition is None:
        raise Http404(_("No edition has this short name."))
    return edition
