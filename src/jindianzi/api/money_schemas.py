"""What the agreements and funds API (``routes/agreements.py``, ``routes/funds.py``) reads and writes.

Money leaves and comes in as text with two decimals ("1234.50"), never as a JSON
number: ``Money`` and ``MoneyIn`` from ``schemas.py``. A funding share is text too,
a fraction of 1 ("0.6000"). These answers are for the agreement's parties and
the district's staff only (the routes ask the rules first); people appear by
their display name, never with a phone number.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import WithJsonSchema

from jindianzi.agreements.workflow import AgreementState, Milestone, PartyRole
from jindianzi.funds.workflow import DisbursementState, ExpenseState

from .review_schemas import ProjectRef, UserRef
from .schemas import AreaRef, EditionRef, Money, MoneyIn, OrganizationRef

SHARE_PATTERN = r"^(0(\.\d{1,4})?|1(\.0{1,4})?)$"

# Checked by the route (``routes/agreements.py``), which says in the person's language what a share must look
# like; declared as text so that the schema offers clients no float.
ShareIn = Annotated[
    Any,
    WithJsonSchema({"type": "string", "pattern": SHARE_PATTERN, "examples": ["0.60"],
                    "description": "A fraction of 1 as text, at most four decimals: \"0.60\" for 60 %."}),
]


def share_text(share) -> str:
    return f"{share:.4f}"


# ---- references ------------------------------------------------------------------------------------------

class SourceRef(Schema):
    """A funding source of an edition (资金来源): its id is what the money routes take."""

    id: int
    organization: OrganizationRef


class AgreementRef(Schema):
    code: str
    project: ProjectRef
    organization: OrganizationRef


# ---- agreements --------------------------------------------------------------------------------------------

class AgreementFilters(Schema):
    edition: str | None = Field(None, description="Edition slug.")
    state: AgreementState | None = None
    street: int | None = Field(None, description="Area id of the project's street or town.")
    q: str | None = Field(None, max_length=100, description="Words of the project's title or organisation, or the "
                                                             "agreement number.")


class AgreementFields(Schema):
    code: str = Field(description="The agreement number.")
    project: ProjectRef
    edition: EditionRef
    street: AreaRef
    organization: OrganizationRef = Field(description="The implementing organisation.")
    state: AgreementState
    state_label: str
    total: Money = Field(description="The agreed amount: the sum of the budget lines.")
    created_at: datetime
    activated_at: datetime | None = Field(description="When the last party signed.")
    completed_at: datetime | None


class AgreementOut(AgreementFields):
    disbursed: Money = Field(description="Held by disbursements asked for, approved or paid (not returned).")
    approved: Money
    paid: Money
    left: Money = Field(description="The total less what is disbursed.")
    signed_count: int = Field(description="Parties that have signed.")
    party_count: int

    @staticmethod
    def resolve_street(obj):
        return obj.project.street

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_left(obj):
        return obj.total - obj.disbursed


class PartyOut(Schema):
    role: PartyRole
    role_label: str
    name: str
    organization: OrganizationRef | None
    signed_at: datetime | None
    signed_by: UserRef | None

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class AgreementLineOut(Schema):
    id: int
    item: str
    amount: Money
    approved: Money = Field(description="Spending the support centre approved against this line.")
    pending: Money = Field(description="Spending reported and not yet checked.")
    left: Money = Field(description="The line's amount less the approved spending.")


class SplitOut(Schema):
    source: SourceRef
    share: str = Field(description="Fraction of every disbursement this source pays.", examples=["0.6000"])
    part: Money = Field(description="The source's part of the agreed total, exact to the fen.")
    paid: Money = Field(description="What the source has paid so far.")

    @staticmethod
    def resolve_share(obj) -> str:
        return share_text(obj.share)


class InstalmentOut(Schema):
    position: int
    milestone: Milestone
    milestone_label: str
    amount: Money
    reached_at: datetime | None = Field(description="When the milestone was confirmed; then the instalment can be "
                                                    "asked for.")
    reached_note: str

    @staticmethod
    def resolve_milestone_label(obj) -> str:
        return obj.get_milestone_display()


class ShareOut(Schema):
    """One funding source's part of a disbursement, approved and paid by that source's officer."""

    source: SourceRef
    amount: Money
    approved_at: datetime | None
    approved_by: UserRef | None
    paid_at: datetime | None
    paid_by: UserRef | None
    payment_reference: str


class DisbursementOut(Schema):
    id: int
    milestone: Milestone
    amount: Money
    state: DisbursementState
    state_label: str
    note: str
    requested_at: datetime
    requested_by: UserRef
    returned_at: datetime | None
    return_reason: str
    paid_at: datetime | None = Field(description="When the last share was paid.")
    shares: list[ShareOut]

    @staticmethod
    def resolve_milestone(obj) -> str:
        return obj.instalment.milestone

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_shares(obj) -> list:
        return list(obj.shares.all())


class DisbursementDetailOut(DisbursementOut):
    agreement: AgreementRef


class AgreementBalanceOut(Schema):
    total: Money
    disbursed: Money
    approved: Money
    paid: Money
    left: Money


class AgreementDetailOut(AgreementFields):
    """Built as a dict by the route (``routes/agreements.py``), from the selectors' reads."""

    split_reason: str = Field(description="Why the funding split differs from the edition's, when it does.")
    parties: list[PartyOut]
    budget_lines: list[AgreementLineOut]
    split: list[SplitOut]
    instalments: list[InstalmentOut]
    disbursements: list[DisbursementOut] = Field(description="Every disbursement, returned ones too, oldest first.")
    balance: AgreementBalanceOut
    to_sign: list[PartyRole] = Field(description="The parties the caller may still sign for.")
    permissions: list[str] = Field(description="What the caller may do with the agreement, as rule names.")


class SplitPartIn(Schema):
    source: int = Field(description="Id of one of the edition's funding sources.")
    share: ShareIn


class AgreementIn(Schema):
    project: str = Field(description="Code of a project the street review approved.")
    split: list[SplitPartIn] | None = Field(None, max_length=10, description="Leave out to use the edition's split.")
    split_reason: str = Field("", json_schema_extra={"maxLength": 2000},
                              description="Needed when the split differs from the edition's.")


class SignIn(Schema):
    role: PartyRole | None = Field(None, description="The party to sign for, when the caller signs for several.")


class ReasonIn(Schema):
    reason: str = Field("", json_schema_extra={"maxLength": 2000})


class NoteIn(Schema):
    note: str = Field("", json_schema_extra={"maxLength": 2000})


# ---- disbursements ---------------------------------------------------------------------------------------

class DisbursementFilters(Schema):
    state: DisbursementState | None = None
    waiting: Literal["approval", "payment"] | None = Field(
        None, description="Only those where a share of the caller's own funding source waits for approval, or "
                          "for payment.")
    agreement: str | None = Field(None, description="Agreement number.")


class DisbursementIn(Schema):
    milestone: Milestone = Field(description="The instalment's milestone; it must be confirmed.")
    amount: MoneyIn | None = Field(None, description="Leave out to ask for the whole instalment.")
    note: str = Field("", json_schema_extra={"maxLength": 2000})


class PayIn(Schema):
    reference: str = Field("", json_schema_extra={"maxLength": 80}, description="The bank's payment reference.")


# ---- expenses --------------------------------------------------------------------------------------------

class LineRef(Schema):
    id: int
    item: str


class ReceiptOut(Schema):
    id: int
    url: str = Field(description="The photo, for those who may see the agreement (a signed-in session).")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(reverse("funds:receipt", args=[obj.pk]))


class ExpenseOut(Schema):
    id: int
    line: LineRef
    amount: Money
    spent_on: date
    description: str
    state: ExpenseState
    state_label: str
    reported_at: datetime
    reported_by: UserRef
    reviewed_at: datetime | None
    reviewed_by: UserRef | None
    return_reason: str
    receipts: list[ReceiptOut]

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_receipts(obj) -> list:
        return list(obj.receipts.all())


class ExpenseIn(Schema):
    line: int = Field(description="Id of one of the agreement's budget lines.")
    amount: MoneyIn
    spent_on: date
    description: str = Field(json_schema_extra={"maxLength": 200})


class ExpenseReviewIn(Schema):
    approve: bool
    reason: str = Field("", json_schema_extra={"maxLength": 2000},
                        description="Needed to return the expense; the organisation reads it.")


# ---- balances and commitments ----------------------------------------------------------------------------

class BalanceFilters(Schema):
    edition: str | None = Field(None, description="Edition slug; by default the latest the caller works on.")


class SourceBalanceOut(Schema):
    id: int
    organization: OrganizationRef
    edition: EditionRef
    share: str = Field(examples=["0.6000"])
    committed: Money | None = Field(description="The source's committed total for the edition; null until set.")
    requested: Money = Field(description="Shares asked for and not yet approved.")
    approved: Money = Field(description="Shares approved, paid or not.")
    paid: Money
    left: Money | None = Field(description="Committed less approved.")

    @staticmethod
    def resolve_share(obj) -> str:
        return share_text(obj.share)


class BalanceOut(Schema):
    agreements: int
    total: Money
    disbursed: Money
    paid: Money
    left: Money


class StreetBalanceOut(BalanceOut):
    street: AreaRef

    @staticmethod
    def resolve_street(obj):
        return obj.key


class OrganizationBalanceOut(BalanceOut):
    organization: OrganizationRef

    @staticmethod
    def resolve_organization(obj):
        return obj.key


class BalancesOut(Schema):
    edition: EditionRef | None
    sources: list[SourceBalanceOut] = Field(description="The organiser sees every source; a source's officer "
                                                        "their own; others none.")
    overall: BalanceOut = Field(description="Over the agreements the caller may see (cancelled ones left out).")
    by_street: list[StreetBalanceOut]
    by_organization: list[OrganizationBalanceOut]


class CommitmentIn(Schema):
    total: MoneyIn
