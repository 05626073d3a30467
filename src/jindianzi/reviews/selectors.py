"""Reads for the review pages, each with a fixed number of queries whatever the number of rows.

Blind scoring is kept here too: the staff workspace reads who has scored,
never the points, until the round's scores are revealed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.areas.models import Area, AreaKind
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.projects.workflow import ProjectState

from .models import (
    Assignment, Ballot, CensusEntry, Criterion, Decision, PanelMember, ReviewRound, RoundTransition, Score,
    VoteOutcome, VoterVerification,
)
from .ranking import reviewer_score, round_projects
from .workflow import APPROVING_OUTCOMES, ROUND_TRANSITIONS, Conflict, PanelRole, RoundState, VoteState

STAFF_ROLES = (Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
VERIFIER_ROLES = (Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)


def _inside(areas, field_name: str) -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(**{f"{field_name}__path__startswith": area.path})
    return query


# --- The header's links ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewLinks:
    rounds: bool = False        # runs reviews (street officer, district organiser)
    tasks: bool = False         # sits on a panel
    verify: bool = False        # a community worker while a resident vote is prepared or open
    votes: bool = False         # a resident vote is open or has been counted
    results: bool = False       # some round has published its results


def review_links(user) -> ReviewLinks:
    """Which review pages the header links to: one small query, made only when a full page is drawn."""
    signed_in = user.is_authenticated
    counts = ReviewRound.objects.aggregate(
        votes=Count("pk", filter=Q(vote_state__in=(VoteState.OPEN, VoteState.COUNTED))),
        preparing=Count("pk", filter=Q(vote_state__in=(VoteState.READY, VoteState.OPEN))),
        results=Count("pk", filter=Q(state=RoundState.PUBLISHED)),
        panels=Count("pk", filter=Q(pk__in=PanelMember.objects.filter(user=user).values("round")) if signed_in
                     else Q(pk__in=[])))
    return ReviewLinks(
        rounds=signed_in and bool(areas_where(user, *STAFF_ROLES)),
        tasks=bool(counts["panels"]),
        verify=bool(counts["preparing"]) and signed_in and bool(areas_where(user, Role.COMMUNITY_WORKER)),
        votes=bool(counts["votes"]), results=bool(counts["results"]),
    )


# --- Staff: rounds ----------------------------------------------------------------------------------------

def _progress(queryset: QuerySet[ReviewRound]) -> QuerySet[ReviewRound]:
    """Each round with how many assignments count (no conflict), how many are scored, and its waiting projects."""
    counted = Assignment.objects.filter(round=OuterRef("pk"), conflict=Conflict.NONE).order_by().values("round")
    projects = Project.objects.filter(edition=OuterRef("edition"), street=OuterRef("street"),
                                      state=ProjectState.SUBMITTED).order_by().values("street")
    return queryset.annotate(
        assigned=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), Value(0)),
        scored=Coalesce(Subquery(counted.filter(submitted_at__isnull=False).annotate(n=Count("pk")).values("n")),
                        Value(0)),
        waiting=Coalesce(Subquery(projects.annotate(n=Count("pk")).values("n")), Value(0)),
    )


def rounds_for(user) -> list[ReviewRound]:
    """Rounds the user runs (staff of the street or district), chairs, or sits on, newest edition first.

    Each round carries ``assigned``/``scored`` counts, ``waiting`` projects and ``my_part``.
    """
    if not user.is_authenticated:
        return []
    query = Q(chair=user) | Q(pk__in=PanelMember.objects.filter(user=user).values("round"))
    query |= _inside(areas_where(user, *STAFF_ROLES), "street")
    rounds = list(_progress(ReviewRound.objects.filter(query)).select_related("edition", "edition__district", "street",
                                                                             "chair")
                  .order_by("-edition__created_at", "edition_id", "street__path"))
    panels = dict(PanelMember.objects.filter(user=user, round__in=[r.pk for r in rounds])
                  .values_list("round_id", "role"))
    for review_round in rounds:
        review_round.is_chair = review_round.chair_id == user.pk
        role = panels.get(review_round.pk)
        review_round.panel_role = PanelRole(role).label if role else ""
    return rounds


def editions_for_new_round(user) -> list[Edition]:
    """Editions in their approval phase in a district where the user runs a street's (or the district's) review."""
    areas = areas_where(user, *STAFF_ROLES)
    district_ids = {a.ancestor_ids[0] for a in areas if a.ancestor_ids}
    return list(Edition.objects.filter(district_id__in=district_ids, current_phase=PhaseKind.APPROVAL)
                .select_related("district").order_by("-created_at"))


def _streets_query(user) -> Q:
    query = Q(pk__in=[])
    for area in areas_where(user, *STAFF_ROLES):
        query |= Q(path__startswith=area.path, kind__in=(AreaKind.STREET, AreaKind.TOWN))
    return query


def streets_for_new_round(user) -> QuerySet[Area]:
    """Streets and towns the user may hold a review for."""
    return Area.objects.filter(_streets_query(user)).order_by("path")


def round_by_pk(pk) -> ReviewRound | None:
    return ReviewRound.objects.select_related("edition", "edition__district", "street", "chair").filter(pk=pk).first()


@dataclass
class Workspace:
    """What the round's workspace shows: the panel, the project × reviewer matrix of progress, the rubric."""

    review_round: ReviewRound
    panel: list[PanelMember]
    criteria: list[Criterion]
    rows: list = field(default_factory=list)     # [(project, cost, [assignment or None per panel member])]
    assigned: int = 0
    scored: int = 0
    excluded: int = 0
    decided: int = 0
    history: list = field(default_factory=list)

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def waiting_projects(self) -> list:
        return [project for project, _cost, _cells in self.rows if project.state == ProjectState.SUBMITTED]


def round_workspace(review_round: ReviewRound) -> Workspace:
    """Progress only: an assignment's state (scored, waiting, excluded with its reason), never its points."""
    panel = list(PanelMember.objects.filter(round=review_round).select_related("user"))
    criteria = list(Criterion.objects.filter(edition_id=review_round.edition_id))
    projects = list(round_projects(review_round).order_by("number"))
    costs = project_budget_totals(projects)
    assignments = {(a.project_id, a.reviewer_id): a for a in Assignment.objects.filter(round=review_round).only(
        "id", "round_id", "project_id", "reviewer_id", "conflict", "conflict_note", "submitted_at")}
    space = Workspace(review_round=review_round, panel=panel, criteria=criteria)
    for project in projects:
        cells = [assignments.get((project.pk, member.user_id)) for member in panel]
        space.rows.append((project, costs.get(project.pk, Decimal("0.00")), cells))
    for assignment in assignments.values():
        if assignment.is_excluded:
            space.excluded += 1
        else:
            space.assigned += 1
            space.scored += assignment.is_submitted
    space.decided = Decision.objects.filter(round=review_round).count()
    space.history = list(RoundTransition.objects.filter(round=review_round).select_related("actor"))
    for step in space.history:
        transition = ROUND_TRANSITIONS.get(step.name)
        step.label = transition.label if transition else _("Round created")
    return space


# --- Reviewers ----------------------------------------------------------------------------------------------

def assignments_of(reviewer) -> list[Assignment]:
    """A reviewer's assignments in every round, the rounds still scoring first."""
    if not reviewer.is_authenticated:
        return []
    order = {RoundState.SCORING: 0, RoundState.SETUP: 1, RoundState.CLOSED: 2, RoundState.PUBLISHED: 3}
    assignments = list(Assignment.objects.filter(reviewer=reviewer).select_related(
        "round", "round__edition", "round__street", "project", "project__category", "project__organization"))
    assignments.sort(key=lambda a: (order.get(a.round.state, 9), -a.round.edition_id, a.round.street.path,
                                    a.project.number))
    return assignments


def assignment_by_pk(pk) -> Assignment | None:
    return (Assignment.objects.select_related("round", "round__edition", "round__street", "project", "reviewer")
            .prefetch_related("scores").filter(pk=pk).first())


def next_to_score(reviewer, review_round: ReviewRound, *, after: Assignment | None = None) -> Assignment | None:
    """The reviewer's next project in the round still without their scores."""
    waiting = Assignment.objects.filter(round=review_round, reviewer=reviewer, conflict=Conflict.NONE,
                                        submitted_at__isnull=True).select_related("project")
    if after is not None:
        waiting = waiting.exclude(pk=after.pk)
    return waiting.order_by("project__number").first()


# --- Every score, once revealed -------------------------------------------------------------------------------

@dataclass
class ReviewerScores:
    assignment: Assignment
    points: list          # points per criterion, in the rubric's order (None where missing)
    total: Decimal | None  # 0–100


def round_scores(review_round: ReviewRound) -> tuple[list[Criterion], list[tuple[Project, list[ReviewerScores]]]]:
    """Each project with every reviewer's points: for the panel and staff once scoring has closed."""
    criteria = list(Criterion.objects.filter(edition_id=review_round.edition_id))
    projects = list(round_projects(review_round).order_by("number"))
    assignments = Assignment.objects.filter(round=review_round).select_related("reviewer").prefetch_related(
        Prefetch("scores", queryset=Score.objects.only("assignment_id", "criterion_id", "points")))
    by_project: dict[int, list[ReviewerScores]] = {}
    for assignment in assignments:
        points = {s.criterion_id: s.points for s in assignment.scores.all()}
        total = reviewer_score(points, criteria) if assignment.is_submitted and not assignment.is_excluded else None
        by_project.setdefault(assignment.project_id, []).append(
            ReviewerScores(assignment, [points.get(c.pk) for c in criteria], total))
    return criteria, [(p, by_project.get(p.pk, [])) for p in projects]


def decisions_of(review_round: ReviewRound) -> dict[int, Decision]:
    return {d.project_id: d for d in Decision.objects.filter(round=review_round)}


# --- Public: results ------------------------------------------------------------------------------------------

def published_rounds() -> list[ReviewRound]:
    approved = Decision.objects.filter(round=OuterRef("pk"), outcome__in=APPROVING_OUTCOMES).order_by() \
        .values("round").annotate(n=Count("pk")).values("n")
    decided = Decision.objects.filter(round=OuterRef("pk")).order_by().values("round").annotate(
        n=Count("pk")).values("n")
    return list(ReviewRound.objects.filter(state=RoundState.PUBLISHED).select_related("edition", "street")
                .annotate(approved=Coalesce(Subquery(approved), Value(0)),
                          decided=Coalesce(Subquery(decided), Value(0)))
                .order_by("-edition__created_at", "edition_id", "street__path"))


@dataclass
class Results:
    review_round: ReviewRound
    decisions: list[Decision]
    costs: dict
    outcomes: dict            # project id → VoteOutcome, when the vote was counted
    approved_total: Decimal
    ballots: int = 0

    @property
    def approved(self):
        return [d for d in self.decisions if d.approves]

    @property
    def rejected(self):
        return [d for d in self.decisions if not d.approves]


def round_results(review_round: ReviewRound) -> Results:
    """A published round's decisions in ranking order, with each project's cost and vote. No reviewer, no points."""
    decisions = list(Decision.objects.filter(round=review_round).select_related(
        "project", "project__category", "project__organization").order_by("rank", "id"))
    costs = project_budget_totals([d.project for d in decisions])
    for decision in decisions:
        decision.cost = costs.get(decision.project_id, Decimal("0.00"))
    outcomes, ballots = {}, 0
    if review_round.vote_state == VoteState.COUNTED:
        outcomes = {o.project_id: o for o in VoteOutcome.objects.filter(round=review_round)}
        ballots = Ballot.objects.filter(round=review_round).count()
    for decision in decisions:
        decision.vote = outcomes.get(decision.project_id)
    total = sum((d.cost for d in decisions if d.approves), Decimal("0.00"))
    return Results(review_round, decisions, costs, outcomes, total, ballots)


def project_decision(project) -> Decision | None:
    """The published decision on a project, for its public page."""
    return (Decision.objects.filter(project=project, round__state=RoundState.PUBLISHED)
            .select_related("round", "round__street").first())


# --- Public: the resident vote --------------------------------------------------------------------------------

@dataclass
class VoteCard:
    review_round: ReviewRound
    can_vote: bool = False
    voted: bool = False
    home: bool = False


def _verified_streets(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    streets = set(VoterVerification.objects.filter(user=user).values_list("street_id", flat=True))
    if user.phone_digest and user.is_verified:
        streets |= set(CensusEntry.objects.filter(phone_digest=user.phone_digest)
                       .values_list("street_id", flat=True))
    return streets


def votes_for(user) -> tuple[list[VoteCard], list[ReviewRound]]:
    """Open votes (the ones the resident may vote in first) and votes already counted."""
    rounds = list(ReviewRound.objects.filter(vote_state__in=(VoteState.OPEN, VoteState.COUNTED))
                  .select_related("edition", "street").order_by("-vote_opened_at", "street__path"))
    open_rounds = [r for r in rounds if r.vote_state == VoteState.OPEN]
    counted = [r for r in rounds if r.vote_state == VoteState.COUNTED]
    verified = _verified_streets(user)
    voted = set()
    home = None
    if user.is_authenticated:
        voted = set(Ballot.objects.filter(voter=user, round__in=[r.pk for r in open_rounds])
                    .values_list("round_id", flat=True))
        home = user.home_community_id and Area.objects.filter(pk=user.home_community_id).only("path").first()
    cards = [VoteCard(r, can_vote=r.street_id in verified, voted=r.pk in voted,
                      home=bool(home) and home.path.startswith(r.street.path)) for r in open_rounds]
    cards.sort(key=lambda c: (not (c.can_vote or c.home), c.review_round.street.path))
    return cards, counted


def vote_round(pk) -> ReviewRound | None:
    return ReviewRound.objects.select_related("edition", "street").filter(pk=pk).first()


def ballot_choices(review_round: ReviewRound) -> list[Project]:
    """The projects on the ballot, each with its cost."""
    projects = list(round_projects(review_round).filter(state=ProjectState.SUBMITTED).order_by("number"))
    costs = project_budget_totals(projects)
    for project in projects:
        project.cost = costs.get(project.pk, Decimal("0.00"))
    return projects


def own_ballot(user, review_round: ReviewRound) -> Ballot | None:
    if not user.is_authenticated:
        return None
    return Ballot.objects.filter(round=review_round, voter=user).prefetch_related("projects").first()


def vote_outcomes(review_round: ReviewRound) -> tuple[list[VoteOutcome], int]:
    """The counted vote: each project's outcome with the project and its cost, and how many ballots were cast."""
    outcomes = list(VoteOutcome.objects.filter(round=review_round).select_related("project", "project__category"))
    costs = project_budget_totals([o.project for o in outcomes])
    for outcome in outcomes:
        outcome.cost = costs.get(outcome.project_id, Decimal("0.00"))
    return outcomes, Ballot.objects.filter(round=review_round).count()


# --- Who may vote: staff pages ------------------------------------------------------------------------------

def census_streets(user) -> QuerySet[Area]:
    """The streets whose census list the user may import (as ``reviews.import_census`` says: their staff)."""
    return streets_for_new_round(user)


def verifier_communities(user) -> QuerySet[Area]:
    """The communities where the user may confirm residents in person."""
    query = Q(pk__in=[])
    for area in areas_where(user, *VERIFIER_ROLES):
        query |= Q(path__startswith=area.path, kind=AreaKind.COMMUNITY)
    return Area.objects.filter(query).select_related("parent").order_by("path")


def census_size(streets) -> dict[int, int]:
    rows = (CensusEntry.objects.filter(street__in=streets).order_by().values("street")
            .annotate(n=Count("pk")).values_list("street", "n"))
    return dict(rows)


def verifications_of(user, streets) -> dict[int, VoterVerification]:
    """The resident's verifications in these streets, by street id."""
    return {v.street_id: v for v in VoterVerification.objects.filter(user=user, street__in=list(streets))
            .select_related("verified_by")}
