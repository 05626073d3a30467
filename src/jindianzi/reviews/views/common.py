"""What the review pages share: finding the round, asking the rules, reporting a service's refusal,
and saying in plain words why the vote funded a project or not."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import allocation
from ..models import ReviewRound
from ..selectors import round_by_pk
from ..workflow import VoteRule


def staff_round(request, pk, permission: str = "reviews.view_round") -> ReviewRound:
    review_round = round_by_pk(pk)
    if review_round is None:
        raise Http404
    if not request.user.has_perm(permission, review_round):
        raise PermissionDenied
    return review_round


def report(request, exc) -> None:
    """A service said no: show its reasons, each as one message."""
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def apply_errors(form, exc) -> None:
    """Put a service's ValidationError on the form fields it names, or on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def money(value) -> str:
    """An amount with two places, grouped as the page's language groups it (as ``floatformat:"2g"`` does)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    return number_format(amount, decimal_pos=2, force_grouping=True)


def vote_explanation(outcome, rule: str) -> str:
    """Why the vote funded a project or not, from the reason and figures the rule kept with it."""
    d = outcome.details or {}
    cost, left = money(d.get("cost", "0")), money(d.get("budget_left_at_its_turn", "0"))
    votes = outcome.votes
    if outcome.reason == allocation.FUNDED:
        if "price_per_supporter" in d and rule == VoteRule.EQUAL_SHARES:
            if Decimal(d.get("cost", "0")) == 0:
                return _("Funded: it costs nothing, and residents voted for it.")
            paid_all = int(d.get("paid_all_they_had", 0) or 0)
            text = ngettext(
                "Funded: its %(votes)d supporter paid its cost of ¥%(cost)s from their equal share.",
                "Funded: its %(votes)d supporters paid its cost of ¥%(cost)s together from their equal shares: "
                "each paid ¥%(price)s.", votes) % {"votes": votes, "cost": cost,
                                                   "price": money(d.get("price_per_supporter"))}
            if paid_all:
                text += " " + ngettext("(%(n)d of them had less left and paid all they had.)",
                                       "(%(n)d of them had less left and paid all they had.)",
                                       paid_all) % {"n": paid_all}
            return text
        return _("Funded: when its turn came (by number of votes), ¥%(left)s was left, enough for its cost of "
                 "¥%(cost)s.") % {"left": left, "cost": cost}
    if outcome.reason == allocation.FUNDED_IN_COMPLETION:
        return _("Funded with the money left over at the end: when its turn came (by number of votes), ¥%(left)s "
                 "was left, enough for its cost of ¥%(cost)s.") % {"left": left, "cost": cost}
    if outcome.reason == allocation.NOT_FUNDED_SUPPORTERS_SHORT:
        text = ngettext(
            "Not funded: its %(votes)d supporter had only ¥%(had)s left of their share, less than the ¥%(cost)s "
            "it needs.",
            "Not funded: its %(votes)d supporters had only ¥%(had)s left of their shares between them, less than "
            "the ¥%(cost)s it needs.", votes) % {"votes": votes, "had": money(d.get("supporters_had", "0")),
                                                  "cost": cost}
        if "budget_left_at_its_turn" in d:
            text += " " + _("The money left over at the end (¥%(left)s) was not enough either.") % {"left": left}
        return text
    if outcome.reason == allocation.NOT_FUNDED_OVER_BUDGET:
        return _("Not funded: it costs ¥%(cost)s, more than the ¥%(left)s left when its turn came.") % {
            "cost": cost, "left": left}
    if outcome.reason == allocation.NO_VOTES:
        return _("Not funded: no one voted for it.")
    return _("Funded.") if outcome.funded else _("Not funded.")


def vote_rule_explanation(review_round: ReviewRound, ballots: int) -> str:
    if review_round.vote_rule == VoteRule.GREEDY:
        return _("The projects were taken from most votes to fewest. Each one was funded if it still fitted in "
                 "what was left of the street's budget of ¥%(budget)s; one that did not fit was passed over, and "
                 "a cheaper one after it could still be funded.") % {"budget": money(review_round.budget_cap)}
    share = money(review_round.budget_cap / ballots) if ballots else money(0)
    return ngettext(
        "The street's budget of ¥%(budget)s was shared equally among the %(n)d resident who voted: ¥%(share)s "
        "each. A project was funded when its supporters could pay for it together from their shares, the "
        "cheapest for each supporter first. Money left over at the end went to the projects with most votes "
        "that still fitted.",
        "The street's budget of ¥%(budget)s was shared equally among the %(n)d residents who voted: ¥%(share)s "
        "each. A project was funded when its supporters could pay for it together from their shares, the "
        "cheapest for each supporter first. Money left over at the end went to the projects with most votes "
        "that still fitted.", ballots) % {"budget": money(review_round.budget_cap), "n": ballots, "share": share}
