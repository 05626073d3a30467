"""Public pages: the results of published reviews, and the resident vote on a phone."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import BallotForm
from ..models import ReviewRound
from ..selectors import (
    ballot_choices, own_ballot, published_rounds, round_results, vote_outcomes, vote_round, votes_for,
)
from ..voting import ballot_cast, voter_verification
from ..workflow import BallotLimit, RoundState, VoteState
from .common import money, vote_explanation, vote_rule_explanation


def results_list(request):
    return render(request, "reviews/results_list.html", {"rounds": published_rounds()})


def results(request, pk):
    review_round = ReviewRound.objects.select_related("edition", "street").filter(
        pk=pk, state=RoundState.PUBLISHED).first()
    if review_round is None:
        raise Http404
    found = round_results(review_round)
    for decision in found.decisions:
        if decision.vote is not None:
            decision.vote.explanation = vote_explanation(decision.vote, review_round.vote_rule)
    return render(request, "reviews/results.html", {
        "round": review_round, "results": found, "has_vote": bool(found.outcomes),
        "left": review_round.budget_cap - found.approved_total,
    })


def vote_list(request):
    cards, counted = votes_for(request.user)
    return render(request, "reviews/vote_list.html", {"cards": cards, "counted": counted})


def _limit_text(review_round) -> str:
    limit = review_round.ballot_limit_value
    if limit is None:
        return _("Tick as many projects as you like.")
    if review_round.ballot_limit == BallotLimit.COUNT:
        return _("Tick up to %(n)d projects.") % {"n": int(limit)}
    return _("Tick projects costing up to ¥%(limit)s together.") % {"limit": money(limit)}


def _limit_short(review_round) -> str:
    limit = review_round.ballot_limit_value
    if limit is None:
        return ""
    if review_round.ballot_limit == BallotLimit.COUNT:
        return _("(at most %(n)d)") % {"n": int(limit)}
    return _("(at most ¥%(limit)s)") % {"limit": money(limit)}


def ballot(request, pk):
    review_round = vote_round(pk)
    if review_round is None or review_round.vote_state in (VoteState.OFF, VoteState.READY):
        raise Http404
    if review_round.vote_state == VoteState.COUNTED:
        return redirect("reviews:vote_result", pk=review_round.pk)
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    projects = ballot_choices(review_round)
    verified = voter_verification(user, review_round.street) is not None if user.is_authenticated else False
    mine = own_ballot(user, review_round)
    form = BallotForm(request.POST if request.method == "POST" else None, projects=projects)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            ballot_cast(voter=user, review_round=review_round, projects=form.chosen())
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: your ballot is counted. Each resident votes once; the result "
                                        "is published when the vote closes."))
            return redirect("reviews:ballot", pk=review_round.pk)
    elif request.method == "POST" and mine is not None:
        messages.error(request, _("You have already voted in this round; each resident votes once."))
    chosen = {str(p.pk) for p in mine.projects.all()} if mine is not None else set(form["projects"].value() or [])
    limit = review_round.ballot_limit_value
    return render(request, "reviews/ballot.html", {
        "round": review_round, "projects": projects, "form": form, "verified": verified, "ballot": mine,
        "chosen": chosen, "limit_text": _limit_text(review_round),
        "tally_labels": {"count": _("Chosen: %(n)s, costing ¥%(cost)s"), "limit": _limit_short(review_round),
                         "over": _("More than the limit: untick some.")},
        "limit_kind": review_round.ballot_limit if limit is not None else "",
        "limit_value": int(limit) if limit is not None and review_round.ballot_limit == BallotLimit.COUNT
        else (limit or ""),
        "mine": [p for p in projects if str(p.pk) in chosen] if mine is not None else [],
        "mine_total": sum((p.cost for p in projects if str(p.pk) in chosen), Decimal("0.00")),
    })


def vote_result(request, pk):
    review_round = vote_round(pk)
    if review_round is None or review_round.vote_state in (VoteState.OFF, VoteState.READY):
        raise Http404
    if review_round.vote_state == VoteState.OPEN:
        return render(request, "reviews/vote_result.html", {"round": review_round, "open": True})
    outcomes, ballots = vote_outcomes(review_round)
    for outcome in outcomes:
        outcome.explanation = vote_explanation(outcome, review_round.vote_rule)
    funded = [o for o in outcomes if o.funded]
    return render(request, "reviews/vote_result.html", {
        "round": review_round, "outcomes": outcomes, "ballots": ballots,
        "funded_total": sum((o.cost for o in funded), Decimal("0.00")), "funded": len(funded),
        "how": vote_rule_explanation(review_round, ballots),
        "can_export": request.user.has_perm("reviews.export_vote", review_round),
    })
