"""Agreements (签约) through the API: the list and record for the parties and staff, drawing one up, signing,
cancelling, confirming milestones.

Reads ask the rules in ``agreements/rules.py`` (the list is scoped like the staff
list: ``agreements.selectors.agreement_scope``); changes call the agreements
services, which check who may do what exactly as for the staff pages.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jindianzi.agreements.models import Agreement, Instalment
from jindianzi.agreements.selectors import agreement_by_code, agreements_for, project_for_agreement
from jindianzi.agreements.services import (
    agreement_cancel, agreement_create, agreement_sign, milestone_reach, parties_to_sign,
)
from jindianzi.agreements.workflow import AgreementState, Milestone
from jindianzi.areas.models import Area
from jindianzi.core.errors import PermissionDenied
from jindianzi.editions.models import Edition, FundingSource
from jindianzi.funds.selectors import agreement_balance, line_balances, split_of

from ..auth import signed_in
from ..money_reads import agreement_for_rules
from ..money_schemas import (
    SHARE_PATTERN, AgreementDetailOut, AgreementFilters, AgreementIn, AgreementOut, NoteIn, ReasonIn, SignIn,
)
from ..pagination import LimitOffset
from ..schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["agreements"])
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ValidationErrorOut,
            422: ValidationErrorOut}
READ_REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# Perms the agreement's record reports, so a client offers only the actions the services will accept.
AGREEMENT_PERMS = ("agreements.sign_agreement", "agreements.cancel_agreement", "agreements.confirm_milestone",
                   "funds.request_disbursement", "funds.report_expense", "funds.review_expense")
SHARE_RE = re.compile(SHARE_PATTERN)


def _agreement_or_404(code: str) -> Agreement:
    agreement = agreement_by_code(code)
    if agreement is None:
        raise Http404(_("No agreement has this number."))
    return agreement


def _agreement_to_change(code: str) -> Agreement:
    """The agreement a service is asked to change (the service locks and reloads it)."""
    agreement = agreement_for_rules(code)
    if agreement is None:
        raise Http404(_("No agreement has this number."))
    return agreement


def _readable_agreement(user, code: str) -> Agreement:
    agreement = _agreement_or_404(code)
    if not user.has_perm("agreements.view_agreement", agreement):
        raise PermissionDenied(_("Only the parties of the agreement and the staff over its project can see it."))
    return agreement


def _detail(agreement: Agreement, user, *, reload: bool = True) -> dict:
    if reload:
        agreement = _agreement_or_404(agreement.code)     # fresh, after a change
    parties = list(agreement.parties.all())
    prefetch_related_objects(parties, "organization")    # one query for every party's organisation
    instalments = list(agreement.instalments.all())
    disbursements = sorted((d for i in instalments for d in i.disbursements.all()),
                           key=lambda d: (d.requested_at, d.pk))
    data = {field: getattr(agreement, field) for field in (
        "code", "project", "edition", "organization", "state", "total", "created_at", "activated_at",
        "completed_at", "split_reason")}
    data.update(street=agreement.project.street, state_label=agreement.get_state_display(),
                parties=parties, budget_lines=line_balances(agreement),
                split=split_of(agreement), instalments=instalments, disbursements=disbursements,
                balance=agreement_balance(agreement),
                to_sign=[party.role for party in parties_to_sign(user, agreement)]
                if agreement.state == AgreementState.SIGNING else [],
                permissions=[perm for perm in AGREEMENT_PERMS if user.has_perm(perm, agreement)])
    return data


def _share(value) -> Decimal:
    if isinstance(value, str) and SHARE_RE.fullmatch(value.strip()):
        return Decimal(value.strip())
    raise ValidationError({"split": _("Give each share as text: a fraction of 1 with at most four decimals, for "
                                      "example \"0.60\" for 60 %.")})


def _split(payload: AgreementIn):
    if payload.split is None:
        return None
    ids = [part.source for part in payload.split]
    found = FundingSource.objects.in_bulk(ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"split": _("No funding source has the number %(number)s.")
                               % {"number": ", ".join(missing)}})
    if len(set(ids)) != len(ids):
        raise ValidationError({"split": _("Name each funding source once.")})
    return [(found[part.source], _share(part.share)) for part in payload.split]


@router.get("/agreements", auth=signed_in, response={200: list[AgreementOut], 401: ErrorOut, 403: ErrorOut},
            summary="Agreements the caller works with: the organiser their district's, a street officer their "
                    "street's, organisation staff their organisation's, a source's officer those it pays, the "
                    "support centre those it supports")
@paginate(LimitOffset)
def list_agreements(request, filters: Query[AgreementFilters]):
    user = request.auth
    if not user.has_perm("agreements.view_agreement_list"):
        raise PermissionDenied(_("Only staff who work with agreements can list them."))
    edition = None
    if filters.edition:
        edition = Edition.objects.filter(slug=filters.edition).first()
        if edition is None:
            return Agreement.objects.none()
    street = Area.objects.filter(pk=filters.street).first() if filters.street is not None else None
    if filters.street is not None and street is None:
        return Agreement.objects.none()
    return agreements_for(user, edition=edition, state=filters.state or "", street=street, text=filters.q or "")


@router.get("/agreements/{code}", auth=signed_in, response={200: AgreementDetailOut, **READ_REFUSALS},
            summary="One agreement: parties and signatures, budget lines, split, instalments, disbursements with "
                    "their shares, and its balance")
def get_agreement(request, code: str):
    return _detail(_readable_agreement(request.auth, code), request.auth, reload=False)


@router.post("/agreements", auth=signed_in, response={201: AgreementDetailOut, **REFUSALS},
             summary="Draw up the agreement for an approved project (the district organiser or the project's "
                     "street); then each party signs")
def create_agreement(request, payload: AgreementIn):
    project = project_for_agreement(payload.project)
    if project is None:
        raise Http404(_("No project has this code."))
    agreement = agreement_create(actor=request.auth, project=project, split=_split(payload),
                                 split_reason=payload.split_reason)
    return Status(201, _detail(agreement, request.auth))


@router.post("/agreements/{code}/signatures", auth=signed_in, response={200: AgreementDetailOut, **REFUSALS},
             summary="Sign for one's party; the last signature brings the agreement into force")
def sign_agreement(request, code: str, payload: SignIn | None = None):
    agreement = agreement_sign(actor=request.auth, agreement=_agreement_to_change(code),
                               role=payload.role if payload else None)
    return _detail(agreement, request.auth)


@router.post("/agreements/{code}/cancel", auth=signed_in, response={200: AgreementDetailOut, **REFUSALS},
             summary="Cancel an agreement that is still being signed, with the reason (the district organiser)")
def cancel_agreement(request, code: str, payload: ReasonIn):
    agreement = agreement_cancel(actor=request.auth, agreement=_agreement_to_change(code),
                                 reason=payload.reason)
    return _detail(agreement, request.auth)


@router.post("/agreements/{code}/milestones/{milestone}", auth=signed_in,
             response={200: AgreementDetailOut, **REFUSALS},
             summary="Confirm a milestone (the support centre or the organiser): its instalment can then be asked for")
def reach_milestone(request, code: str, milestone: Milestone, payload: NoteIn):
    agreement = _agreement_to_change(code)
    instalment = Instalment.objects.filter(agreement=agreement, milestone=milestone).first()
    if instalment is None:
        raise Http404(_("The agreement has no instalment at this milestone."))
    milestone_reach(actor=request.auth, instalment=instalment, note=payload.note)
    return _detail(agreement, request.auth)
