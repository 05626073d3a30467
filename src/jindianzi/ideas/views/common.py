from django.shortcuts import get_object_or_404

from jindianzi.editions.models import Edition
from jindianzi.editions.selectors import editions_collecting


def collecting_edition(request) -> Edition | None:
    """The edition the proposer chose (``?edition=slug``), else the newest one collecting ideas."""
    slug = request.GET.get("edition") or request.POST.get("edition")
    if slug:
        return get_object_or_404(Edition.objects.select_related("district"), slug=slug)
    return editions_collecting().first()
