"""The round's ranking: each project's panel score, its vote, its rank, and whether it fits the street's budget.

How a project's score is made:

1. Each reviewer's score of a project is the weighted mean of the criteria,
   scaled to 0–100 (10 points on every criterion gives 100).
2. The panel score is the mean of the reviewers who submitted and have no
   conflict; with "trimmed mean" and at least three reviewers, the highest and
   the lowest are left out first.
3. Where the resident vote counts as an input with weight w %, the score is
   (100 − w) % of the panel score plus w % of the vote's points: 100 for a
   project the round's allocation rule funds, 0 for one it does not.

Projects are ranked by score (highest first; ties by more votes, then the
project code). Walking down the ranking, a project is "within the cap" when
its budget still fits in what is left of the street's budget; a project that
does not fit is passed over and the walk goes on, so a cheaper project below
it can still fit.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals

from .models import Assignment, Criterion, ReviewRound, Score, VoteOutcome
from .workflow import Aggregation, VoteState, VoteUse

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class RankedProject:
    project: Project
    cost: Decimal
    reviewer_scores: list[Decimal] = field(default_factory=list)
    panel_score: Decimal | None = None
    votes: int | None = None
    vote_funded: bool | None = None
    score: Decimal | None = None
    rank: int = 0
    within_cap: bool = False
    remaining_after: Decimal | None = None      # what is left of the cap after this project, if it fits
    assigned: int = 0
    submitted: int = 0
    excluded: int = 0


def reviewer_score(points: dict[int, int], criteria: list[Criterion]) -> Decimal | None:
    """A reviewer's 0–100 score from their points per criterion, or None if a criterion is missing."""
    total_weight = sum(c.weight for c in criteria)
    if not criteria or any(c.pk not in points for c in criteria):
        return None
    weighted = sum(Decimal(points[c.pk]) * c.weight for c in criteria)
    return (weighted * 10 / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def combine(scores: list[Decimal], aggregation: str) -> Decimal | None:
    if not scores:
        return None
    ordered = sorted(scores)
    if aggregation == Aggregation.TRIMMED_MEAN and len(ordered) >= 3:
        ordered = ordered[1:-1]
    return (sum(ordered) / len(ordered)).quantize(CENT, rounding=ROUND_HALF_UP)


def round_projects(review_round: ReviewRound):
    """The projects a round reviews: those of its street and edition submitted to it, or decided in it."""
    return Project.objects.filter(edition=review_round.edition, street=review_round.street).exclude(
        state__in=("draft", "dissolved")).select_related("organization", "category")


def round_ranking(review_round: ReviewRound) -> list[RankedProject]:
    criteria = list(Criterion.objects.filter(edition_id=review_round.edition_id))
    projects = list(round_projects(review_round).prefetch_related(
        Prefetch("review_assignments", queryset=Assignment.objects.filter(round=review_round)
                 .prefetch_related(Prefetch("scores", queryset=Score.objects.only("assignment_id", "criterion_id",
                                                                                "points"))))))
    costs = project_budget_totals(projects)
    votes = {}
    if review_round.vote_state == VoteState.COUNTED:
        votes = {o.project_id: o for o in VoteOutcome.objects.filter(round=review_round)}
    rows = []
    for project in projects:
        row = RankedProject(project=project, cost=costs.get(project.pk, Decimal("0.00")))
        for assignment in project.review_assignments.all():
            row.assigned += 1
            if assignment.is_excluded:
                row.excluded += 1
                continue
            if assignment.is_submitted:
                row.submitted += 1
                score = reviewer_score({s.criterion_id: s.points for s in assignment.scores.all()}, criteria)
                if score is not None:
                    row.reviewer_scores.append(score)
        row.panel_score = combine(row.reviewer_scores, review_round.aggregation)
        outcome = votes.get(project.pk)
        if outcome is not None:
            row.votes, row.vote_funded = outcome.votes, outcome.funded
        row.score = _final_score(review_round, row)
        rows.append(row)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -(r.votes or 0), r.project.code))
    remaining = review_round.budget_cap
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
        if row.score is not None and row.cost <= remaining:
            remaining -= row.cost
            row.within_cap, row.remaining_after = True, remaining
    return rows


def _final_score(review_round: ReviewRound, row: RankedProject) -> Decimal | None:
    if row.panel_score is None:
        return None
    if review_round.vote_use != VoteUse.WEIGHTED or row.vote_funded is None:
        return row.panel_score
    weight = Decimal(review_round.vote_weight)
    vote_points = HUNDRED if row.vote_funded else Decimal(0)
    return ((row.panel_score * (HUNDRED - weight) + vote_points * weight) / HUNDRED).quantize(
        CENT, rounding=ROUND_HALF_UP)
