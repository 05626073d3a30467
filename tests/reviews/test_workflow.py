"""The round's states and named transitions (workflow.py), walked through the services that fire them.

setup ──open_scoring──▶ scoring ──close_scoring──▶ closed ──publish──▶ published, with reopen_scoring back
from closed while nothing is decided; and beside it the vote: off ──▶ ready ──▶ open ──▶ counted.
"""

import pytest
from django.core.exceptions import ValidationError

from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.reviews.models import PanelMember
from jindianzi.reviews.services import (
    assignment_remove, decision_record, panel_add, panel_remove, round_close_scoring, round_open_scoring,
    round_publish,
)
from jindianzi.reviews.voting import vote_close, vote_configure, vote_open
from jindianzi.reviews.workflow import (
    PUBLIC_LABELS, ROUND_TRANSITIONS, Outcome, PanelRole, RoundState, VoteRule, VoteState, VoteUse,
)

from ..factories import scored_round, staff_user
from .fixtures import _english, implementer, officer, start_round, submit, worker  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def history(review_round) -> list[tuple[str, str, str]]:
    return [(t.name, t.from_state, t.to_state) for t in review_round.transitions.all()]


def test_every_state_has_a_public_label_and_every_transition_leads_to_a_state():
    assert set(PUBLIC_LABELS) == set(RoundState.values)
    assert {t.target for t in ROUND_TRANSITIONS.values()} <= set(RoundState.values)
    assert {s for t in ROUND_TRANSITIONS.values() for s in t.sources} <= set(RoundState.values)


def test_a_round_goes_from_setup_to_published_and_its_history_says_so(world, officer, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [8]}, close=False)
    review_round = round_close_scoring(actor=officer, review_round=review_round)
    # A reviewer asks for another look before anything is decided: scoring opens again.
    review_round = round_open_scoring(actor=officer, review_round=review_round)
    review_round = round_close_scoring(actor=officer, review_round=review_round)
    decision_record(actor=officer, review_round=review_round, project=project, outcome=Outcome.APPROVE,
                    reason="需求迫切。")
    review_round = round_publish(actor=officer, review_round=review_round)

    assert history(review_round) == [
        ("create", "", "setup"), ("open_scoring", "setup", "scoring"), ("close_scoring", "scoring", "closed"),
        ("open_scoring", "closed", "scoring"), ("close_scoring", "scoring", "closed"),
        ("publish", "closed", "published")]
    assert {t.actor for t in review_round.transitions.all()} == {officer}


def test_scoring_opens_only_once_projects_are_assigned(world, submit, start_round):
    submit()
    review_round = start_round()

    with pytest.raises(ValidationError, match="Assign the projects"):
        round_open_scoring(actor=review_round.chair, review_round=review_round)
    review_round.refresh_from_db()
    assert review_round.state == RoundState.SETUP


def test_scoring_does_not_reopen_once_decisions_are_taken(world, officer, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [8]})
    decision_record(actor=officer, review_round=review_round, project=project, outcome=Outcome.APPROVE,
                    reason="需求迫切。")

    with pytest.raises(TransitionNotAllowed, match="Decisions have been taken"):
        round_open_scoring(actor=officer, review_round=review_round)
    review_round.refresh_from_db()
    assert review_round.state == RoundState.CLOSED


def test_steps_out_of_order_are_refused_and_change_nothing(world, officer, submit, start_round):
    project = submit()
    review_round = start_round()

    with pytest.raises(TransitionNotAllowed, match="Being prepared"):
        round_close_scoring(actor=officer, review_round=review_round)
    with pytest.raises(ValidationError, match="Scoring is closed"):
        round_publish(actor=officer, review_round=review_round)

    review_round = scored_round(review_round, {project: [8]})
    decision_record(actor=officer, review_round=review_round, project=project, outcome=Outcome.APPROVE,
                    reason="需求迫切。")
    review_round = round_publish(actor=officer, review_round=review_round)
    with pytest.raises(TransitionNotAllowed):
        round_open_scoring(actor=officer, review_round=review_round)
    with pytest.raises((TransitionNotAllowed, ValidationError)):
        round_publish(actor=officer, review_round=review_round)
    assert [name for name, _from, _to in history(review_round)] == [
        "create", "open_scoring", "close_scoring", "publish"]


def test_the_panel_changes_only_while_the_round_is_prepared_or_scoring(world, officer, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [8, None]}, close=False)
    scorer, idle = review_round.reviewers

    with pytest.raises(ValidationError, match="chair stays"):
        panel_remove(actor=officer, member=PanelMember.objects.get(round=review_round, user=officer))
    with pytest.raises(ValidationError, match="already given scores"):
        panel_remove(actor=officer, member=PanelMember.objects.get(round=review_round, user=scorer))
    panel_remove(actor=officer, member=PanelMember.objects.get(round=review_round, user=idle))
    assert not review_round.assignments.filter(reviewer=idle).exists()

    review_round = round_close_scoring(actor=officer, review_round=review_round)
    with pytest.raises(TransitionNotAllowed):
        panel_add(actor=officer, review_round=review_round, user=staff_user("expert"), role=PanelRole.EXPERT)
    with pytest.raises(TransitionNotAllowed):
        assignment_remove(actor=officer, assignment=review_round.assignments.get(reviewer=scorer))
    assert set(review_round.panel.values_list("user", flat=True)) == {officer.pk, scorer.pk}


def test_the_vote_opens_once_and_is_counted_once(world, officer, submit, start_round):
    submit()
    review_round = start_round()

    with pytest.raises(TransitionNotAllowed, match="Set up the vote first"):
        vote_open(actor=officer, review_round=review_round)
    vote_configure(actor=officer, review_round=review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY)
    with pytest.raises(TransitionNotAllowed, match="not open"):
        vote_close(actor=officer, review_round=review_round)
    vote_open(actor=officer, review_round=review_round)
    with pytest.raises(TransitionNotAllowed):
        vote_open(actor=officer, review_round=review_round)
    vote_close(actor=officer, review_round=review_round)
    with pytest.raises(TransitionNotAllowed):
        vote_close(actor=officer, review_round=review_round)
    with pytest.raises(TransitionNotAllowed):
        vote_configure(actor=officer, review_round=review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY)

    review_round.refresh_from_db()
    assert review_round.vote_state == VoteState.COUNTED
    assert review_round.vote_outcomes.count() == 1


def test_a_vote_with_nothing_to_vote_on_does_not_open(world, officer, start_round):
    review_round = start_round()
    vote_configure(actor=officer, review_round=review_round, rule=VoteRule.GREEDY, use=VoteUse.ADVISORY)

    with pytest.raises(ValidationError, match="nothing to vote on"):
        vote_open(actor=officer, review_round=review_round)
    review_round.refresh_from_db()
    assert review_round.vote_state == VoteState.READY
