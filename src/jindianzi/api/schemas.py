"""What the API reads and writes, with the OpenAPI schema generated from it.

Only public fields are declared here: a field that is not in an output schema
never leaves the server, so the proposer's account, phone number and, for
anonymous ideas, name cannot leak through a forgotten ``exclude``.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from jindianzi.areas.models import AreaKind
from jindianzi.core.money import yuan
from jindianzi.editions.models import PhaseKind
from jindianzi.ideas.models import Channel, ProposerKind
from jindianzi.ideas.workflow import IdeaState
from jindianzi.organizations.models import OrganizationKind, RegistrationStatus

MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
MONEY_RE = re.compile(MONEY_PATTERN)

# Money leaves as a string with two decimals ("12000.00"): a JSON number would
# be read as a binary float by most clients, which cannot hold every fen.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: str(yuan(value)), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["12000.00"]}),
]


def _money_text(value):
    """Accept only text such as "12000" or "12000.50"; a JSON number may already have lost fen as a float."""
    if isinstance(value, str) and MONEY_RE.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("money", "an amount in yuan as a string, at most two decimals")


# ...and comes in as a string too, so that the schema offers clients no float.
# The error type "money" gets its message in the user's language in errors.py.
MoneyIn = Annotated[
    str,
    BeforeValidator(_money_text),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["12000.00"],
                    "description": "Yuan as a string, at most two decimals."}),
]


# ---- shared ----------------------------------------------------------------

class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="One sentence for the person, in their language.")
    errors: dict[str, list[str]] = Field(
        description="Messages per request field; `__all__` holds those about the request as a whole.",
    )


class AreaRef(Schema):
    id: int
    name: str


class OrganizationRef(Schema):
    id: int
    name: str


# ---- areas and organisations ----------------------------------------------

class AreaOut(Schema):
    id: int
    name: str
    kind: AreaKind
    kind_label: str
    parent_id: int | None
    code: str = Field(description="Administrative division code, when known.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKind
    kind_label: str
    home_area: AreaRef
    registration: RegistrationStatus
    registration_label: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_registration_label(obj) -> str:
        return obj.get_registration_display()


class AreaFilters(Schema):
    kind: AreaKind | None = None
    parent: int | None = Field(None, description="Only the direct children of this area id.")


class OrganizationFilters(Schema):
    kind: OrganizationKind | None = None
    area: int | None = Field(None, description="Only organisations whose home area is this area id or lies inside it.")


# ---- editions ----------------------------------------------------------------

class PhaseOut(Schema):
    kind: PhaseKind
    label: str
    starts_on: date | None = None
    ends_on: date | None = None


def _phase(kind: str, scheduled=None) -> dict[str, Any]:
    """A phase with its dates; "draft" (before collection) is never scheduled, so it has none."""
    return {"kind": kind, "label": str(PhaseKind(kind).label),
            "starts_on": scheduled and scheduled.starts_on, "ends_on": scheduled and scheduled.ends_on}


class CategoryOut(Schema):
    code: str
    name_zh: str
    name_en: str
    label: str = Field(description="The name in the language of the request.")


class FundingSourceOut(Schema):
    organization: OrganizationRef
    share: str = Field(description="Fraction of every project's money, e.g. 0.6000 for 60 %.",
                       examples=["0.6000"])

    @staticmethod
    def resolve_share(obj) -> str:
        return f"{obj.share:.4f}"


class EditionOut(Schema):
    slug: str
    name: str
    description: str
    district: AreaRef
    current_phase: PhaseOut
    phases: list[PhaseOut]
    categories: list[CategoryOut]
    max_budget_per_idea: Money | None
    funding_sources: list[FundingSourceOut]

    @staticmethod
    def resolve_current_phase(obj) -> dict[str, Any]:
        scheduled = {phase.kind: phase for phase in obj.phases.all()}
        return _phase(obj.current_phase, scheduled.get(obj.current_phase))

    @staticmethod
    def resolve_phases(obj) -> list[dict[str, Any]]:
        return [_phase(phase.kind, phase) for phase in sorted(obj.phases.all(), key=lambda phase: phase.order)]


# ---- ideas -------------------------------------------------------------------

class EditionRef(Schema):
    slug: str
    name: str


class CategoryRef(Schema):
    code: str
    label: str


class IdeaFilters(Schema):
    edition: str | None = Field(None, description="Edition slug, e.g. hongshan-2017.")
    street: int | None = Field(None, description="Area id of a street or town.")
    community: int | None = Field(None, description="Area id of a community.")
    category: str | None = Field(None, description="Service category code, e.g. elderly.")
    state: IdeaState | None = None
    q: str | None = Field(None, max_length=100,
                          description="Words that must all occur in the idea, Chinese or English (老年 食堂).")


class IdeaOut(Schema):
    tracking_code: str
    title: str
    edition: EditionRef
    street: AreaRef | None
    community: AreaRef
    category: CategoryRef
    state: IdeaState
    state_label: str
    proposer_kind: ProposerKind
    proposer_name: str = Field(description="The organisation, the resident, or a note that they stay anonymous.")
    estimated_budget: Money
    submitted_at: datetime

    @staticmethod
    def resolve_street(obj):
        return obj.community.parent

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.public_state_label)

    @staticmethod
    def resolve_proposer_name(obj) -> str:
        return obj.public_proposer_name


class TimelineStepOut(Schema):
    state: IdeaState
    label: str
    at: datetime

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.to_state

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.public_label)


class IdeaDetailOut(IdeaOut):
    problem: str
    proposal: str
    beneficiaries: str
    channel: Channel
    channel_label: str
    timeline: list[TimelineStepOut]
    photos: list[str] = Field(description="Absolute URLs of the idea's photos.")

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_timeline(obj) -> list:
        return list(obj.transitions.all())

    @staticmethod
    def resolve_photos(obj, context) -> list[str]:
        request = context["request"]
        return [request.build_absolute_uri(photo.image.url) for photo in obj.photos.all()]


class IdeaIn(Schema):
    edition: str = Field(description="Slug of an edition that is collecting ideas.")
    community: int = Field(description="Area id of the community the idea is for.")
    category: str = Field(description="Service category code of the edition, e.g. elderly.")
    # The limits are documented here but checked by the service, which says so in the web form's words.
    title: str = Field(json_schema_extra={"maxLength": 80})
    problem: str = Field(json_schema_extra={"maxLength": 2000})
    proposal: str = Field(json_schema_extra={"maxLength": 4000})
    beneficiaries: str = Field(json_schema_extra={"maxLength": 200})
    estimated_budget: MoneyIn
    anonymous: bool = Field(False, description="Keep the proposer's name off public pages and answers.")
    proposer_kind: ProposerKind = ProposerKind.RESIDENT
    proposer_organization: int | None = Field(
        None, description="Organisation id, when proposing for an organisation one works for.",
    )


class WithdrawIn(Schema):
    reason: str = Field("", max_length=200)



# ---- optimisation: screening decisions and revisions ---------------------------------------

class DecisionIn(Schema):
    decision: str = Field(description="shortlist, decline or request_improvement.",
                          json_schema_extra={"enum": ["shortlist", "decline", "request_improvement"]})
    reason: str = Field(max_length=1000, description="Why; the proposer reads it for a decline or a request.")


class BulkDecisionIn(DecisionIn):
    ideas: list[str] = Field(max_length=500, description="Tracking codes of the ideas to decide on.")


class RefusedOut(Schema):
    tracking_code: str
    reason: str


class BulkDecisionOut(Schema):
    done: list[str] = Field(description="Tracking codes of the ideas the decision was applied to.")
    refused: list[RefusedOut]


class RevisionOut(Schema):
    number: int
    at: datetime
    by: str = Field(description="Who wrote it: the proposer or community staff (no names).")
    note: str
    title: str
    problem: str
    proposal: str
    beneficiaries: str
    estimated_budget: Money

    @staticmethod
    def resolve_by(obj) -> str:
        # Names stay off public answers: an anonymous proposer would be named by their own revision.
        idea = obj.idea
        if obj.author_id is not None and obj.author_id == idea.proposer_id:
            return "proposer"
        return "staff" if obj.author_id is not None else "import"


class RevisionIn(Schema):
    title: str = Field(json_schema_extra={"maxLength": 80})
    problem: str = Field(json_schema_extra={"maxLength": 2000})
    proposal: str = Field(json_schema_extra={"maxLength": 4000})
    beneficiaries: str = Field(json_schema_extra={"maxLength": 200})
    estimated_budget: MoneyIn
    note: str = Field("", max_length=200, description="What changed, in a few words.")


# ---- projects: merging, matching, plan -------------------------------------------------------

class ProjectFilters(Schema):
    edition: str | None = Field(None, description="Edition slug.")
    street: int | None = Field(None, description="Area id of the street or town.")
    state: str | None = None
    category: str | None = Field(None, description="Service category code.")


class BudgetLineOut(Schema):
    item: str
    amount: Money


class ProjectIdeaOut(Schema):
    tracking_code: str
    title: str
    community: AreaRef
    proposer_name: str = Field(description="Credited as on the idea's public page.")
    revisions: int

    @staticmethod
    def resolve_proposer_name(obj) -> str:
        return obj.public_proposer_name

    @staticmethod
    def resolve_revisions(obj) -> int:
        return len(obj.revisions.all())


class ProjectStepOut(Schema):
    name: str
    label: str
    at: datetime
    idea: str | None = None
    organization: str | None = None

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.public_label)

    @staticmethod
    def resolve_idea(obj):
        return obj.idea.tracking_code if obj.idea_id else None

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.name if obj.organization_id else None


class ProjectOut(Schema):
    code: str
    title: str
    edition: EditionRef
    street: AreaRef
    category: CategoryRef
    state: str
    state_label: str
    organization: OrganizationRef | None = None
    idea_count: int = 0
    budget_total: Money = Decimal("0")

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.public_state_label)

    @staticmethod
    def resolve_idea_count(obj) -> int:
        return getattr(obj, "idea_count", None) or len(obj.ideas.all())

    @staticmethod
    def resolve_budget_total(obj):
        total = getattr(obj, "budget_total", None)
        return total if total is not None else sum((line.amount for line in obj.budget_lines.all()), Decimal("0"))


class ProjectDetailOut(ProjectOut):
    summary: str
    objectives: str
    target_groups: str
    expected_beneficiaries: int | None
    planned_activities: int | None
    starts_on: date | None
    ends_on: date | None
    budget_lines: list[BudgetLineOut]
    ideas: list[ProjectIdeaOut] = Field(description="The original ideas the project was made from (its provenance).")
    history: list[ProjectStepOut]

    @staticmethod
    def resolve_budget_lines(obj) -> list:
        return list(obj.budget_lines.all())

    @staticmethod
    def resolve_ideas(obj) -> list:
        return list(obj.ideas.all())

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.transitions.all())


class MergeIn(Schema):
    ideas: list[str] = Field(min_length=1, max_length=50, description="Tracking codes of shortlisted ideas.")
    title: str = Field(json_schema_extra={"maxLength": 100})
    category: str | None = Field(None, description="Category code; by default the first idea's.")
    summary: str = ""


class IdeaCodeIn(Schema):
    idea: str = Field(description="Tracking code of a shortlisted idea.")


class BudgetLineIn(Schema):
    item: str
    amount: MoneyIn


class PlanIn(Schema):
    title: str
    category: str
    summary: str = ""
    objectives: str = ""
    target_groups: str = ""
    expected_beneficiaries: int | None = None
    planned_activities: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget_lines: list[BudgetLineIn] = []


class ScorePartOut(Schema):
    key: str
    label: str
    points: int
    detail: str


class SuggestionOut(Schema):
    organization: OrganizationRef
    total: int
    parts: list[ScorePartOut]


class OfferIn(Schema):
    organization: int = Field(description="Organisation id.")
    message: str = ""


class OfferOut(Schema):
    id: int
    project: str
    organization: OrganizationRef
    state: str
    message: str
    response_reason: str

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


class AnswerIn(Schema):
    accept: bool
    reason: str = ""
