"""Staff pages of agreements: the list, drawing one up, its page, signing, cancelling, confirming a milestone."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jindianzi.funds.selectors import agreement_balance, expense_counts, line_balances, split_of
from jindianzi.funds.split import split_exact
from jindianzi.funds.workflow import DisbursementState
from jindianzi.projects.views.common import apply_errors, report
from jindianzi.projects.workflow import ProjectState

from ..forms import AgreementFilterForm, AgreementForm, CancelForm, MilestoneForm
from ..models import Agreement, Instalment
from ..selectors import (
    agreement_by_code, agreement_history, agreement_streets, agreements_for, editions_organised_by,
    framework_of, project_for_agreement, projects_awaiting_agreement,
)
from ..services import agreement_cancel, agreement_create as create_agreement, agreement_sign, may_sign
from ..services import milestone_reach
from ..workflow import FRAMEWORK_ROLES, AgreementState, Milestone, PartyRole

PAGE_SIZE = 30

# What each audit record of an agreement says on its page (staff only: the public never sees who did it).
HISTORY = {
    "agreement.create": gettext_lazy("Drawn up"),
    "agreement.sign": gettext_lazy("Signed"),
    "agreement.activate": gettext_lazy("Every party signed: in force"),
    "agreement.milestone": gettext_lazy("Milestone confirmed"),
    "agreement.cancel": gettext_lazy("Cancelled"),
    "agreement.complete": gettext_lazy("Completed: the final instalment is paid"),
}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def staff_agreement(request, code: str, permission: str = "agreements.view_agreement") -> Agreement:
    agreement = agreement_by_code(code)
    if agreement is None:
        raise Http404
    if not request.user.has_perm(permission, agreement):
        raise PermissionDenied
    return agreement


@login_required
def agreement_list(request):
    user = request.user
    if not user.has_perm("agreements.view_agreement_list"):
        raise PermissionDenied
    form = AgreementFilterForm(request.GET or None, streets=agreement_streets(user))
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = agreements_for(user, state=filters.get("state", ""), street=filters.get("street"),
                                text=filters.get("q", ""))
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    for agreement in page:
        agreement.paid_percent = int(agreement.paid * 100 / agreement.total) if agreement.total else 0
    return render(request, "agreements/list.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "awaiting": list(projects_awaiting_agreement(user)),
        "organised": list(editions_organised_by(user)),
    })


def _framework_preview(project, framework) -> list[tuple[str, str]]:
    """The parties the agreement will have: (role, name) — the framework's, the street office, the organisation."""
    names = {}
    for role in FRAMEWORK_ROLES:
        chosen = framework["parties"].get(role) or []
        if role == PartyRole.HUB and len(chosen) > 1:
            local = [o for o in chosen if o.home_area.contains(project.street) or project.street.contains(o.home_area)]
            chosen = local or chosen
        names[role] = chosen[0].name if chosen else ""
    names[PartyRole.STREET_OFFICE] = project.street.name
    names[PartyRole.IMPLEMENTER] = project.organization.name if project.organization else ""
    return [(PartyRole(role).label, names.get(role, "")) for role in PartyRole.values]


@login_required
def agreement_create(request, code):
    project = project_for_agreement(code)
    if project is None:
        raise Http404
    user = request.user
    if not user.has_perm("agreements.create_agreement", project):
        raise PermissionDenied
    existing = Agreement.objects.filter(project=project).only("code").first()
    if existing is not None:
        messages.info(request, _("This project already has its agreement."))
        return redirect("agreements:detail", code=existing.code)
    edition = project.edition
    sources = list(edition.funding_sources.select_related("organization"))
    lines = list(project.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    framework = framework_of(edition)
    approved = project.state == ProjectState.APPROVED
    form = AgreementForm(request.POST if request.method == "POST" else None, sources=sources)
    if request.method == "POST" and approved and form.is_valid():
        try:
            agreement = create_agreement(actor=user, project=project, split=form.split(),
                                         split_reason=form.cleaned_data["split_reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The agreement %(code)s is drawn up. Each party now signs it in its own "
                                        "account; the parties are notified.") % {"code": agreement.code})
            return redirect("agreements:detail", code=agreement.code)
    parts = split_exact(total, [(s.pk, s.share) for s in sources]) if sources and total > 0 else {}
    for source in sources:
        source.part, source.percent = parts.get(source.pk), source.share * 100
    schedule = framework["schedule"]
    amounts = split_exact(total, [(i.milestone, i.share) for i in schedule]) if schedule and total > 0 else {}
    for instalment in schedule:
        instalment.amount, instalment.percent = amounts.get(instalment.milestone), instalment.share * 100
    return render(request, "agreements/create.html", {
        "project": project, "lines": lines, "total": total, "sources": sources, "schedule": schedule,
        "parties": _framework_preview(project, framework), "form": form, "approved": approved,
        "can_set_framework": user.has_perm("agreements.set_framework", edition),
    })


def _history(agreement) -> list[dict]:
    steps = []
    for record in agreement_history(agreement):
        after = record.after or {}
        detail = ""
        if record.action == "agreement.sign":
            detail = after.get("name", "")
        elif record.action == "agreement.milestone":
            detail = str(Milestone(after["milestone"]).label) if after.get("milestone") in Milestone.values else ""
            if after.get("note"):
                detail = f"{detail} · {after['note']}"
        elif record.action == "agreement.cancel":
            detail = after.get("reason", "")
        elif record.action == "agreement.create" and after.get("split_reason"):
            detail = _("Different split: %(reason)s") % {"reason": after["split_reason"]}
        steps.append({"at": record.at, "label": HISTORY.get(record.action, record.action), "detail": detail,
                      "actor": str(record.actor) if record.actor else ""})
    return steps


def _instalments(agreement, *, can_request: bool, can_confirm: bool) -> list[Instalment]:
    instalments = list(agreement.instalments.all())
    next_to_confirm = next((i for i in instalments if not i.is_reached), None)
    for instalment in instalments:
        disbursements = list(instalment.disbursements.all())
        instalment.live = next((d for d in disbursements if d.state != DisbursementState.RETURNED), None)
        instalment.returned = [d for d in disbursements if d.state == DisbursementState.RETURNED]
        instalment.can_request = can_request and instalment.is_reached and instalment.live is None
        instalment.can_confirm = can_confirm and instalment is next_to_confirm
    return instalments


@login_required
def agreement_detail(request, code):
    agreement = staff_agreement(request, code)
    user = request.user
    parties = list(agreement.parties.all())
    signing = agreement.state == AgreementState.SIGNING
    active = agreement.state == AgreementState.ACTIVE
    for party in parties:
        party.can_sign = signing and not party.has_signed and may_sign(user, agreement, party)
    can_report = agreement.state in (AgreementState.ACTIVE, AgreementState.COMPLETED) and user.has_perm(
        "funds.report_expense", agreement)
    return render(request, "agreements/detail.html", {
        "agreement": agreement, "project": agreement.project, "parties": parties,
        "signed": sum(1 for p in parties if p.has_signed),
        "to_sign": [p for p in parties if p.can_sign],
        "shares": split_of(agreement),
        "lines": line_balances(agreement),
        "instalments": _instalments(
            agreement, can_request=active and user.has_perm("funds.request_disbursement", agreement),
            can_confirm=active and user.has_perm("agreements.confirm_milestone", agreement)),
        "balance": agreement_balance(agreement),
        "expense_counts": expense_counts(agreement),
        "history": _history(agreement),
        "can_cancel": signing and user.has_perm("agreements.cancel_agreement", agreement),
        "can_report": can_report,
        "cancel_form": CancelForm(), "milestone_form": MilestoneForm(),
    })


@require_POST
@login_required
def sign(request, code):
    agreement = staff_agreement(request, code, "agreements.sign_agreement")
    role = request.POST.get("role") or None
    if role is not None and role not in PartyRole.values:
        role = None
    try:
        agreement = agreement_sign(actor=request.user, agreement=agreement, role=role)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        if agreement.state == AgreementState.ACTIVE:
            messages.success(request, _("Thank you: every party has signed, so the agreement is now in force. The "
                                        "organisation can ask for the first instalment."))
        else:
            messages.success(request, _("Thank you: your signature is recorded."))
    return redirect("agreements:detail", code=code)


@require_POST
@login_required
def cancel(request, code):
    agreement = staff_agreement(request, code, "agreements.cancel_agreement")
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        agreement_cancel(actor=request.user, agreement=agreement, reason=form.cleaned_data.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("The agreement is cancelled."))
    return redirect("agreements:detail", code=code)


@require_POST
@login_required
def milestone(request, code, pk):
    agreement = staff_agreement(request, code, "agreements.confirm_milestone")
    instalment = get_object_or_404(Instalment, pk=pk, agreement=agreement)
    form = MilestoneForm(request.POST)
    form.is_valid()
    try:
        instalment = milestone_reach(actor=request.user, instalment=instalment,
                                     note=form.cleaned_data.get("note", ""))
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("Confirmed: “%(milestone)s”. The organisation can now ask for this instalment.")
                         % {"milestone": instalment.get_milestone_display()})
    return redirect("agreements:detail", code=code)
