"""The public pages a visitor uses without an account: home, browse, search, track, detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jindianzi.accounts.models import Role
from jindianzi.ideas.services import idea_withdraw

from ..factories import EditionFactory, paper_idea, staff_user, submit_idea

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def three_ideas(world):
    """食堂 in 老爷庙 (西屯, elderly), 托管 in 花园 (西屯, youth), 坡道 in 红山郡 (西城, disabled, withdrawn)."""
    cat = {c.code: c for c in world.edition.categories.all()}
    canteen = submit_idea(edition=world.edition, community=world.community, category=cat["elderly"],
                          title="社区老人午餐难题", problem="老人独自做饭不方便。",
                          proposal="在社区活动中心开办老年食堂，每天中午供应平价午餐。")
    afterschool = submit_idea(edition=world.edition, community=world.neighbour, category=cat["youth"],
                              title="青少年课后托管", problem="双职工家庭孩子放学后无人看管。",
                              proposal="组织大学生志愿者开设课后托管班。")
    ramp = submit_idea(edition=world.edition, community=world.other_community, category=cat["disabled"],
                       title="无障碍坡道改造", problem="单元门口台阶高，轮椅无法通行。",
                       proposal="在单元门口加装无障碍坡道和扶手。")
    idea_withdraw(actor=ramp.proposer, idea=ramp)
    return type("Ideas", (), {"canteen": canteen, "afterschool": afterschool, "ramp": ramp, "cat": cat})()


TITLES = {"canteen": "社区老人午餐难题", "afterschool": "青少年课后托管", "ramp": "无障碍坡道改造"}


def shown(html: str) -> set[str]:
    return {key for key, title in TITLES.items() if title in html}


def test_browse_lists_every_idea_of_the_edition_with_its_public_status(anon_client, three_ideas):
    html = text(anon_client.get("/ideas/"))

    assert shown(html) == {"canteen", "afterschool", "ramp"}
    assert "3 ideas found" in html
    assert "Withdrawn by the proposer" in html and "Received, waiting to be looked at" in html


@pytest.mark.parametrize("filters, expected", [
    (lambda w, i: {"street": w.street.pk}, {"canteen", "afterschool"}),
    (lambda w, i: {"street": w.other_street.pk}, {"ramp"}),
    (lambda w, i: {"community": w.neighbour.pk}, {"afterschool"}),
    (lambda w, i: {"category": i.cat["elderly"].pk}, {"canteen"}),
    (lambda w, i: {"state": "withdrawn"}, {"ramp"}),
    (lambda w, i: {"state": "submitted", "street": w.street.pk, "category": i.cat["youth"].pk}, {"afterschool"}),
    (lambda w, i: {"q": "食堂"}, {"canteen"}),
    (lambda w, i: {"q": "老年 午餐"}, {"canteen"}),
    (lambda w, i: {"q": "轮椅"}, {"ramp"}),
    (lambda w, i: {"q": "志愿者"}, {"afterschool"}),
    (lambda w, i: {"q": "食堂 轮椅"}, set()),
    (lambda w, i: {"q": i.afterschool.tracking_code}, {"afterschool"}),
], ids=["street", "other street", "community", "category", "state", "combined", "search 食堂",
        "two words", "search in problem", "search in proposal", "no match", "tracking code"])
def test_browse_filters_and_chinese_search(anon_client, world, three_ideas, filters, expected):
    html = text(anon_client.get("/ideas/", filters(world, three_ideas)))

    assert shown(html) == expected
    if not expected:
        assert "No idea matches." in html


def test_an_htmx_request_gets_only_the_results(anon_client, three_ideas):
    page = anon_client.get("/ideas/", {"q": "食堂"}, HTTP_HX_REQUEST="true")

    html = text(page)
    assert "<html" not in html and "<form" not in html
    assert shown(html) == {"canteen"}
    assert "1 idea found" in html


def test_bad_filter_input_is_named_and_the_list_is_not_filtered_by_it(anon_client, three_ideas):
    html = text(anon_client.get("/ideas/", {"street": "999999", "state": "approved"}))

    assert html.count("Select a valid choice.") == 2
    assert shown(html) == {"canteen", "afterschool", "ramp"}


def test_browse_costs_the_same_queries_for_one_idea_or_a_full_page(anon_client, world,
                                                                   django_assert_max_num_queries):
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    submit_idea(edition=world.edition, community=world.community)
    plain, filtered = {}, {"street": world.street.pk, "q": "老人"}
    with CaptureQueriesContext(connection) as one:
        text(anon_client.get("/ideas/", plain))
    with CaptureQueriesContext(connection) as one_filtered:
        text(anon_client.get("/ideas/", filtered))
    for n in range(12):
        submit_idea(edition=world.edition, community=(world.neighbour, world.other_community)[n % 2],
                    title=f"点子{n}")
        paper_idea(edition=world.edition, community=world.community, worker=worker, title=f"纸质点子{n}")

    with django_assert_max_num_queries(len(one)):
        html = text(anon_client.get("/ideas/", plain))
    assert "25 ideas found" in html
    with django_assert_max_num_queries(len(one_filtered)):
        html = text(anon_client.get("/ideas/", filtered))
    assert "19 ideas found" in html  # 13 in 老爷庙社区, 6 in 花园社区


def test_browse_pages_through_many_ideas(anon_client, world):
    for n in range(21):
        submit_idea(edition=world.edition, community=world.community, title=f"点子第{n}号")

    first, second = text(anon_client.get("/ideas/")), text(anon_client.get("/ideas/", {"page": 2}))

    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    on_first = {n for n in range(21) if f"点子第{n}号<" in first}
    on_second = {n for n in range(21) if f"点子第{n}号<" in second}
    assert len(on_first) == 20 and len(on_second) == 1 and not on_first & on_second


def test_track_finds_an_idea_by_its_code_however_it_is_typed(anon_client, three_ideas):
    code = three_ideas.canteen.tracking_code

    page = anon_client.get("/track/", {"code": f"  {code.lower()} "})

    assert page.status_code == 302 and page["Location"] == f"/ideas/{code}/"


def test_track_with_an_unknown_code_says_so(anon_client, three_ideas):
    html = text(anon_client.get("/track/", {"code": "JDXXXXXXXX"}))

    assert "No idea has this tracking code. Please check it and try again." in html


def test_track_without_a_code_asks_for_one(anon_client):
    assert "This field is required." in text(anon_client.get("/track/", {"code": ""}))
    assert "This field is required." not in text(anon_client.get("/track/"))


def test_the_public_page_shows_the_idea_and_its_timeline(anon_client, three_ideas):
    html = text(anon_client.get(f"/ideas/{three_ideas.ramp.tracking_code}/"))

    assert "无障碍坡道改造" in html and "西城街道 · 红山郡社区" in html
    assert "Services for people with disabilities" in html
    timeline = html[html.index('class="timeline"'):]
    assert timeline.index("Received, waiting to be looked at") < timeline.index("Withdrawn by the proposer")
    assert "12000.00" in html


def test_an_unknown_idea_page_is_not_found(anon_client, world):
    assert anon_client.get("/ideas/JDXXXXXXXX/").status_code == 404


def test_home_counts_collected_ideas_without_withdrawn_ones(anon_client, world, three_ideas):
    html = text(anon_client.get("/"))

    assert world.edition.name in html
    assert "2 ideas collected so far." in html
    assert "is collecting ideas now." in html


def test_a_new_edition_in_preparation_does_not_replace_the_running_one_on_public_pages(anon_client, world,
                                                                                       three_ideas):
    # The organiser starts preparing next year's edition; it is not open yet.
    EditionFactory(district=world.district, collecting=False, name="下一届金点子大赛")

    browse = text(anon_client.get("/ideas/"))
    home = text(anon_client.get("/"))

    assert shown(browse) == {"canteen", "afterschool", "ramp"}
    assert "2 ideas collected so far." in home
