"""Reads of projects and offers, each with a fixed number of queries whatever the page size."""

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jindianzi.accounts.models import Role, RoleAssignment
from jindianzi.core.money import yuan
from jindianzi.accounts.selectors import areas_where, organizations_where
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.ideas.models import Idea, IdeaRevision
from jindianzi.ideas.selectors import ideas_public
from jindianzi.ideas.workflow import IdeaState
from jindianzi.organizations.models import OrganizationKind

from .models import BudgetLine, MatchOffer, Project, ProjectTransition

# Organisations that can implement a project (a resident self-organisation proposes, but does not contract).
IMPLEMENTING_KINDS = (
    OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION,
    OrganizationKind.PROFESSIONAL_SOCIAL_ORGANIZATION,
    OrganizationKind.HUB_ORGANIZATION,
)
STAFF_ROLES = (Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)


def organization_staff(organization) -> list:
    """The accounts that work for an organisation (they answer its offers)."""
    if organization is None:
        return []
    return [a.user for a in RoleAssignment.objects.filter(role=Role.ORG_STAFF, organization=organization)
            .select_related("user")]


def _budget_total():
    lines = (BudgetLine.objects.filter(project=OuterRef("pk")).order_by().values("project")
             .annotate(total=Sum("amount")).values("total"))
    return Coalesce(Subquery(lines), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _listed() -> QuerySet[Project]:
    ideas = Idea.objects.filter(merged_into=OuterRef("pk")).order_by().values("merged_into").annotate(
        n=Count("pk")).values("n")
    return Project.objects.select_related("edition", "street", "category", "organization").annotate(
        idea_count=Coalesce(Subquery(ideas), Value(0)), budget_total=_budget_total())


def _area_query(areas, field: str) -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(**{f"{field}__path__startswith": area.path})
    return query


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects of the user's street or district, and projects made from an idea of their area."""
    areas = areas_where(user, *STAFF_ROLES)
    if not areas:
        return Project.objects.none()
    street_areas = areas_where(user, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
    from_area = Idea.objects.filter(_area_query(areas, "community"), merged_into__isnull=False).values("merged_into")
    return _listed().filter(_area_query(street_areas, "street") | Q(pk__in=from_area))


def projects_for_staff(user, *, edition=None, state: str = "", text: str = "") -> QuerySet[Project]:
    queryset = projects_visible_to(user)
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if state:
        queryset = queryset.filter(state=state)
    for term in (text or "").split()[:8]:
        queryset = queryset.filter(Q(title__icontains=term) | Q(code__iexact=term))
    return queryset.order_by("-created_at", "-id")


def staff_editions(user) -> QuerySet[Edition]:
    """Announced editions of the districts the user works in, newest first."""
    district_ids = {area.ancestor_ids[0] for area in areas_where(user, *STAFF_ROLES)}
    return (Edition.objects.filter(district_id__in=district_ids).exclude(current_phase=PhaseKind.DRAFT)
            .select_related("district").order_by("-created_at", "-id"))


def default_edition(editions):
    """The edition staff most likely work on: one in optimisation, else the newest."""
    editions = list(editions)
    for edition in editions:
        if edition.current_phase == PhaseKind.OPTIMISATION:
            return edition
    return editions[0] if editions else None


def ideas_to_integrate(user, *, edition, community=None, category=None, text: str = "") -> QuerySet[Idea]:
    """Shortlisted ideas of the user's street or district not yet in a project (what the merge page offers)."""
    areas = areas_where(user, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
    return ideas_public(edition=edition, community=community, category=category, state=IdeaState.SHORTLISTED,
                        text=text).filter(_area_query(areas, "community"), merged_into__isnull=True)


def ideas_by_ids(ids) -> list[Idea]:
    """The chosen ideas, in the order given, with what the merge page shows of each."""
    found = {idea.pk: idea for idea in Idea.objects.select_related(
        "edition", "edition__district", "community", "community__parent", "category", "proposer_organization",
        "merged_into").filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _with_provenance(queryset: QuerySet[Project]) -> QuerySet[Project]:
    ideas = Idea.objects.select_related("community", "community__parent", "category", "proposer_organization") \
        .order_by("submitted_at", "id").prefetch_related(
            Prefetch("revisions", queryset=IdeaRevision.objects.order_by("number")))
    steps = ProjectTransition.objects.select_related("idea", "organization").order_by("at", "id")
    return queryset.select_related("edition", "edition__district", "street", "category", "organization") \
        .prefetch_related(Prefetch("ideas", queryset=ideas), "budget_lines", Prefetch("transitions", queryset=steps))


def project_by_code(code: str) -> Project | None:
    """A project with its ideas (and their revisions), budget and history: the provenance page."""
    return _with_provenance(Project.objects.all()).filter(code=(code or "").strip()).first()


def project_for_staff(code: str) -> Project | None:
    offers = MatchOffer.objects.select_related("organization", "offered_by", "answered_by").order_by(
        "-offered_at", "-id")
    return _with_provenance(Project.objects.all()).prefetch_related(Prefetch("offers", queryset=offers)).filter(
        code=(code or "").strip()).first()


def offers_for(user) -> QuerySet[MatchOffer]:
    """Offers made to the organisations the user works for, open ones first."""
    organizations = [o.pk for o in organizations_where(user, Role.ORG_STAFF)]
    return (MatchOffer.objects.filter(organization_id__in=organizations)
            .select_related("organization", "project", "project__edition", "project__street", "project__category")
            .order_by("-offered_at", "-id"))


def projects_public(*, edition=None, street=None, state: str = "", category: str = "") -> QuerySet[Project]:
    """Projects as the public and the API list them, with their idea count and budget total."""
    queryset = _listed().order_by("edition_id", "number")
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    if street is not None:
        queryset = queryset.filter(street_id=street)
    if state:
        queryset = queryset.filter(state=state)
    if category:
        queryset = queryset.filter(category__code=category)
    return queryset


def project_budget_totals(projects) -> dict[int, Decimal]:
    """Each project's budget total (the sum of its lines), in one query."""
    rows = (BudgetLine.objects.filter(project__in=[p.pk for p in projects]).order_by().values("project")
            .annotate(total=Sum("amount")).values_list("project", "total"))
    return {pk: yuan(total) for pk, total in rows}
