"""The round's panel and who scores which project (POST actions of the round's workspace)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jindianzi.accounts.selectors import user_by_login

from ..forms import AssignForm, PanelAddForm
from ..models import Assignment, PanelMember
from ..selectors import round_workspace
from ..services import assignment_remove as remove_assignment
from ..services import assignments_make, panel_add as add_to_panel
from ..services import panel_remove as remove_from_panel
from .common import apply_errors, report, staff_round
from .rounds import round_detail


@require_POST
@login_required
def panel_add(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    form = PanelAddForm(request.POST)
    if form.is_valid():
        user = user_by_login(form.cleaned_data["login"])
        if user is None:
            form.add_error("login", _("No account has this mobile number or e-mail address. Ask the person to "
                                      "sign up first, then add them."))
        else:
            try:
                member = add_to_panel(actor=request.user, review_round=review_round, user=user,
                                      role=form.cleaned_data["role"])
            except ValidationError as exc:
                if "user" in getattr(exc, "error_dict", {}):
                    exc = ValidationError({("login" if key == "user" else key): errors
                                           for key, errors in exc.error_dict.items()})
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(name)s is on the panel as %(role)s. Assign them projects next.")
                                 % {"name": member.user, "role": member.get_role_display()})
                return redirect("reviews:round", pk=review_round.pk)
    messages.error(request, _("The reviewer was not added; see the panel form below."))
    return round_detail(request, pk, panel_form=form)


@require_POST
@login_required
def panel_remove(request, pk, member):
    review_round = staff_round(request, pk, "reviews.manage_round")
    member = get_object_or_404(PanelMember.objects.select_related("user", "round"), pk=member, round=review_round)
    try:
        remove_from_panel(actor=request.user, member=member)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer on the panel; their assignments were removed.")
                         % {"name": member.user})
    return redirect("reviews:round", pk=review_round.pk)


@require_POST
@login_required
def assign(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    space = round_workspace(review_round)
    form = AssignForm(request.POST, panel=space.panel, projects=space.waiting_projects)
    if not form.is_valid():
        report(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return redirect("reviews:round", pk=review_round.pk)
    everyone = "all" in request.POST
    chosen_reviewers, chosen_projects = set(form.cleaned_data["reviewers"]), set(form.cleaned_data["projects"])
    reviewers = None if everyone or not chosen_reviewers else [
        m.user for m in space.panel if str(m.user_id) in chosen_reviewers]
    projects = None if everyone or not chosen_projects else [
        p for p in space.waiting_projects if str(p.pk) in chosen_projects]
    try:
        created = assignments_make(actor=request.user, review_round=review_round, reviewers=reviewers,
                                   projects=projects)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
        return redirect("reviews:round", pk=review_round.pk)
    excluded = sum(1 for a in created if a.is_excluded)
    if not created:
        text = _("Nothing new to assign: these reviewers already have these projects.")
    else:
        text = ngettext("%(n)d assignment made.", "%(n)d assignments made.", len(created)) % {"n": len(created)}
    if excluded:
        text += " " + ngettext(
            "%(n)d of them is excluded at once for a conflict of interest (see the table).",
            "%(n)d of them are excluded at once for a conflict of interest (see the table).",
            excluded) % {"n": excluded}
    messages.success(request, text)
    return redirect("reviews:round", pk=review_round.pk)


@require_POST
@login_required
def assignment_remove(request, pk, assignment):
    review_round = staff_round(request, pk, "reviews.manage_round")
    assignment = get_object_or_404(Assignment.objects.select_related("project", "reviewer", "round"),
                                   pk=assignment, round=review_round)
    try:
        remove_assignment(actor=request.user, assignment=assignment)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(name)s no longer scores %(code)s.")
                         % {"name": assignment.reviewer, "code": assignment.project.code})
    return redirect("reviews:round", pk=review_round.pk)
