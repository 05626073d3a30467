from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jindianzi.core.models import AuditRecord
from jindianzi.editions.models import PhaseKind
from jindianzi.editions.services import (
    category_remove, category_save, edition_advance_phase, edition_create, funding_sources_set, phases_schedule,
)
from jindianzi.organizations.models import OrganizationKind

from ..factories import DistrictFactory, EditionFactory, OrganizationFactory, StreetFactory, submit_idea


@pytest.fixture
def sources(db):
    district = DistrictFactory()
    foundation = OrganizationFactory(name="赤峰市弘善社区发展基金会", kind=OrganizationKind.COMMUNITY_FOUNDATION,
                                     home_area=district)
    finance = OrganizationFactory(name="红山区财政局", kind=OrganizationKind.FINANCE_BUREAU, home_area=district)
    return district, foundation, finance


def test_new_edition_starts_in_preparation_with_five_categories_and_all_phases(db):
    edition = edition_create(district=DistrictFactory(), name="第二届", slug="second")
    assert edition.current_phase == PhaseKind.DRAFT
    assert [c.code for c in edition.categories.all()] == [
        "disabled", "elderly", "youth", "special_groups", "comprehensive"]
    assert sorted(p.kind for p in edition.phases.all()) == sorted(
        ["collection", "optimisation", "approval", "implementation", "summary"])


def test_edition_belongs_to_a_district(db):
    street = StreetFactory()
    with pytest.raises(ValidationError, match="district"):
        edition_create(district=street, name="x", slug="x")


def test_slug_is_unique(db):
    EditionFactory(slug="hongshan-2018")
    with pytest.raises(ValidationError):
        EditionFactory(slug="hongshan-2018")


def test_phases_advance_in_order_and_stop_at_summary(db):
    edition = EditionFactory(collecting=False)
    seen = []
    while edition.next_phase:
        edition = edition_advance_phase(actor=None, edition=edition)
        seen.append(edition.current_phase)
    assert seen == ["collection", "optimisation", "approval", "implementation", "summary"]
    with pytest.raises(ValidationError, match="last phase"):
        edition_advance_phase(actor=None, edition=edition)


def test_double_click_on_advance_moves_only_once(db):
    edition = EditionFactory(collecting=False)
    edition_advance_phase(actor=None, edition=edition, expected_phase="draft")
    with pytest.raises(ValidationError):
        edition_advance_phase(actor=None, edition=edition, expected_phase="draft")
    edition.refresh_from_db()
    assert edition.current_phase == "collection"
    assert AuditRecord.objects.filter(action="edition.advance_phase", target_id=str(edition.pk)).count() == 1


def test_funding_shares_must_add_up_to_100_percent(sources):
    district, foundation, finance = sources
    edition = EditionFactory(district=district)
    with pytest.raises(ValidationError, match="90"):
        funding_sources_set(actor=None, edition=edition,
                            shares=[(foundation, Decimal("0.60")), (finance, Decimal("0.30"))])
    assert edition.funding_sources.count() == 0
    funding_sources_set(actor=None, edition=edition, shares=[(foundation, Decimal("0.60")), (finance, Decimal("0.40"))])
    assert {fs.organization.name: fs.share for fs in edition.funding_sources.all()} == {
        "赤峰市弘善社区发展基金会": Decimal("0.6000"), "红山区财政局": Decimal("0.4000")}


@pytest.mark.parametrize("shares, message", [
    ([], "at least one"),
    ([("foundation", "1.00"), ("foundation", "0.00")], "only once"),
    ([("foundation", "1.10"), ("finance", "-0.10")], "more than 0"),
])
def test_bad_funding_shares_are_refused_and_change_nothing(sources, shares, message):
    district, foundation, finance = sources
    edition = EditionFactory(district=district)
    funding_sources_set(actor=None, edition=edition, shares=[(foundation, Decimal("1"))])
    orgs = {"foundation": foundation, "finance": finance}
    with pytest.raises(ValidationError, match=message):
        funding_sources_set(actor=None, edition=edition, shares=[(orgs[o], Decimal(s)) for o, s in shares])
    assert [(fs.organization, fs.share) for fs in edition.funding_sources.all()] == [(foundation, Decimal("1"))]


def test_phase_dates_must_not_run_backwards_or_overlap(db):
    edition = EditionFactory()
    with pytest.raises(ValidationError, match="ends before it starts"):
        phases_schedule(actor=None, edition=edition, dates={"collection": (date(2017, 3, 1), date(2017, 2, 1))})
    with pytest.raises(ValidationError, match="must start after"):
        phases_schedule(actor=None, edition=edition, dates={
            "collection": (date(2017, 3, 1), date(2017, 5, 31)),
            "optimisation": (date(2017, 5, 1), date(2017, 6, 30))})
    phases_schedule(actor=None, edition=edition, dates={
        "collection": (date(2017, 3, 1), date(2017, 5, 31)), "optimisation": (date(2017, 6, 1), date(2017, 7, 31))})
    collection = edition.phases.get(kind="collection")
    assert (collection.starts_on, collection.ends_on) == (date(2017, 3, 1), date(2017, 5, 31))


def test_categories_are_editable_but_not_removable_once_used(world):
    edition = world.edition
    category_save(actor=None, edition=edition, code="party_building", name_zh="党建引领类", name_en="Party building")
    assert edition.categories.filter(code="party_building").exists()
    with pytest.raises(ValidationError, match="already uses the code"):
        category_save(actor=None, edition=edition, code="elderly", name_zh="重复", name_en="Duplicate")
    submit_idea(edition=edition, community=world.community)  # an elderly-category idea
    with pytest.raises(ValidationError, match="cannot be removed"):
        category_remove(actor=None, category=edition.categories.get(code="elderly"))
    assert edition.categories.filter(code="elderly").exists()
    category_remove(actor=None, category=edition.categories.get(code="party_building"))
    assert not edition.categories.filter(code="party_building").exists()
