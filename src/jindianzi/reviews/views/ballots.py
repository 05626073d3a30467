"""Staff pages of the round's resident vote: its settings, opening and closing it, Pabulib files out and in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import pabulib_io
from ..forms import PabulibImportForm, VoteSettingsForm
from ..models import Ballot
from ..selectors import ballot_choices, round_by_pk, vote_outcomes
from ..voting import vote_close as close_vote
from ..voting import vote_configure
from ..voting import vote_open as open_vote
from ..workflow import RoundState, VoteState
from .common import apply_errors, report, staff_round, vote_explanation

def _limit_initial(review_round):
    value = review_round.ballot_limit_value
    if value is not None and value == value.to_integral_value():
        return int(value)
    return value


@login_required
def vote_settings(request, pk, import_form=None):
    review_round = staff_round(request, pk, "reviews.manage_round")
    changeable = review_round.vote_state in (VoteState.OFF, VoteState.READY) and not review_round.is_published
    form = VoteSettingsForm(request.POST if request.method == "POST" and import_form is None else None, initial={
        "rule": review_round.vote_rule, "use": review_round.vote_use, "weight": review_round.vote_weight or None,
        "ballot_limit": review_round.ballot_limit, "ballot_limit_value": _limit_initial(review_round)})
    if request.method == "POST" and import_form is None:
        if not changeable:
            messages.error(request, _("The vote has opened; its rule and limits can no longer change."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                vote_configure(actor=request.user, review_round=review_round, rule=data["rule"], use=data["use"],
                               weight=data["weight"] or 0, ballot_limit=data["ballot_limit"],
                               ballot_limit_value=data["ballot_limit_value"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The vote's settings are saved. Open the vote when residents can "
                                            "start voting."))
                return redirect("reviews:vote_settings", pk=review_round.pk)
    outcomes, ballots = ([], 0)
    if review_round.vote_state == VoteState.COUNTED:
        outcomes, ballots = vote_outcomes(review_round)
        for outcome in outcomes:
            outcome.explanation = vote_explanation(outcome, review_round.vote_rule)
    elif review_round.vote_state == VoteState.OPEN:
        ballots = Ballot.objects.filter(round=review_round).count()
    return render(request, "reviews/vote_settings.html", {
        "round": review_round, "form": form, "changeable": changeable,
        "projects": ballot_choices(review_round) if review_round.vote_state != VoteState.COUNTED else [],
        "outcomes": outcomes, "ballots": ballots,
        "import_form": import_form or PabulibImportForm(),
        "can_open": review_round.vote_state == VoteState.READY and review_round.state != RoundState.PUBLISHED,
        "can_export": request.user.has_perm("reviews.export_vote", review_round),
    })


@require_POST
@login_required
def vote_open(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    try:
        open_vote(actor=request.user, review_round=review_round)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("The vote is open. Verified residents of %(street)s can vote on their phones "
                                    "now.") % {"street": review_round.street.name})
    return redirect("reviews:vote_settings", pk=review_round.pk)


@require_POST
@login_required
def vote_close(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    try:
        outcomes = close_vote(actor=request.user, review_round=review_round)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        funded = sum(1 for o in outcomes if o.funded)
        messages.success(request, ngettext(
            "The vote is closed and counted: %(n)d project is funded by the vote.",
            "The vote is closed and counted: %(n)d projects are funded by the vote.", funded) % {"n": funded})
    return redirect("reviews:vote_settings", pk=review_round.pk)


def vote_export(request, pk):
    """The counted vote as a Pabulib file: for the street's staff, and for everyone once the round is published."""
    review_round = round_by_pk(pk)
    if review_round is None:
        raise Http404
    if not request.user.has_perm("reviews.export_vote", review_round):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    response = HttpResponse(pabulib_io.round_export_pb(review_round), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pabulib_io.export_filename(review_round)}"'
    return response


@require_POST
@login_required
def vote_import(request, pk):
    review_round = staff_round(request, pk, "reviews.manage_round")
    form = PabulibImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            text = pabulib_io.pb_text(form.cleaned_data["file"].read())
            result = pabulib_io.round_import_pb(actor=request.user, review_round=review_round, text=text)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, ngettext("%(n)d ballot was imported.", "%(n)d ballots were imported.",
                                               result.ballots) % {"n": result.ballots})
            return redirect("reviews:vote_settings", pk=review_round.pk)
    return vote_settings(request, pk, import_form=form)
