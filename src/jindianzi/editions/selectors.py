from django.db.models import Prefetch

from .models import Edition, FundingSource, PhaseKind


def _editions():
    sources = FundingSource.objects.select_related("organization")
    return Edition.objects.select_related("district").prefetch_related(
        "phases", "categories", Prefetch("funding_sources", queryset=sources))


def editions_public():
    """Editions anyone may see: an edition in preparation is not announced yet."""
    return _editions().exclude(current_phase=PhaseKind.DRAFT)


def editions_collecting():
    return editions_public().filter(current_phase=PhaseKind.COLLECTION).order_by("-created_at")


def editions_managed_by(user):
    from jindianzi.accounts.models import Role
    from jindianzi.accounts.selectors import areas_where

    district_ids = [a.pk for a in areas_where(user, Role.DISTRICT_ORGANISER)]
    return _editions().filter(district_id__in=district_ids)
