"""Submitting and withdrawing ideas through the API: who may, and what bad input gets back."""

from decimal import Decimal

import pytest
from django.test import Client

from jindianzi.accounts.models import Role
from jindianzi.core.models import AuditRecord
from jindianzi.editions.services import edition_advance_phase
from jindianzi.ideas.models import Idea, IdeaTransition, ProposerKind

from ..factories import OrganizationFactory, UserFactory, staff_user, submit_idea
from .conftest import basic, post_json

URL = "/api/v1/ideas"


@pytest.fixture
def body(world):
    return {
        "edition": world.edition.slug, "community": world.community.id, "category": "elderly",
        "title": "老年人智能手机课堂", "problem": "很多老人不会用手机挂号和缴费。",
        "proposal": "每周六请大学生志愿者在社区活动室教老人用手机。",
        "beneficiaries": "社区老年人约120人", "estimated_budget": "6800.5",
    }


def _nothing_written():
    return Idea.objects.count() == 0 and IdeaTransition.objects.count() == 0 and not AuditRecord.objects.filter(
        action__startswith="idea.").exists()


# ---- submit ------------------------------------------------------------------

def test_verified_resident_submits_with_session(login_as, world, body):
    client = login_as(UserFactory(display_name="周丽"))
    response = post_json(client, URL, body)

    assert response.status_code == 201, response.content
    answer = response.json()
    idea = Idea.objects.get(tracking_code=answer["tracking_code"])
    assert (idea.proposer, idea.community, idea.category.code, idea.title) == (
        client.user, world.community, "elderly", "老年人智能手机课堂")
    assert idea.estimated_budget == Decimal("6800.50") and answer["estimated_budget"] == "6800.50"
    assert answer["state"] == "submitted" and answer["proposer_name"] == "周丽"
    assert [step["state"] for step in answer["timeline"]] == ["submitted"]
    assert client.get(f"{URL}/{idea.tracking_code}").json() == answer


def test_session_submission_needs_the_csrf_token(world, body):
    browser = Client(enforce_csrf_checks=True)
    user = UserFactory()
    browser.force_login(user)
    refused = post_json(browser, URL, body)
    assert refused.status_code == 403 and _nothing_written()

    browser.get("/api/v1/docs")  # any page that renders a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    assert post_json(browser, URL, body, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_basic_auth_with_phone_or_email(api_client, world, body):
    by_phone, by_mail = UserFactory(), UserFactory(login="wangfang@example.cn")
    assert post_json(api_client, URL, body, **basic(by_phone)).status_code == 201
    assert post_json(api_client, URL, {**body, "title": "社区图书角"}, **basic(by_mail)).status_code == 201
    assert set(Idea.objects.values_list("proposer", flat=True)) == {by_phone.pk, by_mail.pk}
    assert "sessionid" not in api_client.cookies  # Basic signs no session in


def test_basic_auth_with_a_wrong_password_is_401(api_client, world, body):
    response = post_json(api_client, URL, body, **basic(UserFactory(), password="not-the-password"))
    assert response.status_code == 401 and _nothing_written()
    assert "HTTP Basic" in response.json()["detail"]


def test_anonymous_visitor_cannot_submit(api_client, world, body):
    response = post_json(api_client, URL, body)
    assert response.status_code == 401 and _nothing_written()
    assert "WWW-Authenticate" not in response  # browsers must not cache Basic credentials for this site


def test_unverified_account_is_refused(api_client, world, body):
    response = post_json(api_client, URL, body, **basic(UserFactory(verified=False)))
    assert response.status_code == 403 and _nothing_written()
    assert response.json() == {"detail": "Please sign in with a verified account to submit an idea."}


def test_bad_input_lists_every_problem_and_writes_nothing(api_client, world, body):
    bad = {**body, "title": "  ", "beneficiaries": "", "estimated_budget": "0",
           "community": world.district.id, "category": "rockets"}
    response = post_json(api_client, URL, bad, **basic(UserFactory()))

    assert response.status_code == 422 and _nothing_written()
    answer = response.json()
    assert answer["errors"] == {
        "community": [f"Choose a community of {world.district.name}."],
        "category": ["Choose one of this edition's service categories."],
        "title": ["Please fill in title."],
        "beneficiaries": ["Please fill in who benefits."],
        "estimated_budget": ["The estimated budget must be more than 0 yuan."],
    }
    assert answer["detail"] == "Some of what was sent is not valid; see the message for each field."


def test_budget_over_the_edition_maximum(api_client, world, body):
    response = post_json(api_client, URL, {**body, "estimated_budget": "50000.01"}, **basic(UserFactory()))
    assert response.status_code == 422
    assert response.json() == {"detail": "The estimated budget may be at most 50,000.00 yuan in this edition.",
                               "errors": {"estimated_budget": [
                                   "The estimated budget may be at most 50,000.00 yuan in this edition."]}}


@pytest.mark.parametrize("budget", [6800.5, 6800, "6800.505", "6,800", "-5", "abc"])
def test_budget_must_be_text_with_at_most_two_decimals(api_client, world, body, budget):
    response = post_json(api_client, URL, {**body, "estimated_budget": budget}, **basic(UserFactory()))
    assert response.status_code == 422 and _nothing_written()
    assert response.json()["errors"] == {"estimated_budget": [
        'Enter the amount in yuan as text with at most two decimals, for example "12000.00".']}


@pytest.mark.parametrize("language, required, whole_number, not_a_choice", [
    ("en", "This field is required.", "Enter a whole number.",
     "Select a valid choice. That choice is not one of the available choices."),
    ("zh-hans", "这个字段是必填项。", "输入整数。", "选择一个有效的选项： 该选择不在可用的选项中。"),
])
def test_messages_in_the_callers_language(world, body, language, required, whole_number, not_a_choice):
    client, headers = Client(HTTP_ACCEPT_LANGUAGE=language), basic(UserFactory())
    missing = dict(body)
    del missing["problem"]
    response = post_json(client, URL, {**missing, "community": "老爷庙"}, **headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"community": [whole_number], "problem": [required]}

    response = post_json(client, URL, {**body, "edition": "no-such-edition"}, **headers)
    assert response.status_code == 422
    assert response.json() == {"detail": not_a_choice, "errors": {"edition": [not_a_choice]}}
    assert _nothing_written()


def test_text_longer_than_the_form_allows(api_client, world, body):
    response = post_json(api_client, URL, {**body, "title": "长" * 81}, **basic(UserFactory()))
    assert response.status_code == 422 and _nothing_written()
    assert response.json()["errors"] == {"title": ["Too long: title may have at most 80 characters."]}


def test_malformed_json_is_400(api_client, world):
    response = api_client.post(URL, "{not json", content_type="application/json", **basic(UserFactory()))
    assert response.status_code == 400 and _nothing_written()
    assert response.json() == {"detail": "The request body is not valid JSON."}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_refused_outside_the_collection_phase(world, body, language):
    edition_advance_phase(actor=None, edition=world.edition)  # collection -> optimisation
    response = post_json(Client(HTTP_ACCEPT_LANGUAGE=language), URL, body, **basic(UserFactory()))

    assert response.status_code == 422 and _nothing_written()
    answer = response.json()
    assert world.edition.name in answer["detail"] and "优化" in answer["detail"]
    assert answer["errors"] == {"__all__": [answer["detail"]]}


def test_organisation_staff_propose_for_their_organisation(api_client, world, body):
    org = OrganizationFactory(name="老爷庙社区助老协会", home_area=world.community)
    member = staff_user(Role.ORG_STAFF, organization=org)
    as_org = {**body, "proposer_kind": ProposerKind.SOCIAL_ORGANIZATION, "proposer_organization": org.id}

    assert post_json(api_client, URL, as_org, **basic(UserFactory())).status_code == 403
    response = post_json(api_client, URL, as_org, **basic(member))
    assert response.status_code == 201 and response.json()["proposer_name"] == "老爷庙社区助老协会"
    unknown = post_json(api_client, URL, {**as_org, "proposer_organization": 999999}, **basic(member))
    assert unknown.status_code == 422 and list(unknown.json()["errors"]) == ["proposer_organization"]


# ---- withdraw ----------------------------------------------------------------

def _withdraw(client, code, **headers):
    return post_json(client, f"{URL}/{code}/withdraw", {"reason": "已与物业协商解决"}, **headers)


def test_proposer_withdraws(api_client, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    response = _withdraw(api_client, idea.tracking_code, **basic(idea.proposer))

    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert [s["state"] for s in response.json()["timeline"]] == ["submitted", "withdrawn"]
    assert "已与物业协商解决" not in response.content.decode()  # the reason is not public
    idea.refresh_from_db()
    assert idea.state == "withdrawn" and idea.transitions.last().note == "已与物业协商解决"


def test_withdraw_without_a_body(login_as, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    client = login_as(idea.proposer)
    assert client.generic("POST", f"{URL}/{idea.tracking_code}/withdraw").status_code == 200
    assert idea.transitions.last().note == ""


def test_withdraw_reason_is_limited(api_client, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    response = post_json(api_client, f"{URL}/{idea.tracking_code}/withdraw", {"reason": "太" * 201},
                         **basic(idea.proposer))
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["Enter at most 200 characters."]}


def test_someone_else_cannot_withdraw(api_client, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    response = _withdraw(api_client, idea.tracking_code, **basic(UserFactory()))
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the proposer can withdraw this idea."}
    idea.refresh_from_db()
    assert idea.state == "submitted" and idea.transitions.count() == 1


def test_withdraw_needs_an_account(api_client, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    assert _withdraw(api_client, idea.tracking_code).status_code == 401


def test_withdraw_unknown_code_is_404(api_client, world):
    assert _withdraw(api_client, "JDNOSUCH1", **basic(UserFactory())).status_code == 404


def test_withdraw_twice_is_a_conflict(api_client, world):
    idea = submit_idea(edition=world.edition, community=world.community)
    assert _withdraw(api_client, idea.tracking_code, **basic(idea.proposer)).status_code == 200
    again = _withdraw(api_client, idea.tracking_code, **basic(idea.proposer))
    assert again.status_code == 409
    assert again.json()["errors"] == {"__all__": [again.json()["detail"]]}
    assert idea.transitions.count() == 2
