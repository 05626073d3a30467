"""A street office's system takes ideas to a project through the API: merge, match, plan, submit."""

import pytest

from jindianzi.accounts.models import Role
from jindianzi.ideas.models import Idea
from jindianzi.ideas.services import idea_screen

from ..factories import OrganizationFactory, UserFactory, staff_user, submit_idea
from .conftest import basic, post_json


@pytest.fixture
def officer(world):
    return staff_user(Role.STREET_OFFICER, area=world.street)


@pytest.fixture
def two_ideas(world, officer):
    anonymous_proposer = UserFactory(display_name="隐名居民张")
    first = submit_idea(edition=world.edition, community=world.community, proposer=anonymous_proposer,
                        anonymous=True, title="独居老人每日问候")
    second = submit_idea(edition=world.edition, community=world.neighbour, title="老人电话问候队")
    for idea in (first, second):
        idea_screen(actor=officer, idea=idea, decision="shortlist", reason="需求真实")
    return first, second


def test_merge_match_plan_and_submit_through_the_api(world, officer, two_ideas, api_client):
    first, second = two_ideas
    merged = post_json(api_client, "/api/v1/projects", {
        "ideas": [first.tracking_code, second.tracking_code], "title": "西屯街道独居老人问候行动"}, **basic(officer))
    assert merged.status_code == 201, merged.content
    code = merged.json()["code"]
    assert {i["tracking_code"] for i in merged.json()["ideas"]} == {first.tracking_code, second.tracking_code}

    organization = OrganizationFactory(name="老爷庙社区助老服务队", home_area=world.community)
    org_staff = staff_user(Role.ORG_STAFF, organization=organization)
    suggestions = api_client.get(f"/api/v1/projects/{code}/suggestions", **basic(officer)).json()
    assert suggestions[0]["organization"]["name"] == "老爷庙社区助老服务队"
    offer = post_json(api_client, f"/api/v1/projects/{code}/offers",
                      {"organization": organization.pk, "message": "请承接"}, **basic(officer)).json()
    answered = post_json(api_client, f"/api/v1/offers/{offer['id']}/answer", {"accept": True}, **basic(org_staff))
    assert answered.json()["state"] == "accepted"

    plan = api_client.put(f"/api/v1/projects/{code}/plan", {
        "title": "西屯街道独居老人问候行动", "category": "elderly", "objectives": "每天问候独居老人",
        "target_groups": "独居老人", "expected_beneficiaries": 2000, "planned_activities": 48,
        "starts_on": "2017-08-01", "ends_on": "2017-11-30",
        "budget_lines": [{"item": "问候卡", "amount": "1200.00"}, {"item": "志愿者餐补", "amount": "3000.50"}]},
        content_type="application/json", **basic(org_staff))
    assert plan.status_code == 200, plan.content
    assert plan.json()["budget_total"] == "4200.50"

    submitted = post_json(api_client, f"/api/v1/projects/{code}/submit", {}, **basic(officer))
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    # After submission the merge cannot be undone.
    undo = api_client.delete(f"/api/v1/projects/{code}/ideas/{first.tracking_code}", **basic(officer))
    assert undo.status_code == 409
    assert Idea.objects.get(pk=first.pk).merged_into.code == code


def test_public_project_credits_every_author_without_hidden_names(world, officer, two_ideas, api_client):
    first, second = two_ideas
    code = post_json(api_client, "/api/v1/projects", {
        "ideas": [first.tracking_code, second.tracking_code], "title": "问候行动"}, **basic(officer)).json()["code"]

    detail = api_client.get(f"/api/v1/projects/{code}")

    names = {i["tracking_code"]: i["proposer_name"] for i in detail.json()["ideas"]}
    assert names[second.tracking_code] == second.proposer_name
    assert "隐名居民张" not in detail.content.decode()
    listed = api_client.get("/api/v1/projects", {"edition": world.edition.slug}).json()
    assert listed["count"] == 1 and listed["items"][0]["idea_count"] == 2


def test_merging_an_idea_that_is_not_shortlisted_is_refused(world, officer, api_client):
    waiting = submit_idea(edition=world.edition, community=world.community)

    response = post_json(api_client, "/api/v1/projects", {"ideas": [waiting.tracking_code], "title": "x"},
                         **basic(officer))

    assert response.status_code == 422
    assert Idea.objects.get(pk=waiting.pk).merged_into is None


def test_suggestions_are_for_staff_of_the_street_only(world, officer, two_ideas, api_client):
    first, second = two_ideas
    code = post_json(api_client, "/api/v1/projects", {"ideas": [first.tracking_code], "title": "问候"},
                     **basic(officer)).json()["code"]
    outsider = staff_user(Role.STREET_OFFICER, area=world.other_street)

    assert api_client.get(f"/api/v1/projects/{code}/suggestions", **basic(outsider)).status_code == 403
    assert api_client.get(f"/api/v1/projects/{code}/suggestions").status_code == 401
