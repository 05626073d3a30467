"""Staff pages of a street's review round: the list, a new round, its workspace and settings, the rubric,
opening and closing the scoring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.accounts.selectors import user_by_login
from jindianzi.editions.models import Edition

from ..forms import AssignForm, CriterionFormSet, PanelAddForm, RoundForm, RoundSettingsForm
from ..models import Score
from ..selectors import editions_for_new_round, round_workspace, rounds_for, streets_for_new_round
from ..services import (
    CriterionDraft, publish_checks, round_close_scoring, round_create as create_round, round_open_scoring,
    round_update, rubric_ensure, rubric_set,
)
from ..workflow import EDITABLE_STATES, RoundState
from .common import apply_errors, report, staff_round


@login_required
def round_list(request):
    user = request.user
    if not user.has_perm("reviews.view_round_list"):
        raise PermissionDenied
    rounds = rounds_for(user)
    can_create = user.has_perm("reviews.create_round")
    editions = editions_for_new_round(user) if can_create else []
    managed = {r.edition_id: r.edition for r in rounds if user.has_perm("editions.manage_edition", r.edition)}
    for edition in editions:
        if user.has_perm("editions.manage_edition", edition):
            managed.setdefault(edition.pk, edition)
    return render(request, "reviews/round_list.html", {
        "rounds": rounds, "can_create": can_create and bool(editions), "rubric_editions": list(managed.values()),
        "can_import_census": bool(streets_for_new_round(user)) and can_create,
    })


@login_required
def round_create(request):
    user = request.user
    if not user.has_perm("reviews.create_round"):
        raise PermissionDenied
    editions = editions_for_new_round(user)
    streets = list(streets_for_new_round(user))
    if not editions:
        return render(request, "reviews/round_new.html", {"form": None})
    form = RoundForm(request.POST or None, editions=Edition.objects.filter(pk__in=[e.pk for e in editions]),
                     streets=streets_for_new_round(user), initial={"edition": editions[0].pk})
    if len(streets) == 1:
        form.fields["street"].initial = streets[0].pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chair = None
        if data["chair"].strip():
            chair = user_by_login(data["chair"])
            if chair is None:
                form.add_error("chair", _("No account has this mobile number or e-mail address."))
        if not form.errors:
            try:
                review_round = create_round(
                    actor=user, edition=data["edition"], street=data["street"], budget_cap=data["budget_cap"],
                    chair=chair, aggregation=data["aggregation"], scoring_ends_on=data["scoring_ends_on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The review round of %(street)s is open for preparation. Next: add "
                                            "reviewers to the panel and assign the projects.")
                                 % {"street": review_round.street.name})
                return redirect("reviews:round", pk=review_round.pk)
    return render(request, "reviews/round_new.html", {"form": form})


@login_required
def round_detail(request, pk, panel_form=None, assign_form=None):
    review_round = staff_round(request, pk)
    user = request.user
    space = round_workspace(review_round)
    can_manage = user.has_perm("reviews.manage_round", review_round)
    editable = review_round.state in EDITABLE_STATES
    return render(request, "reviews/round.html", {
        "round": review_round, "space": space,
        "can_manage": can_manage, "editable": can_manage and editable,
        "can_decide": user.has_perm("reviews.decide_round", review_round),
        "can_see_scores": user.has_perm("reviews.view_scores", review_round),
        "can_edit_rubric": user.has_perm("editions.manage_edition", review_round.edition),
        "checks": publish_checks(review_round) if review_round.state == RoundState.CLOSED else [],
        "panel_form": panel_form or PanelAddForm(),
        "assign_form": assign_form or AssignForm(panel=space.panel, projects=space.waiting_projects),
        "my_assignments": [cell for _p, _c, cells in space.rows for cell in cells
                           if cell is not None and cell.reviewer_id == user.pk],
    })


@login_required
def round_settings(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    form = RoundSettingsForm(request.POST or None, initial={
        "budget_cap": review_round.budget_cap, "aggregation": review_round.aggregation,
        "scoring_ends_on": review_round.scoring_ends_on})
    locked = review_round.state == RoundState.PUBLISHED
    if request.method == "POST" and not locked and form.is_valid():
        data = form.cleaned_data
        try:
            round_update(actor=request.user, review_round=review_round, budget_cap=data["budget_cap"],
                         aggregation=data["aggregation"], scoring_ends_on=data["scoring_ends_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The round's settings are saved."))
            return redirect("reviews:round", pk=review_round.pk)
    return render(request, "reviews/round_settings.html", {"round": review_round, "form": form, "locked": locked})


@require_POST
@login_required
def scoring_open(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    try:
        round_open_scoring(actor=request.user, review_round=review_round)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("Scoring is open. The reviewers have been told; each sees only their own "
                                    "scores until you close the scoring."))
    return redirect("reviews:round", pk=review_round.pk)


@require_POST
@login_required
def scoring_close(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    try:
        round_close_scoring(actor=request.user, review_round=review_round)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
        return redirect("reviews:round", pk=review_round.pk)
    messages.success(request, _("Scoring is closed. The panel can now see every score; the chair decides on the "
                                "ranking."))
    return redirect("reviews:ranking", pk=review_round.pk)


# --- The rubric ------------------------------------------------------------------------------------------------

@login_required
def rubric(request, slug):
    edition = get_object_or_404(Edition.objects.select_related("district"), slug=slug)
    if not request.user.has_perm("editions.manage_edition", edition):
        raise PermissionDenied
    criteria = rubric_ensure(edition)
    locked = Score.objects.filter(criterion__edition=edition).exists()
    initial = [{"name_zh": c.name_zh, "name_en": c.name_en, "weight": c.weight, "guidance": c.guidance}
               for c in criteria]
    # A posted rubric is read on its own (without the rows it started from), so every row counts as typed.
    formset = CriterionFormSet(request.POST) if request.method == "POST" else CriterionFormSet(initial=initial)
    if request.method == "POST" and "add_row" in request.POST:
        # Another empty row, keeping what was typed.
        data = request.POST.copy()
        try:
            data["form-TOTAL_FORMS"] = str(int(data.get("form-TOTAL_FORMS", 0)) + 1)
        except ValueError:
            data["form-TOTAL_FORMS"] = "1"
        return _rubric_page(request, edition, CriterionFormSet(data), locked, criteria)
    if request.method == "POST" and not locked and formset.is_valid():
        drafts = [CriterionDraft(name_zh=f.cleaned_data.get("name_zh") or "", name_en=f.cleaned_data.get("name_en")
                                 or "", weight=f.cleaned_data.get("weight") or 0,
                                 guidance=f.cleaned_data.get("guidance") or "")
                  for f in formset if not f.cleaned_data.get("DELETE") and not f.is_blank]
        try:
            rubric_set(actor=request.user, edition=edition, criteria=drafts)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The rubric is saved."))
            return redirect("reviews:rubric", slug=edition.slug)
    return _rubric_page(request, edition, formset, locked, criteria)


def _rubric_page(request, edition, formset, locked, criteria):
    return render(request, "reviews/rubric.html", {
        "edition": edition, "formset": formset, "locked": locked, "criteria": criteria,
        "total_weight": sum(c.weight for c in criteria),
    })

