"""The review pages as the chair, the panel, a community worker and residents use them.

The rules behind each page are tested in test_services.py and test_voting.py; these tests check that each
page asks them, shows what it should (and, for blind scoring and the public pages, what it must not), and
turns every refusal into a message in the user's language.
"""

import re
from decimal import Decimal

import pytest

from jindianzi.accounts.models import Role
from jindianzi.projects.workflow import ProjectState
from jindianzi.reviews.models import (
    Assignment, Ballot, CensusEntry, Criterion, Decision, PanelMember, ReviewRound, VoterVerification,
)
from jindianzi.reviews.services import conflict_declare, round_close_scoring
from jindianzi.reviews.voting import vote_close
from jindianzi.reviews.workflow import Conflict, Outcome, RoundState, VoteState

from ..factories import UserFactory, staff_user
from .conftest import score_all, verified_resident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def text(response) -> str:
    return response.content.decode()


def main(response) -> str:
    html = text(response)
    return html[html.index("<main"):html.index("</main>")]


def messages_in(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response) -> list[str]:
    assert response.status_code == 302, response.status_code
    return messages_in(client.get(response["Location"]))


# --- The round list and a new round -------------------------------------------------------------------

def test_an_officer_creates_their_streets_round_and_chairs_it(scene, login_as):
    client = login_as(scene.officer)

    page = client.get("/staff/reviews/new/")
    assert page.status_code == 200
    street_options = re.findall(r'<option value="(\d+)"', section(text(page), 'name="street"', "</select>"))
    assert street_options == [str(scene.street.pk)]

    done = client.post("/staff/reviews/new/", {
        "edition": scene.edition.pk, "street": scene.street.pk, "budget_cap": "30000", "chair": "",
        "aggregation": "mean"})
    review_round = ReviewRound.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/reviews/{review_round.pk}/"
    assert (review_round.chair, review_round.budget_cap) == (scene.officer, Decimal("30000.00"))
    workspace = client.get(done["Location"])
    assert "Next: add reviewers to the panel" in " ".join(messages_in(workspace))
    assert "Open the scoring" in text(workspace) and "刘建华" in text(workspace)


def section(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


def test_the_new_round_form_reports_the_services_refusals_on_its_fields(scene, login_as):
    client = login_as(scene.officer)
    scene.open_round()

    again = client.post("/staff/reviews/new/", {
        "edition": scene.edition.pk, "street": scene.street.pk, "budget_cap": "30000", "chair": "13000000000",
        "aggregation": "mean"})
    assert again.status_code == 200
    assert "No account has this mobile number or e-mail address." in text(again)

    twice = client.post("/staff/reviews/new/", {
        "edition": scene.edition.pk, "street": scene.street.pk, "budget_cap": "30000", "aggregation": "mean"})
    assert "This street already has its review round in this edition." in text(twice)
    other = client.post("/staff/reviews/new/", {
        "edition": scene.edition.pk, "street": scene.world.other_street.pk, "budget_cap": "1",
        "aggregation": "mean"})
    assert "Select a valid choice" in text(other)
    assert ReviewRound.objects.count() == 1


def test_without_an_edition_in_approval_the_new_round_page_says_why(world, login_as):
    client = login_as(Role.STREET_OFFICER, area=world.street)

    page = client.get("/staff/reviews/new/")

    assert page.status_code == 200 and "No edition of your district is in its approval phase" in text(page)
    assert "New review round" not in main(client.get("/staff/reviews/")).split("</h1>", 1)[1]


def test_the_list_shows_each_round_with_progress_in_a_fixed_number_of_queries(scene, login_as,
                                                                            django_assert_max_num_queries):
    scene.scored()
    client = login_as(scene.officer)
    with django_assert_max_num_queries(12):
        page = client.get("/staff/reviews/")
    assert page.status_code == 200
    body = main(page)
    assert "西屯街道" in body and "Reviewers are scoring" in body
    assert "9 of 9 assignments" in body and "¥30,000.00" in body


def test_an_expert_sees_the_rounds_they_sit_on_and_their_tasks(scene, login_as):
    scene.scoring()
    client = login_as(scene.expert)

    assert "西屯街道" in main(client.get("/staff/reviews/"))
    tasks = client.get("/staff/reviews/mine/")
    assert "3 projects are waiting for your scores." in text(tasks)
    assert text(tasks).count("Score it") == 3
    header = text(tasks)[:text(tasks).index("<main")]
    assert "My review tasks" in header and "Street reviews" not in header


# --- The workspace: panel, assignments, blind progress -------------------------------------------------

def test_the_chair_adds_an_expert_by_phone_and_assigns_every_project(scene, login_as):
    scene.open_round(panel=False, assign=False)
    expert = staff_user(Role.EXPERT, login="13700000001", display_name="钱专家")
    client = login_as(scene.officer)

    unknown = client.post(f"/staff/reviews/{scene.round.pk}/panel/", {"login": "13799999999", "role": "expert"})
    assert unknown.status_code == 200 and "No account has this mobile number" in text(unknown)
    added = client.post(f"/staff/reviews/{scene.round.pk}/panel/", {"login": "137 0000 0001", "role": "expert"})
    assert "钱专家 is on the panel as Expert reviewer." in " ".join(follow_messages(client, added))
    twice = client.post(f"/staff/reviews/{scene.round.pk}/panel/", {"login": "13700000001", "role": "expert"})
    assert "钱专家 is already on the panel." in text(twice)

    assigned = client.post(f"/staff/reviews/{scene.round.pk}/assign/", {"all": "1"})
    assert "6 assignments made." in follow_messages(client, assigned)
    assert Assignment.objects.filter(round=scene.round, reviewer=expert).count() == 3


def test_chosen_reviewers_get_chosen_projects_and_a_conflict_is_shown_with_its_reason(scene, login_as):
    scene.open_round(assign=False)
    client = login_as(scene.officer)

    client.post(f"/staff/reviews/{scene.round.pk}/assign/", {
        "reviewers": [scene.expert.pk], "projects": [scene.greeting.pk, scene.rails.pk]})
    assert set(Assignment.objects.values_list("reviewer", "project")) == {
        (scene.expert.pk, scene.greeting.pk), (scene.expert.pk, scene.rails.pk)}

    assignment = Assignment.objects.get(reviewer=scene.expert, project=scene.rails)
    conflict_declare(actor=scene.expert, assignment=assignment, note="我的学生在承接组织工作")
    page = main(client.get(f"/staff/reviews/{scene.round.pk}/"))
    assert "Excluded: Declared by the reviewer" in page and "我的学生在承接组织工作" in page
    assert "not assigned" in page


def test_removing_a_panel_member_and_an_assignment(scene, login_as):
    scene.open_round()
    client = login_as(scene.officer)
    member = PanelMember.objects.get(round=scene.round, user=scene.expert2)
    assignment = Assignment.objects.filter(reviewer=scene.expert).first()

    client.post(f"/staff/reviews/{scene.round.pk}/assignments/{assignment.pk}/remove/")
    gone = client.post(f"/staff/reviews/{scene.round.pk}/panel/{member.pk}/remove/")
    assert "周老师 is no longer on the panel" in " ".join(follow_messages(client, gone))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not Assignment.objects.filter(reviewer=scene.expert2).exists()
    chair = PanelMember.objects.get(round=scene.round, user=scene.officer)
    refused = client.post(f"/staff/reviews/{scene.round.pk}/panel/{chair.pk}/remove/")
    assert "The chair stays on the panel." in follow_messages(client, refused)


def test_before_scoring_closes_the_workspace_shows_who_scored_never_the_points(scene, login_as):
    scene.scoring()
    score_all(scene.round, scene.expert, {scene.greeting.code: 3})
    Assignment.objects.filter(reviewer=scene.expert).update(comment="秘密评语")
    for user in (scene.officer, scene.expert2, scene.organiser):
        client = login_as(user)
        page = main(client.get(f"/staff/reviews/{scene.round.pk}/"))
        assert "Scored" in page and "1 of 9 assignments scored." in page
        assert "秘密评语" not in page and "30.00" not in page
        assert client.get(f"/staff/reviews/{scene.round.pk}/scores/").status_code == 403
        ranking = main(client.get(f"/staff/reviews/{scene.round.pk}/ranking/"))
        assert "The ranking appears when the scoring closes." in ranking and "30.00" not in ranking


def test_opening_and_closing_the_scoring(scene, login_as):
    scene.open_round()
    client = login_as(scene.officer)

    opened = client.post(f"/staff/reviews/{scene.round.pk}/scoring/open/")
    assert "Scoring is open." in " ".join(follow_messages(client, opened))
    refused = client.post(f"/staff/reviews/{scene.round.pk}/scoring/close/")
    assert any("No reviewer has scored these projects yet" in m for m in follow_messages(client, refused))
    score_all(scene.round, scene.expert, {p.code: 6 for p in scene.projects})
    closed = client.post(f"/staff/reviews/{scene.round.pk}/scoring/close/")
    assert closed["Location"] == f"/staff/reviews/{scene.round.pk}/ranking/"
    assert scene.refresh().state == RoundState.CLOSED


# --- Reviewers ---------------------------------------------------------------------------------------------

def test_a_reviewer_reads_the_project_and_scores_it_then_goes_on_to_the_next(scene, login_as):
    scene.scoring()
    criteria = list(Criterion.objects.filter(edition=scene.edition))
    first, second = Assignment.objects.filter(reviewer=scene.expert).order_by("project__number")[:2]
    client = login_as(scene.expert)

    page = client.get(f"/staff/reviews/score/{first.pk}/")
    body = main(page)
    assert "独居老人问候行动" in body and "12,000.00" in body and "独居老人问候行动的物料与人工" not in body
    assert "独居老人问候队1" in body  # its provenance: the original ideas
    assert body.count('type="radio"') == 11 * len(criteria)

    missing = client.post(f"/staff/reviews/score/{first.pk}/", {f"criterion_{criteria[0].pk}": "8"})
    assert missing.status_code == 200 and "Give “Feasibility” a number of points from 0 to 10." in text(missing)
    data = {f"criterion_{c.pk}": "8" for c in criteria} | {"comment": "需求真实"}
    saved = client.post(f"/staff/reviews/score/{first.pk}/", data)
    assert saved["Location"] == f"/staff/reviews/score/{second.pk}/"
    first.refresh_from_db()
    assert first.is_submitted and {s.points for s in first.scores.all()} == {8}

    again = main(client.get(f"/staff/reviews/score/{first.pk}/"))
    assert "You scored it 80.00 of 100" in again and "需求真实" in again
    assert re.search(rf'value="8"[^>]*id="id_criterion_{criteria[0].pk}_8"[^>]*checked|'
                     rf'value="8"[^>]*checked[^>]*id="id_criterion_{criteria[0].pk}_8"', again)


def test_a_reviewer_cannot_open_another_reviewers_assignment_or_score_after_closing(scene, login_as):
    scene.closed()
    mine = Assignment.objects.filter(reviewer=scene.expert).first()
    theirs = Assignment.objects.filter(reviewer=scene.expert2).first()
    client = login_as(scene.expert)

    assert client.get(f"/staff/reviews/score/{theirs.pk}/").status_code == 403
    page = client.get(f"/staff/reviews/score/{mine.pk}/")
    assert "The scoring is closed; your scores can no longer change." in text(page)
    assert "disabled" in section(main(page), 'class="point-scale"', "</div>")
    refused = client.post(f"/staff/reviews/score/{mine.pk}/", {"comment": "改"})
    assert "Scores can be given only while the round is scoring." in messages_in(refused)


def test_a_reviewer_declares_a_conflict_and_no_longer_scores_the_project(scene, login_as):
    scene.scoring()
    assignment = Assignment.objects.get(reviewer=scene.expert, project=scene.garden)
    client = login_as(scene.expert)

    empty = client.post(f"/staff/reviews/score/{assignment.pk}/conflict/", {"note": ""})
    assert empty.status_code == 200 and "This field is required." in text(empty)
    done = client.post(f"/staff/reviews/score/{assignment.pk}/conflict/", {"note": "花园由我妹妹的公司施工"})
    assert "is recorded" in " ".join(follow_messages(client, done))
    assignment.refresh_from_db()
    assert assignment.conflict == Conflict.DECLARED
    page = main(client.get(f"/staff/reviews/score/{assignment.pk}/"))
    assert "You do not score this project" in page and "花园由我妹妹的公司施工" in page
    assert 'class="score-form"' not in page


# --- After scoring: every score, the ranking, decisions, publication ------------------------------------------

def test_once_closed_the_panel_sees_every_score(scene, login_as):
    scene.closed()
    page = main(login_as(scene.expert2).get(f"/staff/reviews/{scene.round.pk}/scores/"))

    assert "孙教授" in page and "刘建华" in page and "90.00" in page and "50.00" in page


def test_the_ranking_draws_the_budget_line_and_the_chair_decides_each_project(scene, login_as):
    scene.closed()
    client = login_as(scene.officer)

    page = main(client.get(f"/staff/reviews/{scene.round.pk}/ranking/"))
    order = [page.index(p.title) for p in (scene.greeting, scene.rails, scene.garden)]
    line = page.index("The street's budget runs out here: ¥3,000.00 left.")
    assert order == sorted(order) and order[1] < line < order[2]
    assert "¥27,000.00" in page  # cumulative cost at the second project

    url = f"/staff/reviews/{scene.round.pk}/decide/"
    code = scene.greeting.code
    approved = client.post(url + f"{code}/", {f"{code}-outcome": "approve", f"{code}-reason": "需求迫切"})
    assert approved["Location"].endswith(f"/ranking/#p-{code}")
    code = scene.rails.code
    refused = client.post(url + f"{code}/", {f"{code}-outcome": "reject", f"{code}-reason": "扰民"})
    assert refused.status_code == 200
    assert "Please write why you depart from the ranking." in text(refused)
    assert "The decision on" in " ".join(messages_in(refused))
    overridden = client.post(url + f"{code}/", {f"{code}-outcome": "reject", f"{code}-reason": "扰民",
                                               f"{code}-override_reason": "居民反对施工，需先征求意见"})
    assert overridden.status_code == 302
    code = scene.garden.code
    client.post(url + f"{code}/", {f"{code}-outcome": "approve_with_conditions", f"{code}-reason": "便宜",
                                   f"{code}-conditions": "先做承重评估", f"{code}-override_reason": "扶手未通过，钱够"})

    decisions = {d.project_id: d for d in Decision.objects.all()}
    assert decisions[scene.greeting.pk].outcome == Outcome.APPROVE
    assert decisions[scene.rails.pk].override_reason == "居民反对施工，需先征求意见"
    assert decisions[scene.garden.pk].conditions == "先做承重评估"
    summary = main(client.get(f"/staff/reviews/{scene.round.pk}/ranking/"))
    assert "¥21,000.00" in summary  # approved: 12,000 + 9,000
    assert "Not approved although the ranking put it within the budget, because:" in summary


def test_approving_beyond_the_budget_is_refused_on_the_projects_form(scene, login_as):
    scene.closed()
    client = login_as(scene.officer)
    url = f"/staff/reviews/{scene.round.pk}/decide/"
    for project in (scene.greeting, scene.rails):
        code = project.code
        client.post(url + f"{code}/", {f"{code}-outcome": "approve", f"{code}-reason": "好"})

    code = scene.garden.code
    refused = client.post(url + f"{code}/", {f"{code}-outcome": "approve", f"{code}-reason": "好",
                                             f"{code}-override_reason": "想做"})

    assert refused.status_code == 200
    assert "to 36,000.00 yuan, over the street&#x27;s budget of 30,000.00 yuan." in text(refused)
    assert not Decision.objects.filter(project=scene.garden).exists()


def test_only_the_chair_gets_decision_forms_and_publishing(scene, login_as):
    scene.closed()
    page = main(login_as(scene.organiser).get(f"/staff/reviews/{scene.round.pk}/ranking/"))

    assert "Save the decision" not in page and "Publish the results" not in page
    code = scene.greeting.code
    refused = login_as(scene.organiser).post(f"/staff/reviews/{scene.round.pk}/decide/{code}/", {
        f"{code}-outcome": "approve", f"{code}-reason": "好"})
    assert refused.status_code == 403


def test_publishing_needs_every_decision_then_shows_the_public_results(scene, login_as, anon_client):
    scene.closed()
    client = login_as(scene.officer)
    early = client.post(f"/staff/reviews/{scene.round.pk}/publish/")
    assert any("Every project has a decision (3 without one)" in m for m in follow_messages(client, early))

    scene.decided()
    done = client.post(f"/staff/reviews/{scene.round.pk}/publish/")
    assert done["Location"] == f"/reviews/{scene.round.pk}/"
    assert scene.refresh().state == RoundState.PUBLISHED
    scene.greeting.refresh_from_db()
    assert scene.greeting.state == ProjectState.APPROVED

    public = main(anon_client.get(done["Location"]))
    assert "Approved (2)" in public and "Not approved (1)" in public
    assert "施工前征得全体住户同意。" in public and "超出街道预算，且屋顶承重未经评估。" in public
    assert "90.00 / 100" in public
    for name in ("孙教授", "周老师", "刘建华", "方案清楚"):
        assert name not in public, name
    listing = main(anon_client.get("/reviews/"))
    assert "西屯街道" in listing and "2 of 3 projects approved" in listing


def test_the_public_project_page_shows_the_published_decision_and_links_to_the_results(scene, anon_client):
    from jindianzi.reviews.services import round_publish

    scene.decided()
    before = main(anon_client.get(f"/projects/{scene.garden.code}/"))
    assert "超出街道预算" not in before  # decided, not yet published

    round_publish(actor=scene.officer, review_round=scene.round)
    page = main(anon_client.get(f"/projects/{scene.garden.code}/"))
    assert "The street review's decision" in page and "超出街道预算，且屋顶承重未经评估。" in page
    assert f'href="/reviews/{scene.round.pk}/#p-{scene.garden.code}"' in page


def test_unpublished_results_are_not_public(scene, anon_client):
    scene.decided()
    assert anon_client.get(f"/reviews/{scene.round.pk}/").status_code == 404
    assert "西屯街道" not in main(anon_client.get("/reviews/"))


# --- Settings and the rubric ---------------------------------------------------------------------------------

def test_the_round_settings_change_the_budget_and_refuse_a_bad_one(scene, login_as):
    scene.open_round()
    client = login_as(scene.organiser)

    saved = client.post(f"/staff/reviews/{scene.round.pk}/settings/", {"budget_cap": "40000",
                                                                       "aggregation": "trimmed_mean"})
    assert saved.status_code == 302
    assert (scene.refresh().budget_cap, scene.round.aggregation) == (Decimal("40000.00"), "trimmed_mean")
    bad = client.post(f"/staff/reviews/{scene.round.pk}/settings/", {"budget_cap": "-1", "aggregation": "mean"})
    assert bad.status_code == 200 and "greater than or equal to 0" in text(bad)


def test_the_organiser_edits_the_rubric_with_a_formset(scene, login_as):
    scene.open_round()
    client = login_as(scene.organiser)
    url = f"/staff/reviews/rubric/{scene.edition.slug}/"
    page = client.get(url)
    assert page.status_code == 200 and "需求迫切" in text(page)

    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "5", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "20",
            "form-0-name_zh": "需求", "form-0-name_en": "Need", "form-0-weight": "60", "form-0-guidance": "",
            "form-1-name_zh": "可行", "form-1-name_en": "Feasibility", "form-1-weight": "40",
            "form-2-name_zh": "", "form-2-name_en": "", "form-2-weight": ""}
    more = client.post(url, data | {"add_row": "1"})
    assert more.status_code == 200 and 'name="form-3-name_zh"' in text(more)
    saved = client.post(url, data | {"save": "1"})
    assert saved.status_code == 302
    assert list(Criterion.objects.filter(edition=scene.edition).values_list("name_en", "weight")) == [
        ("Need", 60), ("Feasibility", 40)]
    nameless = client.post(url, data | {"form-1-name_en": "", "save": "1"})
    assert "Criterion 2 needs a Chinese and an English name." in messages_in(nameless)

    assert login_as(scene.officer).get(url).status_code == 403


def test_the_rubric_page_is_read_only_once_someone_has_scored(scene, login_as):
    scene.scored()
    page = main(login_as(scene.organiser).get(f"/staff/reviews/rubric/{scene.edition.slug}/"))
    assert "it can no longer change" in page and "<form" not in page


# --- The resident vote: staff side -----------------------------------------------------------------------

def test_the_officer_prepares_opens_and_closes_the_vote(scene, login_as):
    scene.open_round()
    client = login_as(scene.officer)
    url = f"/staff/reviews/{scene.round.pk}/vote/"

    bad = client.post(url, {"rule": "equal_shares", "use": "weighted", "weight": "", "ballot_limit": "count"})
    assert "Give the vote&#x27;s weight as a whole percentage from 1 to 100." in text(bad)
    prepared = client.post(url, {"rule": "equal_shares", "use": "advisory", "ballot_limit": "count",
                                 "ballot_limit_value": "2"})
    assert prepared.status_code == 302 and scene.refresh().vote_state == VoteState.READY
    opened = client.post(url + "open/")
    assert "The vote is open." in " ".join(follow_messages(client, opened))
    page = main(client.get(url))
    assert "Close and count the vote" in page and "0 ballots so far" in page
    assert "Add paper ballots from a .pb file" in page

    resident = verified_resident(scene.street, scene.world.community)
    login_as(resident).post(f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk]})
    closed = login_as(scene.officer).post(url + "close/")
    assert "2 projects are funded by the vote." in " ".join(follow_messages(client, closed))  # one with no votes, from what is left
    counted = main(client.get(url))
    assert "1 ballot was cast." in counted and "Funded: its 1 supporter paid" in counted


def test_paper_ballots_come_in_from_a_pabulib_file_and_the_counted_vote_goes_out_as_one(scene, login_as,
                                                                                        anon_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scene.vote()
    resident = verified_resident(scene.street, scene.world.community)
    login_as(resident).post(f"/vote/{scene.round.pk}/", {"projects": [scene.rails.pk]})
    client = login_as(scene.officer)
    url = f"/staff/reviews/{scene.round.pk}/vote/"
    assert client.get(url + "export.pb").status_code == 403  # the file is made from the counted vote

    pb = (f"META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n{scene.greeting.code};12000\n"
          f"VOTES\nvoter_id;vote\npaper-1;{scene.greeting.code}\npaper-2;NOPE\n")
    bad = client.post(url + "import/", {"file": SimpleUploadedFile("paper.pb", pb.encode())})
    assert bad.status_code == 200 and "Line 10:" in text(bad) and "NOPE" in text(bad)
    assert Ballot.objects.count() == 1
    good = client.post(url + "import/", {"file": SimpleUploadedFile("paper.pb", pb.replace("paper-2;NOPE\n", "")
                                                                    .encode())})
    assert "1 ballot was imported." in follow_messages(client, good)
    assert Ballot.objects.count() == 2

    vote_close(actor=scene.officer, review_round=scene.round)
    assert "Download the vote as a .pb file" in main(client.get(url))
    exported = client.get(url + "export.pb")
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment;")
    assert "VOTES" in text(exported) and "paper-1" not in text(exported) and resident.phone not in text(exported)
    # Open data once the round is published; until then only for the street's staff.
    assert anon_client.get(url + "export.pb").status_code == 302


def test_census_import_lists_every_bad_row_and_imports_nothing(scene, login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login_as(scene.officer)
    page = client.get("/staff/reviews/census/")
    assert page.status_code == 200 and "西屯街道: 0 residents on the list" in text(page)

    bad = "社区,手机号\n老爷庙社区,13912345678\n不存在社区,13912345679\n花园社区,12345\n"
    refused = client.post("/staff/reviews/census/", {"street": scene.street.pk,
                                                     "file": SimpleUploadedFile("c.csv", bad.encode())})
    body = text(refused)
    assert "Nothing was imported: 2 problems." in body
    # Rows are numbered as in the file, the header row being row 1.
    assert "Row 3: “不存在社区” is not a community of 西屯街道." in body and "Row 4: “12345” is not a mobile number." in body
    assert not CensusEntry.objects.exists()

    good = "社区,手机号\n老爷庙社区,13912345678\n花园社区,13912345679\n".encode("gb18030")
    done = client.post("/staff/reviews/census/", {"street": scene.street.pk,
                                                  "file": SimpleUploadedFile("c.csv", good)})
    assert "2 residents added to the census list of 西屯街道." in follow_messages(client, done)


def test_a_community_worker_confirms_a_resident_found_by_phone_shown_masked(scene, login_as):
    resident = UserFactory(login="13912340000", display_name="王秀兰")
    worker = staff_user(Role.COMMUNITY_WORKER, area=scene.world.community)
    client = login_as(worker)

    nobody = client.post("/staff/reviews/voters/", {"action": "lookup", "phone": "13900000000"})
    assert "No account has this mobile number." in text(nobody)
    found = client.post("/staff/reviews/voters/", {"action": "lookup", "phone": "139 1234 0000"})
    body = main(found)
    assert "王秀兰" in body and "139****0000" in body and "Not confirmed for 西屯街道 yet." in body
    assert "13912340000" not in body.replace('value="13912340000"', "")  # only in the form's own fields

    done = client.post("/staff/reviews/voters/", {"action": "confirm", "phone": "13912340000",
                                                   "community": scene.world.community.pk})
    assert "王秀兰 (139****0000) is confirmed as a resident of 西屯街道" in " ".join(messages_in(done))
    assert VoterVerification.objects.get().user == resident
    assert "Can vote in 西屯街道 since" in main(done)


def test_a_community_worker_cannot_confirm_for_another_community(scene, login_as):
    UserFactory(login="13912340001")
    client = login_as(Role.COMMUNITY_WORKER, area=scene.world.other_community)

    refused = client.post("/staff/reviews/voters/", {"action": "confirm", "phone": "13912340001",
                                                      "community": scene.world.community.pk})

    assert "Select a valid choice" in text(refused) and not VoterVerification.objects.exists()


# --- The resident vote: residents ------------------------------------------------------------------------------

def test_a_resident_who_is_not_confirmed_is_told_how_to_be(scene, login_as, anon_client):
    scene.vote()
    client = login_as(UserFactory())

    votes = main(client.get("/vote/"))
    assert "西屯街道" in votes and "Only confirmed residents of this street can vote." in votes
    assert "A community worker confirms you in person" in votes
    ballot = main(client.get(f"/vote/{scene.round.pk}/"))
    assert "独居老人问候行动" in ballot and 'type="checkbox"' not in ballot
    refused = client.post(f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk]})
    assert "Only verified residents of 西屯街道 can vote." in text(refused)
    assert not Ballot.objects.exists()
    login = anon_client.post(f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk]})
    assert login.status_code == 302 and login["Location"].startswith("/accounts/login/")


def test_a_confirmed_resident_votes_within_the_limit_once(scene, login_as):
    scene.vote(limit=2)
    resident = verified_resident(scene.street, scene.world.community)
    client = login_as(resident)

    assert "Vote now" in main(client.get("/vote/"))
    page = main(client.get(f"/vote/{scene.round.pk}/"))
    assert "Tick up to 2 projects." in page and page.count('name="projects"') == 3
    over = client.post(f"/vote/{scene.round.pk}/", {"projects": [p.pk for p in scene.projects]})
    assert "You can choose at most 2 projects; you chose 3." in text(over)
    assert len(re.findall(r"\schecked>", text(over))) == 3  # the choice is kept, to be corrected
    none = client.post(f"/vote/{scene.round.pk}/", {})
    assert "Choose at least one project." in text(none)
    cast = client.post(f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk, scene.garden.pk]})
    assert "Thank you: your ballot is counted." in " ".join(follow_messages(client, cast))
    after = main(client.get(f"/vote/{scene.round.pk}/"))
    assert "You voted on" in after and "cannot vote again" in after and 'type="checkbox"' not in after
    again = client.post(f"/vote/{scene.round.pk}/", {"projects": [scene.rails.pk]})
    assert "You have already voted in this round" in " ".join(messages_in(again))
    assert Ballot.objects.count() == 1
    assert "You have voted. Thank you!" in main(client.get("/vote/"))


def test_a_cost_limit_is_explained_and_checked(scene, login_as):
    scene.vote(limit="20000", limit_kind="cost")
    client = login_as(verified_resident(scene.street, scene.world.community))

    assert "Tick projects costing up to ¥20,000.00 together." in main(client.get(f"/vote/{scene.round.pk}/"))
    over = client.post(f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk, scene.rails.pk]})
    assert "cost 27,000.00 yuan together; the limit is 20,000.00 yuan." in text(over)


def test_the_vote_result_says_why_each_project_was_funded_or_not(scene, login_as, anon_client):
    scene.vote()
    for n in range(2):
        login_as(verified_resident(scene.street, scene.world.community)).post(
            f"/vote/{scene.round.pk}/", {"projects": [scene.greeting.pk, scene.rails.pk]})
    login_as(verified_resident(scene.street, scene.world.neighbour)).post(
        f"/vote/{scene.round.pk}/", {"projects": [scene.garden.pk]})
    assert "still open" in main(anon_client.get(f"/vote/{scene.round.pk}/result/"))
    vote_close(actor=scene.officer, review_round=scene.round)

    page = main(anon_client.get(f"/vote/{scene.round.pk}/result/"))
    assert "3 residents voted." in page
    assert "shared equally among the 3 residents who voted: ¥10,000.00 each" in page
    # 问候 (12,000): its two supporters have 20,000 between them and pay 6,000 each.
    assert "Funded: its 2 supporters paid its cost of ¥12,000.00 together from their equal shares: each paid " \
           "¥6,000.00." in page
    # 扶手 (15,000): the same two have 8,000 left. 花园 (9,000): its one supporter has 10,000.
    assert "Not funded: its 2 supporters had only ¥8,000.00 left of their shares between them, less than the " \
           "¥15,000.00 it needs." in page
    assert "Funded: its 1 supporter paid its cost of ¥9,000.00 from their equal share." in page
    assert anon_client.get(f"/vote/{scene.round.pk}/").status_code == 302


def test_votes_that_are_not_open_are_not_found(scene, anon_client):
    scene.open_round()
    assert anon_client.get(f"/vote/{scene.round.pk}/").status_code == 404
    assert anon_client.get(f"/vote/{scene.round.pk}/result/").status_code == 404
    assert "No vote is open now." in main(anon_client.get("/vote/"))


# --- Navigation ---------------------------------------------------------------------------------------------------

def test_the_header_links_to_the_review_pages_of_each_person(scene, login_as, anon_client):
    scene.vote()
    header = lambda response: text(response)[:text(response).index("<main")]  # noqa: E731

    assert 'href="/vote/"' in header(anon_client.get("/"))
    officer = header(login_as(scene.officer).get("/"))
    assert 'href="/staff/reviews/"' in officer
    expert = header(login_as(scene.expert).get("/"))
    assert 'href="/staff/reviews/mine/"' in expert and 'href="/staff/reviews/"' not in expert
    worker = header(login_as(Role.COMMUNITY_WORKER, area=scene.world.community).get("/"))
    assert 'href="/staff/reviews/voters/"' in worker
    resident = header(login_as(UserFactory()).get("/"))
    assert 'href="/staff/reviews/' not in resident and 'href="/reviews/"' not in resident


def test_results_are_linked_from_the_header_once_published(scene, anon_client):
    scene.published()
    assert 'href="/reviews/"' in text(anon_client.get("/"))[:text(anon_client.get("/")).index("<main")]


def test_public_pages_cost_a_fixed_number_of_queries(scene, anon_client, login_as, django_assert_max_num_queries):
    scene.vote()
    resident = verified_resident(scene.street, scene.world.community)
    client = login_as(resident)
    with django_assert_max_num_queries(14):
        assert client.get("/vote/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/vote/{scene.round.pk}/").status_code == 200
    vote_close(actor=scene.officer, review_round=scene.round)
    with django_assert_max_num_queries(10):
        assert anon_client.get(f"/vote/{scene.round.pk}/result/").status_code == 200


def test_staff_pages_cost_a_fixed_number_of_queries(scene, login_as, django_assert_max_num_queries):
    scene.closed()
    client = login_as(scene.officer)
    for url, most in ((f"/staff/reviews/{scene.round.pk}/", 24), (f"/staff/reviews/{scene.round.pk}/ranking/", 24),
                      (f"/staff/reviews/{scene.round.pk}/scores/", 16), ("/staff/reviews/mine/", 12)):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_a_closed_round_without_decisions_can_reopen_the_scoring(scene, login_as):
    scene.closed()
    client = login_as(scene.officer)
    assert "Reopen the scoring" in main(client.get(f"/staff/reviews/{scene.round.pk}/"))
    client.post(f"/staff/reviews/{scene.round.pk}/scoring/open/")
    assert scene.refresh().state == RoundState.SCORING
    round_close_scoring(actor=scene.officer, review_round=scene.round)


def test_the_results_of_a_round_with_a_counted_vote_show_each_projects_votes(scene, login_as, anon_client):
    scene.vote(rule="greedy")
    login_as(verified_resident(scene.street, scene.world.community)).post(
        f"/vote/{scene.round.pk}/", {"projects": [scene.garden.pk]})
    vote_close(actor=scene.officer, review_round=scene.round)
    scene.scoring()
    for reviewer in (scene.officer, scene.expert, scene.expert2):
        score_all(scene.round, reviewer, {scene.greeting.code: 9, scene.rails.code: 7, scene.garden.code: 5})
    round_close_scoring(actor=scene.officer, review_round=scene.round)
    ranking = main(login_as(scene.officer).get(f"/staff/reviews/{scene.round.pk}/ranking/"))
    assert "1 vote · funded by the vote" in ranking and "0 votes · funded by the vote" in ranking

    from jindianzi.reviews.services import decision_record, round_publish

    for project, outcome in ((scene.greeting, "approve"), (scene.rails, "approve"), (scene.garden, "reject")):
        decision_record(actor=scene.officer, review_round=scene.round, project=project, outcome=outcome,
                        reason="理由")
    round_publish(actor=scene.officer, review_round=scene.round)

    page = main(anon_client.get(f"/reviews/{scene.round.pk}/"))
    assert "1 ballot; Most votes first (greedy); Advisory" in page
    assert "1 vote · funded by the vote" in page
    result = main(anon_client.get(f"/vote/{scene.round.pk}/result/"))
    assert "Funded: when its turn came (by number of votes), ¥30,000.00 was left, enough for its cost of " \
           "¥9,000.00." in result
    assert 'href="/staff/reviews/' in result  # the open-data file, public once the round is published
    assert anon_client.get(f"/staff/reviews/{scene.round.pk}/vote/export.pb").status_code == 200
