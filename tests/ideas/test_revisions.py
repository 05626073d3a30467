"""Improvement (完善提升): editing an idea keeps every version, and any two versions can be compared.

The diff works on Chinese (one token per character) and on English (one token per word).
"""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jindianzi.accounts.models import Role
from jindianzi.ideas.diff import diff_html, diff_segments, tokenize
from jindianzi.ideas.models import Idea, IdeaRevision
from jindianzi.ideas.services import idea_revise

from ..factories import UserFactory, paper_idea, screened_idea, staff_user, submit_idea

# --- The diff ------------------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("english_pages")


def test_chinese_is_cut_into_characters_latin_into_words_and_punctuation_on_its_own():
    assert tokenize("为老人装WiFi 2024年，每周3次！") == [
        "为", "老", "人", "装", "WiFi", " ", "2024", "年", "，", "每", "周", "3", "次", "！"]
    assert tokenize("Hello,  world.\n") == ["Hello", ",", "  ", "world", ".", "\n"]
    assert tokenize("") == []


@given(st.text())
def test_tokens_join_back_into_the_text(value):
    assert "".join(tokenize(value)) == value


@given(st.text(max_size=60), st.text(max_size=60))
def test_the_diff_keeps_both_texts(old, new):
    segments = diff_segments(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new


def test_a_chinese_edit_marks_exactly_the_changed_characters():
    old = "组织低龄老人和志愿者结对，每天上门问候一次。"
    new = "组织社区志愿者结对，每天上门或电话问候两次。"

    result = diff_html(old, new)

    assert re.findall(r"<del>(.*?)</del>", result) == ["低龄老人和", "一"]
    assert re.findall(r"<ins>(.*?)</ins>", result) == ["社区", "或电话", "两"]
    assert result.startswith("组织<del>")


def test_an_english_edit_marks_whole_words():
    result = diff_html("Visit lonely elders once a day.", "Call lonely elders twice a day.")

    assert re.findall(r"<del>(.*?)</del>", result) == ["Visit", "once"]
    assert re.findall(r"<ins>(.*?)</ins>", result) == ["Call", "twice"]


def test_a_lone_shared_character_inside_a_rewrite_is_not_shown_as_unchanged():
    # 问 is in both, but "每天问候一次" → "每周探问两回" reads as one rewritten phrase.
    result = diff_html("每天问候一次", "每周探问两回")

    assert result == "每<del>天问候一次</del><ins>周探问两回</ins>"


def test_the_diff_escapes_everything_and_adds_only_its_own_tags():
    result = diff_html('<script>alert("a")</script> 旧', '<script>alert("b")</script> 新 & <b>')

    assert "<script>" not in result and "<b>" not in result
    assert "&lt;script&gt;" in result and "&amp; &lt;b&gt;" in result
    assert set(re.findall(r"</?([a-z]+)>", result)) <= {"del", "ins"}


def test_equal_texts_have_no_marks_and_empty_texts_work():
    assert diff_html("社区老人做饭难", "社区老人做饭难") == "社区老人做饭难"
    assert diff_html("", "新的文字") == "<ins>新的文字</ins>"
    assert diff_html("旧的文字", "") == "<del>旧的文字</del>"


# --- Editing and the versions page ---------------------------------------------------------------


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def proposer(db):
    return UserFactory(display_name="张秘密")


@pytest.fixture
def idea(world, proposer):
    return submit_idea(edition=world.edition, community=world.community, proposer=proposer, anonymous=True,
                       title="为独居老人建立每日问候队")


def field_diff(body: str, label: str) -> str:
    """The diff HTML of one field on the compare page."""
    found = re.search(rf"<h3>{label}[^<]*(?:<span[^>]*>[^<]*</span>)?</h3>\s*<div class=\"diff\">(.*?)</div>", body, re.S)
    assert found, f"no diff for {label}"
    return found.group(1)


def edit_form(idea, **overrides):
    data = {"title": idea.title, "problem": idea.problem, "proposal": idea.proposal,
            "beneficiaries": idea.beneficiaries, "estimated_budget": str(idea.estimated_budget), "note": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_edit_form_is_prefilled_with_the_current_text(idea, proposer, login_as):
    page = text(login_as(proposer).get(f"/ideas/{idea.tracking_code}/edit/"))

    assert 'value="为独居老人建立每日问候队"' in page
    assert idea.proposal in page and 'value="12000.00"' in page
    assert 'name="note"' in page


@pytest.mark.django_db
def test_every_edit_is_kept_and_any_two_versions_can_be_compared(world, idea, proposer, login_as, anon_client):
    client = login_as(proposer)
    first = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(
        idea, proposal="组织社区志愿者结对，每天上门问候一次，发现情况及时联系社区。", note="改为志愿者结对"))
    assert first.status_code == 302 and first["Location"] == f"/ideas/{idea.tracking_code}/"
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    idea_revise(actor=worker, idea=idea, title=idea.title, problem=idea.problem,
                proposal="组织社区志愿者结对，每天上门或电话问候两次，发现情况及时联系社区。",
                beneficiaries="社区独居老人约80人", estimated_budget=idea.estimated_budget, note="社工帮助补充")

    assert list(IdeaRevision.objects.filter(idea=idea).values_list("number", flat=True)) == [1, 2, 3]
    originals = IdeaRevision.objects.get(idea=idea, number=1)
    assert originals.proposal == "组织低龄老人和志愿者结对，每天上门或电话问候一次，发现情况及时联系社区。"

    listing = anon_client.get(f"/ideas/{idea.tracking_code}/revisions/")
    assert listing.status_code == 200
    page = text(listing)
    assert "The proposer" in page and "Community staff" in page
    assert "改为志愿者结对" in page and "社工帮助补充" in page
    assert "张秘密" not in page and str(worker) not in page  # no names on the public page

    compare = anon_client.get(f"/ideas/{idea.tracking_code}/revisions/", {"a": 1, "b": 3})
    assert compare.status_code == 200
    body = compare.content.decode()
    proposal = field_diff(body, "The proposal")
    assert re.findall(r"<del>(.*?)</del>", proposal) == ["低龄老人和", "一"]
    assert re.findall(r"<ins>(.*?)</ins>", proposal) == ["社区", "两"]
    assert field_diff(body, "Who benefits") == "社区<del>60岁以上</del>独居老人约80人"
    assert "<del>" not in field_diff(body, "Title") and "(unchanged)" in text(compare)


@pytest.mark.django_db
def test_without_a_choice_the_page_shows_the_latest_change(idea, proposer, login_as, anon_client):
    login_as(proposer).post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea, title="为独居老人建立问候队"))

    body = anon_client.get(f"/ideas/{idea.tracking_code}/revisions/").content.decode()

    assert "<del>每日</del>" in body
    assert re.search(r'name="a" value="1"\s+checked', body) and re.search(r'name="b" value="2"\s+checked', body)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"a": "1", "b": "9"}, {"a": "x", "b": "1"}, {"a": "1"}])
def test_comparing_versions_that_do_not_exist_gets_a_clear_message(idea, anon_client, params):
    response = anon_client.get(f"/ideas/{idea.tracking_code}/revisions/", params)

    assert response.status_code == 400
    assert "Choose two versions from the list (numbers 1 to 1)." in text(response)


@pytest.mark.django_db
def test_staff_of_the_area_see_who_edited_by_name(world, idea, login_as):
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community, display_name="社工小王")
    idea_revise(actor=worker, idea=idea, title="问候队", problem=idea.problem, proposal=idea.proposal,
                beneficiaries=idea.beneficiaries, estimated_budget=idea.estimated_budget)

    page = text(login_as(worker).get(f"/ideas/{idea.tracking_code}/revisions/"))

    assert "社工小王" in page and "张秘密" in page


@pytest.mark.django_db
def test_a_paper_idea_first_version_is_credited_to_the_proposer_on_paper(world):
    from django.test import Client

    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community, display_name="社工小李")
    idea = paper_idea(edition=world.edition, community=world.community, worker=worker, proposer_name="王秀兰")

    page = text(Client(headers={"accept-language": "en"}).get(f"/ideas/{idea.tracking_code}/revisions/"))

    assert "The proposer, on a paper form" in page
    assert "社工小李" not in page and "王秀兰" in text(Client().get(f"/ideas/{idea.tracking_code}/"))


@pytest.mark.django_db
def test_saving_without_a_change_or_with_an_empty_title_changes_nothing(idea, proposer, login_as):
    client = login_as(proposer)

    unchanged = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea))
    empty = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea, title=""))
    too_costly = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea, estimated_budget="60000"))

    assert unchanged.status_code == 200 and "Nothing was changed." in text(unchanged)
    assert empty.status_code == 200 and "This field is required." in text(empty)
    assert too_costly.status_code == 200 and "at most 50,000.00 yuan" in text(too_costly)
    assert idea.revisions.count() == 1
    assert Idea.objects.get(pk=idea.pk).title == "为独居老人建立每日问候队"


@pytest.mark.django_db
@pytest.mark.parametrize("who, expected", [
    ("other_resident", 403), ("worker_elsewhere", 403), ("officer_elsewhere", 403),
    ("worker", 200), ("street_officer", 200), ("proposer", 200),
])
def test_only_the_proposer_and_staff_of_the_area_may_edit(world, idea, proposer, login_as, who, expected):
    people = {
        "other_resident": lambda: UserFactory(),
        "worker_elsewhere": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.other_community),
        "officer_elsewhere": lambda: staff_user(Role.STREET_OFFICER, area=world.other_street),
        "worker": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.community),
        "street_officer": lambda: staff_user(Role.STREET_OFFICER, area=world.street),
        "proposer": lambda: proposer,
    }
    client = login_as(people[who]())

    assert client.get(f"/ideas/{idea.tracking_code}/edit/").status_code == expected
    response = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea, title="改过的标题"))
    assert response.status_code == (302 if expected == 200 else 403)
    assert idea.revisions.count() == (2 if expected == 200 else 1)


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in_to_edit(idea, anon_client):
    response = anon_client.get(f"/ideas/{idea.tracking_code}/edit/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_declined_idea_can_no_longer_be_edited(world, idea, proposer, login_as):
    screened_idea(decision="decline", actor=staff_user(Role.COMMUNITY_WORKER, area=world.community), idea=idea)
    client = login_as(proposer)

    page = client.get(f"/ideas/{idea.tracking_code}/edit/")
    posted = client.post(f"/ideas/{idea.tracking_code}/edit/", edit_form(idea, title="再试一次"))

    assert "This idea can no longer be edited" in text(page) and 'name="title"' not in text(page)
    assert posted.status_code == 200 and idea.revisions.count() == 1
    assert "Edit the text" not in text(client.get(f"/ideas/{idea.tracking_code}/"))


@pytest.mark.django_db
def test_the_public_page_links_to_the_versions(idea, anon_client):
    page = text(anon_client.get(f"/ideas/{idea.tracking_code}/"))

    assert f"/ideas/{idea.tracking_code}/revisions/" in page and "1 version of the text" in page
