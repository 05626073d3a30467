"""Public reads: editions, areas, organisations and ideas, with filters, counts and fixed query costs."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jindianzi.editions.models import PhaseKind
from jindianzi.editions.services import edition_advance_phase, funding_sources_set, phases_schedule
from jindianzi.ideas.services import idea_withdraw

from ..factories import EditionFactory, OrganizationFactory, submit_idea


def _codes(response) -> set[str]:
    return {item["tracking_code"] for item in response.json()["items"]}


@pytest.fixture
def ideas(world):
    """Four ideas across both streets, three categories and two states."""
    w = world
    canteen = submit_idea(edition=w.edition, community=w.community, title="老年食堂每周送餐上门",
                          problem="高龄老人做饭难。", proposal="社区食堂每周三次送餐。")
    greeting = submit_idea(edition=w.edition, community=w.neighbour)
    homework = submit_idea(edition=w.edition, community=w.other_community, title="放学后的四点半课堂",
                           category=w.edition.categories.get(code="youth"), problem="双职工家庭孩子放学无人照看。",
                           proposal="志愿者辅导作业。", beneficiaries="小学生约40人", estimated_budget=Decimal("8000.5"))
    ramp = submit_idea(edition=w.edition, community=w.other_community, title="单元门口加装无障碍坡道",
                       category=w.edition.categories.get(code="disabled"), problem="轮椅出入困难。",
                       proposal="加装坡道和扶手。")
    idea_withdraw(actor=ramp.proposer, idea=ramp)
    return type("Ideas", (), {"canteen": canteen, "greeting": greeting, "homework": homework, "ramp": ramp})()


# ---- editions ------------------------------------------------------------------

def test_editions_list_with_phases_categories_and_funding(api_client, world):
    w = world
    foundation = OrganizationFactory(name="赤峰市弘善社区发展基金会", kind="community_foundation", home_area=w.district)
    finance = OrganizationFactory(name="红山区财政局", kind="finance_bureau", home_area=w.district)
    funding_sources_set(actor=None, edition=w.edition, shares=[(foundation, Decimal("0.6")), (finance, Decimal("0.4"))])
    phases_schedule(actor=None, edition=w.edition, dates={PhaseKind.COLLECTION: (date(2017, 4, 1), date(2017, 5, 31))})

    body = api_client.get("/api/v1/editions").json()

    assert body["count"] == 1
    edition = body["items"][0]
    assert edition["slug"] == w.edition.slug and edition["district"] == {"id": w.district.id, "name": w.district.name}
    assert edition["current_phase"] == {"kind": "collection", "label": "Collection (征集)",
                                        "starts_on": "2017-04-01", "ends_on": "2017-05-31"}
    assert [p["kind"] for p in edition["phases"]] == ["collection", "optimisation", "approval",
                                                     "implementation", "summary"]
    assert edition["categories"][1] == {"code": "elderly", "name_zh": "老年人服务类",
                                        "name_en": "Services for older people", "label": "Services for older people"}
    assert edition["max_budget_per_idea"] == "50000.00"
    assert [(f["organization"]["name"], f["share"]) for f in edition["funding_sources"]] == [
        ("赤峰市弘善社区发展基金会", "0.6000"), ("红山区财政局", "0.4000")]


def test_edition_labels_follow_the_language(client, world):
    edition = client.get(f"/api/v1/editions/{world.edition.slug}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert edition["categories"][1]["label"] == "老年人服务类"


def test_edition_detail_and_404(api_client, world):
    assert api_client.get(f"/api/v1/editions/{world.edition.slug}").json()["name"] == world.edition.name
    missing = api_client.get("/api/v1/editions/no-such-edition")
    assert missing.status_code == 404 and missing.json()["detail"] == "No edition has this short name."


def test_editions_list_costs_fixed_queries(api_client, world, django_assert_max_num_queries):
    for _ in range(4):
        edition = EditionFactory(district=world.district)
        org = OrganizationFactory(home_area=world.district)
        funding_sources_set(actor=None, edition=edition, shares=[(org, Decimal("1"))])
    with django_assert_max_num_queries(5):  # count, editions, phases, categories, funding sources
        assert api_client.get("/api/v1/editions").json()["count"] == 5


# ---- areas and organisations ---------------------------------------------------

def test_areas_tree_flattened_and_filtered(api_client, world, django_assert_max_num_queries):
    w = world
    with django_assert_max_num_queries(2):
        every = api_client.get("/api/v1/areas").json()
    assert every["count"] == 6
    assert every["items"][0] == {"id": w.district.id, "name": w.district.name, "kind": "district",
                                 "kind_label": "District", "parent_id": None, "code": ""}
    parents = {a["id"]: a["parent_id"] for a in every["items"]}
    assert parents[w.community.id] == w.street.id

    streets = api_client.get("/api/v1/areas", {"kind": "street"}).json()
    assert {a["name"] for a in streets["items"]} == {"西屯街道", "西城街道"}
    children = api_client.get("/api/v1/areas", {"parent": w.street.id}).json()
    assert {a["name"] for a in children["items"]} == {"老爷庙社区", "花园社区"}
    assert api_client.get("/api/v1/areas", {"kind": "village"}).status_code == 422


def test_organizations_public_fields_and_filters(api_client, world, django_assert_max_num_queries):
    w = world
    OrganizationFactory(name="老爷庙社区夕阳红志愿服务队", kind="resident_self_organization", home_area=w.community)
    OrganizationFactory(name="红山郡社区邻里互助会", home_area=w.other_community, registration="filed",
                        description="联系人 13900001111")
    OrganizationFactory(name="赤峰弘益社会组织服务中心", kind="support_centre", home_area=w.district,
                        registration="registered")

    with django_assert_max_num_queries(2):
        every = api_client.get("/api/v1/organizations").json()
    assert every["count"] == 3
    mutual = next(o for o in every["items"] if o["name"] == "红山郡社区邻里互助会")
    assert mutual == {"id": mutual["id"], "name": "红山郡社区邻里互助会", "kind": "community_social_organization",
                      "kind_label": "Community social organisation",
                      "home_area": {"id": w.other_community.id, "name": "红山郡社区"},
                      "registration": "filed", "registration_label": "Filed with the community (备案)"}

    in_xitun = api_client.get("/api/v1/organizations", {"area": w.street.id}).json()
    assert [o["name"] for o in in_xitun["items"]] == ["老爷庙社区夕阳红志愿服务队"]
    centres = api_client.get("/api/v1/organizations", {"kind": "support_centre"}).json()
    assert [o["name"] for o in centres["items"]] == ["赤峰弘益社会组织服务中心"]
    assert api_client.get("/api/v1/organizations", {"area": 999999}).json() == {"items": [], "count": 0}


# ---- ideas ---------------------------------------------------------------------

def test_ideas_filters_and_count(api_client, world, ideas):
    w, url = world, "/api/v1/ideas"
    assert api_client.get(url).json()["count"] == 4
    assert _codes(api_client.get(url, {"edition": w.edition.slug})) == {
        i.tracking_code for i in (ideas.canteen, ideas.greeting, ideas.homework, ideas.ramp)}
    assert api_client.get(url, {"edition": "another-edition"}).json() == {"items": [], "count": 0}
    assert _codes(api_client.get(url, {"street": w.street.id})) == {ideas.canteen.tracking_code,
                                                                    ideas.greeting.tracking_code}
    assert _codes(api_client.get(url, {"community": w.other_community.id})) == {ideas.homework.tracking_code,
                                                                                ideas.ramp.tracking_code}
    assert _codes(api_client.get(url, {"category": "youth"})) == {ideas.homework.tracking_code}
    assert _codes(api_client.get(url, {"state": "withdrawn"})) == {ideas.ramp.tracking_code}
    combined = api_client.get(url, {"street": w.other_street.id, "state": "submitted", "category": "youth"})
    assert _codes(combined) == {ideas.homework.tracking_code}


def test_ideas_are_paginated_with_the_total_count(api_client, world, ideas):
    first = api_client.get("/api/v1/ideas", {"limit": 3}).json()
    second = api_client.get("/api/v1/ideas", {"limit": 3, "offset": 3}).json()
    assert (first["count"], len(first["items"]), second["count"], len(second["items"])) == (4, 3, 4, 1)
    assert not _codes(api_client.get("/api/v1/ideas", {"limit": 3})) & {i["tracking_code"] for i in second["items"]}
    too_many = api_client.get("/api/v1/ideas", {"limit": 10_000})
    assert too_many.status_code == 422 and "limit" in too_many.json()["errors"]


@pytest.mark.parametrize("q, expected", [
    ("食堂", {"canteen"}),              # a word inside 老年食堂每周送餐上门
    ("老年 送餐", {"canteen"}),          # every term must occur
    ("坡道", {"ramp"}),
    ("辅导", {"homework"}),              # found in the proposal, not the title
    ("火箭", set()),
])
def test_ideas_chinese_search(api_client, world, ideas, q, expected):
    assert _codes(api_client.get("/api/v1/ideas", {"q": q})) == {getattr(ideas, n).tracking_code for n in expected}


def test_idea_list_item(api_client, world, ideas):
    items = api_client.get("/api/v1/ideas", {"category": "youth"}).json()["items"]
    w = world
    assert items == [{
        "tracking_code": ideas.homework.tracking_code, "title": "放学后的四点半课堂",
        "edition": {"slug": w.edition.slug, "name": w.edition.name},
        "street": {"id": w.other_street.id, "name": "西城街道"},
        "community": {"id": w.other_community.id, "name": "红山郡社区"},
        "category": {"code": "youth", "label": "Services for children and young people"},
        "state": "submitted", "state_label": "Received, waiting to be looked at",
        "proposer_kind": "resident", "proposer_name": ideas.homework.proposer_name,
        "estimated_budget": "8000.50", "submitted_at": items[0]["submitted_at"],
    }]


def test_ideas_list_costs_fixed_queries(api_client, world, ideas, django_assert_max_num_queries):
    for community in (world.community, world.neighbour, world.other_community) * 3:
        submit_idea(edition=world.edition, community=community)
    with django_assert_max_num_queries(2):  # the count and one page with everything joined
        body = api_client.get("/api/v1/ideas", {"q": "老人"}).json()
    assert body["count"] >= 10


def test_idea_detail_with_timeline(api_client, world, ideas):
    response = api_client.get(f"/api/v1/ideas/{ideas.ramp.tracking_code.lower()}")
    assert response.status_code == 200
    idea = response.json()
    assert idea["problem"] == "轮椅出入困难。" and idea["proposal"] == "加装坡道和扶手。"
    assert idea["state"] == "withdrawn" and idea["channel"] == "web" and idea["photos"] == []
    assert [(s["state"], s["label"]) for s in idea["timeline"]] == [
        ("submitted", "Received, waiting to be looked at"), ("withdrawn", "Withdrawn by the proposer")]
    assert idea["timeline"][0]["at"] <= idea["timeline"][1]["at"]


def test_idea_detail_costs_fixed_queries(api_client, ideas, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the idea with its joins, its photos, its transitions
        api_client.get(f"/api/v1/ideas/{ideas.canteen.tracking_code}")


def test_idea_detail_photo_urls(api_client, world):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "JPEG")
    photo = SimpleUploadedFile("门口.jpg", buffer.getvalue(), content_type="image/jpeg")
    idea = submit_idea(edition=world.edition, community=world.community, photos=[photo])

    photos = api_client.get(f"/api/v1/ideas/{idea.tracking_code}").json()["photos"]

    assert len(photos) == 1 and photos[0].startswith("http://testserver/media/ideas/")
    assert photos[0].endswith(f"/{idea.tracking_code}/1.jpg")


def test_unknown_idea_is_404(api_client, db):
    response = api_client.get("/api/v1/ideas/JDNOSUCH1")
    assert response.status_code == 404
    assert response.json() == {"detail": "No idea has this tracking code. Please check it and try again."}


def test_collection_closed_edition_still_readable(api_client, world, ideas):
    edition_advance_phase(actor=None, edition=world.edition)
    body = api_client.get(f"/api/v1/editions/{world.edition.slug}").json()
    assert body["current_phase"]["kind"] == "optimisation"
    assert api_client.get("/api/v1/ideas", {"edition": world.edition.slug}).json()["count"] == 4
