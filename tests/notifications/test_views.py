"""The notifications page, the unread count in the header, and following an idea."""

import html

import pytest
from django.core import mail

from jindianzi.accounts.models import Role
from jindianzi.ideas.models import IdeaFollower
from jindianzi.notifications.models import Notification
from jindianzi.notifications.services import notify

from ..factories import UserFactory, screened_idea, staff_user, submit_idea

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def proposer(db):
    return UserFactory(display_name="李明")


@pytest.fixture
def idea(world, proposer):
    return submit_idea(edition=world.edition, community=world.community, proposer=proposer, title="老年食堂进社区")


@pytest.fixture
def worker(world):
    return staff_user(Role.COMMUNITY_WORKER, area=world.community)


def test_the_page_lists_my_notifications_and_marks_them_read(idea, proposer, worker, login_as):
    screened_idea(decision="request_improvement", actor=worker, idea=idea, reason="请补充每天供应多少份。")
    client = login_as(proposer)

    header = text(client.get("/"))
    assert 'href="/me/notifications/"' in header and "1 unread" in header

    page = client.get("/me/notifications/")
    assert page.status_code == 200
    assert "请为您的金点子“老年食堂进社区”补充内容" in text(page)  # the subject is stored in the site language
    assert "请补充每天供应多少份。" in text(page)
    assert f'href="/ideas/{idea.tracking_code}/"' in text(page)
    assert "New" in text(page)  # shown as new on the visit that reads it
    assert not Notification.objects.filter(user=proposer, read_at__isnull=True).exists()

    again = text(client.get("/me/notifications/"))
    assert "badge-new" not in again and "unread" not in again.split("</nav>")[0]


def test_the_page_shows_only_my_own_notifications(idea, proposer, worker, login_as):
    screened_idea(decision="decline", actor=worker, idea=idea, reason="不在本届范围内。")

    page = text(login_as(UserFactory()).get("/me/notifications/"))

    assert "不在本届范围内。" not in page and "No notification yet." in page
    assert Notification.objects.get(user=proposer).read_at is None


def test_visitors_are_sent_to_sign_in(anon_client):
    response = anon_client.get("/me/notifications/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_following_an_idea_brings_its_decisions_and_unfollowing_stops_them(idea, worker, login_as):
    fan = UserFactory(login="fan@example.com")
    client = login_as(fan)
    assert "Follow this idea" in text(client.get(f"/ideas/{idea.tracking_code}/"))

    followed = client.post(f"/ideas/{idea.tracking_code}/follow/", {"follow": "1"})
    assert followed.status_code == 302 and followed["Location"] == f"/ideas/{idea.tracking_code}/"
    assert IdeaFollower.objects.filter(idea=idea, user=fan).exists()
    assert "Stop following" in text(client.get(f"/ideas/{idea.tracking_code}/"))

    screened_idea(decision="shortlist", actor=worker, idea=idea, reason="需求真实。")
    assert Notification.objects.filter(user=fan, subject__contains="老年食堂进社区").count() == 1

    client.post(f"/ideas/{idea.tracking_code}/follow/", {"follow": "0"})
    assert not IdeaFollower.objects.filter(idea=idea, user=fan).exists()
    screened_idea(decision="decline", actor=worker, idea=idea, reason="预算不足。")
    assert Notification.objects.filter(user=fan).count() == 1


def test_following_needs_an_account(idea, anon_client):
    page = text(anon_client.get(f"/ideas/{idea.tracking_code}/"))
    response = anon_client.post(f"/ideas/{idea.tracking_code}/follow/", {"follow": "1"})

    assert "Follow this idea" not in page
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert IdeaFollower.objects.filter(idea=idea).count() == 1  # only the proposer


def test_following_an_unknown_idea_is_not_found(login_as):
    assert login_as("resident").post("/ideas/JDNOSUCH99/follow/", {"follow": "1"}).status_code == 404


def test_email_goes_out_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    person = UserFactory(login="wang@example.com")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[person, person, None], subject="测试", body="正文", url="/ideas/JD/")
    assert mail.outbox == [] and Notification.objects.filter(user=person).count() == 1

    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]


def test_the_email_links_to_the_site_by_its_full_address(settings, django_capture_on_commit_callbacks):
    settings.JINDIANZI_SITE_URL = "https://jindianzi.hongshan.gov.cn/"
    person = UserFactory(login="li@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[person], subject="您的金点子已入选", body="请留意后续通知", url="/ideas/JDABCDEFGH/")

    assert "https://jindianzi.hongshan.gov.cn/ideas/JDABCDEFGH/" in mail.outbox[0].body
    assert Notification.objects.get(user=person).url == "/ideas/JDABCDEFGH/"
