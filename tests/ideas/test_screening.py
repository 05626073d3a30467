"""Screening (优化) as staff do it in the browser: the workbench, the staff idea page, bulk decisions.

Each decision goes through the page, and the assertions look at what the page says,
what the idea's state and history became, and what the proposer and the public see.
"""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jindianzi.accounts.models import Role
from jindianzi.core.audit import records_for
from jindianzi.ideas.models import Idea, IdeaNote
from jindianzi.ideas.services import idea_revise
from jindianzi.notifications.models import Notification

from ..factories import UserFactory, paper_idea, screened_idea, shortlisted_idea, staff_user, submit_idea

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def cast(world):
    proposer = UserFactory(login="li.ming@example.com", display_name="李明")
    return type("Cast", (), {
        "proposer": proposer,
        "worker": staff_user(Role.COMMUNITY_WORKER, area=world.community),
        "neighbour_worker": staff_user(Role.COMMUNITY_WORKER, area=world.neighbour),
        "other_worker": staff_user(Role.COMMUNITY_WORKER, area=world.other_community),
        "street_officer": staff_user(Role.STREET_OFFICER, area=world.street),
        "other_street_officer": staff_user(Role.STREET_OFFICER, area=world.other_street),
        "organiser": staff_user(Role.DISTRICT_ORGANISER, area=world.district),
    })()


@pytest.fixture
def ideas(world, cast):
    """One waiting idea in each of three communities over two streets."""
    return type("Ideas", (), {
        "mine": submit_idea(edition=world.edition, community=world.community, proposer=cast.proposer,
                            title="老年食堂进社区"),
        "neighbour": submit_idea(edition=world.edition, community=world.neighbour, title="花园社区健身角"),
        "other": submit_idea(edition=world.edition, community=world.other_community, title="红山郡楼道照明"),
    })()


def queue_titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/staff/ideas/[A-Z0-9]+/">([^<]+)</a></h3>', response.content.decode())


# --- The workbench ------------------------------------------------------------------------------

@pytest.mark.parametrize("who, expected", [
    ("worker", {"老年食堂进社区"}),
    ("neighbour_worker", {"花园社区健身角"}),
    ("street_officer", {"老年食堂进社区", "花园社区健身角"}),
    ("other_street_officer", {"红山郡楼道照明"}),
    ("organiser", {"老年食堂进社区", "花园社区健身角", "红山郡楼道照明"}),
])
def test_the_queue_holds_only_ideas_of_the_users_own_area(ideas, cast, login_as, who, expected):
    response = login_as(getattr(cast, who)).get("/staff/screening/")

    assert response.status_code == 200
    assert set(queue_titles(response)) == expected


def test_residents_are_refused_the_workbench_and_visitors_sent_to_sign_in(ideas, cast, login_as, anon_client):
    assert anon_client.get("/staff/screening/").status_code == 302
    assert login_as(cast.proposer).get("/staff/screening/").status_code == 403
    assert login_as("resident").get("/staff/screening/").status_code == 403


def test_the_queue_shows_waiting_ideas_by_default_including_resubmitted_ones(world, ideas, cast, login_as):
    decided = shortlisted_idea(actor=cast.worker, edition=world.edition, community=world.community, title="已入选的点子")
    improved = screened_idea(decision="request_improvement", actor=cast.worker, edition=world.edition,
                             community=world.community, title="需要完善的点子", proposer=cast.proposer)
    idea_revise(actor=cast.proposer, idea=improved, title="完善后的点子", problem=improved.problem,
                proposal=improved.proposal + "每周三次。", beneficiaries=improved.beneficiaries,
                estimated_budget=improved.estimated_budget, note="补充了频次")
    client = login_as(cast.worker)

    waiting = client.get("/staff/screening/")
    everything = client.get("/staff/screening/", {"state": "all"})
    shortlisted = client.get("/staff/screening/", {"state": "shortlisted"})

    assert set(queue_titles(waiting)) == {"老年食堂进社区", "完善后的点子"}
    assert "Improved, look again" in text(waiting)
    assert set(queue_titles(everything)) == {"老年食堂进社区", "完善后的点子", decided.title}
    assert queue_titles(shortlisted) == [decided.title]


def test_filters_community_category_channel_age_and_text(world, ideas, cast, login_as):
    on_paper = paper_idea(edition=world.edition, community=world.community, worker=cast.worker, title="纸质表格的点子",
                          category=world.edition.categories.get(code="youth"))
    Idea.objects.filter(pk=ideas.mine.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    client = login_as(cast.street_officer)

    def titles(**params):
        return set(queue_titles(client.get("/staff/screening/", params)))

    assert titles(community=world.neighbour.pk) == {"花园社区健身角"}
    assert titles(category=world.edition.categories.get(code="youth").pk) == {on_paper.title}
    assert titles(channel="paper") == {on_paper.title}
    assert titles(older_than=10) == {"老年食堂进社区"}
    assert titles(q="食堂") == {"老年食堂进社区"}
    assert titles(q=on_paper.tracking_code.lower()) == {on_paper.title}


def test_a_community_outside_the_users_area_cannot_be_chosen(world, ideas, cast, login_as):
    response = login_as(cast.worker).get("/staff/screening/", {"community": world.other_community.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert "红山郡楼道照明" not in text(response)


def test_bad_filter_input_gets_a_message_and_the_default_queue(ideas, cast, login_as):
    response = login_as(cast.worker).get("/staff/screening/", {"older_than": "abc"})

    assert response.status_code == 200
    assert "Enter a whole number." in text(response)
    assert queue_titles(response) == ["老年食堂进社区"]


def test_a_filter_change_from_htmx_returns_only_the_queue(ideas, cast, login_as):
    response = login_as(cast.street_officer).get("/staff/screening/", {"q": "健身"}, HTTP_HX_REQUEST="true")

    assert "<html" not in text(response)
    assert queue_titles(response) == ["花园社区健身角"]


def test_the_workbench_costs_a_fixed_number_of_queries(world, cast, login_as, django_assert_max_num_queries):
    client = login_as(cast.organiser)
    communities = [world.community, world.neighbour, world.other_community]
    for i in range(3):
        submit_idea(edition=world.edition, community=communities[i % 3])
    client.get("/staff/screening/")  # warm the session and the caches
    with django_assert_max_num_queries(12) as few:
        assert client.get("/staff/screening/").status_code == 200
    for i in range(30):
        submit_idea(edition=world.edition, community=communities[i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/staff/screening/")
    assert len(queue_titles(response)) == 25


def test_the_default_edition_is_the_one_in_optimisation_then_the_one_collecting(world, ideas, cast, login_as):
    from jindianzi.editions.models import PhaseKind
    from jindianzi.editions.services import edition_advance_phase

    from ..factories import EditionFactory

    EditionFactory(district=world.district, collecting=False)  # newer, still in preparation: not announced
    client = login_as(cast.worker)
    response = client.get("/staff/screening/")
    assert queue_titles(response) == ["老年食堂进社区"]
    assert f'<option value="{world.edition.slug}" selected>' in response.content.decode()

    edition_advance_phase(actor=None, edition=world.edition, expected_phase=PhaseKind.COLLECTION)
    next_one = EditionFactory(district=world.district, slug="second-call")  # newer and collecting
    submit_idea(edition=next_one, community=world.community, title="第二届的点子")
    assert queue_titles(client.get("/staff/screening/")) == ["老年食堂进社区"]
    assert queue_titles(client.get("/staff/screening/", {"edition": "second-call"})) == ["第二届的点子"]


# --- The staff idea page -------------------------------------------------------------------------

def test_the_staff_page_shows_the_idea_proposer_history_and_only_the_allowed_decisions(world, cast, login_as):
    idea = paper_idea(edition=world.edition, community=world.community, worker=cast.worker, proposer_name="王秀兰",
                      proposer_phone="13812345678", anonymous=True)

    as_worker = text(login_as(cast.worker).get(f"/staff/ideas/{idea.tracking_code}/"))
    as_officer = text(login_as(cast.street_officer).get(f"/staff/ideas/{idea.tracking_code}/"))

    assert "王秀兰" in as_worker and "anonymous to the public" in as_worker
    assert "13812345678" in as_worker  # the community's own worker calls residents back
    assert "13812345678" not in as_officer and "138****5678" in as_officer
    for decision in ("shortlist", "decline", "request_improvement"):
        assert f'value="{decision}"' in as_officer
    assert "Research notes" in as_officer

    shortlisted_idea(actor=cast.worker, idea=idea)
    after = text(login_as(cast.worker).get(f"/staff/ideas/{idea.tracking_code}/"))
    assert 'value="shortlist"' not in after
    assert 'value="decline"' in after and 'value="request_improvement"' in after
    assert "需求真实，方案可行。" in after  # the reason in the history

    screened_idea(decision="decline", actor=cast.worker, idea=idea)
    declined = text(login_as(cast.worker).get(f"/staff/ideas/{idea.tracking_code}/"))
    assert 'name="decision"' not in declined
    assert "No screening decision is possible now" in declined


@pytest.mark.parametrize("decision, state, public_label", [
    ("shortlist", "shortlisted", "Selected for further work"),
    ("decline", "declined", "Not taken forward"),
    ("request_improvement", "improvement_requested", "The community asked the proposer to add details"),
])
@pytest.mark.parametrize("who", ["worker", "street_officer", "organiser"])
def test_each_screening_decision_from_the_page(ideas, cast, login_as, anon_client, decision, state, public_label,
                                               who):
    actor = getattr(cast, who)
    client = login_as(actor)
    reason = "居民反映强烈，理由写给提案人。"

    response = client.post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                           {"decision": decision, "reason": reason})

    assert response.status_code == 302
    assert response["Location"] == f"/staff/ideas/{ideas.mine.tracking_code}/#main"
    idea = Idea.objects.get(pk=ideas.mine.pk)
    assert idea.state == state
    step = idea.transitions.last()
    assert (step.name, step.actor, step.note) == (decision, actor, reason)
    assert records_for(idea).filter(action=f"idea.{decision}", actor=actor).count() == 1
    told = {"shortlist": "Shortlisted. The proposer and the idea's followers have been told.",
            "decline": "Declined. The proposer and the idea's followers have been told why.",
            "request_improvement": "The proposer has been asked to improve the idea."}[decision]
    assert told in text(client.get(response["Location"]))
    public = text(anon_client.get(f"/ideas/{idea.tracking_code}/"))
    assert public_label in public and reason in public


@pytest.mark.parametrize("who", ["other_worker", "neighbour_worker", "other_street_officer", "proposer"])
def test_staff_outside_the_area_and_residents_cannot_see_or_decide(ideas, cast, login_as, who):
    client = login_as(getattr(cast, who))
    code = ideas.mine.tracking_code

    assert client.get(f"/staff/ideas/{code}/").status_code == 403
    assert client.post(f"/staff/ideas/{code}/decide/", {"decision": "decline", "reason": "不行"}).status_code == 403
    assert client.post(f"/staff/ideas/{code}/notes/", {"text": "调研"}).status_code == 403
    idea = Idea.objects.get(pk=ideas.mine.pk)
    assert idea.state == "submitted" and idea.transitions.count() == 1 and not IdeaNote.objects.exists()


def test_visitors_are_sent_to_sign_in_and_an_unknown_code_is_not_found(ideas, cast, login_as, anon_client):
    assert anon_client.get(f"/staff/ideas/{ideas.mine.tracking_code}/").status_code == 302
    assert login_as(cast.worker).get("/staff/ideas/JDNOSUCH99/").status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"decision": "decline", "reason": "   "}, "Please give a reason; the proposer will read it."),
    ({"decision": "decline"}, "Please give a reason; the proposer will read it."),
    ({"reason": "理由"}, "Please choose a decision."),
    ({"decision": "approve", "reason": "理由"}, "Select a valid choice"),
])
def test_a_decision_without_a_reason_or_a_valid_choice_changes_nothing(ideas, cast, login_as, data, message):
    response = login_as(cast.worker).post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/", data)

    assert response.status_code == 200
    assert message in text(response)
    idea = Idea.objects.get(pk=ideas.mine.pk)
    assert idea.state == "submitted" and idea.transitions.count() == 1
    assert not Notification.objects.exists()


def test_a_decision_the_state_does_not_allow_is_refused_with_a_message(ideas, cast, login_as):
    shortlisted_idea(actor=cast.worker, idea=ideas.mine)

    response = login_as(cast.worker).post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                                          {"decision": "shortlist", "reason": "再次入选"})

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert Idea.objects.get(pk=ideas.mine.pk).transitions.count() == 2


# --- Research notes (调研记录) ---------------------------------------------------------------------

def test_research_notes_are_kept_for_staff_and_never_shown_to_the_proposer_or_the_public(
        ideas, cast, login_as, anon_client, client):
    secret = "走访三户，其中一户不同意公开。"
    worker = login_as(cast.worker)
    response = worker.post(f"/staff/ideas/{ideas.mine.tracking_code}/notes/", {"text": secret})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    assert IdeaNote.objects.get().author == cast.worker
    assert secret in text(login_as(cast.street_officer).get(f"/staff/ideas/{ideas.mine.tracking_code}/"))
    screened_idea(decision="decline", actor=cast.worker, idea=ideas.mine)

    pages = [anon_client.get(f"/ideas/{ideas.mine.tracking_code}/"),
             anon_client.get(f"/ideas/{ideas.mine.tracking_code}/revisions/"),
             anon_client.get("/ideas/", {"q": "食堂"})]
    proposer = login_as(cast.proposer)
    pages += [proposer.get(f"/ideas/{ideas.mine.tracking_code}/"), proposer.get("/me/ideas/"),
              proposer.get("/me/notifications/")]
    for page in pages:
        assert page.status_code == 200
        assert secret not in text(page)
    assert not Notification.objects.filter(body__contains=secret).exists()
    assert not any(secret in message.body for message in mail.outbox)


def test_an_empty_research_note_is_refused(ideas, cast, login_as):
    response = login_as(cast.worker).post(f"/staff/ideas/{ideas.mine.tracking_code}/notes/", {"text": "  "})

    assert response.status_code == 200
    assert "The note is empty." in text(response)
    assert not IdeaNote.objects.exists()


# --- Bulk decisions ------------------------------------------------------------------------------

def test_a_bulk_decision_does_the_allowed_ideas_and_lists_each_refused_one_with_its_reason(world, ideas, cast,
                                                                                            login_as):
    declined = screened_idea(decision="decline", actor=cast.worker, edition=world.edition, community=world.community,
                             title="早已婉拒的点子")
    client = login_as(cast.worker)
    codes = [ideas.mine.tracking_code, declined.tracking_code, ideas.other.tracking_code, "JDNOSUCH99"]

    response = client.post("/staff/screening/?state=all", {
        "ideas": codes, "decision": "shortlist", "reason": "符合本届重点方向。"})

    assert response.status_code == 200
    page = text(response)
    assert "1 idea decided." in page
    assert "3 ideas were not changed:" in page
    refused = page.split("were not changed:")[1].split("</ul>")[0]
    assert "早已婉拒的点子" in refused and "This step is not possible now" in refused
    assert "红山郡楼道照明" in refused and "You can only screen ideas of your own area." in refused
    assert "JDNOSUCH99" in refused and "No idea has this tracking code." in refused
    assert Idea.objects.get(pk=ideas.mine.pk).state == "shortlisted"
    assert Idea.objects.get(pk=declined.pk).state == "declined"
    assert Idea.objects.get(pk=ideas.other.pk).state == "submitted"
    assert 'name="ideas" value="' in page  # the queue is shown again below the result


@pytest.mark.parametrize("data, message", [
    ({"decision": "decline", "reason": ""}, "Please give a reason; the proposer will read it."),
    ({"reason": "理由"}, "Please choose a decision."),
    ({"decision": "decline", "reason": "理由", "ideas": []}, "Tick at least one idea."),
])
def test_a_bulk_decision_with_missing_input_changes_nothing_and_keeps_the_ticks(world, ideas, cast, login_as, data,
                                                                               message):
    data = {"ideas": [ideas.mine.tracking_code, ideas.neighbour.tracking_code], **data}

    response = login_as(cast.street_officer).post("/staff/screening/", data)

    assert response.status_code == 200
    assert message in text(response)
    assert set(Idea.objects.values_list("state", flat=True)) == {"submitted"}
    for code in data["ideas"]:
        assert f'value="{code}" id="pick-{code}" checked' in response.content.decode()


def test_residents_cannot_post_bulk_decisions(ideas, cast, login_as):
    response = login_as(cast.proposer).post("/staff/screening/", {
        "ideas": [ideas.mine.tracking_code], "decision": "decline", "reason": "不行"})

    assert response.status_code == 403
    assert Idea.objects.get(pk=ideas.mine.pk).state == "submitted"


# --- Improvement round trip and what the proposer is told -------------------------------------------

def test_the_proposer_reads_the_request_improves_and_the_idea_returns_to_the_queue(ideas, cast, login_as):
    code = ideas.mine.tracking_code
    login_as(cast.worker).post(f"/staff/ideas/{code}/decide/",
                               {"decision": "request_improvement", "reason": "请说明每天供应多少份午餐。"})
    assert queue_titles(login_as(cast.worker).get("/staff/screening/")) == []

    proposer = login_as(cast.proposer)
    public = text(proposer.get(f"/ideas/{code}/"))
    assert "What the community asks the proposer to add:" in public
    assert "请说明每天供应多少份午餐。" in public and f"/ideas/{code}/edit/" in public
    form = proposer.get(f"/ideas/{code}/edit/")
    assert "请说明每天供应多少份午餐。" in text(form) and "老年食堂进社区" in text(form)
    idea = Idea.objects.get(pk=ideas.mine.pk)
    response = proposer.post(f"/ideas/{code}/edit/", {
        "title": idea.title, "problem": idea.problem, "proposal": idea.proposal + "每天供应约80份午餐。",
        "beneficiaries": idea.beneficiaries, "estimated_budget": "30000", "note": "补充了午餐数量"})
    assert response.status_code == 302

    idea.refresh_from_db()
    assert idea.state == "submitted" and idea.transitions.last().name == "resubmit"
    queue = login_as(cast.worker).get("/staff/screening/")
    assert queue_titles(queue) == ["老年食堂进社区"] and "Improved, look again" in text(queue)


def test_the_proposer_and_the_public_read_the_decline_reason(ideas, cast, login_as, anon_client):
    login_as(cast.street_officer).post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                                       {"decision": "decline", "reason": "已有同类项目在本社区实施。"})

    for client in (login_as(cast.proposer), anon_client):
        page = text(client.get(f"/ideas/{ideas.mine.tracking_code}/"))
        assert "Why this idea is not taken forward:" in page
        assert "已有同类项目在本社区实施。" in page
        assert f"/staff/ideas/{ideas.mine.tracking_code}/" not in page  # no staff link for them


def test_decisions_notify_the_proposer_and_followers_and_email_only_after_commit(
        ideas, cast, login_as, django_capture_on_commit_callbacks):
    follower = UserFactory(login="fan@example.com")
    login_as(follower).post(f"/ideas/{ideas.mine.tracking_code}/follow/", {"follow": "1"})
    worker = login_as(cast.worker)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        worker.post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                    {"decision": "decline", "reason": "超出本届资助范围。"})
    assert mail.outbox == []  # nothing is mailed before the transaction commits
    assert {n.user for n in Notification.objects.all()} == {cast.proposer, follower}
    for callback in callbacks:
        callback()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fan@example.com", "li.ming@example.com"]
    assert all("超出本届资助范围。" in message.body for message in mail.outbox)

    page = login_as(cast.proposer).get("/me/notifications/")
    assert "老年食堂进社区" in text(page) and "超出本届资助范围。" in text(page)


def test_a_refused_decision_sends_nothing(ideas, cast, login_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login_as(cast.other_worker).post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                                         {"decision": "decline", "reason": "不行"})
        login_as(cast.worker).post(f"/staff/ideas/{ideas.mine.tracking_code}/decide/",
                                   {"decision": "decline", "reason": ""})

    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_header_links_to_screening_for_staff_only(ideas, cast, login_as):
    assert 'href="/staff/screening/"' in text(login_as(cast.street_officer).get("/"))
    assert 'href="/staff/screening/"' not in text(login_as(cast.proposer).get("/"))


def test_a_merged_idea_says_which_project_it_is_part_of(world, ideas, cast, login_as, anon_client):
    from django.urls import NoReverseMatch, reverse

    from jindianzi.projects.services import projects_merge

    shortlisted_idea(actor=cast.street_officer, idea=ideas.mine)
    shortlisted_idea(actor=cast.street_officer, idea=ideas.neighbour)
    project = projects_merge(actor=cast.street_officer, ideas=[ideas.mine, ideas.neighbour], title="社区食堂与健身角")

    public = anon_client.get(f"/ideas/{ideas.mine.tracking_code}/").content.decode()
    staff = login_as(cast.worker).get(f"/staff/ideas/{ideas.mine.tracking_code}/").content.decode()

    number = getattr(project, "number", project.pk)
    assert f"Merged into project {number}:" in public and "社区食堂与健身角" in public
    try:
        link = reverse("projects:detail", args=[project.code])
    except NoReverseMatch:  # the projects stage has no public page yet: the title stays plain text
        link = None
    if link:
        assert f'href="{link}"' in public and f'href="{link}"' in staff
    assert "社区食堂与健身角" in staff
