"""The project pages as a street officer, an organisation's staff member and the public use them."""

from decimal import Decimal

import pytest

from jindianzi.accounts.models import Role
from jindianzi.ideas.workflow import IdeaState
from jindianzi.projects.models import MatchOffer, Project
from jindianzi.projects.services import budget_limit, project_submit
from jindianzi.projects.workflow import OfferState, ProjectState

from ..factories import (
    OrganizationFactory, ProjectFactory, UserFactory, match_project, merged_project, staff_user, submit_idea,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def text(response) -> str:
    return response.content.decode()


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def messages_in(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Merging in the browser -------------------------------------------------------------------------

def test_an_officer_ticks_ideas_of_two_communities_and_merges_them(world, officer, shortlist, login_as):
    a = shortlist(proposer=UserFactory(display_name="王秀兰"))
    b = shortlist(community=world.neighbour, proposer=UserFactory(display_name="李明"))
    elsewhere = shortlist(community=world.other_community)
    client = login_as(officer)

    picker = client.get("/staff/projects/merge/")
    assert picker.status_code == 200
    assert a.title in text(picker) and f'id="pick-{b.pk}"' in text(picker)
    assert f'id="pick-{elsewhere.pk}"' not in text(picker)

    confirm = client.get(f"/staff/projects/merge/?ideas={a.pk}&ideas={b.pk}")
    assert confirm.status_code == 200 and "王秀兰" in text(confirm) and "李明" in text(confirm)
    assert "Create the project" in text(confirm)

    done = client.post("/staff/projects/merge/", {
        "ideas": f"{a.pk},{b.pk}", "title": "两社区独居老人问候队", "category": a.category.pk, "summary": ""})
    project = Project.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/projects/{project.code}/"
    assert sorted(project.ideas.values_list("pk", flat=True)) == sorted([a.pk, b.pk])

    page = client.get(done["Location"])
    assert "王秀兰" in text(page) and "李明" in text(page) and "Find an organisation" in text(page)


def test_the_similarity_link_format_works_and_refusals_change_nothing(world, officer, shortlist, login_as):
    good = shortlist()
    raw = submit_idea(edition=world.edition, community=world.community)
    client = login_as(officer)

    page = client.get(f"/staff/projects/merge/?ideas={good.pk},{raw.pk}")
    assert "only shortlisted ideas can be merged" in text(page)
    assert "Create the project" not in text(page)
    assert f"?ideas={good.pk}" in text(page)  # continue without the refused one

    refused = client.post("/staff/projects/merge/", {"ideas": f"{good.pk},{raw.pk}", "title": "x",
                                                      "category": good.category.pk})
    assert refused.status_code == 200 and "only shortlisted ideas" in text(refused)
    assert not Project.objects.exists()


def test_bad_idea_numbers_get_a_clear_message(world, officer, shortlist, login_as):
    idea = shortlist()
    client = login_as(officer)
    page = client.get(f"/staff/projects/merge/?ideas={idea.pk},abc,99999", follow=True)
    assert any("abc" in m for m in messages_in(page))
    assert any("do not exist" in m for m in messages_in(page))
    assert idea.title in text(page)


# --- The public provenance page ---------------------------------------------------------------------

def test_the_public_page_credits_every_author_without_hidden_names(world, officer, shortlist, anon_client):
    named = shortlist(proposer=UserFactory(display_name="王秀兰"))
    hidden = shortlist(community=world.neighbour, proposer=UserFactory(display_name="赵秘密"), anonymous=True)
    project = merged_project(ideas=[named, hidden], actor=officer, title="问候队")

    page = anon_client.get(f"/projects/{project.code}/")

    assert page.status_code == 200
    html = text(page)
    provenance = section(html, 'id="provenance"', "</section>")
    assert "王秀兰" in provenance and "A resident who asked to stay anonymous" in provenance
    assert "赵秘密" not in html
    assert f"/ideas/{named.tracking_code}/" in provenance and "1 version" in provenance
    assert "Put together from residents&#x27; ideas" in html or "Put together from residents' ideas" in html


def test_after_undo_the_page_no_longer_lists_the_idea_and_the_idea_is_shortlisted(world, officer, shortlist,
                                                                                   login_as, anon_client):
    kept, taken = shortlist(), shortlist(community=world.neighbour, title="社区四点半课堂")
    project = merged_project(ideas=[kept, taken], actor=officer)
    client = login_as(officer)

    response = client.post(f"/staff/projects/{project.code}/ideas/{taken.tracking_code}/remove/")

    assert response.status_code == 302
    taken.refresh_from_db()
    assert taken.state == IdeaState.SHORTLISTED and taken.merged_into is None
    provenance = section(text(anon_client.get(f"/projects/{project.code}/")), 'id="provenance"', "</section>")
    assert "社区四点半课堂" not in provenance and kept.title in provenance


def test_the_idea_page_links_to_its_project(world, officer, shortlist, anon_client):
    idea = shortlist()
    project = merged_project(ideas=[idea], actor=officer)
    page = anon_client.get(f"/ideas/{idea.tracking_code}/")
    assert f"/projects/{project.code}/" in text(page)


def test_an_unknown_project_is_not_found(anon_client, db):
    assert anon_client.get("/projects/nothing-001/").status_code == 404


# --- The staff page: ideas, plan, matching, submitting ----------------------------------------------

def test_adding_an_idea_by_code_and_a_wrong_code(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    extra = shortlist()
    client = login_as(officer)
    wrong = client.post(f"/staff/projects/{project.code}/ideas/add/", {"tracking_code": "JDWRONG22"})
    assert wrong.status_code == 200 and "No idea has the tracking code" in text(wrong)
    ok = client.post(f"/staff/projects/{project.code}/ideas/add/", {"tracking_code": extra.tracking_code})
    assert ok.status_code == 302 and project.ideas.count() == 2


def plan_data(project, lines, **overrides):
    data = {
        "title": project.title, "category": project.category_id, "summary": "",
        "objectives": "让独居老人每天有人问候。", "target_groups": "独居老人",
        "expected_beneficiaries": "2400", "planned_activities": "48",
        "starts_on": "2017-06-01", "ends_on": "2017-12-31",
        "budget-TOTAL_FORMS": str(len(lines)), "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0", "budget-MAX_NUM_FORMS": "60",
    }
    for n, (item, amount) in enumerate(lines):
        data[f"budget-{n}-item"], data[f"budget-{n}-amount"] = item, amount
    data.update(overrides)
    return data


def test_writing_the_plan_with_budget_lines(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    client = login_as(officer)
    assert client.get(f"/staff/projects/{project.code}/plan/").status_code == 200

    more = client.post(f"/staff/projects/{project.code}/plan/",
                       plan_data(project, [("物料", "1200")], add_row="1"))
    assert more.status_code == 200 and 'name="budget-1-item"' in text(more)
    assert not project.budget_lines.exists()

    saved = client.post(f"/staff/projects/{project.code}/plan/",
                        plan_data(project, [("物料", "1200"), ("", ""), ("餐补", "3000.5")]))
    assert saved.status_code == 302
    assert [(b.item, b.amount) for b in project.budget_lines.all()] == [("物料", Decimal("1200.00")),
                                                                        ("餐补", Decimal("3000.50"))]
    project.refresh_from_db()
    assert project.expected_beneficiaries == 2400


def test_a_budget_over_the_rule_is_shown_and_nothing_is_saved(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    too_much = str(budget_limit(project) + Decimal("0.01"))
    client = login_as(officer)
    page = client.post(f"/staff/projects/{project.code}/plan/", plan_data(project, [("场地", too_much)]))
    assert page.status_code == 200 and "more than this project may spend" in text(page)
    project.refresh_from_db()
    assert project.objectives == "" and not project.budget_lines.exists()


def test_a_budget_line_without_an_amount_is_refused(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    client = login_as(officer)
    page = client.post(f"/staff/projects/{project.code}/plan/", plan_data(project, [("场地", "")]))
    assert page.status_code == 200 and "Please enter the amount." in text(page)
    assert not project.budget_lines.exists()


def test_matching_offering_and_accepting_in_the_organisations_account(world, officer, shortlist, client):
    project = merged_project(ideas=[shortlist()], actor=officer)
    org = OrganizationFactory(name="老爷庙银龄互助会", home_area=world.community)
    own = staff_user(Role.ORG_STAFF, organization=org)
    stranger = staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community))

    client.force_login(officer)
    page = client.get(f"/staff/projects/{project.code}/match/")
    assert page.status_code == 200 and "老爷庙银龄互助会" in text(page) and "Home area" in text(page)
    sent = client.post(f"/staff/projects/{project.code}/match/", {"organization": org.pk, "message": "请承接"})
    assert sent.status_code == 302
    offer = MatchOffer.objects.get()

    client.force_login(stranger)
    assert client.get(f"/org/offers/{offer.pk}/").status_code == 403
    assert client.post(f"/org/offers/{offer.pk}/", {"decision": "accept"}).status_code == 403

    client.force_login(own)
    listing = client.get("/org/offers/")
    assert project.title in text(listing)
    declined_without_reason = client.post(f"/org/offers/{offer.pk}/", {"decision": "decline", "reason": ""})
    assert declined_without_reason.status_code == 200 and "Please say why you decline" in text(declined_without_reason)
    accepted = client.post(f"/org/offers/{offer.pk}/", {"decision": "accept", "reason": ""})
    assert accepted.status_code == 302
    offer.refresh_from_db()
    project.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and project.organization == org
    # The implementing organisation writes the plan with the street, and comes back to its offer.
    assert client.get(f"/staff/projects/{project.code}/plan/").status_code == 200
    saved = client.post(f"/staff/projects/{project.code}/plan/", plan_data(project, [("物料", "1200")]))
    assert saved.status_code == 302 and saved["Location"] == f"/org/offers/{offer.pk}/"
    assert client.get(f"/staff/projects/{project.code}/").status_code == 403


def test_an_offer_to_an_unknown_organisation_is_refused(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    client = login_as(officer)
    response = client.post(f"/staff/projects/{project.code}/match/", {"organization": "999999"}, follow=True)
    assert any("Choose one of the suggested organisations" in m for m in messages_in(response))
    assert not MatchOffer.objects.exists()


def test_submitting_from_the_staff_page(world, officer, login_as):
    project = ProjectFactory(edition=world.edition, community=world.community, actor=officer, ready=True)
    client = login_as(officer)
    page = client.get(f"/staff/projects/{project.code}/")
    assert "Submit to the street review" in text(page)
    client.post(f"/staff/projects/{project.code}/submit/")
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
    after = client.get(f"/staff/projects/{project.code}/")
    assert "Take it out" not in text(after) and "Submit to the street review" not in text(after)
    idea = project.ideas.first()
    undo = client.post(f"/staff/projects/{project.code}/ideas/{idea.tracking_code}/remove/", follow=True)
    assert any("can no longer be changed" in m for m in messages_in(undo))
    idea.refresh_from_db()
    assert idea.merged_into_id == project.pk


def test_submitting_an_incomplete_project_lists_what_is_missing(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    client = login_as(officer)
    response = client.post(f"/staff/projects/{project.code}/submit/", follow=True)
    assert any("implementing organisation" in m for m in messages_in(response))
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_a_community_worker_sees_projects_from_their_community_read_only(world, officer, shortlist, login_as):
    project = merged_project(ideas=[shortlist()], actor=officer)
    merged_project(ideas=[shortlist(community=world.neighbour)], actor=officer, title="花园社区的项目")
    client = login_as(Role.COMMUNITY_WORKER, area=world.community)
    listing = client.get("/staff/projects/")
    assert project.title in text(listing) and "花园社区的项目" not in text(listing)
    page = client.get(f"/staff/projects/{project.code}/")
    assert page.status_code == 200 and "Take it out" not in text(page) and "Find an organisation" not in text(page)


# --- Fixed query counts on list pages ----------------------------------------------------------------

def queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_projects(world, officer, shortlist, n, *, org=None, own=None):
    project = None
    for i in range(n):
        project = merged_project(ideas=[shortlist(), shortlist(community=world.neighbour)], actor=officer,
                                 title=f"项目{i}")
        if org is not None or i % 2:
            match_project(project, actor=officer, organization=org, org_staff=own)
    return project


def test_staff_pages_cost_the_same_queries_for_one_project_or_many(world, officer, shortlist, client):
    client.force_login(officer)
    add_projects(world, officer, shortlist, 1)
    for _ in range(2):
        shortlist()
    one = {url: queries(client, url) for url in ("/staff/projects/", "/staff/projects/merge/")}
    add_projects(world, officer, shortlist, 4)
    for _ in range(5):
        shortlist()
    many = {url: queries(client, url) for url in one}
    assert many == one and max(one.values()) <= 12


def test_project_pages_cost_the_same_queries_whatever_their_size(world, officer, shortlist, client):
    from jindianzi.projects.services import project_add_idea

    org = OrganizationFactory(home_area=world.community)
    own = staff_user(Role.ORG_STAFF, organization=org)
    project = add_projects(world, officer, shortlist, 1, org=org, own=own)
    for n in range(3):
        OrganizationFactory(home_area=world.neighbour if n % 2 else world.street, kind="hub_organization")
    pages = {"/org/offers/": own, f"/projects/{project.code}/": own, f"/staff/projects/{project.code}/": officer,
             f"/staff/projects/{project.code}/match/": officer}

    def measure():
        counts = {}
        for url, user in pages.items():
            client.force_login(user)
            counts[url] = queries(client, url)
        return counts

    small = measure()
    add_projects(world, officer, shortlist, 3, org=org, own=own)  # more offers for the organisation
    for _ in range(3):
        project_add_idea(actor=officer, project=project, idea=shortlist(community=world.neighbour))
    for n in range(6):
        OrganizationFactory(home_area=world.community, kind="hub_organization")
    assert measure() == small
    assert small["/org/offers/"] <= 12 and small[f"/projects/{project.code}/"] <= 12


def test_submitted_projects_drop_out_of_the_picker(world, officer, shortlist, login_as):
    project = ProjectFactory(edition=world.edition, community=world.community, actor=officer, ready=True)
    project_submit(actor=officer, project=project)
    waiting = shortlist(title="尚未整合的点子")
    page = login_as(officer).get("/staff/projects/merge/")
    assert "尚未整合的点子" in text(page) and f'id="pick-{waiting.pk}"' in text(page)
    assert all(f'id="pick-{i.pk}"' not in text(page) for i in project.ideas.all())
