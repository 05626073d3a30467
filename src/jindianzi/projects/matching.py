"""Matching (对接): which organisations could implement a project, ranked, with every score shown.

A suggestion's score is the sum of parts, each computed by one scorer for all
candidates at once (one query each), so the page costs a fixed number of
queries however many organisations the district has. To add a criterion,
write a scorer and add it to ``SCORERS``; the page shows whatever parts there are.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jindianzi.accounts.models import Role, RoleAssignment
from jindianzi.ideas.models import Idea
from jindianzi.organizations.models import Organization

from .models import MatchOffer, Project
from .selectors import IMPLEMENTING_KINDS
from .workflow import ACTIVE_STATES, PAST_STATES, OfferState

# Points. Locality weighs most: community work lives on knowing the neighbourhood.
SAME_COMMUNITY, SAME_STREET, SAME_DISTRICT = 10, 6, 2
PER_PROJECT_IN_CATEGORY, PROJECTS_IN_CATEGORY_COUNTED = 3, 2
PER_IDEA_IN_CATEGORY, IDEAS_IN_CATEGORY_COUNTED = 2, 2
PER_PAST_PROJECT, PAST_PROJECTS_COUNTED = 1, 5
PER_CURRENT_COMMITMENT = -3


@dataclass(frozen=True)
class ScorePart:
    key: str
    label: str
    points: int
    detail: str


@dataclass
class Suggestion:
    organization: Organization
    parts: list[ScorePart] = field(default_factory=list)
    staff_count: int = 0

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)

    def points(self, key: str) -> int:
        return sum(part.points for part in self.parts if part.key == key)


# --- Scorers: each returns {organisation id: ScorePart} for every candidate ------------------------

def score_home_area(project: Project, organizations, ideas) -> dict:
    communities = {idea.community_id for idea in ideas}
    streets = [project.street] + [idea.community.parent for idea in ideas]
    label = _("Home area")
    parts = {}
    for org in organizations:
        home = org.home_area
        if home.pk in communities:
            points, detail = SAME_COMMUNITY, _("Based in %(area)s, where the ideas come from") % {"area": home.name}
        elif any(street.contains(home) for street in streets):
            points, detail = SAME_STREET, _("Based in the same street (%(area)s)") % {"area": home.name}
        elif project.edition.district.contains(home):
            points, detail = SAME_DISTRICT, _("Based elsewhere in the district (%(area)s)") % {"area": home.name}
        else:
            points, detail = 0, _("Based outside the district")
        parts[org.pk] = ScorePart("home_area", label, points, detail)
    return parts


def score_category(project: Project, organizations, ideas) -> dict:
    """Category fit: the organisation's past projects of this category, and its own ideas of this category."""
    code = project.category.code
    projects = Counter(dict(
        Project.objects.filter(organization__isnull=False, category__code=code, state__in=PAST_STATES)
        .exclude(pk=project.pk).values_list("organization").annotate(n=Count("pk")).order_by()))
    proposed = Counter(dict(
        Idea.objects.filter(proposer_organization__isnull=False, category__code=code)
        .values_list("proposer_organization").annotate(n=Count("pk")).order_by()))
    label = _("Category fit")
    parts = {}
    for org in organizations:
        done, ideas_count = projects[org.pk], proposed[org.pk]
        points = (PER_PROJECT_IN_CATEGORY * min(done, PROJECTS_IN_CATEGORY_COUNTED)
                  + PER_IDEA_IN_CATEGORY * min(ideas_count, IDEAS_IN_CATEGORY_COUNTED))
        detail = _("%(projects)s past project(s) in %(category)s; proposed %(ideas)s idea(s) of this category") % {
            "projects": done, "category": project.category.label, "ideas": ideas_count}
        parts[org.pk] = ScorePart("category", label, points, detail)
    return parts


def score_past_projects(project: Project, organizations, ideas) -> dict:
    """Experience: projects the organisation took beyond integration in earlier editions."""
    past = Counter(dict(
        Project.objects.filter(organization__isnull=False, state__in=PAST_STATES).exclude(edition=project.edition)
        .values_list("organization").annotate(n=Count("pk")).order_by()))
    label = _("Past projects")
    return {org.pk: ScorePart("past_projects", label, PER_PAST_PROJECT * min(past[org.pk], PAST_PROJECTS_COUNTED),
                              ngettext("%(n)s project in earlier editions", "%(n)s projects in earlier editions",
                                       past[org.pk]) % {"n": past[org.pk]})
            for org in organizations}


def score_monitoring_ratings(project: Project, organizations, ideas) -> dict:
    """Hook for the monitoring stage (督导/监测): its ratings of the organisation's past projects.

    There are no monitoring ratings yet, so every organisation scores 0 here;
    the supervision app will replace this body with a query of its ratings.
    """
    label = _("Monitoring ratings")
    return {org.pk: ScorePart("monitoring", label, 0, _("No monitoring ratings yet")) for org in organizations}


def score_current_load(project: Project, organizations, ideas) -> dict:
    """Current load: offers waiting for the organisation and projects it took on in this edition."""
    offers = Counter(dict(
        MatchOffer.objects.filter(project__edition=project.edition, state=OfferState.OFFERED)
        .exclude(project=project).values_list("organization").annotate(n=Count("pk")).order_by()))
    taken = Counter(dict(
        Project.objects.filter(edition=project.edition, organization__isnull=False, state__in=ACTIVE_STATES)
        .exclude(pk=project.pk).values_list("organization").annotate(n=Count("pk")).order_by()))
    label = _("Current load")
    parts = {}
    for org in organizations:
        load = offers[org.pk] + taken[org.pk]
        detail = _("%(projects)s project(s) and %(offers)s open offer(s) in this edition") % {
            "projects": taken[org.pk], "offers": offers[org.pk]}
        parts[org.pk] = ScorePart("load", label, PER_CURRENT_COMMITMENT * load, detail)
    return parts


SCORERS = [score_category, score_home_area, score_past_projects, score_monitoring_ratings, score_current_load]


def candidate_organizations(project: Project, *, text: str = ""):
    """Organisations of the edition's district that can implement projects."""
    queryset = Organization.objects.filter(
        kind__in=IMPLEMENTING_KINDS, home_area__path__startswith=project.edition.district.path,
    ).select_related("home_area")
    for term in (text or "").split()[:4]:
        queryset = queryset.filter(name__icontains=term)
    return queryset


def organizations_suggested_for(project: Project, *, text: str = "", limit: int | None = None) -> list[Suggestion]:
    """Implementing organisations for the project, best first, each with its score parts."""
    organizations = list(candidate_organizations(project, text=text))
    ideas = list(Idea.objects.filter(merged_into=project).select_related("community", "community__parent"))
    staff = Counter(dict(
        RoleAssignment.objects.filter(role=Role.ORG_STAFF, organization__isnull=False)
        .values_list("organization").annotate(n=Count("pk")).order_by()))
    scores = [scorer(project, organizations, ideas) for scorer in SCORERS]
    suggestions = [Suggestion(org, [score[org.pk] for score in scores], staff[org.pk]) for org in organizations]
    suggestions.sort(key=lambda s: (-s.total, -s.points("home_area"), s.organization.name))
    return suggestions[:limit] if limit else suggestions

