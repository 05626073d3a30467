"""Disbursements (拨付): the organisation asks for an instalment; each funding source approves and pays its share."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import organizations_where
from jindianzi.agreements.models import Instalment
from jindianzi.agreements.selectors import agreement_by_code
from jindianzi.core.audit import records_for
from jindianzi.projects.views.common import report

from ..forms import PayForm, RequestForm, ReturnForm
from ..models import DisbursementShare
from ..selectors import disbursement_by_pk, share_queue
from ..services import (
    disbursement_request, disbursement_return, disbursement_share_approve, disbursement_share_pay,
)
from ..workflow import DisbursementState

HISTORY = {
    "disbursement.request": gettext_lazy("Asked for"),
    "disbursement.approve_share": gettext_lazy("Share approved"),
    "disbursement.approve": gettext_lazy("Approved by every source"),
    "disbursement.pay_share": gettext_lazy("Share paid"),
    "disbursement.paid": gettext_lazy("Paid in full"),
    "disbursement.return": gettext_lazy("Returned to the organisation"),
}


def back_to(request, default: str) -> str:
    """Where to go after a button: the page it was pressed on (``next``), else ``default``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
def queue(request):
    """A funding source's officer: shares waiting for approval, then for payment."""
    if not organizations_where(request.user, Role.FOUNDATION_OFFICER):
        raise PermissionDenied
    data = share_queue(request.user)
    return render(request, "funds/queue.html", {"queue": data})


def _disbursement(request, pk, permission="agreements.view_agreement"):
    disbursement = disbursement_by_pk(pk)
    if disbursement is None:
        raise Http404
    if not request.user.has_perm(permission, disbursement.agreement if permission.startswith("agreements.")
                                 else disbursement):
        raise PermissionDenied
    return disbursement


@login_required
def detail(request, pk):
    disbursement = _disbursement(request, pk)
    user = request.user
    requested = disbursement.state == DisbursementState.REQUESTED
    approved = disbursement.state == DisbursementState.APPROVED
    shares = list(disbursement.shares.all())
    for share in shares:
        share.can_approve = requested and not share.is_approved and user.has_perm("funds.approve_share", share)
        share.can_pay = approved and not share.is_paid and user.has_perm("funds.pay_share", share)
    history = []
    for record in records_for(disbursement).select_related("actor").order_by("seq"):
        after = record.after or {}
        detail = after.get("source", "")
        if after.get("amount") and record.action in ("disbursement.approve_share", "disbursement.pay_share"):
            detail = f"{detail} · {_money_text(after['amount'])}"
        if after.get("reference"):
            detail = f"{detail} · " + _("reference %(reference)s") % {"reference": after["reference"]}
        if after.get("reason"):
            detail = after["reason"]
        history.append({"at": record.at, "label": HISTORY.get(record.action, record.action), "detail": detail,
                        "actor": str(record.actor) if record.actor else ""})
    return render(request, "funds/disbursement.html", {
        "disbursement": disbursement, "agreement": disbursement.agreement, "shares": shares, "history": history,
        "can_return": requested and user.has_perm("funds.return_disbursement", disbursement),
        "pay_form": PayForm(), "return_form": ReturnForm(),
    })


def _money(amount) -> str:
    return f"{Decimal(amount):,.2f}"


def _money_text(amount) -> str:
    return _("%(amount)s yuan") % {"amount": _money(amount)}


def _share(request, pk, share, permission):
    share = get_object_or_404(DisbursementShare.objects.select_related("source__organization", "disbursement"),
                              pk=share, disbursement_id=pk)
    if not request.user.has_perm(permission, share):
        raise PermissionDenied
    return share


@require_POST
@login_required
def approve(request, pk, share):
    share = _share(request, pk, share, "funds.approve_share")
    try:
        share = disbursement_share_approve(actor=request.user, share=share)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("Approved: %(source)s's share of %(amount)s yuan. Record the payment once the "
                                    "bank has made it.") % {"source": share.source.organization.name,
                                                            "amount": _money(share.amount)})
    return redirect(back_to(request, reverse("funds:disbursement", args=[pk])))


@require_POST
@login_required
def pay(request, pk, share):
    share = _share(request, pk, share, "funds.pay_share")
    form = PayForm(request.POST)
    form.is_valid()
    try:
        share = disbursement_share_pay(actor=request.user, share=share,
                                       reference=form.cleaned_data.get("reference", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("Recorded: %(source)s paid %(amount)s yuan (reference %(reference)s).") % {
            "source": share.source.organization.name, "amount": _money(share.amount),
            "reference": share.payment_reference})
    return redirect(back_to(request, reverse("funds:disbursement", args=[pk])))


@require_POST
@login_required
def return_request(request, pk):
    disbursement = _disbursement(request, pk, "funds.return_disbursement")
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        disbursement_return(actor=request.user, disbursement=disbursement,
                            reason=form.cleaned_data.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("The request is returned to the organisation with your reason."))
    return redirect(back_to(request, reverse("funds:disbursement", args=[pk])))


@require_POST
@login_required
def request(request, code, instalment):
    agreement = agreement_by_code(code)
    if agreement is None:
        raise Http404
    if not request.user.has_perm("funds.request_disbursement", agreement):
        raise PermissionDenied
    instalment = get_object_or_404(Instalment, pk=instalment, agreement=agreement)
    form = RequestForm(request.POST)
    form.is_valid()
    try:
        disbursement = disbursement_request(actor=request.user, instalment=instalment,
                                            amount=form.cleaned_data.get("amount") or None,
                                            note=form.cleaned_data.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
        return redirect(reverse("agreements:detail", args=[agreement.code]) + f"#instalment-{instalment.milestone}")
    messages.success(request, _("Your request for %(amount)s yuan is sent. Each funding source approves and pays "
                                "its share; you are notified when the money is paid.")
                     % {"amount": _money(disbursement.amount)})
    return redirect("funds:disbursement", pk=disbursement.pk)

