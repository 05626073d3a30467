from .models import Edition, PhaseKind


def editions_public():
    return Edition.objects.select_related("district").prefetch_related("phases", "categories")


def editions_collecting():
    return editions_public().filter(current_phase=PhaseKind.COLLECTION).order_by("-created_at")


def editions_managed_by(user):
    from jindianzi.accounts.models import Role
    from jindianzi.accounts.selectors import areas_where

    district_ids = [a.pk for a in areas_where(user, Role.DISTRICT_ORGANISER)]
    return editions_public().filter(district_id__in=district_ids)
