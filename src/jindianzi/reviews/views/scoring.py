"""Reviewers: their assignments in every round, scoring one project, declaring a conflict of interest."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.projects.selectors import project_by_code
from jindianzi.projects.services import budget_rule_text

from ..forms import ConflictForm, ScoreForm
from ..models import Criterion
from ..ranking import reviewer_score
from ..selectors import assignment_by_pk, assignments_of, next_to_score
from ..services import conflict_declare, scores_submit
from ..workflow import EDITABLE_STATES, RoundState
from .common import apply_errors


@login_required
def my_assignments(request):
    if not request.user.has_perm("reviews.view_round_list"):
        raise PermissionDenied
    assignments = assignments_of(request.user)
    rounds = {}
    for assignment in assignments:
        rounds.setdefault(assignment.round.pk, (assignment.round, []))[1].append(assignment)
    waiting = sum(1 for a in assignments if a.round.state == RoundState.SCORING and not a.is_excluded
                  and not a.is_submitted)
    return render(request, "reviews/my_assignments.html", {"rounds": list(rounds.values()), "waiting": waiting})


def _assignment(request, pk, permission="reviews.score_assignment"):
    assignment = assignment_by_pk(pk)
    if assignment is None:
        raise Http404
    if not request.user.has_perm(permission, assignment):
        raise PermissionDenied
    return assignment


@login_required
def score(request, assignment, conflict_form=None):
    assignment = _assignment(request, assignment)
    review_round = assignment.round
    criteria = list(Criterion.objects.filter(edition_id=review_round.edition_id))
    own = {s.criterion_id: s.points for s in assignment.scores.all()}
    initial = {ScoreForm.key(c): str(own[c.pk]) for c in criteria if c.pk in own}
    initial["comment"] = assignment.comment
    can_score = review_round.state == RoundState.SCORING and not assignment.is_excluded
    form = ScoreForm(request.POST if request.method == "POST" and conflict_form is None else None,
                     criteria=criteria, initial=initial)
    if request.method == "POST" and conflict_form is None:
        if not can_score:
            messages.error(request, _("Scores can be given only while the round is scoring."))
        elif form.is_valid():
            try:
                scores_submit(actor=request.user, assignment=assignment, points=form.points(),
                              comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                following = next_to_score(request.user, review_round, after=assignment)
                messages.success(request, _("Your scores of “%(title)s” are saved. You can change them until the "
                                            "scoring closes.") % {"title": assignment.project.title})
                if following is not None:
                    return redirect("reviews:score", assignment=following.pk)
                return redirect("reviews:my_assignments")
    if not can_score:
        for form_field in form.fields.values():
            form_field.disabled = True
    project = project_by_code(assignment.project.code)
    ideas = list(project.ideas.all())
    lines = list(project.budget_lines.all())
    return render(request, "reviews/score.html", {
        "assignment": assignment, "round": review_round, "project": project, "ideas": ideas,
        "lines": lines, "budget_rule": budget_rule_text(project, len(ideas)), "budget_total": sum((line.amount for line in lines), Decimal("0.00")),
        "form": form, "criteria": criteria, "can_score": can_score,
        "own_total": reviewer_score(own, criteria) if assignment.is_submitted else None,
        "conflict_form": conflict_form or ConflictForm(),
        "can_declare": review_round.state in EDITABLE_STATES and not assignment.is_excluded,
        "total_weight": sum(c.weight for c in criteria),
    })


@require_POST
@login_required
def declare_conflict(request, assignment):
    found = _assignment(request, assignment, "reviews.declare_conflict")
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            conflict_declare(actor=request.user, assignment=found, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your conflict of interest with “%(title)s” is recorded. You do not score "
                                        "it, and the chair sees why.") % {"title": found.project.title})
            return redirect("reviews:my_assignments")
    return score(request, assignment, conflict_form=form)
