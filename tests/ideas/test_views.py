"""The idea pages as a resident and a community worker use them."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jindianzi.accounts.models import Role
from jindianzi.editions.services import edition_advance_phase
from jindianzi.ideas.models import Channel, Idea, IdeaPhoto

from ..factories import PASSWORD, CommunityFactory, UserFactory, paper_idea, photo_upload, submit_idea

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def idea_form(world, **overrides):
    data = {
        "edition": world.edition.slug,
        "community": world.community.pk,
        "category": world.edition.categories.get(code="elderly").pk,
        "title": "老年食堂进社区",
        "problem": "社区老人做饭难，附近没有便宜的老年食堂。",
        "proposal": "利用社区活动室开办老年食堂，每天中午供应平价午餐。",
        "beneficiaries": "社区60岁以上老人约200人",
        "estimated_budget": "30000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return response.content.decode()


def media_files(settings):
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- The resident's journey ----------------------------------------------------------------------

def test_resident_submits_an_idea_with_a_photo_and_anyone_can_track_it(world, client, anon_client, settings):
    UserFactory(login="13812345678", display_name="李明")
    assert client.post("/accounts/login/", {"username": "13812345678", "password": PASSWORD}).status_code == 302

    form_page = client.get("/ideas/new/")
    assert form_page.status_code == 200
    assert "老爷庙社区" in text(form_page) and 'name="photos"' in text(form_page)
    assert 'enctype="multipart/form-data"' in text(form_page)

    done = client.post("/ideas/new/", idea_form(world, photos=photo_upload("食堂.jpg")))

    assert done.status_code == 200
    idea = Idea.objects.get()
    assert "Thank you, your idea is received" in text(done)
    assert idea.tracking_code in text(done)
    assert idea.photos.count() == 1 and len(media_files(settings)) == 1

    mine = client.get("/me/ideas/")
    assert "老年食堂进社区" in text(mine) and idea.tracking_code in text(mine)

    found = anon_client.get("/track/", {"code": idea.tracking_code.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/ideas/{idea.tracking_code}/"

    public = anon_client.get(found["Location"])
    assert public.status_code == 200
    assert "老年食堂进社区" in text(public)
    assert "Received, waiting to be looked at" in text(public)
    assert f'src="/media/{idea.photos.get().image.name}"' in text(public)
    # (Fetching /media/... is not checked: jindianzi/urls.py binds MEDIA_ROOT when it is first
    # imported, so it does not follow the per-test media folder.)
    assert (Path(settings.MEDIA_ROOT) / idea.photos.get().image.name).read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_resident_withdraws_with_the_button_and_the_timeline_keeps_both_steps(world, login_as, anon_client):
    resident = UserFactory()
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)
    client = login_as(resident)
    page = text(client.get(f"/ideas/{idea.tracking_code}/"))
    assert f'action="/ideas/{idea.tracking_code}/withdraw/"' in page

    done = client.post(f"/ideas/{idea.tracking_code}/withdraw/", {"reason": "问题已解决"}, follow=True)

    assert done.redirect_chain[-1][0] == f"/ideas/{idea.tracking_code}/"
    assert "The idea is withdrawn. It stays in the history." in text(done)
    assert "Withdraw this idea" not in text(done)
    public = text(anon_client.get(f"/ideas/{idea.tracking_code}/"))
    timeline = public[public.index('class="timeline"'):]
    assert timeline.index("Received, waiting to be looked at") < timeline.index("Withdrawn by the proposer")
    assert "问题已解决" not in public  # the reason is for the proposer and staff only
    assert "问题已解决" in text(client.get(f"/ideas/{idea.tracking_code}/"))


def test_withdrawing_an_already_withdrawn_idea_shows_a_message_and_changes_nothing(world, login_as):
    resident = UserFactory()
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)
    client = login_as(resident)
    client.post(f"/ideas/{idea.tracking_code}/withdraw/")

    again = client.post(f"/ideas/{idea.tracking_code}/withdraw/", follow=True)

    assert "not possible now" in text(again) and "Withdrawn by the proposer" in text(again)
    assert idea.transitions.count() == 2


def test_another_resident_cannot_withdraw_and_sees_no_button(world, login_as):
    idea = submit_idea(edition=world.edition, community=world.community)
    client = login_as("resident")

    assert "Withdraw this idea" not in text(client.get(f"/ideas/{idea.tracking_code}/"))
    assert client.post(f"/ideas/{idea.tracking_code}/withdraw/").status_code == 403
    idea.refresh_from_db()
    assert idea.state == "submitted" and idea.transitions.count() == 1


def test_withdrawing_needs_a_signed_in_post(world, anon_client, login_as):
    idea = submit_idea(edition=world.edition, community=world.community)

    assert anon_client.post(f"/ideas/{idea.tracking_code}/withdraw/")["Location"].startswith("/accounts/login/")
    assert login_as(idea.proposer).get(f"/ideas/{idea.tracking_code}/withdraw/").status_code == 405
    idea.refresh_from_db()
    assert idea.state == "submitted"


def test_submitting_needs_an_account(world, anon_client):
    page = anon_client.get("/ideas/new/")

    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=/ideas/new/")


def test_my_ideas_shows_only_my_own(world, login_as):
    me = UserFactory()
    submit_idea(edition=world.edition, community=world.community, proposer=me, title="我的点子")
    submit_idea(edition=world.edition, community=world.community, title="邻居的点子")

    page = text(login_as(me).get("/me/ideas/"))

    assert "我的点子" in page and "邻居的点子" not in page


def test_my_ideas_costs_the_same_queries_for_one_idea_or_many(world, login_as, django_assert_max_num_queries):
    me = UserFactory()
    client = login_as(me)
    submit_idea(edition=world.edition, community=world.community, proposer=me)
    with CaptureQueriesContext(connection) as one:
        client.get("/me/ideas/")
    for community in (world.neighbour, world.other_community) * 5:
        submit_idea(edition=world.edition, community=community, proposer=me)

    with django_assert_max_num_queries(len(one)):
        page = client.get("/me/ideas/")
    assert text(page).count('class="card"') == 11


# --- Bad input on the submit form ----------------------------------------------------------------

@pytest.fixture
def resident_client(login_as):
    return login_as(UserFactory())


@pytest.mark.parametrize("overrides, message", [
    ({"estimated_budget": "60000"}, "The estimated budget may be at most 50,000.00 yuan in this edition."),
    ({"estimated_budget": "0"}, "Ensure this value is greater than or equal to 0.01."),
    ({"estimated_budget": "一万"}, "Enter a number."),
    ({"title": ""}, "This field is required."),
    ({"problem": "   "}, "This field is required."),
])
def test_bad_input_on_the_submit_form_shows_the_message_and_creates_nothing(world, resident_client, overrides,
                                                                           message):
    page = resident_client.post("/ideas/new/", idea_form(world, **overrides))

    assert page.status_code == 200
    assert message in text(page)
    assert 'role="alert"' in text(page)
    assert not Idea.objects.exists()
    assert "利用社区活动室开办老年食堂" in text(page)  # what the resident typed is still there


def test_a_community_of_another_district_cannot_be_chosen(world, resident_client):
    elsewhere = CommunityFactory(name="松山区某社区")  # in a district of its own
    assert elsewhere.name not in text(resident_client.get("/ideas/new/"))

    page = resident_client.post("/ideas/new/", idea_form(world, community=elsewhere.pk))

    assert "Select a valid choice." in text(page)
    assert not Idea.objects.exists()


def test_a_file_that_is_not_a_photo_shows_a_message_and_creates_nothing(world, resident_client, settings):
    fake = photo_upload("照片.jpg", content=b"%PDF-1.4 not a photo")

    page = resident_client.post("/ideas/new/", idea_form(world, photos=fake))

    assert "照片.jpg is not a photo we can read." in text(page)
    assert not Idea.objects.exists() and not IdeaPhoto.objects.exists()
    assert media_files(settings) == []


def test_too_large_and_too_many_photos_are_refused_on_the_page(world, resident_client, settings):
    settings.JINDIANZI_PHOTO_MAX_BYTES = 200
    page = resident_client.post("/ideas/new/", idea_form(world, photos=photo_upload("大图.jpg")))
    assert "大图.jpg is too large" in text(page)

    settings.JINDIANZI_PHOTO_MAX_BYTES = 8 * 2**20
    seven = [photo_upload(f"{n}.jpg") for n in range(7)]
    page = resident_client.post("/ideas/new/", idea_form(world, photos=seven))
    assert "At most 6 photos per idea." in text(page)

    assert not Idea.objects.exists() and media_files(settings) == []


def test_when_no_edition_collects_the_page_says_so(world, resident_client):
    edition_advance_phase(actor=None, edition=world.edition)

    page = resident_client.get("/ideas/new/")

    assert "No edition is collecting ideas now" in text(page)
    assert 'name="title"' not in text(page)


def test_a_submission_after_the_phase_ended_is_refused_with_the_phase_named(world, resident_client):
    form_page = resident_client.get("/ideas/new/")
    assert form_page.status_code == 200
    edition_advance_phase(actor=None, edition=world.edition)  # the organiser moves on meanwhile

    page = resident_client.post("/ideas/new/", idea_form(world))

    assert f"{world.edition.name} is not collecting ideas now (current phase: Optimisation" in text(page)
    assert not Idea.objects.exists()


# --- Paper ideas ---------------------------------------------------------------------------------

@pytest.fixture
def worker_client(world, login_as):
    return login_as(Role.COMMUNITY_WORKER, area=world.community)


def paper_form(world, **overrides):
    data = idea_form(world, proposer_name="王秀兰", proposer_phone="13812345678", consent="on")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_community_worker_records_a_paper_idea_for_a_resident(world, worker_client):
    page = worker_client.get("/staff/ideas/paper/")
    assert page.status_code == 200
    assert 'name="consent"' in text(page)
    assert "老爷庙社区" in text(page) and "红山郡社区" not in text(page)

    done = worker_client.post("/staff/ideas/paper/", paper_form(world), follow=True)

    idea = Idea.objects.get()
    assert idea.channel == Channel.PAPER
    assert idea.proposer_name == "王秀兰" and idea.proposer is None
    assert idea.entered_by == worker_client.user
    assert f"Tracking code {idea.tracking_code}" in text(done)
    assert "Recently recorded by you" in text(done) and "王秀兰" in text(done)


def test_without_the_consent_tick_the_worker_gets_the_message_and_nothing_is_created(world, worker_client):
    page = worker_client.post("/staff/ideas/paper/", paper_form(world, consent=None))

    assert page.status_code == 200
    assert "Please confirm that the resident agreed to have the idea recorded." in text(page)
    assert not Idea.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"proposer_name": ""}, "This field is required."),
    ({"proposer_phone": "0476-888888"}, "Enter an 11-digit mobile number, or leave it empty."),
    ({"estimated_budget": "50000.01"}, "at most 50,000.00 yuan"),
])
def test_bad_input_on_the_paper_form_shows_the_message_and_creates_nothing(world, worker_client, overrides,
                                                                          message):
    page = worker_client.post("/staff/ideas/paper/", paper_form(world, **overrides))

    assert message in text(page)
    assert not Idea.objects.exists()


def test_a_worker_cannot_record_for_a_community_they_do_not_work_in(world, worker_client):
    page = worker_client.post("/staff/ideas/paper/", paper_form(world, community=world.neighbour.pk))

    assert "Select a valid choice." in text(page)
    assert not Idea.objects.exists()


def test_the_paper_page_is_for_community_workers_only(world, login_as, anon_client):
    assert anon_client.get("/staff/ideas/paper/")["Location"].startswith("/accounts/login/")
    assert login_as("resident").get("/staff/ideas/paper/").status_code == 403


def test_the_worker_withdraws_a_paper_idea_with_the_button(world, worker_client):
    idea = paper_idea(edition=world.edition, community=world.community, worker=worker_client.user)
    assert "Withdraw this idea" in text(worker_client.get(f"/ideas/{idea.tracking_code}/"))

    worker_client.post(f"/ideas/{idea.tracking_code}/withdraw/", {"reason": "居民来电撤回"})

    idea.refresh_from_db()
    assert idea.state == "withdrawn"
    assert idea.transitions.last().actor == worker_client.user


def test_the_money_a_resident_types_is_kept_to_the_fen(world, resident_client):
    resident_client.post("/ideas/new/", idea_form(world, estimated_budget="12345.67"))

    assert Idea.objects.get().estimated_budget == Decimal("12345.67")


def test_the_tracking_code_on_the_thank_you_page_is_the_saved_one(world, resident_client):
    page = resident_client.post("/ideas/new/", idea_form(world))

    shown = re.search(r'<span class="code">(JD\w+)</span>', text(page)).group(1)
    assert Idea.objects.get(tracking_code=shown).title == "老年食堂进社区"


def test_the_submit_page_states_the_photo_limit_the_service_applies(world, resident_client, settings):
    settings.JINDIANZI_PHOTOS_PER_IDEA = 3

    page = text(resident_client.get("/ideas/new/"))

    assert "Up to 3 photos" in page


def test_organisation_staff_propose_in_the_organisation_name(world, login_as):
    from jindianzi.accounts.models import Role
    from jindianzi.ideas.models import ProposerKind

    from ..factories import OrganizationFactory

    org = OrganizationFactory(name="晓菲志愿服务站", home_area=world.community)
    client = login_as(Role.ORG_STAFF, organization=org)
    form = client.get("/ideas/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert "晓菲志愿服务站" in form.content.decode()

    client.post("/ideas/new/", {
        "edition": world.edition.slug, "proposed_as": str(org.pk), "community": world.community.pk,
        "category": world.edition.categories.get(code="comprehensive").pk, "title": "社区志愿者积分兑换站",
        "problem": "志愿者服务没有记录，积极性不高。", "proposal": "设立积分兑换站，服务时长可兑换生活用品。",
        "beneficiaries": "社区志愿者约200人", "estimated_budget": "15000",
    })

    idea = Idea.objects.get(title="社区志愿者积分兑换站")
    assert idea.proposer_organization == org
    assert idea.proposer_kind == ProposerKind.SOCIAL_ORGANIZATION
    detail = client.get(f"/ideas/{idea.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "晓菲志愿服务站" in detail


def test_a_resident_is_not_offered_to_propose_for_an_organisation(world, login_as):
    page = login_as("resident").get("/ideas/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="proposed_as"' not in page.content.decode()
