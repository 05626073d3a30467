"""Reads of money: balances, queues and the public record of money movements.

Every function costs a fixed number of queries whatever the number of
agreements, shares or expenses (sums are subqueries or one grouped query;
balances per street and per organisation are added up from one query's rows).
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime
from django.utils.translation import pgettext_lazy

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import organizations_where
from jindianzi.agreements.models import Agreement, AgreementLine, AgreementShare
from jindianzi.agreements.selectors import agreements_for
from jindianzi.agreements.workflow import AgreementState, Milestone, PartyRole
from jindianzi.core.models import AuditRecord
from jindianzi.editions.models import FundingSource
from jindianzi.projects.workflow import ProjectState

from .models import Disbursement, DisbursementShare, Expense, Receipt
from .split import split_exact
from .workflow import LIVE_DISBURSEMENT_STATES, DisbursementState, ExpenseState

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO_VALUE = Value(Decimal("0.00"), output_field=MONEY)
ZERO = Decimal("0.00")


def _sum_of(queryset, field_name: str):
    """A subquery summing ``field_name`` over ``queryset`` (filtered on ``OuterRef``); 0 when there are no rows."""
    total = queryset.order_by().annotate(total=Func(F(field_name), function="SUM", output_field=MONEY)) \
        .values("total")
    return Coalesce(Subquery(total[:1]), ZERO_VALUE, output_field=MONEY)


# --- Header links -----------------------------------------------------------------------------------------

def money_links(user) -> dict:
    """Which money pages the header links to; no query (the user's roles are loaded once per request)."""
    return {
        "agreements": user.has_perm("agreements.view_agreement_list"),
        "balances": user.has_perm("funds.view_balances"),
        "disbursements": bool(organizations_where(user, Role.FOUNDATION_OFFICER)),
        "expenses": bool(organizations_where(user, Role.SUPPORT_STAFF)),
    }


# --- Funding sources --------------------------------------------------------------------------------------

def _source_money(queryset: QuerySet[FundingSource]) -> list[FundingSource]:
    """Sources with ``committed`` (None when not set), ``approved``, ``paid`` and ``left`` (committed − approved)."""
    live = DisbursementShare.objects.filter(source=OuterRef("pk"), disbursement__state__in=LIVE_DISBURSEMENT_STATES)
    sources = list(queryset.select_related("organization", "edition", "commitment").annotate(
        approved=_sum_of(live.filter(approved_at__isnull=False), "amount"),
        paid=_sum_of(live.filter(paid_at__isnull=False), "amount"),
        requested=_sum_of(live.filter(approved_at__isnull=True), "amount"),
    ))
    for source in sources:
        commitment = getattr(source, "commitment", None)
        source.committed = commitment.total if commitment is not None else None
        source.left = source.committed - source.approved if commitment is not None else None
    return sources


def source_balances(edition) -> list[FundingSource]:
    """Each funding source of the edition: committed, approved, paid and left (one query)."""
    return _source_money(FundingSource.objects.filter(edition=edition))


def officer_sources(user) -> list[FundingSource]:
    """The funding sources ``user`` is an officer of, with their balances (one query)."""
    organizations = [o.pk for o in organizations_where(user, Role.FOUNDATION_OFFICER)]
    return _source_money(FundingSource.objects.filter(organization_id__in=organizations)
                         .order_by("-edition__created_at", "-share"))


def commitment_sources(user, edition) -> list[FundingSource]:
    """The edition's sources whose commitment ``user`` may set, with their balances."""
    return [s for s in source_balances(edition) if user.has_perm("funds.set_commitment", s)]


# --- Balances ---------------------------------------------------------------------------------------------

@dataclass
class Balance:
    """Money of a group of agreements (a street, an organisation, everything the user sees)."""

    name: str
    agreements: int = 0
    total: Decimal = ZERO
    disbursed: Decimal = ZERO
    paid: Decimal = ZERO
    key: object = None

    @property
    def left(self) -> Decimal:
        return self.total - self.disbursed

    def add(self, agreement) -> None:
        self.agreements += 1
        self.total += agreement.total
        self.disbursed += agreement.disbursed
        self.paid += agreement.paid


@dataclass
class Balances:
    agreements: list
    overall: Balance
    by_street: list[Balance] = field(default_factory=list)
    by_organization: list[Balance] = field(default_factory=list)


def balances_for(user, *, edition=None) -> Balances:
    """Per agreement, per street, per organisation and overall, over the agreements ``user`` may see (one query).

    Cancelled agreements hold no money and are left out.
    """
    agreements = list(agreements_for(user, edition=edition).exclude(state=AgreementState.CANCELLED)
                      .order_by("project__street__name", "code"))
    overall = Balance(name="")
    streets: OrderedDict = OrderedDict()
    organizations: OrderedDict = OrderedDict()
    for agreement in agreements:
        agreement.left = agreement.total - agreement.disbursed
        overall.add(agreement)
        street = agreement.project.street
        streets.setdefault(street.pk, Balance(name=street.name, key=street)).add(agreement)
        organization = agreement.organization
        organizations.setdefault(organization.pk, Balance(name=organization.name, key=organization)).add(agreement)
    return Balances(agreements=agreements, overall=overall, by_street=list(streets.values()),
                    by_organization=sorted(organizations.values(), key=lambda b: b.name))


def agreement_balance(agreement: Agreement) -> dict:
    """The agreement's total, what its disbursements hold, what is approved and paid, and what is left (one query)."""
    shares = DisbursementShare.objects.filter(disbursement__agreement=agreement,
                                              disbursement__state__in=LIVE_DISBURSEMENT_STATES).aggregate(
        approved=Coalesce(Sum("amount", filter=Q(approved_at__isnull=False)), ZERO_VALUE, output_field=MONEY),
        paid=Coalesce(Sum("amount", filter=Q(paid_at__isnull=False)), ZERO_VALUE, output_field=MONEY),
        disbursed=Coalesce(Sum("amount"), ZERO_VALUE, output_field=MONEY))
    return {"total": agreement.total, **shares, "left": agreement.total - shares["disbursed"]}


def split_of(agreement: Agreement) -> list[AgreementShare]:
    """Each source's share of the agreement: percent, its part of the total, and what it has paid (one query).

    Uses the agreement's prefetched ``shares`` when they are there.
    """
    shares = list(agreement.shares.all())
    paid = dict(DisbursementShare.objects.filter(
        disbursement__agreement=agreement, disbursement__state__in=LIVE_DISBURSEMENT_STATES,
        paid_at__isnull=False).order_by().values("source").annotate(total=Sum("amount")).values_list(
        "source", "total"))
    parts = split_exact(agreement.total, [(s.source_id, s.share) for s in shares]) if shares else {}
    for share in shares:
        share.part = parts.get(share.source_id, ZERO)
        share.paid = paid.get(share.source_id) or ZERO
        share.percent = share.share * 100
    return shares


def line_balances(agreement: Agreement) -> list[AgreementLine]:
    """Each budget line with ``approved`` and ``pending`` (reported, not yet checked) spending, and ``left``."""
    expenses = Expense.objects.filter(line=OuterRef("pk"))
    lines = list(AgreementLine.objects.filter(agreement=agreement).annotate(
        approved=_sum_of(expenses.filter(state=ExpenseState.APPROVED), "amount"),
        pending=_sum_of(expenses.filter(state=ExpenseState.REPORTED), "amount"),
    ))
    for line in lines:
        line.left = line.amount - line.approved
    return lines


# --- Disbursements ----------------------------------------------------------------------------------------

def disbursement_by_pk(pk: int) -> Disbursement | None:
    shares = DisbursementShare.objects.select_related("source__organization", "approved_by", "paid_by")
    return (Disbursement.objects.select_related(
        "agreement", "agreement__edition", "agreement__edition__district", "agreement__project",
        "agreement__project__street", "agreement__organization", "instalment", "requested_by", "returned_by")
        .prefetch_related(Prefetch("shares", queryset=shares)).filter(pk=pk).first())


@dataclass
class ShareQueue:
    sources: list
    to_approve: list
    to_pay: list
    recent: list


def share_queue(user, *, recent: int = 20) -> ShareQueue:
    """For a funding source's officer: shares waiting for approval, then for payment, then recently paid."""
    sources = officer_sources(user)
    base = (DisbursementShare.objects.filter(source__in=[s.pk for s in sources])
            .select_related("source__organization", "disbursement", "disbursement__instalment",
                            "disbursement__agreement", "disbursement__agreement__project",
                            "disbursement__agreement__project__street", "disbursement__agreement__organization",
                            "approved_by", "paid_by"))
    to_approve = base.filter(approved_at__isnull=True, disbursement__state=DisbursementState.REQUESTED) \
        .order_by("disbursement__requested_at", "id")
    to_pay = base.filter(approved_at__isnull=False, paid_at__isnull=True,
                         disbursement__state__in=(DisbursementState.REQUESTED, DisbursementState.APPROVED)) \
        .order_by("approved_at", "id")
    done = base.filter(paid_at__isnull=False).order_by("-paid_at", "-id")[:recent]
    return ShareQueue(sources=sources, to_approve=list(to_approve), to_pay=list(to_pay), recent=list(done))


# --- Expenses ---------------------------------------------------------------------------------------------

def _expenses() -> QuerySet[Expense]:
    return Expense.objects.select_related("line", "reported_by", "reviewed_by").prefetch_related(
        Prefetch("receipts", queryset=Receipt.objects.order_by("id")))


def expenses_of(agreement: Agreement) -> list[Expense]:
    """The agreement's expenses, newest first, with their receipts (two queries)."""
    return list(_expenses().filter(agreement=agreement).order_by("-reported_at", "-id"))


def expenses_to_check(user) -> list[Expense]:
    """Reported expenses of the agreements the user's support centre supports, oldest first."""
    centres = [o.pk for o in organizations_where(user, Role.SUPPORT_STAFF)]
    supported = Agreement.objects.filter(parties__role=PartyRole.SUPPORT_CENTRE,
                                         parties__organization_id__in=centres).values("pk")
    return list(_expenses().filter(agreement__in=supported, state=ExpenseState.REPORTED)
                .select_related("agreement", "agreement__project", "agreement__organization")
                .order_by("reported_at", "id"))


def expense_counts(agreement: Agreement) -> dict:
    return Expense.objects.filter(agreement=agreement).aggregate(
        reported=Count("pk", filter=Q(state=ExpenseState.REPORTED)),
        returned=Count("pk", filter=Q(state=ExpenseState.RETURNED)))


# --- The public record ------------------------------------------------------------------------------------

PUBLIC_MOVEMENTS = {
    "disbursement.request": pgettext_lazy("money movement", "Instalment requested"),
    "disbursement.approve_share": pgettext_lazy("money movement", "Share approved"),
    "disbursement.pay_share": pgettext_lazy("money movement", "Share paid"),
    "disbursement.paid": pgettext_lazy("money movement", "Instalment paid in full"),
    "disbursement.return": pgettext_lazy("money movement", "Request returned to the organisation"),
}


@dataclass(frozen=True)
class Movement:
    at: object
    what: str
    amount: Decimal | None
    source: str
    milestone: str = ""


def money_movements_public(project) -> list[Movement]:
    """The money movements of a contracted project's agreement, read from the audit chain (at most two queries).

    Only what the public may see: the date, what happened, the amount and the funding source. Never who
    clicked (a person), nor the bank reference or a return's free-text reason.
    """
    if project.state != ProjectState.CONTRACTED:
        return []  # no agreement in force, so no money moved: no query
    disbursements = {str(pk): (milestone, amount) for pk, milestone, amount in Disbursement.objects.filter(
        agreement__project=project, agreement__state__in=(AgreementState.ACTIVE, AgreementState.COMPLETED))
        .values_list("pk", "instalment__milestone", "amount")}
    if not disbursements:
        return []
    labels = dict(Milestone.choices)
    records = AuditRecord.objects.filter(target_type=Disbursement._meta.label_lower,
                                         target_id__in=list(disbursements), action__in=list(PUBLIC_MOVEMENTS)) \
        .order_by("seq").only("at", "action", "target_id", "after")
    movements = []
    for record in records:
        after = record.after or {}
        milestone, requested = disbursements[record.target_id]
        amount = Decimal(after["amount"]) if after.get("amount") else requested
        source = after.get("source", "")
        if record.action in ("disbursement.request", "disbursement.paid", "disbursement.return"):
            source = ""
        happened = parse_datetime(after["on"]) if after.get("on") else record.at
        movements.append(Movement(at=happened, what=PUBLIC_MOVEMENTS[record.action], amount=amount, source=source,
                                  milestone=labels.get(milestone, "")))
    return movements

