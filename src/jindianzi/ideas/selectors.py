"""Reads of ideas, each with a fixed number of queries whatever the page size."""

from django.db.models import Q, QuerySet

from .models import Idea


def _base() -> QuerySet[Idea]:
    return Idea.objects.select_related(
        "edition", "community", "community__parent", "category", "proposer_organization",
    )


def search_ideas(queryset: QuerySet[Idea], text: str) -> QuerySet[Idea]:
    """Chinese-friendly search: every space-separated term must occur in the idea's text.

    Chinese is written without spaces, so a term is matched as a substring
    (an idea about 老年食堂 is found by 食堂 and by 老年); no stemming is needed.
    """
    for term in (text or "").split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(problem__icontains=term) | Q(proposal__icontains=term)
            | Q(beneficiaries__icontains=term) | Q(tracking_code__iexact=term)
        )
    return queryset


def ideas_public(*, edition=None, street=None, community=None, category=None, state=None,
                 text: str = "") -> QuerySet[Idea]:
    queryset = _base()
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if street is not None:
        queryset = queryset.filter(community__parent=street)
    if community is not None:
        queryset = queryset.filter(community=community)
    if category is not None:
        queryset = queryset.filter(category=category)
    if state:
        queryset = queryset.filter(state=state)
    return search_ideas(queryset, text)


def idea_by_code(code: str) -> Idea | None:
    return _base().prefetch_related("photos", "transitions").filter(tracking_code=(code or "").strip().upper()).first()


def ideas_of(user) -> QuerySet[Idea]:
    return _base().filter(proposer=user)


def ideas_entered_by(user) -> QuerySet[Idea]:
    return _base().filter(entered_by=user)


def communities_recorded_by(user):
    """The communities a user may record paper ideas for (their community worker areas)."""
    from jindianzi.accounts.models import Role
    from jindianzi.accounts.selectors import areas_where
    from jindianzi.areas.models import Area, AreaKind

    query = Q(pk__in=[])
    for area in areas_where(user, Role.COMMUNITY_WORKER):
        query |= Q(path__startswith=area.path)
    return Area.objects.filter(query, kind=AreaKind.COMMUNITY).select_related("parent").order_by("parent__name", "name")


def organizations_proposing_with(user) -> list:
    """The organisations a user works for that may propose ideas in their own name."""
    from jindianzi.accounts.models import Role
    from jindianzi.accounts.selectors import organizations_where

    from .services import PROPOSING_KINDS

    kinds = set().union(*PROPOSING_KINDS.values())
    return [org for org in organizations_where(user, Role.ORG_STAFF) if org.kind in kinds]
