"""Projects through their service functions: merging, undoing, the plan and budget rule, matching, submitting."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.core.audit import records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.ideas.models import Idea
from jindianzi.ideas.workflow import IdeaState
from jindianzi.notifications.models import Notification
from jindianzi.projects.models import BudgetLine, MatchOffer, Project
from jindianzi.projects.selectors import project_by_code
from jindianzi.projects.services import (
    BUDGET_IDEAS_CAP, budget_limit, match_offer_answer, match_offer_send, match_offer_withdraw, project_add_idea,
    project_plan_update, project_remove_idea, project_submit, projects_merge, submission_requirements,
)
from jindianzi.projects.workflow import OfferState, ProjectState

from ..factories import (
    EditionFactory, OrganizationFactory, UserFactory, match_project, merged_project, plan_for, staff_user,
    submit_idea,
)

pytestmark = pytest.mark.django_db


def credited(project) -> list[str]:
    """The names the project's public page credits, read through the public selector."""
    return [idea.public_proposer_name for idea in project_by_code(project.code).ideas.all()]


def steps(project) -> list[tuple[str, str]]:
    return [(s.name, s.idea.tracking_code if s.idea else "") for s in project.transitions.all()]


def messages_of(error) -> str:
    return " ".join(error.messages)


# --- Merging keeps every author -------------------------------------------------------------------

def test_merging_ideas_of_two_communities_credits_every_author_and_keeps_each_idea(world, officer, shortlist):
    first = shortlist(proposer=UserFactory(display_name="王秀兰"))
    second = shortlist(community=world.neighbour, proposer=UserFactory(display_name="李明"))

    project = projects_merge(actor=officer, ideas=[first, second], title="两社区独居老人问候队")

    assert project.state == ProjectState.DRAFT and project.street == world.street
    assert project.code == f"{world.edition.slug}-001" and project.category == first.category
    for idea in (first, second):
        idea.refresh_from_db()
        assert idea.state == IdeaState.MERGED and idea.merged_into == project
        assert idea.transitions.last().name == "merge"
    assert credited(project) == ["王秀兰", "李明"]
    assert steps(project) == [("create", ""), ("add_idea", first.tracking_code), ("add_idea", second.tracking_code)]
    assert [r.action for r in records_for(project)] == ["project.create", "project.add_idea", "project.add_idea"]


def test_an_anonymous_proposer_is_credited_without_their_name(world, officer, shortlist):
    idea = shortlist(proposer=UserFactory(display_name="赵大妈"), anonymous=True)
    project = projects_merge(actor=officer, ideas=[idea], title="问候队")
    assert credited(project) == ["A resident who asked to stay anonymous"]


def test_merging_tells_the_proposer_once_the_change_commits(world, officer, shortlist, django_capture_on_commit_callbacks):
    proposer = UserFactory(login="author@example.org", display_name="王秀兰")
    idea = shortlist(proposer=proposer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        projects_merge(actor=officer, ideas=[idea], title="问候队")
    assert Notification.objects.filter(user=proposer, subject__contains=idea.title).exists()
    assert [m.to for m in mail.outbox] == [["author@example.org"]]


def test_project_numbers_count_up_within_an_edition(world, officer, shortlist):
    one = projects_merge(actor=officer, ideas=[shortlist()], title="一")
    two = projects_merge(actor=officer, ideas=[shortlist()], title="二")
    assert (one.number, two.number) == (1, 2) and two.code.endswith("-002")


# --- Merging refuses, and changes nothing --------------------------------------------------------

def assert_nothing_merged(*ideas, state=IdeaState.SHORTLISTED):
    assert not Project.objects.exists()
    for idea in ideas:
        idea.refresh_from_db()
        assert idea.merged_into is None and idea.state in (state, IdeaState.SUBMITTED)


def test_only_shortlisted_ideas_can_be_merged(world, officer, shortlist):
    good = shortlist()
    raw = submit_idea(edition=world.edition, community=world.community)
    with pytest.raises(ValidationError) as refused:
        projects_merge(actor=officer, ideas=[good, raw], title="问候队")
    assert raw.tracking_code in messages_of(refused.value) and "only shortlisted ideas" in messages_of(refused.value)
    assert good.tracking_code not in messages_of(refused.value)
    assert_nothing_merged(good, raw)


def test_ideas_of_another_edition_cannot_be_merged(world, officer, shortlist, worker):
    from ..factories import shortlisted_idea

    other = EditionFactory(district=world.district)
    here, there = shortlist(), shortlisted_idea(actor=worker, edition=other, community=world.community)
    with pytest.raises(ValidationError) as refused:
        projects_merge(actor=officer, ideas=[here, there], title="问候队")
    assert "another edition" in messages_of(refused.value)
    assert_nothing_merged(here, there)


def test_a_street_officer_cannot_merge_an_idea_of_another_street(world, officer, shortlist):
    ours, theirs = shortlist(), shortlist(community=world.other_community)
    with pytest.raises(ValidationError) as refused:
        projects_merge(actor=officer, ideas=[ours, theirs], title="问候队")
    assert theirs.tracking_code in messages_of(refused.value) and "outside your area" in messages_of(refused.value)
    assert_nothing_merged(ours, theirs)


def test_the_district_organiser_merges_across_streets_into_the_lead_street(world, organiser, shortlist):
    a, b, c = shortlist(), shortlist(community=world.other_community), shortlist(community=world.other_community)
    project = projects_merge(actor=organiser, ideas=[a, b, c], title="全区问候队")
    assert project.street == world.other_street  # most ideas come from 西城街道
    chosen = projects_merge(actor=organiser, ideas=[shortlist()], title="x", street=world.street)
    assert chosen.street == world.street
    with pytest.raises(ValidationError, match="lead street"):
        projects_merge(actor=organiser, ideas=[shortlist()], title="x", street=world.other_street)


def test_an_idea_already_in_a_project_cannot_be_merged_again(world, officer, shortlist):
    idea = shortlist()
    project = projects_merge(actor=officer, ideas=[idea], title="一")
    with pytest.raises(ValidationError, match=f"already part of project {project.code}"):
        projects_merge(actor=officer, ideas=[idea], title="二")
    assert Project.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "worker", "other_officer"])
def test_only_street_officers_and_organisers_merge(world, shortlist, who):
    actor = {"resident": lambda: UserFactory(),
             "worker": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.community),
             "other_officer": lambda: staff_user(Role.STREET_OFFICER, area=world.other_street)}[who]()
    idea = shortlist()
    with pytest.raises((PermissionDenied, ValidationError)):
        projects_merge(actor=actor, ideas=[idea], title="问候队")
    assert_nothing_merged(idea)


def test_a_merge_needs_a_title_and_an_idea(world, officer, shortlist):
    with pytest.raises(ValidationError) as refused:
        projects_merge(actor=officer, ideas=[shortlist()], title="  ")
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError):
        projects_merge(actor=officer, ideas=[], title="x")
    assert not Project.objects.exists()


# --- Adding and undoing ---------------------------------------------------------------------------

def test_an_idea_is_added_by_its_tracking_code(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    extra = shortlist(community=world.neighbour, proposer=UserFactory(display_name="张三"))
    project_add_idea(actor=officer, project=project, tracking_code=f" {extra.tracking_code.lower()} ")
    assert "张三" in credited(project)
    with pytest.raises(ValidationError, match="No idea has the tracking code"):
        project_add_idea(actor=officer, project=project, tracking_code="JDNOTHERE")


def test_a_street_officer_cannot_add_an_idea_of_another_street(world, officer, organiser, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    theirs = shortlist(community=world.other_community)
    with pytest.raises(ValidationError):
        project_add_idea(actor=officer, project=project, idea=theirs)
    project_add_idea(actor=organiser, project=project, idea=theirs)  # the organiser may
    assert project.ideas.count() == 2


def test_undoing_a_merge_returns_the_idea_and_keeps_the_other_authors(world, officer, shortlist):
    kept = shortlist(proposer=UserFactory(display_name="王秀兰"))
    taken = shortlist(community=world.neighbour, proposer=UserFactory(display_name="李明"))
    project = projects_merge(actor=officer, ideas=[kept, taken], title="问候队")

    project_remove_idea(actor=officer, project=project, idea=taken)

    taken.refresh_from_db()
    assert taken.state == IdeaState.SHORTLISTED and taken.merged_into is None
    assert [t.name for t in taken.transitions.all()][-2:] == ["merge", "unmerge"]
    assert credited(project) == ["王秀兰"]
    assert steps(project)[-1] == ("remove_idea", taken.tracking_code)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_taking_out_the_last_idea_dissolves_the_project_and_withdraws_its_offer(world, officer, shortlist):
    idea = shortlist()
    project = projects_merge(actor=officer, ideas=[idea], title="问候队")
    offer = match_project(project, actor=officer)

    project_remove_idea(actor=officer, project=project, idea=idea)

    project.refresh_from_db()
    offer.refresh_from_db()
    assert project.state == ProjectState.DISSOLVED and project.organization is None
    assert offer.state == OfferState.WITHDRAWN
    assert project_by_code(project.code).ideas.count() == 0
    with pytest.raises(TransitionNotAllowed):
        project_add_idea(actor=officer, project=project, idea=shortlist())


def test_an_idea_of_another_project_cannot_be_taken_out(world, officer, shortlist):
    one = projects_merge(actor=officer, ideas=[shortlist()], title="一")
    other_idea = shortlist()
    projects_merge(actor=officer, ideas=[other_idea], title="二")
    with pytest.raises(ValidationError, match="not part of this project"):
        project_remove_idea(actor=officer, project=one, idea=other_idea)


def test_a_merge_cannot_be_undone_once_the_project_is_submitted(world, officer):
    from ..factories import ProjectFactory

    project = ProjectFactory(edition=world.edition, community=world.community, actor=officer, ready=True)
    project_submit(actor=officer, project=project)
    idea = project.ideas.first()
    with pytest.raises(TransitionNotAllowed, match="submitted to the street review"):
        project_remove_idea(actor=officer, project=project, idea=idea)
    with pytest.raises(TransitionNotAllowed):
        project_plan_update(actor=officer, project=project, plan=plan_for(project))
    idea.refresh_from_db()
    assert idea.state == IdeaState.MERGED and idea.merged_into_id == project.pk


# --- The plan and the budget rule -------------------------------------------------------------------

def test_the_budget_limit_is_the_per_idea_maximum_for_each_idea_up_to_a_cap(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist(), shortlist()], title="问候队")
    per_idea = world.edition.max_budget_per_idea
    assert budget_limit(project) == per_idea * 2
    assert budget_limit(project, idea_count=10) == per_idea * BUDGET_IDEAS_CAP
    project.edition.max_budget_per_idea = None
    assert budget_limit(project) is None


def test_a_budget_over_the_limit_is_refused_and_changes_nothing(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    project_plan_update(actor=officer, project=project, plan=plan_for(project))
    limit = budget_limit(project)
    with pytest.raises(ValidationError) as refused:
        project_plan_update(actor=officer, project=project, plan=plan_for(
            project, objectives="改了", budget_lines=[("场地", limit), ("物料", Decimal("0.01"))]))
    assert "more than this project may spend" in " ".join(refused.value.message_dict["budget"])
    project.refresh_from_db()
    assert project.objectives == plan_for(project).objectives
    assert [(b.item, b.amount) for b in BudgetLine.objects.filter(project=project)] == plan_for(project).budget_lines
    # Exactly the limit is allowed.
    project_plan_update(actor=officer, project=project, plan=plan_for(project, budget_lines=[("场地", limit)]))


def test_plan_input_errors_are_each_reported(world, officer, shortlist):
    import datetime

    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    with pytest.raises(ValidationError) as refused:
        project_plan_update(actor=officer, project=project, plan=plan_for(
            project, title="", starts_on=datetime.date(2017, 9, 1), ends_on=datetime.date(2017, 8, 1),
            budget_lines=[("", Decimal("10")), ("物料", Decimal("-5")), ("餐补", "abc")]))
    errors = refused.value.message_dict
    assert set(errors) == {"title", "ends_on", "budget"}
    assert len(errors["budget"]) == 3 and errors["budget"][0].startswith("Line 1")
    assert not BudgetLine.objects.exists()


def test_money_is_kept_to_the_fen(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    project_plan_update(actor=officer, project=project, plan=plan_for(
        project, budget_lines=[("a", "0.10"), ("b", "0.20"), ("c", "1,000.005")]))
    amounts = [b.amount for b in project.budget_lines.all()]
    assert amounts == [Decimal("0.10"), Decimal("0.20"), Decimal("1000.01")] and sum(amounts) == Decimal("1000.31")


# --- Submitting -----------------------------------------------------------------------------------

def test_submitting_needs_an_organisation_a_plan_and_a_budget_within_the_rule(world, officer, shortlist):
    a, b = shortlist(), shortlist()
    project = projects_merge(actor=officer, ideas=[a, b], title="问候队")
    with pytest.raises(ValidationError) as refused:
        project_submit(actor=officer, project=project)
    text = messages_of(refused.value)
    assert "implementing organisation" in text and "Objectives" in text and "budget" in text

    match_project(project, actor=officer)
    limit_for_two = budget_limit(project)
    project_plan_update(actor=officer, project=project, plan=plan_for(
        project, budget_lines=[("场地", limit_for_two)]))
    project_remove_idea(actor=officer, project=project, idea=b)  # the limit halves: the budget is now too high
    with pytest.raises(ValidationError, match="within the limit"):
        project_submit(actor=officer, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT

    project_plan_update(actor=officer, project=project, plan=plan_for(project))
    project_submit(actor=officer, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED and project.submitted_at is not None
    assert steps(project)[-1] == ("submit", "")
    assert all(r.met for r in submission_requirements(project))


def test_only_staff_of_the_street_submit(world, officer, shortlist):
    from ..factories import ProjectFactory

    project = ProjectFactory(edition=world.edition, community=world.community, actor=officer, ready=True)
    implementer = project.organization
    org_staff = staff_user(Role.ORG_STAFF, organization=implementer)
    for actor in (org_staff, staff_user(Role.STREET_OFFICER, area=world.other_street),
                  staff_user(Role.COMMUNITY_WORKER, area=world.community)):
        with pytest.raises(PermissionDenied):
            project_submit(actor=actor, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


# --- Matching (对接) ---------------------------------------------------------------------------------

def test_one_live_offer_per_project(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    first, second = OrganizationFactory(home_area=world.community), OrganizationFactory(home_area=world.community)
    offer = match_offer_send(actor=officer, project=project, organization=first)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        match_offer_send(actor=officer, project=project, organization=second)
    match_offer_withdraw(actor=officer, offer=offer, reason="换一家")
    match_offer_send(actor=officer, project=project, organization=second)
    assert MatchOffer.objects.filter(project=project, state=OfferState.OFFERED).count() == 1


def test_only_the_organisations_own_staff_accept(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    org = OrganizationFactory(home_area=world.community)
    own = staff_user(Role.ORG_STAFF, organization=org, login="staff@org.example")
    stranger = staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community))
    offer = match_offer_send(actor=officer, project=project, organization=org, message="请承接")
    assert Notification.objects.filter(user=own, subject__contains=project.title).exists()
    for actor in (stranger, officer, UserFactory()):
        with pytest.raises(PermissionDenied):
            match_offer_answer(actor=actor, offer=offer, accept=True)
    offer.refresh_from_db()
    assert offer.state == OfferState.OFFERED

    match_offer_answer(actor=own, offer=offer, accept=True, reason="我们有经验")
    offer.refresh_from_db()
    project.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and offer.answered_by == own and project.organization == org
    told = Notification.objects.get(user=officer)
    assert org.name in told.subject and project.title in told.subject and "同意承接" in told.subject  # site language
    assert steps(project)[-1] == ("match", "")
    with pytest.raises(TransitionNotAllowed):
        match_offer_answer(actor=own, offer=offer, accept=False, reason="改主意")


def test_declining_needs_a_reason_and_leaves_the_project_unmatched(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    org = OrganizationFactory(home_area=world.community)
    own = staff_user(Role.ORG_STAFF, organization=org)
    offer = match_offer_send(actor=officer, project=project, organization=org)
    with pytest.raises(ValidationError) as refused:
        match_offer_answer(actor=own, offer=offer, accept=False, reason=" ")
    assert "reason" in refused.value.message_dict
    match_offer_answer(actor=own, offer=offer, accept=False, reason="人手不足")
    offer.refresh_from_db()
    project.refresh_from_db()
    assert offer.state == OfferState.DECLINED and offer.response_reason == "人手不足"
    assert project.organization is None
    assert Notification.objects.filter(user=officer, body="人手不足").exists()


def test_releasing_an_accepted_organisation_clears_the_match(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    offer = match_project(project, actor=officer)
    match_offer_withdraw(actor=officer, offer=offer)
    project.refresh_from_db()
    assert project.organization is None and steps(project)[-1] == ("unmatch", "")


def test_organisations_that_cannot_implement_are_refused(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    self_org = OrganizationFactory(home_area=world.community, kind="resident_self_organization")
    with pytest.raises(ValidationError, match="cannot implement"):
        match_offer_send(actor=officer, project=project, organization=self_org)
    assert not MatchOffer.objects.exists()


def test_the_plan_can_be_written_by_the_implementing_organisation(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    org = OrganizationFactory(home_area=world.community)
    own = staff_user(Role.ORG_STAFF, organization=org)
    with pytest.raises(PermissionDenied):
        project_plan_update(actor=own, project=project, plan=plan_for(project))
    match_project(project, actor=officer, organization=org, org_staff=own)
    project_plan_update(actor=own, project=project, plan=plan_for(project))
    assert project.budget_lines.count() == 2


def test_every_change_is_audited(world, officer, shortlist):
    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    offer = match_project(project, actor=officer)
    project_plan_update(actor=officer, project=project, plan=plan_for(project))
    project_submit(actor=officer, project=project)
    assert [r.action for r in records_for(project)] == [
        "project.create", "project.add_idea", "project.match", "project.plan", "project.submit"]
    assert [r.action for r in records_for(offer)] == ["match_offer.send", "match_offer.accept"]
    assert Idea.objects.filter(merged_into=project).count() == 1


def test_merged_project_factory_builds_through_the_services(world, officer):
    project = merged_project(edition=world.edition, community=world.community, actor=officer, n_ideas=3)
    assert project.ideas.count() == 3 and project.created_by == officer


def test_the_database_keeps_one_live_offer_per_project_even_without_the_service(world, officer, shortlist):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    project = projects_merge(actor=officer, ideas=[shortlist()], title="问候队")
    first, second = OrganizationFactory(home_area=world.community), OrganizationFactory(home_area=world.community)
    match_offer_send(actor=officer, project=project, organization=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchOffer.objects.create(project=project, organization=second, offered_by=officer,
                                  offered_at=timezone.now(), state=OfferState.ACCEPTED)
