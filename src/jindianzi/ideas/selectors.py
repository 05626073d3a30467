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


# --- Optimisation (优化): the screening workbench, the staff idea page, revisions -------------------

SCREENING_ROLES = ("community_worker", "street_officer", "district_organiser")


def screening_areas(user) -> list:
    """The areas a user screens ideas in: community worker, street officer and district organiser posts."""
    from jindianzi.accounts.models import Role
    from jindianzi.accounts.selectors import areas_where

    return areas_where(user, *(Role(r) for r in SCREENING_ROLES))


def _inside_any(areas, field: str = "community__path") -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(**{f"{field}__startswith": area.path})
    return query


def screening_communities(user):
    """Every community inside the user's screening areas, for the workbench's community filter."""
    from jindianzi.areas.models import Area, AreaKind

    return (Area.objects.filter(_inside_any(screening_areas(user), "path"), kind=AreaKind.COMMUNITY)
            .select_related("parent").order_by("parent__name", "name"))


def editions_for_screening(user) -> list:
    """Announced editions of the districts the user works in, newest first."""
    from jindianzi.editions.models import Edition, PhaseKind

    areas = screening_areas(user)
    if not areas:
        return []
    districts = {pk for area in areas for pk in area.ancestor_ids}  # an area's path lists itself and its parents
    return list(Edition.objects.exclude(current_phase=PhaseKind.DRAFT).filter(district_id__in=districts)
                .order_by("-created_at"))


def default_screening_edition(editions):
    """The newest edition in optimisation (the screening phase), else in collection, else the newest one.

    Optimisation comes first: while the next edition already collects ideas, the current one is still screened.
    """
    from jindianzi.editions.models import PhaseKind

    for phase in (PhaseKind.OPTIMISATION, PhaseKind.COLLECTION):
        working = [e for e in editions if e.current_phase == phase]
        if working:
            return working[0]
    return next(iter(editions), None)


def ideas_for_screening(*, user, edition=None, community=None, category=None, states=None, channel: str = "",
                        submitted_before=None, text: str = "") -> QuerySet[Idea]:
    """The screening queue: ideas whose community lies in one of the user's areas, oldest first.

    Each idea carries ``last_step``, the name of its latest transition, so the page can tell
    a resubmitted idea (``resubmit``) from a new one without a query per row.
    """
    from django.db.models import OuterRef, Subquery

    from .models import IdeaTransition

    areas = screening_areas(user)
    if not areas:
        return Idea.objects.none()
    last_step = IdeaTransition.objects.filter(idea=OuterRef("pk")).order_by("-at", "-id").values("name")[:1]
    queryset = _base().filter(_inside_any(areas)).annotate(last_step=Subquery(last_step))
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if community is not None:
        queryset = queryset.filter(community=community)
    if category is not None:
        queryset = queryset.filter(category=category)
    if states:
        queryset = queryset.filter(state__in=list(states))
    if channel:
        queryset = queryset.filter(channel=channel)
    if submitted_before is not None:
        queryset = queryset.filter(submitted_at__lt=submitted_before)
    return search_ideas(queryset, text).order_by("submitted_at", "id")


def idea_for_staff(code: str) -> Idea | None:
    """One idea with everything the staff idea page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from .models import IdeaNote, IdeaTransition

    return (_base().select_related("proposer", "entered_by")
            .prefetch_related("photos",
                              Prefetch("transitions", queryset=IdeaTransition.objects.select_related("actor")),
                              Prefetch("notes", queryset=IdeaNote.objects.select_related("author")))
            .filter(tracking_code=(code or "").strip().upper()).first())


def idea_revisions(idea: Idea):
    """Every version of the idea's text, oldest first, with who wrote it."""
    return list(idea.revisions.select_related("author").order_by("number"))


def is_following(user, idea: Idea) -> bool:
    from .models import IdeaFollower

    return bool(getattr(user, "is_authenticated", False)
                and IdeaFollower.objects.filter(idea=idea, user=user).exists())


def merged_project_url(idea: Idea) -> str:
    """The page of the project the idea was merged into, or "" when it is not merged."""
    from django.urls import reverse

    if idea.merged_into_id is None:
        return ""
    return reverse("projects:detail", args=[idea.merged_into.code])
