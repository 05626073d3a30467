"""Screening decisions and revisions through the API, as a street office's system or a mobile client would use them."""

import pytest

from jindianzi.accounts.models import Role
from jindianzi.core.models import AuditRecord
from jindianzi.ideas.models import Idea

from ..factories import UserFactory, staff_user, submit_idea
from .conftest import basic, post_json


@pytest.fixture
def officer(world):
    return staff_user(Role.STREET_OFFICER, area=world.street)


def test_street_officer_shortlists_an_idea_and_the_public_timeline_shows_it(world, officer, api_client):
    idea = submit_idea(edition=world.edition, community=world.community)

    response = post_json(api_client, f"/api/v1/ideas/{idea.tracking_code}/decision",
                         {"decision": "shortlist", "reason": "居民需求迫切"}, **basic(officer))

    assert response.status_code == 200
    assert response.json()["state"] == "shortlisted"
    assert [step["state"] for step in api_client.get(f"/api/v1/ideas/{idea.tracking_code}").json()["timeline"]] == [
        "submitted", "shortlisted"]


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(world, officer, api_client):
    idea = submit_idea(edition=world.edition, community=world.community)

    response = post_json(api_client, f"/api/v1/ideas/{idea.tracking_code}/decision",
                         {"decision": "decline", "reason": "  "}, **basic(officer))

    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    assert Idea.objects.get(pk=idea.pk).state == "submitted"


def test_an_officer_of_another_street_cannot_decide(world, api_client):
    idea = submit_idea(edition=world.edition, community=world.community)
    outsider = staff_user(Role.STREET_OFFICER, area=world.other_street)

    response = post_json(api_client, f"/api/v1/ideas/{idea.tracking_code}/decision",
                         {"decision": "shortlist", "reason": "好"}, **basic(outsider))

    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).state == "submitted"


def test_bulk_decision_applies_where_allowed_and_lists_the_rest(world, officer, api_client):
    mine = [submit_idea(edition=world.edition, community=world.community) for _ in range(2)]
    elsewhere = submit_idea(edition=world.edition, community=world.other_community)

    response = post_json(api_client, "/api/v1/ideas/decisions", {
        "ideas": [i.tracking_code for i in mine] + [elsewhere.tracking_code, "JDNOSUCH99"],
        "decision": "decline", "reason": "与本届主题不符"}, **basic(officer))

    body = response.json()
    assert sorted(body["done"]) == sorted(i.tracking_code for i in mine)
    assert {r["tracking_code"] for r in body["refused"]} == {elsewhere.tracking_code, "JDNOSUCH99"}
    assert Idea.objects.get(pk=elsewhere.pk).state == "submitted"


def test_proposer_revises_and_every_version_is_listed_without_names(world, api_client):
    proposer = UserFactory(display_name="张桂芳")
    idea = submit_idea(edition=world.edition, community=world.community, proposer=proposer, anonymous=True)

    response = post_json(api_client, f"/api/v1/ideas/{idea.tracking_code}/revisions", {
        "title": "为独居老人建立每日电话问候队", "problem": idea.problem, "proposal": idea.proposal,
        "beneficiaries": idea.beneficiaries, "estimated_budget": "9000.50", "note": "改为电话问候，降低成本"},
        **basic(proposer))

    assert response.status_code == 201
    revisions = api_client.get(f"/api/v1/ideas/{idea.tracking_code}/revisions").json()
    assert [(r["number"], r["by"], r["estimated_budget"]) for r in revisions] == [
        (1, "proposer", "12000.00"), (2, "proposer", "9000.50")]
    assert "张桂芳" not in api_client.get(f"/api/v1/ideas/{idea.tracking_code}/revisions").content.decode()
    assert AuditRecord.objects.filter(action="idea.revise", target_id=str(idea.pk)).count() == 1


def test_a_revision_that_changes_nothing_is_refused(world, api_client):
    proposer = UserFactory()
    idea = submit_idea(edition=world.edition, community=world.community, proposer=proposer)

    response = post_json(api_client, f"/api/v1/ideas/{idea.tracking_code}/revisions", {
        "title": idea.title, "problem": idea.problem, "proposal": idea.proposal,
        "beneficiaries": idea.beneficiaries, "estimated_budget": str(idea.estimated_budget)}, **basic(proposer))

    assert response.status_code == 422
    assert idea.revisions.count() == 1
