"""Every money movement goes through these functions: commitments, disbursements, expenses.

The invariants, each checked here under a row lock so that two officers
clicking at the same moment on PostgreSQL cannot both get through:

- no disbursement beyond what is left of the agreement (its total less every
  disbursement not returned) — the agreement's row is locked;
- no share approved beyond what is left of its source's commitment (the
  committed total less every share already approved) — the commitment's row
  is locked;
- no share approved or paid twice — the share's row is locked and its state
  checked after the lock is taken;
- money is Decimal to the fen; a disbursement's shares add up to it exactly
  (``split.split_exact``).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import has_role_over, organizations_where
from jindianzi.agreements.models import Agreement, AgreementLine, Instalment
from jindianzi.agreements.services import agreement_complete
from jindianzi.agreements.workflow import AgreementState, Milestone, PartyRole
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.core.money import yuan
from jindianzi.editions.models import FundingSource
from jindianzi.ideas.photos import clean_photo, validate_photos
from jindianzi.notifications.services import notify
from jindianzi.projects.selectors import organization_staff

from .models import Commitment, Disbursement, DisbursementShare, Expense, Receipt
from .split import split_exact
# Each money movement's audit record also keeps, as "on", when it happened (a payment recorded today may
# have been made on an earlier day); the record's own time is when it was written.
from .workflow import (
    APPROVE, APPROVE_EXPENSE, LIVE_DISBURSEMENT_STATES, PAY, REPORT_EXPENSE, REQUEST, RETURN, RETURN_EXPENSE,
    DisbursementState, ExpenseState, Transition,
)

TEXT_LIMIT = 2000
REFERENCE_LIMIT = 80


def _fen(value, field: str, errors: dict) -> Decimal | None:
    try:
        amount = yuan(value)
    except (TypeError, ValueError):
        errors[field] = _("Please give an amount in yuan, such as 1200.50.")
        return None
    if amount <= 0:
        errors[field] = _("The amount must be more than 0.")
    return amount


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _move(obj, transition: Transition) -> None:
    """Take a declared transition (``workflow.py``); the service has already said why a wrong state is refused."""
    if obj.state not in transition.sources:
        raise TransitionNotAllowed(_("This step is not possible now: the status is “%(state)s”.")
                                   % {"state": obj.get_state_display()})
    obj.state = transition.target


# --- Who may ------------------------------------------------------------------------------------------

def works_for_implementer(user, agreement: Agreement) -> bool:
    return user is not None and any(o.pk == agreement.organization_id for o in organizations_where(user, Role.ORG_STAFF))


def officer_of_source(user, source: FundingSource) -> bool:
    """An officer of the funding source's organisation (the foundation, or district finance)."""
    return user is not None and any(o.pk == source.organization_id
                                    for o in organizations_where(user, Role.FOUNDATION_OFFICER))


def supports(user, agreement: Agreement) -> bool:
    """Staff of the support centre that is party to the agreement (they check expenses)."""
    if user is None:
        return False
    centre = {p.organization_id for p in agreement.parties.all() if p.role == PartyRole.SUPPORT_CENTRE}
    return any(o.pk in centre for o in organizations_where(user, Role.SUPPORT_STAFF))


# --- Commitments ----------------------------------------------------------------------------------------

@transaction.atomic
def commitment_set(*, actor, source: FundingSource, total) -> Commitment:
    """Set what a source commits to the edition in total. It cannot go below what it has already approved."""
    source = FundingSource.objects.select_related("edition__district", "organization").get(pk=source.pk)
    if actor is None or not (has_role_over(actor, source.edition.district, Role.DISTRICT_ORGANISER)
                             or officer_of_source(actor, source)):
        raise PermissionDenied(_("Only the district organiser or the source's own officer sets its commitment."))
    errors: dict = {}
    amount = _fen(total, "total", errors)
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.select_for_update().filter(source=source).first()
    approved = approved_by_source(source)
    if amount < approved:
        raise ValidationError({"total": _("%(source)s has already approved %(approved)s yuan; the commitment cannot "
                                          "be less.") % {"source": source.organization.name,
                                                         "approved": _money(approved)}})
    before = {"total": str(commitment.total)} if commitment else None
    if commitment is None:
        commitment = Commitment.objects.create(source=source, total=amount, set_by=actor)
    else:
        commitment.total, commitment.set_by, commitment.set_at = amount, actor, timezone.now()
        commitment.save(update_fields=["total", "set_by", "set_at"])
    audit(actor=actor, action="funds.commitment", target=source, before=before, after={"total": str(amount)})
    return commitment


def approved_by_source(source: FundingSource) -> Decimal:
    """What the source has approved so far (paid or not), in disbursements that were not returned."""
    total = DisbursementShare.objects.filter(source=source, approved_at__isnull=False,
                                             disbursement__state__in=LIVE_DISBURSEMENT_STATES) \
        .aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def disbursed_of(agreement: Agreement) -> Decimal:
    """What the agreement's disbursements hold (requested, approved or paid; not returned)."""
    total = Disbursement.objects.filter(agreement=agreement, state__in=LIVE_DISBURSEMENT_STATES) \
        .aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


# --- Disbursements ----------------------------------------------------------------------------------------

@transaction.atomic
def disbursement_request(*, actor, instalment: Instalment, amount=None, note: str = "", at=None) -> Disbursement:
    """The organisation asks for an instalment once its milestone is reached.

    The amount is the instalment's, or less (the final instalment settles what
    was really spent); it is split across the sources by the agreement's split.
    """
    agreement = Agreement.objects.select_for_update().get(pk=instalment.agreement_id)
    instalment = Instalment.objects.get(pk=instalment.pk)
    if not works_for_implementer(actor, agreement):
        raise PermissionDenied(_("Only the implementing organisation asks for its instalments."))
    if agreement.state != AgreementState.ACTIVE:
        raise TransitionNotAllowed(_("Money is paid only under an agreement in force; this one is “%(state)s”.")
                                   % {"state": agreement.get_state_display()})
    if not instalment.is_reached:
        raise TransitionNotAllowed(_("The milestone “%(milestone)s” has not been confirmed yet.")
                                   % {"milestone": instalment.get_milestone_display()})
    if Disbursement.objects.filter(instalment=instalment, state__in=LIVE_DISBURSEMENT_STATES).exists():
        raise ValidationError(_("This instalment has already been asked for."))
    errors: dict = {}
    amount = instalment.amount if amount in (None, "") else _fen(amount, "amount", errors)
    if not errors and amount > instalment.amount:
        errors["amount"] = _("The instalment is %(planned)s yuan; you cannot ask for more.") % {
            "planned": _money(instalment.amount)}
    if len(note or "") > TEXT_LIMIT:
        errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    remaining = agreement.total - disbursed_of(agreement)
    if amount > remaining:
        raise ValidationError({"amount": _("Only %(remaining)s yuan of the agreement's %(total)s yuan are left; "
                                           "%(amount)s yuan is too much.") % {
            "remaining": _money(remaining), "total": _money(agreement.total), "amount": _money(amount)}})
    shares = list(agreement.shares.select_related("source__organization"))
    parts = split_exact(amount, [(s.source, s.share) for s in shares])
    disbursement = Disbursement.objects.create(agreement=agreement, instalment=instalment, amount=amount,
                                               state=REQUEST.target,
                                               note=(note or "").strip(), requested_by=actor,
                                               requested_at=at or timezone.now())
    DisbursementShare.objects.bulk_create([DisbursementShare(disbursement=disbursement, source=source, amount=part)
                                           for source, part in parts.items()])
    audit(actor=actor, action="disbursement.request", target=disbursement, before=None, after={
        "agreement": agreement.code, "milestone": instalment.milestone, "amount": str(amount),
        "state": DisbursementState.REQUESTED, "on": disbursement.requested_at.isoformat(),
        "shares": {source.organization.name: str(part) for source, part in parts.items()}})
    for source in parts:
        notify(users=_officers(source), subject=_("%(code)s asks for %(amount)s yuan; your share is %(share)s yuan")
               % {"code": agreement.code, "amount": _money(amount), "share": _money(parts[source])},
               url=reverse("funds:disbursement", args=[disbursement.pk]))
    return disbursement


def _officers(source: FundingSource) -> list:
    from jindianzi.accounts.models import RoleAssignment

    return [a.user for a in RoleAssignment.objects.filter(role=Role.FOUNDATION_OFFICER,
                                                          organization_id=source.organization_id)
            .select_related("user")]


def _locked_share(share: DisbursementShare) -> DisbursementShare:
    share = DisbursementShare.objects.select_for_update().get(pk=share.pk)
    share.disbursement = Disbursement.objects.select_for_update().select_related("agreement").get(
        pk=share.disbursement_id)
    share.source = FundingSource.objects.select_related("organization").get(pk=share.source_id)
    return share


@transaction.atomic
def disbursement_share_approve(*, actor, share: DisbursementShare, at=None) -> DisbursementShare:
    """A funding source's officer approves the source's share of a disbursement, once."""
    share = _locked_share(share)
    disbursement = share.disbursement
    if not officer_of_source(actor, share.source):
        raise PermissionDenied(_("Only an officer of %(source)s approves its share.")
                               % {"source": share.source.organization.name})
    if share.is_approved:
        raise ValidationError(_("%(source)s's share of this disbursement was already approved on %(date)s; it is "
                                "not approved twice.") % {"source": share.source.organization.name,
                                                          "date": f"{share.approved_at:%Y-%m-%d}"})
    if disbursement.state != DisbursementState.REQUESTED:
        raise TransitionNotAllowed(_("This disbursement is “%(state)s”; it cannot be approved.")
                                   % {"state": disbursement.get_state_display()})
    commitment = Commitment.objects.select_for_update().filter(source=share.source).first()
    if commitment is None:
        raise ValidationError(_("%(source)s has not set its committed total for the edition yet.")
                              % {"source": share.source.organization.name})
    left = commitment.total - approved_by_source(share.source)
    if share.amount > left:
        raise ValidationError(_("%(source)s has only %(left)s yuan of its %(total)s yuan commitment left; this "
                                "share is %(amount)s yuan.") % {
            "source": share.source.organization.name, "left": _money(left), "total": _money(commitment.total),
            "amount": _money(share.amount)})
    share.approved_by, share.approved_at = actor, at or timezone.now()
    share.save(update_fields=["approved_by", "approved_at"])
    audit(actor=actor, action="disbursement.approve_share", target=disbursement, before=None, after={
        "source": share.source.organization.name, "amount": str(share.amount), "on": share.approved_at.isoformat()})
    if not disbursement.shares.filter(approved_at__isnull=True).exists():
        _move(disbursement, APPROVE)
        disbursement.save(update_fields=["state"])
        audit(actor=actor, action="disbursement.approve", target=disbursement,
              before={"state": DisbursementState.REQUESTED},
              after={"state": DisbursementState.APPROVED, "on": share.approved_at.isoformat()})
    return share


@transaction.atomic
def disbursement_share_pay(*, actor, share: DisbursementShare, reference: str, at=None) -> DisbursementShare:
    """The source's officer records that its share was paid, with the bank's payment reference."""
    share = _locked_share(share)
    disbursement = share.disbursement
    if not officer_of_source(actor, share.source):
        raise PermissionDenied(_("Only an officer of %(source)s records its payments.")
                               % {"source": share.source.organization.name})
    if share.is_paid:
        raise ValidationError(_("This share was already paid (reference %(reference)s).")
                              % {"reference": share.payment_reference})
    if disbursement.state != DisbursementState.APPROVED:
        raise TransitionNotAllowed(_("A share is paid once every source has approved the disbursement."))
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_LIMIT:
        raise ValidationError({"reference": _("Please give the payment reference (at most %(limit)d characters).")
                               % {"limit": REFERENCE_LIMIT}})
    at = at or timezone.now()
    share.paid_by, share.paid_at, share.payment_reference = actor, at, reference
    share.save(update_fields=["paid_by", "paid_at", "payment_reference"])
    audit(actor=actor, action="disbursement.pay_share", target=disbursement, before=None, after={
        "source": share.source.organization.name, "amount": str(share.amount), "reference": reference,
        "on": at.isoformat()})
    if not disbursement.shares.filter(paid_at__isnull=True).exists():
        _move(disbursement, PAY)
        disbursement.paid_at = at
        disbursement.save(update_fields=["state", "paid_at"])
        audit(actor=actor, action="disbursement.paid", target=disbursement,
              before={"state": DisbursementState.APPROVED},
              after={"state": DisbursementState.PAID, "amount": str(disbursement.amount), "on": at.isoformat()})
        notify(users=organization_staff(disbursement.agreement.organization),
               subject=_("%(amount)s yuan were paid for %(code)s") % {"amount": _money(disbursement.amount),
                                                                      "code": disbursement.agreement.code},
               url=reverse("funds:disbursement", args=[disbursement.pk]))
        _complete_if_settled(disbursement.agreement, actor=actor, at=at)
    return share


def _complete_if_settled(agreement: Agreement, *, actor, at) -> None:
    """The agreement is completed once its final instalment is paid and no other request is still open."""
    disbursements = Disbursement.objects.filter(agreement=agreement)
    final_paid = disbursements.filter(instalment__milestone=Milestone.FINAL, state=DisbursementState.PAID).exists()
    still_open = disbursements.filter(state__in=(DisbursementState.REQUESTED, DisbursementState.APPROVED)).exists()
    if final_paid and not still_open:
        agreement_complete(actor=actor, agreement=agreement, at=at)


@transaction.atomic
def disbursement_return(*, actor, disbursement: Disbursement, reason: str, at=None) -> Disbursement:
    """A source's officer sends a request back with a reason; its money is free again and it can be asked anew."""
    disbursement = Disbursement.objects.select_for_update().select_related("agreement").get(pk=disbursement.pk)
    if not any(officer_of_source(actor, s.source) for s in disbursement.shares.select_related("source")):
        raise PermissionDenied(_("Only an officer of one of the funding sources can return a request."))
    if disbursement.state != DisbursementState.REQUESTED:
        raise TransitionNotAllowed(_("Only a request that is not yet approved by every source can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for returning the request.")})
    _move(disbursement, RETURN)
    disbursement.returned_by = actor
    disbursement.returned_at, disbursement.return_reason = at or timezone.now(), reason[:TEXT_LIMIT]
    disbursement.save(update_fields=["state", "returned_by", "returned_at", "return_reason"])
    audit(actor=actor, action="disbursement.return", target=disbursement,
          before={"state": DisbursementState.REQUESTED}, after={"state": DisbursementState.RETURNED,
                                                                 "reason": disbursement.return_reason,
                                                                 "on": disbursement.returned_at.isoformat()})
    notify(users=organization_staff(disbursement.agreement.organization),
           subject=_("Your request for %(code)s was returned: %(reason)s") % {
               "code": disbursement.agreement.code, "reason": disbursement.return_reason},
           url=reverse("funds:disbursement", args=[disbursement.pk]))
    return disbursement


# --- Expenses ---------------------------------------------------------------------------------------------

@transaction.atomic
def expense_report(*, actor, agreement: Agreement, line: AgreementLine, amount, spent_on, description: str,
                   receipts=(), at=None) -> Expense:
    """The organisation reports spending against a budget line, with photos of the receipts."""
    agreement = Agreement.objects.get(pk=agreement.pk)
    if not works_for_implementer(actor, agreement):
        raise PermissionDenied(_("Only the implementing organisation reports its spending."))
    if agreement.state not in (AgreementState.ACTIVE, AgreementState.COMPLETED):
        raise TransitionNotAllowed(_("Spending is reported under an agreement in force."))
    errors: dict = {}
    amount = _fen(amount, "amount", errors)
    if line.agreement_id != agreement.pk:
        errors["line"] = _("Choose a budget line of this agreement.")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Please say what was bought or paid.")
    elif len(description) > 200:
        errors["description"] = _("The description is too long (at most 200 characters).")
    if spent_on is None:
        errors["spent_on"] = _("Please give the date of the spending.")
    receipts = list(receipts)
    extensions = []
    if not receipts:
        errors["receipts"] = _("Please add a photo of the receipt.")
    else:
        try:
            extensions = validate_photos(receipts)
        except ValidationError as exc:
            errors["receipts"] = exc.messages
    if errors:
        raise ValidationError(errors)
    expense = Expense.objects.create(agreement=agreement, line=line, amount=amount, spent_on=spent_on,
                                     state=REPORT_EXPENSE.target,
                                     description=description, reported_by=actor, reported_at=at or timezone.now())
    _save_receipts(expense, receipts, extensions)
    audit(actor=actor, action="expense.report", target=expense, before=None, after={
        "agreement": agreement.code, "line": line.item, "amount": str(amount), "state": ExpenseState.REPORTED})
    return expense


def _save_receipts(expense: Expense, uploads, extensions) -> None:
    # Re-encoded like idea photos: a receipt photo's location data would say where the organisation works from.
    for number, (upload, extension) in enumerate(zip(uploads, extensions), start=1):
        receipt = Receipt(expense=expense)
        receipt.image.save(f"{expense.pk}-{number}.{extension}", ContentFile(clean_photo(upload, extension)),
                           save=False)
        receipt.save()


@transaction.atomic
def expense_review(*, actor, expense: Expense, approve: bool, reason: str = "", at=None) -> Expense:
    """The support centre approves an expense, or returns it with a reason the organisation sees."""
    expense = Expense.objects.select_for_update().select_related("agreement").get(pk=expense.pk)
    if not supports(actor, expense.agreement):
        raise PermissionDenied(_("Only the support centre of this agreement checks its spending."))
    if expense.state != ExpenseState.REPORTED:
        raise TransitionNotAllowed(_("This expense is “%(state)s”; it was already checked.")
                                   % {"state": expense.get_state_display()})
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Please say why the expense is returned.")})
    _move(expense, APPROVE_EXPENSE if approve else RETURN_EXPENSE)
    expense.reviewed_by, expense.reviewed_at, expense.return_reason = actor, at or timezone.now(), reason
    expense.save(update_fields=["state", "reviewed_by", "reviewed_at", "return_reason"])
    audit(actor=actor, action="expense.approve" if approve else "expense.return", target=expense,
          before={"state": ExpenseState.REPORTED}, after={"state": expense.state, "reason": reason})
    if not approve:
        notify(users=organization_staff(expense.agreement.organization),
               subject=_("An expense of %(code)s was returned: %(reason)s") % {"code": expense.agreement.code,
                                                                              "reason": reason},
               url=reverse("funds:expenses", args=[expense.agreement.code]))
    return expense
