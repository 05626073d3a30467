"""A project's staff page: its ideas (add, take out), its plan and budget, and submitting it to the review."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.ideas.models import Idea

from ..forms import AddIdeaForm, BudgetFormSet, PlanForm
from ..services import (
    budget_limit, budget_rule_text, project_add_idea, project_plan_update, project_remove_idea, project_submit,
    submission_requirements,
)
from ..workflow import LIVE_OFFER_STATES, OfferState, ProjectState
from .common import apply_errors, report, revisions_url, staff_project


@login_required
def manage(request, code, add_form=None):
    project = staff_project(request, code)
    user = request.user
    ideas = list(project.ideas.all())
    for idea in ideas:
        idea.revisions_url = revisions_url(idea)
    lines = list(project.budget_lines.all())
    offers = list(project.offers.all())
    draft = project.state == ProjectState.DRAFT
    requirements = submission_requirements(project, ideas=ideas, lines=lines)
    return render(request, "projects/manage.html", {
        "project": project, "ideas": ideas, "lines": lines, "offers": offers,
        "live_offer": next((o for o in offers if o.state in LIVE_OFFER_STATES), None),
        "budget_total": sum((line.amount for line in lines), Decimal("0.00")),
        "requirements": requirements,
        "ready": all(r.met for r in requirements),
        "budget_rule": budget_rule_text(project, len(ideas)),
        "add_form": add_form or AddIdeaForm(),
        "can_change": draft and user.has_perm("projects.change_project", project),
        "can_match": draft and user.has_perm("projects.match_project", project),
        "can_edit_plan": draft and user.has_perm("projects.edit_plan", project),
        "can_submit": draft and user.has_perm("projects.submit_project", project),
    })


@require_POST
@login_required
def add_idea(request, code):
    project = staff_project(request, code, "projects.change_project")
    form = AddIdeaForm(request.POST)
    if form.is_valid():
        try:
            idea = project_add_idea(actor=request.user, project=project,
                                    tracking_code=form.cleaned_data["tracking_code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s “%(title)s” is now part of the project.")
                             % {"code": idea.tracking_code, "title": idea.title})
            return redirect("projects:manage", code=project.code)
    return manage(request, code, add_form=form)


@require_POST
@login_required
def remove_idea(request, code, idea_code):
    project = staff_project(request, code, "projects.change_project")
    idea = get_object_or_404(Idea, tracking_code=idea_code.upper())
    try:
        project = project_remove_idea(actor=request.user, project=project, idea=idea)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        if project.state == ProjectState.DISSOLVED:
            messages.success(request, _("%(code)s went back to the shortlist. It was the last idea, so the project "
                                        "is dissolved.") % {"code": idea.tracking_code})
            return redirect("projects:list")
        messages.success(request, _("%(code)s went back to the shortlist; its author is no longer credited on "
                                    "this project.") % {"code": idea.tracking_code})
    return redirect("projects:manage", code=project.code)


@require_POST
@login_required
def submit(request, code):
    project = staff_project(request, code, "projects.submit_project")
    try:
        project_submit(actor=request.user, project=project)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("The project is submitted to the street review. Its ideas are now fixed."))
    return redirect("projects:manage", code=project.code)


def _back_from_plan(user, project) -> str:
    """Staff go back to the project's staff page, the implementing organisation to its offer."""
    if user.has_perm("projects.view_project_workspace", project):
        return reverse("projects:manage", args=[project.code])
    accepted = next((o for o in project.offers.all() if o.state == OfferState.ACCEPTED), None)
    if accepted is not None and user.has_perm("projects.answer_offer", accepted):
        return reverse("projects:offer", args=[accepted.pk])
    return reverse("projects:detail", args=[project.code])


def _formset_with_extra_row(data):
    """The posted budget rows plus one empty row (the "add a row" button works without JavaScript)."""
    data = data.copy()
    total = int(data.get("budget-TOTAL_FORMS") or 0)
    data["budget-TOTAL_FORMS"] = str(min(total + 1, BudgetFormSet.max_num))
    return BudgetFormSet(data, prefix="budget")


@login_required
def plan(request, code):
    project = staff_project(request, code, "projects.edit_plan")
    back = _back_from_plan(request.user, project)
    if project.state != ProjectState.DRAFT:
        messages.error(request, _("The project was submitted to the street review; its plan can no longer change."))
        return redirect(back)
    initial = {name: getattr(project, name) for name in (
        "title", "summary", "objectives", "target_groups", "expected_beneficiaries", "planned_activities",
        "starts_on", "ends_on")}
    initial["category"] = project.category_id
    form = PlanForm(request.POST or None, edition=project.edition, initial=initial)
    budget_errors = []
    if request.method == "POST" and "add_row" in request.POST:
        formset = _formset_with_extra_row(request.POST)
    else:
        formset = BudgetFormSet(request.POST or None, prefix="budget",
                                initial=[{"item": line.item, "amount": line.amount}
                                         for line in project.budget_lines.all()])
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            lines = [f.line for f in formset.forms if f.line is not None]
            try:
                project_plan_update(actor=request.user, project=project, plan=form.draft(lines))
            except ValidationError as exc:
                errors = getattr(exc, "error_dict", None) and exc.message_dict or {None: exc.messages}
                budget_errors = errors.pop("budget", [])
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The plan is saved."))
                return redirect(back)
    idea_count = project.ideas.count()
    return render(request, "projects/plan.html", {
        "project": project, "form": form, "formset": formset, "budget_errors": budget_errors,
        "budget_limit": budget_limit(project, idea_count), "budget_rule": budget_rule_text(project, idea_count),
        "back": back,
    })
