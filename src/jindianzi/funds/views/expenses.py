"""Spending (支出): the organisation reports it with receipts; the support centre approves it or returns it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import organizations_where
from jindianzi.agreements.selectors import agreement_by_code
from jindianzi.agreements.workflow import AgreementState
from jindianzi.projects.views.common import apply_errors, report

from ..forms import ExpenseForm, ReviewForm
from ..models import Expense, Receipt
from ..selectors import expenses_of, expenses_to_check, line_balances
from ..services import expense_report, expense_review
from ..workflow import ExpenseState
from .disbursements import back_to


def _initial_from(request, agreement) -> dict:
    """Reporting a returned expense again starts from what was reported (``?again=<id>``)."""
    again = request.GET.get("again", "")
    if not again.isdigit():
        return {}
    expense = Expense.objects.filter(pk=int(again), agreement=agreement).first()
    if expense is None:
        return {}
    return {"line": expense.line_id, "amount": f"{expense.amount:.2f}", "spent_on": expense.spent_on,
            "description": expense.description}


@login_required
def expense_list(request, code):
    agreement = agreement_by_code(code)
    if agreement is None:
        raise Http404
    user = request.user
    if not user.has_perm("agreements.view_agreement", agreement):
        raise PermissionDenied
    can_report = user.has_perm("funds.report_expense", agreement)
    if request.method == "POST" and not can_report:
        raise PermissionDenied
    open_for_spending = agreement.state in (AgreementState.ACTIVE, AgreementState.COMPLETED)
    posted = request.method == "POST"
    form = ExpenseForm(request.POST if posted else None, request.FILES if posted else None,
                       lines=agreement.lines.all(), initial=_initial_from(request, agreement))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expense = expense_report(actor=user, agreement=agreement, line=data["line"], amount=data["amount"],
                                     spent_on=data["spent_on"], description=data["description"],
                                     receipts=data["receipts"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The expense of %(amount)s yuan is reported. The support centre checks it "
                                        "against the receipts.") % {"amount": f"{expense.amount:,.2f}"})
            return redirect("funds:expenses", code=agreement.code)
    expenses = expenses_of(agreement)
    can_review = user.has_perm("funds.review_expense", agreement)
    for expense in expenses:
        expense.can_review = can_review and expense.state == ExpenseState.REPORTED
    return render(request, "funds/expenses.html", {
        "agreement": agreement, "project": agreement.project, "lines": line_balances(agreement),
        "expenses": expenses, "form": form, "can_report": can_report and open_for_spending,
        "returned": [e for e in expenses if e.state == ExpenseState.RETURNED],
    })


@login_required
def queue(request):
    """The support centre: reported expenses of the agreements it supports, oldest first."""
    if not organizations_where(request.user, Role.SUPPORT_STAFF):
        raise PermissionDenied
    expenses = expenses_to_check(request.user)
    for expense in expenses:
        expense.can_review = True
    return render(request, "funds/expense_queue.html", {"expenses": expenses})


@require_POST
@login_required
def review(request, pk):
    expense = get_object_or_404(Expense.objects.select_related("agreement"), pk=pk)
    if not request.user.has_perm("funds.review_expense", expense.agreement):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve the expense or return it."))
        return redirect(back_to(request, reverse("funds:expense_queue")))
    approve = form.cleaned_data["decision"] == "approve"
    try:
        expense = expense_review(actor=request.user, expense=expense, approve=approve,
                                 reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        if approve:
            messages.success(request, _("Approved: %(description)s, %(amount)s yuan.") % {
                "description": expense.description, "amount": f"{expense.amount:,.2f}"})
        else:
            messages.success(request, _("Returned to the organisation with your reason: %(description)s.")
                             % {"description": expense.description})
    return redirect(back_to(request, reverse("funds:expense_queue")))


@login_required
def receipt(request, pk):
    """A receipt photo, only to those who may see the agreement: receipts can carry names and are never public."""
    found = Receipt.objects.select_related("expense__agreement").filter(pk=pk).first()
    if found is None:
        raise Http404
    if not request.user.has_perm("agreements.view_agreement", found.expense.agreement):
        raise PermissionDenied
    response = FileResponse(found.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
