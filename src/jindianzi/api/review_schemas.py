"""What the review API (``routes/reviews.py``) reads and writes.

Blind scoring and privacy are kept by the shapes themselves: the public
answers (``RoundOut``, ``PublicDecisionOut``, ``VoteResultOut``, the ballot)
have no field for a reviewer, a voter or an individual score; the fields that
only the street's staff and the panel may see (``panel``, ``progress``,
``points``) are filled by the route only for those the rules allow, and are
null for everyone else.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from jindianzi.reviews.workflow import (
    Aggregation, BallotLimit, Outcome, PanelRole, RoundState, VoteRule, VoteState, VoteUse,
)

from .schemas import AreaRef, CategoryRef, EditionRef, Money, MoneyIn, OrganizationRef

# A score out of 100 with two decimals leaves as a string ("87.50"), like money: never a float.
Points100 = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,3}\.\d{2}$", "examples": ["87.50"],
                    "description": "Out of 100."}),
]


# ---- references ----------------------------------------------------------------------------------

class UserRef(Schema):
    """A reviewer or officer as the street's staff and the panel see them (never in a public answer)."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class ProjectRef(Schema):
    code: str
    title: str


class RoundRef(Schema):
    id: int
    edition: EditionRef
    street: AreaRef
    state: RoundState
    state_label: str

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.public_state_label)


# ---- rounds -------------------------------------------------------------------------------------------

class RoundFilters(Schema):
    edition: str | None = Field(None, description="Edition slug.")
    street: int | None = Field(None, description="Area id of the street or town.")


class CriterionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    label: str = Field(description="The name in the language of the request.")
    weight: int
    guidance: str


class VoteSettingsOut(Schema):
    state: VoteState
    state_label: str
    rule: VoteRule
    rule_label: str
    use: VoteUse
    weight: int = Field(description="Per cent of the final score the vote makes when it is weighted.")
    ballot_limit: BallotLimit
    max_projects: int | None = Field(description="At most this many projects on a ballot (count limit).")
    max_cost: Money | None = Field(description="At most this total cost on a ballot (cost limit).")
    opened_at: datetime | None
    closed_at: datetime | None


def vote_settings(review_round) -> dict[str, Any]:
    limit = review_round.ballot_limit_value
    by_count = review_round.ballot_limit == BallotLimit.COUNT
    return {
        "state": review_round.vote_state, "state_label": review_round.get_vote_state_display(),
        "rule": review_round.vote_rule, "rule_label": review_round.get_vote_rule_display(),
        "use": review_round.vote_use, "weight": review_round.vote_weight,
        "ballot_limit": review_round.ballot_limit,
        "max_projects": int(limit) if limit is not None and by_count else None,
        "max_cost": limit if limit is not None and not by_count else None,
        "opened_at": review_round.vote_opened_at, "closed_at": review_round.vote_closed_at,
    }


class RoundFields(Schema):
    id: int
    edition: EditionRef
    street: AreaRef
    state: RoundState
    state_label: str = Field(description="The state as the public reads it.")
    budget_cap: Money = Field(description="The street's budget for the projects it approves.")
    aggregation: Aggregation
    scoring_ends_on: date | None
    scoring_closed_at: datetime | None
    published_at: datetime | None
    vote: VoteSettingsOut


class RoundOut(RoundFields):
    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.public_state_label)

    @staticmethod
    def resolve_vote(obj) -> dict[str, Any]:
        return vote_settings(obj)


class PanelMemberOut(Schema):
    id: int
    user: UserRef
    role: PanelRole
    role_label: str
    added_at: datetime

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class ProgressOut(Schema):
    projects: int = Field(description="Projects waiting for the street's decision.")
    assigned: int = Field(description="Assignments that count (no conflict of interest).")
    scored: int = Field(description="Of those, how many the reviewer has scored.")
    excluded: int = Field(description="Assignments excluded by a conflict of interest.")
    decided: int


class RoundDetailOut(RoundFields):
    """A round with what the caller may see of it (the route fills in the parts for staff and panel)."""

    rubric: list[CriterionOut]
    chair: UserRef | None = Field(None, description="Only for the street's staff and the panel.")
    panel: list[PanelMemberOut] | None = Field(None, description="Only for the street's staff and the panel.")
    progress: ProgressOut | None = Field(None, description="Who has scored (never what): staff and panel only.")
    permissions: list[str] = Field(
        description="What the caller may do with the round now, e.g. reviews.manage_round, reviews.decide_round.")


class RoundIn(Schema):
    edition: str = Field(description="Slug of an edition in its approval phase.")
    street: int = Field(description="Area id of the street or town.")
    budget_cap: MoneyIn
    chair: int | None = Field(None, description="Account id of the officer who chairs; by default the caller.")
    aggregation: Aggregation = Aggregation.MEAN
    scoring_ends_on: date | None = None


class RoundPatchIn(Schema):
    budget_cap: MoneyIn | None = None
    aggregation: Aggregation | None = None
    scoring_ends_on: date | None = None


class PanelMemberIn(Schema):
    user: int | None = Field(None, description="Account id; or give `login`.")
    login: str | None = Field(None, max_length=120, description="The account's mobile number or e-mail address.")
    role: PanelRole


# ---- assignments and scores ---------------------------------------------------------------------------

class AssignIn(Schema):
    reviewers: list[int] | None = Field(None, max_length=100,
                                        description="Account ids of panel members; by default the whole panel.")
    projects: list[str] | None = Field(None, max_length=500,
                                       description="Project codes; by default every project waiting for review.")


class AssignmentOut(Schema):
    """One reviewer and one project: progress for the staff and the panel; points only once scores are revealed."""

    id: int
    project: ProjectRef
    reviewer: UserRef
    conflict: str = Field(description="Empty when there is none; else declared, implementer or proposer.")
    conflict_label: str
    conflict_note: str
    submitted: bool
    submitted_at: datetime | None
    points: dict[str, int] | None = Field(None, description="Criterion code → points, once scores are revealed.")
    comment: str | None = Field(None, description="Once scores are revealed.")

    @staticmethod
    def resolve_conflict_label(obj) -> str:
        return obj.get_conflict_display()

    @staticmethod
    def resolve_submitted(obj) -> bool:
        return obj.is_submitted


class MyAssignmentOut(Schema):
    """A reviewer's own assignment, with their own points (which only they see while scoring)."""

    id: int
    round: RoundRef
    project: ProjectRef
    conflict: str
    conflict_label: str
    conflict_note: str
    submitted_at: datetime | None
    points: dict[str, int] = Field(description="Criterion code → the points I gave.")
    comment: str


class ScoresIn(Schema):
    points: dict[str, int] = Field(description="Criterion code → whole points from 0 to 10, for every criterion.",
                                   examples=[{"need": 8, "feasibility": 7}])
    comment: str = Field("", json_schema_extra={"maxLength": 2000})


class ConflictIn(Schema):
    note: str = Field(json_schema_extra={"maxLength": 2000},
                      description="What the conflict is (for example: my sister runs the organisation).")


class ReviewerScoreOut(Schema):
    assignment: int
    reviewer: UserRef
    conflict: str
    submitted_at: datetime | None
    points: dict[str, int | None]
    total: Points100 | None = Field(description="The reviewer's weighted score out of 100.")
    comment: str


class ProjectScoresOut(Schema):
    project: ProjectRef
    reviewers: list[ReviewerScoreOut]


class ScoreSheetOut(Schema):
    criteria: list[CriterionOut]
    projects: list[ProjectScoresOut]


# ---- ranking, decisions, results ----------------------------------------------------------------------

class DecisionBriefOut(Schema):
    outcome: Outcome
    outcome_label: str


class RankingRowOut(Schema):
    rank: int | None = Field(description="Null until scoring closes: before that the order would reveal scores.")
    project: ProjectRef
    cost: Money
    assigned: int
    submitted: int
    excluded: int
    panel_score: Points100 | None
    votes: int | None
    vote_funded: bool | None
    score: Points100 | None
    within_cap: bool | None
    decision: DecisionBriefOut | None


class RankingOut(Schema):
    revealed: bool = Field(description="Whether scoring has closed and the scores and ranks are shown.")
    budget_cap: Money
    rows: list[RankingRowOut]


class DecisionIn(Schema):
    project: str = Field(description="Project code.")
    outcome: Outcome
    reason: str = Field(json_schema_extra={"maxLength": 2000})
    conditions: str = Field("", json_schema_extra={"maxLength": 2000})
    override_reason: str = Field("", json_schema_extra={"maxLength": 2000},
                                 description="Needed when the decision departs from the ranking's advice.")


class DecisionOut(Schema):
    project: ProjectRef
    outcome: Outcome
    outcome_label: str
    reason: str
    conditions: str
    rank: int
    score: Points100 | None
    within_cap: bool
    override_reason: str
    decided_at: datetime

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return obj.get_outcome_display()


class VoteOutcomeOut(Schema):
    project: ProjectRef
    cost: Money
    votes: int
    funded: bool
    reason: str = Field(description="funded, funded_in_completion, not_funded_supporters_short, "
                                    "not_funded_over_budget or no_votes.")
    selection_round: int | None
    details: dict[str, Any] = Field(description="The figures behind the reason; amounts as strings of yuan.")


class VoteResultOut(Schema):
    round: int
    rule: VoteRule
    rule_label: str
    use: VoteUse
    weight: int
    budget: Money
    ballots: int
    outcomes: list[VoteOutcomeOut]


class PublicDecisionOut(Schema):
    project: ProjectRef
    category: CategoryRef
    organization: OrganizationRef | None
    cost: Money
    outcome: Outcome
    outcome_label: str
    reason: str
    conditions: str
    rank: int
    score: Points100 | None = Field(description="The panel's combined score, never a reviewer's own.")
    override_reason: str
    votes: int | None
    vote_funded: bool | None


class ResultsOut(Schema):
    round: RoundOut
    approved: int
    rejected: int
    approved_total: Money
    decisions: list[PublicDecisionOut]
    vote: VoteResultOut | None


# ---- the resident vote --------------------------------------------------------------------------------

class VoteConfigIn(Schema):
    rule: VoteRule = VoteRule.EQUAL_SHARES
    use: VoteUse = VoteUse.ADVISORY
    weight: int = Field(0, ge=0, le=100, description="Per cent, when the vote is weighted.")
    ballot_limit: BallotLimit = BallotLimit.COUNT
    ballot_limit_value: MoneyIn | None = Field(None, description="A number of projects, or yuan (as a string).")


class BallotProjectOut(Schema):
    code: str
    title: str
    category: CategoryRef
    organization: OrganizationRef | None
    cost: Money


class BallotOut(Schema):
    round: RoundRef
    vote: VoteSettingsOut
    projects: list[BallotProjectOut]
    signed_in: bool
    eligible: bool = Field(description="Whether I am a verified resident of the street (who may vote once).")
    voted: bool
    my_choice: list[str] | None = Field(description="The project codes of my own ballot, when I have voted.")


class BallotIn(Schema):
    projects: list[str] = Field(max_length=200, description="Codes of the projects I approve.")


class BallotCastOut(Schema):
    round: int
    projects: list[str]
    cast_at: datetime


class ImportReportOut(Schema):
    ballots: int = Field(description="Ballots added to the round.")
    approvals: dict[str, int] = Field(description="Project code → approvals among the imported ballots.")
