"""Reads the money API needs that ``funds.selectors`` and ``agreements.selectors`` do not have.

Each costs a fixed number of queries whatever the number of agreements or disbursements.
"""

from django.db.models import Prefetch, Q, QuerySet

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import has_role_over, organizations_where
from jindianzi.agreements.models import Agreement, AgreementParty
from jindianzi.agreements.selectors import agreement_editions, agreement_scope, editions_organised_by
from jindianzi.editions.models import Edition, FundingSource
from jindianzi.funds.models import Disbursement, DisbursementShare, Expense, Receipt
from jindianzi.funds.selectors import source_balances
from jindianzi.funds.workflow import DisbursementState


def _source_organizations(user) -> list[int]:
    return [o.pk for o in organizations_where(user, Role.FOUNDATION_OFFICER)]


def disbursements_for(user, *, state: str = "", waiting: str = "", agreement: str = "") -> QuerySet[Disbursement]:
    """The disbursements of the agreements ``user`` may list (``agreements.selectors.agreement_scope``), newest first.

    ``waiting``: "approval" keeps those where a share of the user's own funding source waits for approval,
    "payment" those where it is approved and waits for payment.
    """
    queryset = Disbursement.objects.filter(agreement__in=_agreements_in_scope(user))
    if state:
        queryset = queryset.filter(state=state)
    if agreement:
        queryset = queryset.filter(agreement__code=agreement.strip())
    if waiting:
        mine = DisbursementShare.objects.filter(source__organization_id__in=_source_organizations(user))
        if waiting == "approval":
            mine = mine.filter(approved_at__isnull=True, disbursement__state=DisbursementState.REQUESTED)
        else:
            mine = mine.filter(approved_at__isnull=False, paid_at__isnull=True,
                               disbursement__state__in=(DisbursementState.REQUESTED, DisbursementState.APPROVED))
        queryset = queryset.filter(pk__in=mine.values("disbursement"))
    shares = DisbursementShare.objects.select_related("source__organization", "approved_by", "paid_by")
    return (queryset.select_related("agreement__project", "agreement__organization", "instalment", "requested_by",
                                    "returned_by")
            .prefetch_related(Prefetch("shares", queryset=shares)).order_by("-requested_at", "-id"))


def _agreements_in_scope(user):
    return Agreement.objects.filter(agreement_scope(user)).values("pk")


def balance_editions(user) -> QuerySet[Edition]:
    """The editions whose money ``user`` works with: agreements they see, districts they organise, their sources."""
    sources = FundingSource.objects.filter(organization_id__in=_source_organizations(user)).values("edition")
    return Edition.objects.filter(
        Q(pk__in=agreement_editions(user).order_by().values("pk"))
        | Q(pk__in=editions_organised_by(user).order_by().values("pk"))
        | Q(pk__in=sources)).select_related("district").order_by("-created_at", "-id")


def sources_seen_by(user, edition: Edition) -> list[FundingSource]:
    """The edition's sources with their balances: every one for its organiser, a source's officer their own."""
    sources = source_balances(edition)
    if has_role_over(user, edition.district, Role.DISTRICT_ORGANISER):
        return sources
    mine = set(_source_organizations(user))
    return [source for source in sources if source.organization_id in mine]


def source_balance(source: FundingSource):
    """One source with its balance (committed, requested, approved, paid, left)."""
    return next(s for s in source_balances(source.edition) if s.pk == source.pk)


def agreement_for_rules(code: str) -> Agreement | None:
    """An agreement with what the rules ask about it (its district, street and parties), and nothing more."""
    parties = Prefetch("parties", queryset=AgreementParty.objects.select_related("area"))
    return (Agreement.objects.select_related("edition__district", "project__street", "organization")
            .prefetch_related(parties).filter(code=(code or "").strip()).first())


def expense_by_pk(pk: int) -> Expense | None:
    """An expense with its budget line, who reported and checked it, and its receipts (two queries)."""
    return (Expense.objects.select_related("line", "reported_by", "reviewed_by", "agreement")
            .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("id"))).filter(pk=pk).first())
