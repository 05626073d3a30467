"""The co-funding ledger through the API: instalments asked for, approved and paid share by share; spending with
receipts; balances; the funding sources' commitments.

Every change calls the funds services (``funds/services.py``), which check who
may move which money and keep the invariants under row locks: nothing is paid
beyond an agreement or a source's commitment, and no share is approved or paid
twice. Reads ask the rules in ``funds/rules.py`` and ``agreements/rules.py``.
Amounts come in and go out as text with two decimals; a JSON number is refused.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from jindianzi.agreements.models import AgreementLine, Instalment
from jindianzi.core.errors import PermissionDenied
from jindianzi.editions.models import Edition, FundingSource
from jindianzi.funds.models import Disbursement, DisbursementShare, Expense
from jindianzi.funds.selectors import balances_for, disbursement_by_pk, expenses_of
from jindianzi.funds.services import (
    commitment_set, disbursement_request, disbursement_return, disbursement_share_approve, disbursement_share_pay,
    expense_report, expense_review,
)

from ..auth import signed_in
from ..money_reads import (
    agreement_for_rules, balance_editions, disbursements_for, expense_by_pk, source_balance, sources_seen_by,
)
from ..money_schemas import (
    BalanceFilters, BalancesOut, CommitmentIn, DisbursementDetailOut, DisbursementFilters, DisbursementIn,
    ExpenseIn, ExpenseOut, ExpenseReviewIn, PayIn, ReasonIn, SourceBalanceOut,
)
from ..pagination import LimitOffset
from ..schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["funds"])
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ValidationErrorOut,
            422: ValidationErrorOut}
READ_REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- Looking things up ----------------------------------------------------------------------------------

def _agreement_or_404(code: str):
    agreement = agreement_for_rules(code)
    if agreement is None:
        raise Http404(_("No agreement has this number."))
    return agreement


def _readable_agreement(user, code: str):
    agreement = _agreement_or_404(code)
    if not user.has_perm("agreements.view_agreement", agreement):
        raise PermissionDenied(_("Only the parties of the agreement and the staff over its project can see it."))
    return agreement


def _disbursement_or_404(pk: int) -> Disbursement:
    disbursement = disbursement_by_pk(pk)
    if disbursement is None:
        raise Http404(_("No disbursement has this number."))
    return disbursement


def _share_or_404(pk: int, source_id: int) -> DisbursementShare:
    share = DisbursementShare.objects.filter(disbursement_id=pk, source_id=source_id).first()
    if share is None:
        raise Http404(_("This disbursement has no share of this funding source."))
    return share


def _expense_or_404(pk: int) -> Expense:
    expense = expense_by_pk(pk)
    if expense is None:
        raise Http404(_("No expense has this number."))
    return expense


# --- Disbursements (拨付) ------------------------------------------------------------------------------------

@router.post("/agreements/{code}/disbursements", auth=signed_in, response={201: DisbursementDetailOut, **REFUSALS},
             summary="Ask for an instalment once its milestone is confirmed (the implementing organisation); it is "
                     "split across the funding sources")
def request_disbursement(request, code: str, payload: DisbursementIn):
    agreement = _agreement_or_404(code)
    instalment = Instalment.objects.filter(agreement=agreement, milestone=payload.milestone).first()
    if instalment is None:
        raise ValidationError({"milestone": _("The agreement has no instalment at this milestone.")})
    disbursement = disbursement_request(actor=request.auth, instalment=instalment, amount=payload.amount,
                                        note=payload.note)
    return Status(201, _disbursement_or_404(disbursement.pk))


@router.get("/disbursements", auth=signed_in,
            response={200: list[DisbursementDetailOut], 401: ErrorOut, 403: ErrorOut},
            summary="Disbursements of the agreements the caller works with, newest first; a source's officer can "
                    "ask for those waiting for their approval or payment")
@paginate(LimitOffset)
def list_disbursements(request, filters: Query[DisbursementFilters]):
    user = request.auth
    if not user.has_perm("agreements.view_agreement_list"):
        raise PermissionDenied(_("Only staff who work with agreements can list disbursements."))
    return disbursements_for(user, state=filters.state or "", waiting=filters.waiting or "",
                             agreement=filters.agreement or "")


@router.get("/disbursements/{disbursement_id}", auth=signed_in,
            response={200: DisbursementDetailOut, **READ_REFUSALS},
            summary="One disbursement with each source's share: approved and paid by whom, when, with which reference")
def get_disbursement(request, disbursement_id: int):
    disbursement = _disbursement_or_404(disbursement_id)
    if not request.auth.has_perm("agreements.view_agreement", disbursement.agreement):
        raise PermissionDenied(_("Only the parties of the agreement and the staff over its project can see it."))
    return disbursement


@router.post("/disbursements/{disbursement_id}/shares/{source_id}/approve", auth=signed_in,
             response={200: DisbursementDetailOut, **REFUSALS},
             summary="Approve the funding source's share (an officer of that source, once, within its commitment)")
def approve_share(request, disbursement_id: int, source_id: int):
    disbursement_share_approve(actor=request.auth, share=_share_or_404(disbursement_id, source_id))
    return _disbursement_or_404(disbursement_id)


@router.post("/disbursements/{disbursement_id}/shares/{source_id}/pay", auth=signed_in,
             response={200: DisbursementDetailOut, **REFUSALS},
             summary="Record that the source's share was paid, with the bank's reference (an officer of that source, "
                     "once every source has approved)")
def pay_share(request, disbursement_id: int, source_id: int, payload: PayIn):
    disbursement_share_pay(actor=request.auth, share=_share_or_404(disbursement_id, source_id),
                           reference=payload.reference)
    return _disbursement_or_404(disbursement_id)


@router.post("/disbursements/{disbursement_id}/return", auth=signed_in,
             response={200: DisbursementDetailOut, **REFUSALS},
             summary="Send a request back to the organisation with the reason (an officer of one of its sources)")
def return_disbursement(request, disbursement_id: int, payload: ReasonIn):
    disbursement_return(actor=request.auth, disbursement=_disbursement_or_404(disbursement_id),
                        reason=payload.reason)
    return _disbursement_or_404(disbursement_id)


# --- Expenses (支出) ------------------------------------------------------------------------------------------

@router.get("/agreements/{code}/expenses", auth=signed_in, response={200: list[ExpenseOut], **READ_REFUSALS},
            summary="The agreement's spending with its receipts, newest first")
def list_expenses(request, code: str):
    return expenses_of(_readable_agreement(request.auth, code))


@router.post("/agreements/{code}/expenses", auth=signed_in, response={201: ExpenseOut, **REFUSALS},
             summary="Report spending against a budget line with photos of the receipts (the implementing "
                     "organisation; multipart form)")
def report_expense(request, code: str, payload: Form[ExpenseIn], receipts: File[list[UploadedFile]]):
    agreement = _agreement_or_404(code)
    if not request.auth.has_perm("funds.report_expense", agreement):
        raise PermissionDenied(_("Only the implementing organisation reports its spending."))
    line = AgreementLine.objects.filter(pk=payload.line, agreement=agreement).first()
    if line is None:
        raise ValidationError({"line": _("Choose a budget line of this agreement.")})
    expense = expense_report(actor=request.auth, agreement=agreement, line=line, amount=payload.amount,
                             spent_on=payload.spent_on, description=payload.description, receipts=receipts)
    return Status(201, _expense_or_404(expense.pk))


@router.post("/expenses/{expense_id}/review", auth=signed_in, response={200: ExpenseOut, **REFUSALS},
             summary="Approve an expense, or return it with a reason (the agreement's support centre)")
def review_expense(request, expense_id: int, payload: ExpenseReviewIn):
    expense_review(actor=request.auth, expense=_expense_or_404(expense_id), approve=payload.approve,
                   reason=payload.reason)
    return _expense_or_404(expense_id)


# --- Balances and commitments -----------------------------------------------------------------------------

@router.get("/balances", auth=signed_in, response={200: BalancesOut, **READ_REFUSALS},
            summary="An edition's money: each funding source's commitment, approved, paid and left; per street and "
                    "per organisation over the agreements the caller may see")
def get_balances(request, filters: Query[BalanceFilters]):
    user = request.auth
    if not user.has_perm("funds.view_balances"):
        raise PermissionDenied(_("Only staff who work with agreements can see the balances."))
    if filters.edition:
        edition = Edition.objects.select_related("district").filter(slug=filters.edition).first()
        if edition is None:
            raise Http404(_("No edition has this slug."))
    else:
        edition = balance_editions(user).first()
    balances = balances_for(user, edition=edition)
    return {"edition": edition, "sources": sources_seen_by(user, edition) if edition is not None else [],
            "overall": balances.overall, "by_street": balances.by_street,
            "by_organization": balances.by_organization}


@router.put("/funding-sources/{source_id}/commitment", auth=signed_in, response={200: SourceBalanceOut, **REFUSALS},
            summary="Set what a funding source commits to its edition in total (the organiser or the source's "
                    "officer); never below what it has approved")
def set_commitment(request, source_id: int, payload: CommitmentIn):
    source = FundingSource.objects.select_related("edition").filter(pk=source_id).first()
    if source is None:
        raise Http404(_("No funding source has this number."))
    commitment_set(actor=request.auth, source=source, total=payload.total)
    return source_balance(source)
