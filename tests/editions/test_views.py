import pytest
from django.urls import reverse

from jindianzi.accounts.models import Role
from jindianzi.editions.models import Edition
from jindianzi.organizations.models import OrganizationKind

from ..factories import OrganizationFactory


@pytest.fixture
def organiser(world, login_as):
    return login_as(Role.DISTRICT_ORGANISER, area=world.district)


def test_organiser_creates_an_edition_and_opens_it_for_ideas(world, organiser):
    response = organiser.post(reverse("editions:new"), {
        "district": world.district.pk, "name": "红山区第二届社区金点子提案大赛", "slug": "hongshan-2018",
        "max_budget_per_idea": "30000",
    })
    assert response.status_code == 302
    edition = Edition.objects.get(slug="hongshan-2018")
    page = organiser.get(reverse("editions:manage", args=["hongshan-2018"]))
    assert "红山区第二届社区金点子提案大赛" in page.content.decode()
    organiser.post(reverse("editions:advance", args=["hongshan-2018"]), {"expected_phase": "draft"})
    edition.refresh_from_db()
    assert edition.is_collecting


def test_bad_slug_is_explained_and_nothing_is_created(world, organiser):
    response = organiser.post(reverse("editions:new"), {"district": world.district.pk, "name": "x", "slug": "第二届"})
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]
    assert not Edition.objects.filter(name="x").exists()


def test_funding_page_refuses_shares_that_do_not_add_up(world, organiser):
    foundation = OrganizationFactory(kind=OrganizationKind.COMMUNITY_FOUNDATION, home_area=world.district)
    finance = OrganizationFactory(kind=OrganizationKind.FINANCE_BUREAU, home_area=world.district)
    url = reverse("editions:funding", args=[world.edition.slug])
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-organization": foundation.pk, "form-0-percent": "60",
            "form-1-organization": finance.pk, "form-1-percent": "30"}
    response = organiser.post(url, form, follow=True)
    assert "100" in response.content.decode()
    assert world.edition.funding_sources.count() == 0
    form["form-1-percent"] = "40"
    organiser.post(url, form)
    assert sorted(str(fs.share) for fs in world.edition.funding_sources.all()) == ["0.4000", "0.6000"]


def test_phase_dates_page_saves_dates(world, organiser):
    url = reverse("editions:phases", args=[world.edition.slug])
    organiser.post(url, {"collection_start": "2017-03-01", "collection_end": "2017-05-31"})
    phase = world.edition.phases.get(kind="collection")
    assert str(phase.starts_on) == "2017-03-01"


def test_category_add_and_rename(world, organiser):
    url = reverse("editions:categories", args=[world.edition.slug])
    organiser.post(url, {"action": "add", "new-code": "party", "new-name_zh": "党建类", "new-name_en": "Party",
                         "new-position": "9"})
    category = world.edition.categories.get(code="party")
    organiser.post(url, {"action": "save", "category": category.pk, f"c{category.pk}-code": "party",
                         f"c{category.pk}-name_zh": "党建引领类", f"c{category.pk}-name_en": "Party building",
                         f"c{category.pk}-position": "9"})
    category.refresh_from_db()
    assert category.name_zh == "党建引领类"


def test_submitting_outside_collection_shows_the_reason(world, login_as):
    from jindianzi.editions.services import edition_advance_phase

    edition_advance_phase(actor=None, edition=world.edition)  # collection is over
    client = login_as("resident")
    response = client.get(reverse("ideas:submit"))
    assert response.status_code == 200
    assert "ideas/not_collecting.html" in [t.name for t in response.templates]
