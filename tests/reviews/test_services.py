"""A street's review round through its service functions, as the chair, the panel and the organiser use it.

Creating the round, the rubric, conflicts of interest, blind scoring, decisions within the street's budget
and publication. The ranking's arithmetic is in test_ranking.py, the resident vote in test_voting.py.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.accounts.services import role_grant
from jindianzi.core.audit import records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.notifications.models import Notification
from jindianzi.projects.workflow import ProjectState
from jindianzi.reviews.models import Assignment, Criterion, Decision, PanelMember, ReviewRound, Score
from jindianzi.reviews.ranking import round_ranking
from jindianzi.reviews.services import (
    CriterionDraft, assignments_make, conflict_declare, decision_record, panel_add, round_close_scoring,
    round_create, round_open_scoring, round_publish, round_update, rubric_set, scores_submit,
)
from jindianzi.reviews.voting import vote_configure
from jindianzi.reviews.workflow import Conflict, Outcome, PanelRole, RoundState

from ..factories import (
    OrganizationFactory, UserFactory, approval_edition, score_points, scored_round, staff_user,
)
from .fixtures import (  # noqa: F401  (fixtures)
    _english, implementer, messages_of, officer, organiser, start_round, submit, worker,
)

pytestmark = pytest.mark.django_db


def expert(name="王教授"):
    return staff_user(Role.EXPERT, display_name=name)


def assignment_of(review_round, project, reviewer) -> Assignment:
    return Assignment.objects.get(round=review_round, project=project, reviewer=reviewer)


def panel_of(review_round, *reviewers, projects=None):
    """Put ``reviewers`` on the panel as experts and assign them the round's projects."""
    for reviewer in reviewers:
        panel_add(actor=review_round.chair, review_round=review_round, user=reviewer, role=PanelRole.EXPERT)
    return assignments_make(actor=review_round.chair, review_round=review_round, reviewers=list(reviewers),
                            projects=projects)


# --- Creating the round -----------------------------------------------------------------------------

def test_an_officer_opens_their_streets_review_in_the_approval_phase_and_chairs_it(world, officer):
    approval_edition(world)

    review_round = round_create(actor=officer, edition=world.edition, street=world.street, budget_cap="80,000")

    assert review_round.state == RoundState.SETUP and review_round.budget_cap == Decimal("80000.00")
    assert review_round.chair == officer
    assert [(m.user, m.role) for m in review_round.panel.all()] == [(officer, PanelRole.OFFICER)]
    assert [t.name for t in review_round.transitions.all()] == ["create"]
    assert [r.action for r in records_for(review_round)] == ["review_round.create"]
    assert records_for(review_round).get().after["budget_cap"] == "80000.00"


def test_a_review_cannot_be_held_before_the_approval_phase(world, officer):
    with pytest.raises(TransitionNotAllowed) as refused:
        round_create(actor=officer, edition=world.edition, street=world.street, budget_cap="80000")

    assert "approval phase" in messages_of(refused.value) and "Collection" in messages_of(refused.value)
    assert not ReviewRound.objects.exists()


def test_an_officer_cannot_hold_another_streets_review(world, officer):
    approval_edition(world)

    with pytest.raises(PermissionDenied, match="your own street"):
        round_create(actor=officer, edition=world.edition, street=world.other_street, budget_cap="80000")
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize("role, area", [(None, None), (Role.COMMUNITY_WORKER, "community")])
def test_residents_and_community_workers_hold_no_review(world, role, area):
    approval_edition(world)
    person = UserFactory() if role is None else staff_user(role, area=getattr(world, area))

    with pytest.raises(PermissionDenied):
        round_create(actor=person, edition=world.edition, street=world.street, budget_cap="80000")
    assert not ReviewRound.objects.exists()


def test_a_street_holds_one_review_per_edition(world, officer, organiser, start_round):
    first = start_round()

    with pytest.raises(ValidationError) as refused:
        round_create(actor=organiser, edition=world.edition, street=world.street, budget_cap="50000")

    assert refused.value.message_dict == {"street": ["This street already has its review round in this edition."]}
    assert list(ReviewRound.objects.all()) == [first]


@pytest.mark.parametrize("cap, message", [
    ("八万", "Please give the street's budget as an amount in yuan"),
    ("", "Please give the street's budget as an amount in yuan"),
    ("-100", "The street's budget cannot be negative."),
    ("1e30", "Please give the street's budget as an amount in yuan"),
    ("9999999999999", "This amount is far too large."),
])
def test_a_bad_budget_gets_a_clear_message_and_no_round(world, officer, cap, message):
    approval_edition(world)

    with pytest.raises(ValidationError) as refused:
        round_create(actor=officer, edition=world.edition, street=world.street, budget_cap=cap)

    assert list(refused.value.message_dict) == ["budget_cap"]
    assert message in messages_of(refused.value)
    assert not ReviewRound.objects.exists() and not Criterion.objects.exists()


def test_the_chair_must_be_an_officer_of_the_street(world, officer):
    approval_edition(world)
    outsider = staff_user(Role.STREET_OFFICER, area=world.other_street)

    with pytest.raises(ValidationError) as refused:
        round_create(actor=officer, edition=world.edition, street=world.street, budget_cap="80000", chair=outsider)
    assert list(refused.value.message_dict) == ["chair"]
    assert not ReviewRound.objects.exists()


# --- The rubric ---------------------------------------------------------------------------------------

def test_the_first_round_writes_the_default_rubric_whose_weights_add_up_to_100(world, start_round):
    start_round()

    criteria = list(Criterion.objects.filter(edition=world.edition))
    assert [c.code for c in criteria] == ["need", "feasibility", "budget", "sustainability", "participation"]
    assert sum(c.weight for c in criteria) == 100
    assert criteria[0].name_zh == "需求迫切" and criteria[0].label == "Need"


def test_the_organiser_replaces_the_rubric_and_the_change_is_audited(world, organiser, start_round):
    start_round()

    created = rubric_set(actor=organiser, edition=world.edition, criteria=[
        CriterionDraft("需求迫切", "Need", 60, "居民是否真的需要？"), CriterionDraft(" 可行性 ", "Feasibility", 40)])

    assert [(c.code, c.name_zh, c.weight) for c in Criterion.objects.filter(edition=world.edition)] == [
        ("c1", "需求迫切", 60), ("c2", "可行性", 40)]
    assert created[0].guidance == "居民是否真的需要？"
    record = records_for(world.edition).filter(action="review_rubric.set").get()
    assert record.actor == organiser and record.after == {"criteria": [["需求迫切", 60], ["可行性", 40]]}


def test_only_the_organiser_sets_the_rubric(world, officer, start_round):
    start_round()

    with pytest.raises(PermissionDenied, match="district organiser"):
        rubric_set(actor=officer, edition=world.edition, criteria=[CriterionDraft("需求", "Need", 100)])
    assert Criterion.objects.filter(edition=world.edition).count() == 5


def test_a_rubric_with_problems_is_refused_with_each_problem_named(world, organiser, start_round):
    start_round()

    with pytest.raises(ValidationError) as refused:
        rubric_set(actor=organiser, edition=world.edition, criteria=[
            CriterionDraft("需求", "", 50), CriterionDraft("可行性", "Feasibility", 0)])

    assert refused.value.messages == ["Criterion 1 needs a Chinese and an English name.",
                                      "The weight of criterion 2 must be from 1 to 100."]
    assert Criterion.objects.filter(edition=world.edition).count() == 5


def test_the_rubric_is_fixed_once_a_reviewer_has_scored(world, organiser, submit, start_round):
    project = submit()
    scored_round(start_round(), {project: [7]}, close=False)

    with pytest.raises(TransitionNotAllowed, match="already scored"):
        rubric_set(actor=organiser, edition=world.edition, criteria=[CriterionDraft("需求", "Need", 100)])
    assert Criterion.objects.filter(edition=world.edition).count() == 5


# --- Conflicts of interest ------------------------------------------------------------------------------

def test_implementer_staff_and_proposers_are_excluded_from_their_project_at_assignment(
        world, officer, implementer, submit, start_round):
    proposer_expert = expert("李老师")        # proposed the idea of the first project, as a resident
    staff_expert = staff_user(Role.EXPERT, display_name="赵队长")
    role_grant(user=staff_expert, role=Role.ORG_STAFF, organization=implementer.organization)
    other_org = OrganizationFactory(home_area=world.neighbour)
    own = submit(proposer=proposer_expert, title="问候队")
    elsewhere = submit(title="四点半课堂", organization=other_org)
    clean = expert("陈博士")
    review_round = start_round()

    panel_of(review_round, proposer_expert, staff_expert, clean)

    conflicts = {(a.project, a.reviewer): a.conflict for a in Assignment.objects.filter(round=review_round)}
    assert conflicts == {
        (own, proposer_expert): Conflict.PROPOSER, (elsewhere, proposer_expert): Conflict.NONE,
        (own, staff_expert): Conflict.IMPLEMENTER, (elsewhere, staff_expert): Conflict.NONE,
        (own, clean): Conflict.NONE, (elsewhere, clean): Conflict.NONE,
    }
    assert records_for(review_round).get(action="review_round.assign").after == {"assignments": 6, "excluded": 2}


def test_an_excluded_reviewer_cannot_score(world, implementer, submit, start_round):
    project = submit()
    staff_expert = expert("赵队长")
    role_grant(user=staff_expert, role=Role.ORG_STAFF, organization=implementer.organization)
    review_round = start_round()
    panel_of(review_round, staff_expert, expert())
    round_open_scoring(actor=review_round.chair, review_round=review_round)

    with pytest.raises(TransitionNotAllowed, match="conflict of interest"):
        scores_submit(actor=staff_expert, assignment=assignment_of(review_round, project, staff_expert),
                      points=score_points(review_round, 10))
    assert not Score.objects.exists()


def test_a_declared_conflict_takes_the_reviewers_scores_out_of_the_ranking(world, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [9, 3]}, close=False)
    friend, other = review_round.reviewers
    assert round_ranking(review_round)[0].panel_score == Decimal("60.00")

    with pytest.raises(ValidationError):
        conflict_declare(actor=other, assignment=assignment_of(review_round, project, other), note="  ")
    conflict_declare(actor=friend, assignment=assignment_of(review_round, project, friend),
                     note="项目负责人是我的亲属。")

    row = round_ranking(review_round)[0]
    assert row.panel_score == Decimal("30.00") and (row.submitted, row.excluded) == (1, 1)
    assignment = assignment_of(review_round, project, friend)
    assert (assignment.conflict, assignment.conflict_note) == (Conflict.DECLARED, "项目负责人是我的亲属。")
    with pytest.raises(TransitionNotAllowed, match="conflict of interest"):
        scores_submit(actor=friend, assignment=assignment, points=score_points(review_round, 10))


def test_only_the_assigned_reviewer_declares_a_conflict(world, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [5, 5]}, close=False)
    first, second = review_round.reviewers

    with pytest.raises(PermissionDenied):
        conflict_declare(actor=second, assignment=assignment_of(review_round, project, first), note="冲突")
    assert not Assignment.objects.exclude(conflict=Conflict.NONE).exists()


# --- Blind scoring --------------------------------------------------------------------------------------

def test_scores_stay_hidden_from_the_panel_until_scoring_closes(world, officer, organiser, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [8, 6]}, close=False)
    people = [officer, organiser, *review_round.reviewers]

    assert [p.has_perm("reviews.view_scores", review_round) for p in people] == [False] * 4

    review_round = round_close_scoring(actor=officer, review_round=review_round)
    assert [p.has_perm("reviews.view_scores", review_round) for p in people] == [True] * 4


def test_scores_are_given_only_while_the_round_is_scoring(world, submit, start_round):
    project = submit()
    review_round = start_round()
    reviewer = expert()
    panel_of(review_round, reviewer)
    assignment = assignment_of(review_round, project, reviewer)

    with pytest.raises(TransitionNotAllowed, match="only while the round is scoring"):
        scores_submit(actor=reviewer, assignment=assignment, points=score_points(review_round, 7))
    round_open_scoring(actor=review_round.chair, review_round=review_round)
    scores_submit(actor=reviewer, assignment=assignment, points=score_points(review_round, 7))
    round_close_scoring(actor=review_round.chair, review_round=review_round)
    with pytest.raises(TransitionNotAllowed, match="Scoring closed"):
        scores_submit(actor=reviewer, assignment=assignment, points=score_points(review_round, 2))

    assert set(Score.objects.values_list("points", flat=True)) == {7}


@pytest.mark.parametrize("bad", [11, -1, "7.5", "", None])
def test_points_outside_0_to_10_get_a_message_and_nothing_is_saved(world, submit, start_round, bad):
    project = submit()
    review_round = start_round()
    reviewer = expert()
    panel_of(review_round, reviewer)
    round_open_scoring(actor=review_round.chair, review_round=review_round)
    points = score_points(review_round, 6) | {"feasibility": bad}

    with pytest.raises(ValidationError) as refused:
        scores_submit(actor=reviewer, assignment=assignment_of(review_round, project, reviewer), points=points)

    feasibility = Criterion.objects.get(edition=world.edition, code="feasibility")
    assert refused.value.message_dict == {
        f"criterion_{feasibility.pk}": ["Give “Feasibility” a whole number of points from 0 to 10."]}
    assert not Score.objects.exists()
    assert assignment_of(review_round, project, reviewer).submitted_at is None


def test_a_reviewer_changes_their_scores_by_submitting_again(world, submit, start_round):
    project = submit()
    review_round = start_round()
    reviewer = expert()
    panel_of(review_round, reviewer)
    round_open_scoring(actor=review_round.chair, review_round=review_round)
    assignment = assignment_of(review_round, project, reviewer)

    scores_submit(actor=reviewer, assignment=assignment, points=score_points(review_round, 5), comment="一般")
    scores_submit(actor=reviewer, assignment=assignment,
                  points=score_points(review_round, 5) | {"need": 9}, comment="需求很迫切")

    assignment.refresh_from_db()
    assert sorted(assignment.scores.values_list("criterion__code", "points")) == [
        ("budget", 5), ("feasibility", 5), ("need", 9), ("participation", 5), ("sustainability", 5)]
    assert assignment.comment == "需求很迫切"
    last = records_for(assignment).filter(action="review_assignment.score").last()
    need = str(Criterion.objects.get(edition=world.edition, code="need").pk)
    assert (last.before["points"][need], last.after["points"][need]) == (5, 9)


def test_nobody_but_the_assigned_reviewer_scores(world, officer, submit, start_round):
    project = submit()
    review_round = start_round()
    reviewer = expert()
    panel_of(review_round, reviewer, expert("另一位专家"))
    round_open_scoring(actor=officer, review_round=review_round)

    with pytest.raises(PermissionDenied):
        scores_submit(actor=officer, assignment=assignment_of(review_round, project, reviewer),
                      points=score_points(review_round, 10))
    assert not Score.objects.exists()


def test_scoring_does_not_close_while_a_project_has_no_score(world, submit, start_round):
    scored_one, waiting = submit(title="问候队"), submit(title="四点半课堂")
    review_round = scored_round(start_round(), {scored_one: [7], waiting: [None]}, close=False)

    with pytest.raises(ValidationError) as refused:
        round_close_scoring(actor=review_round.chair, review_round=review_round)

    assert messages_of(refused.value) == f"No reviewer has scored these projects yet: {waiting.code}."
    review_round.refresh_from_db()
    assert review_round.state == RoundState.SCORING and review_round.scoring_closed_at is None


# --- Decisions within the street's budget ------------------------------------------------------------------

@pytest.fixture
def closed_round(submit, start_round):
    """Cap 10,000 yuan: 问候队 (6,000, scored 90) is within it, 四点半课堂 (6,000, scored 70) is not."""

    def _make(**kwargs):
        first, second = submit("6000", title="问候队"), submit("6000", title="四点半课堂")
        kwargs.setdefault("budget_cap", "10000")
        review_round = scored_round(start_round(**kwargs), {first: [9], second: [7]})
        return review_round, first, second

    return _make


def test_approving_beyond_the_streets_budget_is_refused_with_the_amounts(closed_round):
    review_round, first, second = closed_round()
    decision_record(actor=review_round.chair, review_round=review_round, project=first, outcome=Outcome.APPROVE,
                    reason="需求迫切，方案可行。")

    with pytest.raises(ValidationError) as refused:
        decision_record(actor=review_round.chair, review_round=review_round, project=second,
                        outcome=Outcome.APPROVE, reason="也很好。", override_reason="居民呼声很高。")

    assert refused.value.message_dict == {"outcome": [
        "Approving it would bring the approved projects to 12,000.00 yuan, over the street's budget of "
        "10,000.00 yuan."]}
    assert list(Decision.objects.values_list("project", flat=True)) == [first.pk]


def test_rejecting_within_the_line_or_approving_outside_it_needs_a_reason_kept_with_the_decision(closed_round):
    review_round, first, second = closed_round()
    chair = review_round.chair

    with pytest.raises(ValidationError) as refused:
        decision_record(actor=chair, review_round=review_round, project=first, outcome=Outcome.REJECT,
                        reason="场地没有落实。")
    assert list(refused.value.message_dict) == ["override_reason"]
    with pytest.raises(ValidationError) as refused:
        decision_record(actor=chair, review_round=review_round, project=second, outcome=Outcome.APPROVE,
                        reason="居民需要。")
    assert list(refused.value.message_dict) == ["override_reason"]
    assert not Decision.objects.exists()

    rejected = decision_record(actor=chair, review_round=review_round, project=first, outcome=Outcome.REJECT,
                               reason="场地没有落实。", override_reason="实地查看发现活动室已改作他用。")
    approved = decision_record(actor=chair, review_round=review_round, project=second, outcome=Outcome.APPROVE,
                               reason="居民需要。", override_reason="第一名未获通过，预算可容纳本项目。")

    assert (rejected.within_cap, rejected.rank, rejected.is_override) == (True, 1, True)
    assert (approved.within_cap, approved.rank, approved.score) == (False, 2, Decimal("70.00"))
    assert approved.override_reason == "第一名未获通过，预算可容纳本项目。"
    record = records_for(approved).get(action="review_decision.record")
    assert record.actor == chair and record.after["override_reason"] == "第一名未获通过，预算可容纳本项目。"
    assert record.after["within_cap"] is False


def test_a_decision_that_follows_the_ranking_needs_no_override_reason(closed_round):
    review_round, first, second = closed_round()

    approved = decision_record(actor=review_round.chair, review_round=review_round, project=first,
                               outcome=Outcome.APPROVE, reason="需求迫切。", override_reason="ignored")
    rejected = decision_record(actor=review_round.chair, review_round=review_round, project=second,
                               outcome=Outcome.REJECT, reason="超出预算。")

    assert (approved.override_reason, approved.is_override) == ("", False)
    assert (rejected.override_reason, rejected.is_override) == ("", False)


def test_approving_with_conditions_needs_the_conditions(closed_round):
    review_round, first, _second = closed_round()

    with pytest.raises(ValidationError) as refused:
        decision_record(actor=review_round.chair, review_round=review_round, project=first,
                        outcome=Outcome.APPROVE_WITH_CONDITIONS, reason="方案可行。", conditions=" ")
    assert refused.value.message_dict == {"conditions": ["Please write the conditions."]}

    decision = decision_record(actor=review_round.chair, review_round=review_round, project=first,
                               outcome=Outcome.APPROVE_WITH_CONDITIONS, reason="方案可行。",
                               conditions="开工前提交场地使用协议。")
    assert decision.approves and decision.conditions == "开工前提交场地使用协议。"


def test_a_decision_needs_a_reason(closed_round):
    review_round, first, _second = closed_round()
    with pytest.raises(ValidationError) as refused:
        decision_record(actor=review_round.chair, review_round=review_round, project=first,
                        outcome=Outcome.APPROVE, reason="")
    assert refused.value.message_dict == {"reason": ["Please write the reason."]}


def test_only_the_chair_decides_and_only_once_scoring_has_closed(world, officer, submit, start_round):
    project = submit()
    review_round = scored_round(start_round(), {project: [8]}, close=False)

    with pytest.raises(TransitionNotAllowed, match="after scoring closes"):
        decision_record(actor=officer, review_round=review_round, project=project, outcome=Outcome.APPROVE,
                        reason="好。")
    review_round = round_close_scoring(actor=officer, review_round=review_round)
    colleague = staff_user(Role.STREET_OFFICER, area=world.street)
    with pytest.raises(PermissionDenied, match="chair"):
        decision_record(actor=colleague, review_round=review_round, project=project, outcome=Outcome.APPROVE,
                        reason="好。")
    assert not Decision.objects.exists()


def test_a_later_decision_replaces_the_earlier_one(closed_round):
    review_round, first, _second = closed_round()
    decision_record(actor=review_round.chair, review_round=review_round, project=first, outcome=Outcome.APPROVE,
                    reason="好。")
    decision_record(actor=review_round.chair, review_round=review_round, project=first, outcome=Outcome.REJECT,
                    reason="复核后发现重复。", override_reason="与区级项目重复。")

    assert Decision.objects.get().outcome == Outcome.REJECT
    assert records_for(Decision.objects.get()).last().before == {"outcome": "approve", "reason": "好。"}


# --- Publication ------------------------------------------------------------------------------------------

def test_results_are_not_published_before_every_project_is_decided(closed_round):
    review_round, first, _second = closed_round()
    decision_record(actor=review_round.chair, review_round=review_round, project=first, outcome=Outcome.APPROVE,
                    reason="好。")

    with pytest.raises(ValidationError) as refused:
        round_publish(actor=review_round.chair, review_round=review_round)

    assert refused.value.messages == ["Before publishing: Every project has a decision (1 without one)."]
    review_round.refresh_from_db()
    first.refresh_from_db()
    assert review_round.state == RoundState.CLOSED and first.state == ProjectState.SUBMITTED


def test_results_are_not_published_while_the_resident_vote_is_pending(closed_round):
    review_round, first, second = closed_round()
    vote_configure(actor=review_round.chair, review_round=review_round, rule="greedy", use="advisory")
    for project, outcome in ((first, Outcome.APPROVE), (second, Outcome.REJECT)):
        decision_record(actor=review_round.chair, review_round=review_round, project=project, outcome=outcome,
                        reason="依评分。")

    with pytest.raises(ValidationError) as refused:
        round_publish(actor=review_round.chair, review_round=review_round)

    assert refused.value.messages == ["Before publishing: The resident vote is closed and counted."]
    assert ReviewRound.objects.get().state == RoundState.CLOSED


def test_publishing_moves_the_projects_on_and_tells_proposers_and_implementers(world, officer, implementer,
                                                                                submit, start_round):
    proposers = UserFactory(display_name="王秀兰"), UserFactory(display_name="李明")
    first = submit("6000", title="问候队", proposer=proposers[0])
    second = submit("6000", title="四点半课堂", proposer=proposers[1])
    review_round = scored_round(start_round(budget_cap="10000"), {first: [9], second: [7]})
    decision_record(actor=officer, review_round=review_round, project=first,
                    outcome=Outcome.APPROVE_WITH_CONDITIONS, reason="需求迫切。", conditions="每月报送服务台账。")
    decision_record(actor=officer, review_round=review_round, project=second, outcome=Outcome.REJECT,
                    reason="超出街道预算。")
    Notification.objects.all().delete()

    review_round = round_publish(actor=officer, review_round=review_round)

    assert review_round.state == RoundState.PUBLISHED and review_round.published_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (ProjectState.APPROVED, ProjectState.REJECTED)
    assert [(t.name, t.note) for t in first.transitions.filter(name__in=["approve", "reject"])] == [
        ("approve", "需求迫切。\n每月报送服务台账。")]
    assert [(t.name, t.note, t.actor) for t in second.transitions.filter(name__in=["approve", "reject"])] == [
        ("reject", "超出街道预算。", officer)]
    told = {(n.user, project.title) for n in Notification.objects.all() for project in (first, second)
            if project.title in n.subject}
    assert told == {(proposers[0], "问候队"), (proposers[1], "四点半课堂"),
                    (implementer.staff, "问候队"), (implementer.staff, "四点半课堂")}
    assert [t.name for t in review_round.transitions.all()][-1] == "publish"
    assert records_for(review_round).last().after == {"state": "published", "approved": 1, "rejected": 1}


def test_only_the_chair_publishes(world, organiser, closed_round):
    review_round, first, second = closed_round()
    for project, outcome in ((first, Outcome.APPROVE), (second, Outcome.REJECT)):
        decision_record(actor=review_round.chair, review_round=review_round, project=project, outcome=outcome,
                        reason="依评分。")

    with pytest.raises(PermissionDenied):
        round_publish(actor=organiser, review_round=review_round)
    assert ReviewRound.objects.get().state == RoundState.CLOSED


def test_the_budget_cannot_be_lowered_below_what_is_already_approved(closed_round, organiser):
    review_round, first, _second = closed_round()
    decision_record(actor=review_round.chair, review_round=review_round, project=first, outcome=Outcome.APPROVE,
                    reason="好。")

    with pytest.raises(ValidationError) as refused:
        round_update(actor=organiser, review_round=review_round, budget_cap="5000")
    assert refused.value.message_dict == {"budget_cap": [
        "Projects worth 6,000.00 yuan are already approved; the budget cannot be lower."]}
    assert ReviewRound.objects.get().budget_cap == Decimal("10000.00")

    round_update(actor=organiser, review_round=review_round, budget_cap="6000")
    assert ReviewRound.objects.get().budget_cap == Decimal("6000.00")


def test_a_published_round_no_longer_changes(closed_round):
    review_round, first, second = closed_round()
    for project, outcome in ((first, Outcome.APPROVE), (second, Outcome.REJECT)):
        decision_record(actor=review_round.chair, review_round=review_round, project=project, outcome=outcome,
                        reason="依评分。")
    review_round = round_publish(actor=review_round.chair, review_round=review_round)

    with pytest.raises(TransitionNotAllowed):
        round_update(actor=review_round.chair, review_round=review_round, budget_cap="20000")
    with pytest.raises(TransitionNotAllowed):
        decision_record(actor=review_round.chair, review_round=review_round, project=second,
                        outcome=Outcome.APPROVE, reason="改了。")
    assert ReviewRound.objects.get().budget_cap == Decimal("10000.00")


def test_panel_members_are_told_and_listed_once(world, start_round):
    review_round = start_round()
    reviewer = expert()

    panel_add(actor=review_round.chair, review_round=review_round, user=reviewer, role=PanelRole.EXPERT)
    with pytest.raises(ValidationError, match="already on the panel"):
        panel_add(actor=review_round.chair, review_round=review_round, user=reviewer, role=PanelRole.EXPERT)

    assert PanelMember.objects.filter(round=review_round, user=reviewer).count() == 1
    assert Notification.objects.filter(user=reviewer).count() == 1
