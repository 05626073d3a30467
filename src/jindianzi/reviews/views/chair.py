"""After scoring closes: every score for the panel, the ranking within the street's budget, the chair's
decisions and the publication of the results."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import DecisionForm
from ..ranking import round_projects, round_ranking
from ..selectors import decisions_of, round_scores
from ..services import decision_record, publish_checks, round_publish
from ..workflow import RoundState
from .common import apply_errors, report, staff_round


@login_required
def scores(request, pk):
    review_round = staff_round(request, pk, "reviews.view_scores")
    criteria, projects = round_scores(review_round)
    return render(request, "reviews/scores.html", {"round": review_round, "criteria": criteria,
                                                   "projects": projects})


def _decision_initial(decision) -> dict:
    if decision is None:
        return {}
    return {"outcome": decision.outcome, "reason": decision.reason, "conditions": decision.conditions,
            "override_reason": decision.override_reason}


@login_required
def ranking(request, pk, bound: DecisionForm | None = None, bound_code: str = ""):
    review_round = staff_round(request, pk)
    user = request.user
    revealed = review_round.scores_revealed
    can_decide = review_round.state == RoundState.CLOSED and user.has_perm("reviews.decide_round", review_round)
    rows = round_ranking(review_round) if revealed else []
    decisions = decisions_of(review_round) if revealed else {}
    cap = review_round.budget_cap
    line_drawn = False
    approved_total = Decimal("0.00")
    for row in rows:
        row.decision = decisions.get(row.project.pk)
        row.cumulative = cap - row.remaining_after if row.within_cap else None
        row.below_line = not row.within_cap and row.score is not None and not line_drawn
        if row.below_line:
            line_drawn = True
            row.left_at_line = cap - sum((r.cost for r in rows if r.within_cap and r.rank < row.rank),
                                         Decimal("0.00"))
        if row.decision is not None and row.decision.approves:
            approved_total += row.cost
        if can_decide:
            code = row.project.code
            row.form = bound if bound is not None and bound_code == code else DecisionForm(
                prefix=code, within_cap=row.within_cap, initial=_decision_initial(row.decision))
    has_vote = any(row.votes is not None for row in rows)
    return render(request, "reviews/ranking.html", {
        "round": review_round, "rows": rows, "revealed": revealed, "can_decide": can_decide,
        "approved_total": approved_total, "left": cap - approved_total, "has_vote": has_vote,
        "within_total": sum((r.cost for r in rows if r.within_cap), Decimal("0.00")),
        "checks": publish_checks(review_round) if can_decide else [],
        "can_publish": review_round.state == RoundState.CLOSED and user.has_perm("reviews.decide_round",
                                                                                 review_round),
        "can_see_scores": user.has_perm("reviews.view_scores", review_round),
        "undecided": sum(1 for r in rows if r.decision is None and r.project.state == "submitted"),
    })


@require_POST
@login_required
def decide(request, pk, code):
    review_round = staff_round(request, pk, "reviews.decide_round")
    project = round_projects(review_round).filter(code=code).first()
    if project is None:
        raise Http404
    ranking_rows = {r.project.pk: r for r in round_ranking(review_round)} if review_round.scores_revealed else {}
    row = ranking_rows.get(project.pk)
    form = DecisionForm(request.POST, prefix=code, within_cap=bool(row and row.within_cap))
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_record(actor=request.user, review_round=review_round, project=project,
                                       outcome=data["outcome"], reason=data["reason"], conditions=data["conditions"],
                                       override_reason=data["override_reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s “%(title)s”: %(outcome)s.")
                             % {"code": project.code, "title": project.title,
                                "outcome": decision.get_outcome_display()})
            return redirect(reverse("reviews:ranking", args=[review_round.pk]) + f"#p-{project.code}")
    messages.error(request, _("The decision on %(code)s was not saved; see its form below.") % {"code": project.code})
    return ranking(request, pk, bound=form, bound_code=code)


@require_POST
@login_required
def publish(request, pk):
    review_round = staff_round(request, pk, "reviews.decide_round")
    try:
        round_publish(actor=request.user, review_round=review_round)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
        return redirect("reviews:ranking", pk=review_round.pk)
    messages.success(request, _("The results are published. Approved projects go on to their agreements; every "
                                "proposer and organisation has been told."))
    return redirect("reviews:results", pk=review_round.pk)
