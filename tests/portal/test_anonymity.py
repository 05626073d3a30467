"""Release blocker: names of anonymous residents and proposers' phone numbers stay off public pages.

Every public page (home, browse, search, detail, track) is read by every kind of outsider,
and the whole HTML is searched for the name and for the number in every form it could take.
"""

import pytest
from django.test import Client

from jindianzi.accounts.models import Role
from jindianzi.ideas.services import idea_record_on_paper

from ..factories import PASSWORD, UserFactory, draft_for, staff_user, submit_idea

pytestmark = pytest.mark.django_db

SECRET_NAME = "张秘密"          # an online resident who asked to stay anonymous
PAPER_SECRET_NAME = "赵隐名"    # a paper-form resident who asked the same
PUBLIC_NAME = "王公开"          # a paper-form resident happy to be named
PHONES = ["13812345678", "13987654321", "13711112222"]


def forms_of(phone: str) -> list[str]:
    """The number whole, masked, and split the ways people write it."""
    return [phone, f"{phone[:3]}****{phone[-4:]}", f"{phone[:3]} {phone[3:7]} {phone[7:]}",
            f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"]


@pytest.fixture
def ideas(world):
    secret = UserFactory(login=PHONES[0], display_name=SECRET_NAME)
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    online = submit_idea(edition=world.edition, community=world.community, proposer=secret, anonymous=True,
                         title="楼道灯坏了没人修")
    on_paper = idea_record_on_paper(
        actor=worker, draft=draft_for(world.edition, world.community, anonymous=True, title="小区垃圾分类亭"),
        proposer_name=PAPER_SECRET_NAME, proposer_phone=PHONES[1], consent=True)
    named = idea_record_on_paper(
        actor=worker, draft=draft_for(world.edition, world.community, title="健身器材维护"),
        proposer_name=PUBLIC_NAME, proposer_phone=PHONES[2], consent=True)
    return type("Ideas", (), {"online": online, "on_paper": on_paper, "named": named,
                              "secret": secret, "worker": worker})()


def client_for(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        assert client.login(username=user.email or user.phone, password=PASSWORD)
    return client


OUTSIDERS = {
    "visitor": lambda w: None,
    "another resident": lambda w: UserFactory(),
    "street officer of another street": lambda w: staff_user(Role.STREET_OFFICER, area=w.other_street),
    "worker of another street": lambda w: staff_user(Role.COMMUNITY_WORKER, area=w.other_community),
}


def public_pages(client, ideas) -> dict[str, str]:
    pages = {"home": client.get("/"), "browse": client.get("/ideas/")}
    for needle in ("老", "社区", ideas.online.tracking_code):
        # The results as htmx fetches them: the full page also echoes what was typed in the box.
        pages[f"search {needle}"] = client.get("/ideas/", {"q": needle}, HTTP_HX_REQUEST="true")
    for idea in (ideas.online, ideas.on_paper, ideas.named):
        pages[f"detail {idea.title}"] = client.get(f"/ideas/{idea.tracking_code}/")
        pages[f"track {idea.title}"] = client.get("/track/", {"code": idea.tracking_code}, follow=True)
    for name, page in pages.items():
        assert page.status_code == 200, name
    return {name: page.content.decode() for name, page in pages.items()}


@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_outsiders_never_see_an_anonymous_name_or_any_phone_number(world, ideas, outsider):
    client = client_for(OUTSIDERS[outsider](world))

    for page, html in public_pages(client, ideas).items():
        assert SECRET_NAME not in html, page
        assert PAPER_SECRET_NAME not in html, page
        for phone in PHONES:
            for form in forms_of(phone):
                assert form not in html, (page, form)


@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_outsiders_see_that_the_proposer_asked_to_stay_anonymous(world, ideas, outsider):
    client = client_for(OUTSIDERS[outsider](world))

    for idea in (ideas.online, ideas.on_paper):
        html = client.get(f"/ideas/{idea.tracking_code}/").content.decode()
        assert "A resident who asked to stay anonymous" in html
    assert PUBLIC_NAME in client.get(f"/ideas/{ideas.named.tracking_code}/").content.decode()


@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_searching_for_an_anonymous_name_or_a_number_finds_nothing(world, ideas, outsider):
    client = client_for(OUTSIDERS[outsider](world))

    for needle in (SECRET_NAME, PAPER_SECRET_NAME, PUBLIC_NAME, *PHONES):
        html = client.get("/ideas/", {"q": needle}).content.decode()
        assert "No idea matches." in html, needle


def test_the_proposer_sees_their_own_name_marked_as_hidden_from_the_public(world, ideas):
    html = client_for(ideas.secret).get(f"/ideas/{ideas.online.tracking_code}/").content.decode()

    assert SECRET_NAME in html
    assert "(anonymous to the public)" in html


def test_the_proposer_sees_nothing_private_of_another_anonymous_idea(world, ideas):
    html = client_for(ideas.secret).get(f"/ideas/{ideas.on_paper.tracking_code}/").content.decode()

    assert PAPER_SECRET_NAME not in html
    assert all(form not in html for form in forms_of(PHONES[1]))


def test_the_community_worker_sees_the_name_and_the_whole_number_to_call_back(world, ideas):
    colleague = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    client = client_for(colleague)

    online = client.get(f"/ideas/{ideas.online.tracking_code}/").content.decode()
    on_paper = client.get(f"/ideas/{ideas.on_paper.tracking_code}/").content.decode()

    assert SECRET_NAME in online and PHONES[0] in online
    assert PAPER_SECRET_NAME in on_paper and PHONES[1] in on_paper


@pytest.mark.parametrize("staff", ["street officer", "district organiser"])
def test_street_and_district_staff_see_the_name_but_only_a_masked_number(world, ideas, staff):
    user = {
        "street officer": lambda: staff_user(Role.STREET_OFFICER, area=world.street),
        "district organiser": lambda: staff_user(Role.DISTRICT_ORGANISER, area=world.district),
    }[staff]()

    html = client_for(user).get(f"/ideas/{ideas.on_paper.tracking_code}/").content.decode()

    assert PAPER_SECRET_NAME in html
    assert "139****4321" in html
    assert PHONES[1] not in html


def test_the_list_pages_show_no_names_even_to_staff(world, ideas):
    html = client_for(ideas.worker).get("/ideas/").content.decode()

    assert SECRET_NAME not in html and PAPER_SECRET_NAME not in html
    assert all(phone not in html for phone in PHONES)
