"""Street reviews through the API: a chair runs 西屯街道's round, an expert scores blind, residents vote.

The round is built through the services up to where each test starts (``reviews_fixtures.ReviewStages``);
everything after that goes through /api/v1/reviews as a client would, with HTTP Basic.
"""

import json
import re

import pytest

from jindianzi.accounts.models import Role
from jindianzi.reviews.models import Ballot, Criterion

from ..factories import UserFactory, staff_user
from .conftest import basic, post_json, public_text
from .reviews_fixtures import ReviewStages

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reviews"


@pytest.fixture
def people(world):
    return type("People", (), {
        "chair": staff_user(Role.STREET_OFFICER, area=world.street, display_name="刘建华"),
        "expert": staff_user(Role.EXPERT, display_name="王评审"),
        "worker": staff_user(Role.COMMUNITY_WORKER, area=world.community, display_name="社工小王"),
        "resident": UserFactory(display_name="李阿姨"),
    })()


@pytest.fixture
def stages(world, people):
    return ReviewStages(world, chair=people.chair, expert=people.expert, worker=people.worker,
                        resident=people.resident)


def call(client, method: str, url: str, user=None, body=None):
    headers = basic(user) if user is not None else {}
    if method == "get":
        return client.get(url, **headers)
    if method == "post":
        return post_json(client, url, body, **headers)
    return getattr(client, method)(url, json.dumps(body or {}),
                                   content_type="application/json", **headers)


def points(value: int) -> dict:
    return {code: value for code in Criterion.objects.values_list("code", flat=True).distinct()}


# --- The chair, the panel and blind scoring ----------------------------------------------------------------

def test_a_chair_runs_the_round_and_the_results_are_public_without_reviewers(api_client, world, people, stages):
    stages.at("approval")
    chair, expert = people.chair, people.expert
    first, second = stages.projects

    created = call(api_client, "post", f"{BASE}/rounds", chair, {
        "edition": world.edition.slug, "street": world.street.pk, "budget_cap": "80000"})
    assert created.status_code == 201, created.content
    detail = created.json()
    rid = detail["id"]
    assert (detail["state"], detail["budget_cap"], len(detail["rubric"])) == ("setup", "80000.00", 5)
    assert {"reviews.manage_round", "reviews.decide_round"} <= set(detail["permissions"])
    assert [m["user"]["name"] for m in detail["panel"]] == ["刘建华"]

    member = call(api_client, "post", f"{BASE}/rounds/{rid}/panel", chair, {"login": expert.phone, "role": "expert"})
    assert member.status_code == 201 and member.json()["user"]["name"] == "王评审"
    assigned = call(api_client, "post", f"{BASE}/rounds/{rid}/assignments", chair, {"reviewers": [expert.pk]})
    assert assigned.status_code == 201
    assert [(a["project"]["code"], a["submitted"], a["points"]) for a in assigned.json()] == [
        (first.code, False, None), (second.code, False, None)]
    assert call(api_client, "post", f"{BASE}/rounds/{rid}/scoring/open", chair).json()["state"] == "scoring"

    # The expert scores both projects: 8 on every criterion for the first, 6 for the second.
    mine = call(api_client, "get", f"{BASE}/assignments", expert).json()
    assert [(a["project"]["code"], a["round"]["state"], a["points"]) for a in mine] == [
        (first.code, "scoring", {}), (second.code, "scoring", {})]
    for assignment, value in zip(mine, (8, 6)):
        scored = call(api_client, "post", f"{BASE}/assignments/{assignment['id']}/scores", expert,
                      {"points": points(value), "comment": f"评语{value}"})
        assert scored.status_code == 200, scored.content
        assert scored.json()["points"] == points(value)

    # While the panel scores, nobody sees a score: not the chair, not the expert's colleagues.
    for user in (chair, expert):
        hidden = call(api_client, "get", f"{BASE}/rounds/{rid}/scores", user)
        assert hidden.status_code == 403
        assert hidden.json()["detail"] == "Reviewers score blind: the scores are shown once scoring has closed."
    ranking = call(api_client, "get", f"{BASE}/rounds/{rid}/ranking", chair).json()
    assert ranking["revealed"] is False
    assert [(r["project"]["code"], r["rank"], r["score"], r["panel_score"], r["submitted"]) for r in ranking["rows"]] \
        == [(first.code, None, None, None, 1), (second.code, None, None, None, 1)]
    progress = call(api_client, "get", f"{BASE}/rounds/{rid}/assignments", chair).json()
    assert {(a["submitted"], a["points"], a["comment"]) for a in progress} == {(True, None, None)}
    assert call(api_client, "get", f"{BASE}/rounds/{rid}", chair).json()["progress"]["scored"] == 2

    closed = call(api_client, "post", f"{BASE}/rounds/{rid}/scoring/close", chair)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"

    # After the close, the panel and the staff see every score.
    sheet = call(api_client, "get", f"{BASE}/rounds/{rid}/scores", expert).json()
    assert [(p["project"]["code"], [(r["reviewer"]["name"], r["total"], r["comment"]) for r in p["reviewers"]])
            for p in sheet["projects"]] == [(first.code, [("王评审", "80.00", "评语8")]),
                                            (second.code, [("王评审", "60.00", "评语6")])]
    ranking = call(api_client, "get", f"{BASE}/rounds/{rid}/ranking", chair).json()
    assert [(r["rank"], r["project"]["code"], r["score"], r["within_cap"]) for r in ranking["rows"]] == [
        (1, first.code, "80.00", True), (2, second.code, "60.00", True)]

    for project in (first, second):
        decided = call(api_client, "post", f"{BASE}/rounds/{rid}/decisions", chair,
                       {"project": project.code, "outcome": "approve", "reason": "需求迫切，预算合理。"})
        assert decided.status_code == 200, decided.content
    published = call(api_client, "post", f"{BASE}/rounds/{rid}/publish", chair)
    assert published.status_code == 200 and published.json()["state"] == "published"

    # The public reads the decisions with their reasons and the panel's score, and nobody's name.
    results = api_client.get(f"{BASE}/rounds/{rid}/results")
    assert results.status_code == 200
    body = results.json()
    assert (body["approved"], body["rejected"], body["approved_total"]) == (2, 0, "70000.00")
    assert [(d["project"]["code"], d["outcome"], d["reason"], d["score"]) for d in body["decisions"]] == [
        (first.code, "approve", "需求迫切，预算合理。", "80.00"), (second.code, "approve", "需求迫切，预算合理。", "60.00")]
    text = public_text(results)
    for private in ("王评审", "刘建华", "评语8", '"reviewer"', expert.phone, chair.phone):
        assert private not in text
    listed = api_client.get(f"{BASE}/rounds").json()
    assert [r["id"] for r in listed["items"]] == [rid]
    public_detail = api_client.get(f"{BASE}/rounds/{rid}").json()
    assert (public_detail["panel"], public_detail["progress"], public_detail["chair"]) == (None, None, None)


def test_a_round_being_prepared_is_hidden_from_the_public(api_client, stages, people):
    review_round = stages.at("setup")

    assert api_client.get(f"{BASE}/rounds/{review_round.pk}").status_code == 404
    assert api_client.get(f"{BASE}/rounds").json()["count"] == 0
    assert call(api_client, "get", f"{BASE}/rounds", people.chair).json()["count"] == 1
    # Wrong credentials are refused, not read as the public.
    wrong = api_client.get(f"{BASE}/rounds/{review_round.pk}", **basic(people.chair, "wrong-password"))
    assert wrong.status_code == 401


def test_scores_out_of_range_are_refused_with_a_message_per_criterion(api_client, stages, people):
    stages.at("scoring")
    assignment = stages.assignment

    refused = call(api_client, "post", f"{BASE}/assignments/{assignment.pk}/scores", people.expert,
                   {"points": {**points(8), "need": 11}})

    assert refused.status_code == 422
    need = Criterion.objects.get(edition=stages.round.edition, code="need")
    assert refused.json()["errors"] == {f"criterion_{need.pk}": ["Give “Need” a whole number of points from 0 to 10."]}
    assert not assignment.scores.exists()
    other = call(api_client, "post", f"{BASE}/assignments/{assignment.pk}/scores", people.chair,
                 {"points": points(8)})
    assert other.status_code == 403


def test_scores_after_the_close_are_refused_as_a_conflict_of_state(api_client, stages, people):
    stages.at("closed")

    late = call(api_client, "post", f"{BASE}/assignments/{stages.assignment.pk}/scores", people.expert,
                {"points": points(5)})

    assert late.status_code == 409
    assert "only while the round is scoring" in late.json()["detail"]


def test_a_reviewer_declares_a_conflict_and_is_left_out(api_client, stages, people):
    stages.at("assigned")

    declared = call(api_client, "post", f"{BASE}/assignments/{stages.assignment.pk}/conflict", people.expert,
                    {"note": "我在该组织做过志愿者。"})

    assert declared.status_code == 200
    assert (declared.json()["conflict"], declared.json()["conflict_note"]) == ("declared", "我在该组织做过志愿者。")
    rows = call(api_client, "get", f"{BASE}/rounds/{stages.round.pk}/assignments", people.chair).json()
    assert [r["conflict"] for r in rows] == ["declared", ""]


# --- The resident vote -----------------------------------------------------------------------------------

def test_a_resident_votes_once_and_everyone_sees_the_count(api_client, stages, people):
    review_round = stages.at("setup", vote="open")
    rid, first = review_round.pk, stages.projects[0]
    resident = people.resident

    ballot = call(api_client, "get", f"{BASE}/rounds/{rid}/vote", resident).json()
    assert (ballot["signed_in"], ballot["eligible"], ballot["voted"], ballot["my_choice"]) == (True, True, False, None)
    assert ballot["vote"]["max_projects"] == 2 and len(ballot["projects"]) == 2
    assert ballot["projects"][0]["cost"] == "30000.00"
    public = api_client.get(f"{BASE}/rounds/{rid}/vote").json()
    assert (public["signed_in"], public["eligible"], public["voted"]) == (False, False, False)

    cast = call(api_client, "post", f"{BASE}/rounds/{rid}/vote/ballot", resident, {"projects": [first.code]})
    assert cast.status_code == 201, cast.content
    assert cast.json()["projects"] == [first.code]
    again = call(api_client, "post", f"{BASE}/rounds/{rid}/vote/ballot", resident, {"projects": [first.code]})
    assert again.status_code == 422
    assert again.json()["detail"] == "You have already voted in this round; each resident votes once."
    assert Ballot.objects.filter(round=review_round).count() == 1
    after = call(api_client, "get", f"{BASE}/rounds/{rid}/vote", resident).json()
    assert (after["voted"], after["my_choice"]) == (True, [first.code])

    stranger = call(api_client, "post", f"{BASE}/rounds/{rid}/vote/ballot", UserFactory(), {"projects": [first.code]})
    assert stranger.status_code == 403
    assert stranger.json()["detail"].startswith("Only verified residents of 西屯街道 can vote.")
    assert api_client.get(f"{BASE}/rounds/{rid}/vote/result").status_code == 404

    closed = call(api_client, "post", f"{BASE}/rounds/{rid}/vote/close", people.chair)
    assert closed.status_code == 200
    result = api_client.get(f"{BASE}/rounds/{rid}/vote/result").json()
    assert (result["rule"], result["ballots"], result["budget"]) == ("equal_shares", 1, "100000.00")
    assert [(o["project"]["code"], o["votes"], o["funded"]) for o in result["outcomes"]][0] == (first.code, 1, True)
    assert resident.display_name not in public_text(api_client.get(f"{BASE}/rounds/{rid}/vote/result"))


def test_the_ballots_file_is_for_the_staff_until_the_results_are_published(api_client, stages, people):
    review_round = stages.at("setup", vote="counted")
    url = f"{BASE}/rounds/{review_round.pk}/vote/export.pb"

    downloaded = api_client.get(url, **basic(people.chair))

    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "text/plain; charset=utf-8"
    assert re.match(r'attachment; filename="china_street-\d+_edition-\d+\.pb"', downloaded["Content-Disposition"])
    text = downloaded.content.decode()
    assert text.startswith("META\nkey;value\n") and "\nVOTES\nvoter_id;vote\n1;" in text
    assert people.resident.phone not in text and people.resident.display_name not in text
    refused = api_client.get(url)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("The ballots are open data once the results are published")


def test_paper_ballots_are_imported_as_text_or_as_an_upload(api_client, stages, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    review_round = stages.at("setup", vote="open")
    url = f"{BASE}/rounds/{review_round.pk}/vote/import"
    first, second = (p.code for p in stages.projects)

    as_text = api_client.post(url, f"VOTES\nvoter_id;vote\np1;{first}\np2;{first},{second}\n",
                              content_type="text/plain", **basic(people.chair))
    assert as_text.status_code == 200, as_text.content
    assert as_text.json() == {"ballots": 2, "approvals": {first: 2, second: 1}}
    upload = SimpleUploadedFile("paper.pb", f"VOTES\nvoter_id;vote\np3;{second}\n".encode("gb18030"))
    as_file = api_client.post(url, {"file": upload}, **basic(people.chair))
    assert as_file.status_code == 200 and as_file.json()["ballots"] == 1

    bad = api_client.post(url, f"VOTES\nvoter_id;vote\np4;{first},{second},X\n", content_type="text/plain",
                          **basic(people.chair))
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"__all__": ["Line 3: no project on this round's ballot has the code “X”."]}
    assert Ballot.objects.filter(round=review_round).count() == 3
    assert api_client.post(url, "VOTES\n", content_type="text/plain", **basic(people.resident)).status_code == 403


def test_the_vote_is_set_up_with_its_rule_and_limit(api_client, stages, people):
    review_round = stages.at("setup")
    url = f"{BASE}/rounds/{review_round.pk}/vote"

    bad = call(api_client, "put", url, people.chair, {"rule": "greedy", "use": "weighted", "weight": 0})
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["weight"]
    done = call(api_client, "put", url, people.chair, {"rule": "greedy", "use": "weighted", "weight": 30,
                                                       "ballot_limit": "cost", "ballot_limit_value": "50000"})
    assert done.status_code == 200
    vote = done.json()["vote"]
    assert (vote["state"], vote["rule"], vote["weight"], vote["max_cost"], vote["max_projects"]) == (
        "ready", "greedy", 30, "50000.00", None)
    opened = call(api_client, "post", f"{url}/open", people.chair)
    assert opened.json()["vote"]["state"] == "open"
    assert call(api_client, "put", url, people.chair, {"rule": "equal_shares"}).status_code == 409
