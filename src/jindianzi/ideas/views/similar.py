"""Similar ideas for staff: the panel beside one idea, and the groups proposed for merging."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.areas.models import Area, AreaKind
from jindianzi.editions.models import Edition, PhaseKind

from ..selectors import idea_by_code
from ..similarity import engine
from ..similarity.selectors import NOT_WITHDRAWN, similar_ideas, similarity_clusters
from ..workflow import OPEN_STATES


@login_required
def panel(request, code):
    """The ideas most like one idea: a fragment the staff idea page loads with htmx, or a page of its own."""
    idea = idea_by_code(code)
    if idea is None:
        raise Http404
    if not request.user.has_perm("ideas.view_similar", idea):
        raise PermissionDenied
    found = [(other, score, score >= engine.THRESHOLD) for other, score in similar_ideas(idea, limit=10)]
    street_id = idea.community.parent_id
    sections = [(_("In the same street"), [item for item in found if item[0].community.parent_id == street_id]),
                (_("Elsewhere in the district"), [item for item in found if item[0].community.parent_id != street_id])]
    context = {"idea": idea, "sections": [s for s in sections if s[1]], "merge_url": reverse("projects:merge")}
    template = "ideas/similar_panel.html" if request.htmx else "ideas/similar_page.html"
    return render(request, template, context)


def _streets_of(user) -> tuple[list[Area], list[Area]]:
    """(streets the user may see groups for, districts they may see whole), in a fixed number of queries."""
    districts = areas_where(user, Role.DISTRICT_ORGANISER)
    query = Q(pk__in=[a.pk for a in areas_where(user, Role.STREET_OFFICER)])
    query |= Q(pk__in=[a.parent_id for a in areas_where(user, Role.COMMUNITY_WORKER)])
    for district in districts:
        query |= Q(path__startswith=district.path)
    streets = Area.objects.filter(query, kind__in=[AreaKind.STREET, AreaKind.TOWN]).order_by("path")
    return list(streets), districts


def _default_edition(editions: list[Edition]) -> Edition | None:
    """The newest edition being optimised (when ideas are merged), else the newest past collection, else the newest."""
    for wanted in ({PhaseKind.OPTIMISATION}, set(PhaseKind.values) - {PhaseKind.DRAFT, PhaseKind.COLLECTION}):
        found = next((e for e in editions if e.current_phase in wanted), None)
        if found is not None:
            return found
    return editions[0] if editions else None


@login_required
def groups(request):
    """Groups of similar ideas proposed for merging into projects, per street and edition."""
    user = request.user
    streets, districts = _streets_of(user)
    if not streets and not districts:
        raise PermissionDenied
    district_ids = {i for s in streets for i in s.ancestor_ids} | {d.pk for d in districts}
    editions = list(Edition.objects.filter(district_id__in=district_ids).exclude(current_phase=PhaseKind.DRAFT)
                    .order_by("-created_at"))
    edition = next((e for e in editions if e.slug == request.GET.get("edition")), None) or _default_edition(editions)

    street = None
    chosen = request.GET.get("street", "")
    if chosen:
        street = next((s for s in streets if str(s.pk) == chosen), None)
        if street is None:
            raise Http404
    elif not districts:
        street = streets[0]
    area = street or next((d for d in districts if edition is None or d.pk == edition.district_id), districts[0])
    if not user.has_perm("ideas.view_similar_groups", area):
        raise PermissionDenied

    # Open ideas by default; ``all=1`` also groups declined and merged ones, to look back at the merging.
    include_closed = request.GET.get("all") == "1"
    states = NOT_WITHDRAWN if include_closed else OPEN_STATES
    clusters = similarity_clusters(edition, street=street, states=states) if edition is not None else []
    officer = any(a.contains(area) for a in areas_where(user, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER))
    if not officer:
        # A community worker sees the groups that take in an idea of one of their own communities.
        mine = {a.pk for a in areas_where(user, Role.COMMUNITY_WORKER)}
        clusters = [c for c in clusters if any(idea.community_id in mine for idea in c.ideas)]
    return render(request, "ideas/similar_groups.html", {
        "editions": editions, "edition": edition, "streets": streets, "street": street,
        "whole_district": bool(districts), "clusters": clusters, "include_closed": include_closed,
        "open_states": list(OPEN_STATES),
        "merge_url": reverse("projects:merge"),
    })

