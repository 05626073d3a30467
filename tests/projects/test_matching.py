"""Suggested organisations (对接): ranked by category fit, home area, past projects, ratings and load."""

import pytest

from jindianzi.accounts.models import Role
from jindianzi.projects.matching import SCORERS, organizations_suggested_for
from jindianzi.projects.services import match_offer_send, projects_merge

from ..factories import OrganizationFactory, UserFactory, staff_user, submit_idea

pytestmark = pytest.mark.django_db


def propose_as(org, world, code):
    """The organisation proposes an idea of a category: that is its category track record."""
    from jindianzi.ideas.services import IdeaDraft, idea_submit

    from ..factories import draft_for

    staff = staff_user(Role.ORG_STAFF, organization=org)
    draft: IdeaDraft = draft_for(world.edition, world.community, category=world.edition.categories.get(code=code),
                                 proposer_kind="social_organization", proposer_organization=org)
    return idea_submit(actor=staff, draft=draft)


@pytest.fixture
def elderly_project(world, officer, shortlist):
    """An elderly-care project from two ideas of 老爷庙社区 and 花园社区 (西屯街道)."""
    return projects_merge(actor=officer, ideas=[shortlist(), shortlist(community=world.neighbour)], title="问候队")


def test_a_same_community_organisation_of_the_right_category_ranks_first(world, elderly_project):
    district_elderly = OrganizationFactory(name="区养老服务中心", home_area=world.district,
                                           kind="professional_social_organization")
    street_elderly = OrganizationFactory(name="西屯街道为老服务社", home_area=world.street, kind="hub_organization")
    local_youth = OrganizationFactory(name="老爷庙青少年之家", home_area=world.community)
    local_elderly = OrganizationFactory(name="老爷庙银龄互助会", home_area=world.community)
    other_street = OrganizationFactory(name="红山郡邻里会", home_area=world.other_community)
    for org in (district_elderly, street_elderly, local_elderly):
        propose_as(org, world, "elderly")
    propose_as(local_youth, world, "youth")

    ranked = organizations_suggested_for(elderly_project)

    names = [s.organization.name for s in ranked]
    assert names[0] == "老爷庙银龄互助会"
    assert names.index("老爷庙青少年之家") < names.index("红山郡邻里会")
    assert names.index("西屯街道为老服务社") < names.index("区养老服务中心")
    best = ranked[0]
    assert [p.key for p in best.parts] == ["category", "home_area", "past_projects", "monitoring", "load"]
    assert best.points("home_area") > ranked[-1].points("home_area")
    assert best.points("category") > 0 and best.points("monitoring") == 0
    assert best.total == sum(p.points for p in best.parts)
    assert best.staff_count == 1


def test_resident_self_organisations_and_other_districts_are_not_suggested(world, elderly_project):
    from ..factories import DistrictFactory

    OrganizationFactory(name="自组织", home_area=world.community, kind="resident_self_organization")
    OrganizationFactory(name="外区组织", home_area=DistrictFactory())
    OrganizationFactory(name="基金会", home_area=world.district, kind="community_foundation")
    assert organizations_suggested_for(elderly_project) == []


def test_an_organisation_with_open_offers_in_the_edition_ranks_lower(world, officer, shortlist, elderly_project):
    busy = OrganizationFactory(name="甲", home_area=world.community)
    free = OrganizationFactory(name="乙", home_area=world.community)
    other = projects_merge(actor=officer, ideas=[shortlist()], title="另一个项目")
    match_offer_send(actor=officer, project=other, organization=busy)

    ranked = organizations_suggested_for(elderly_project)

    assert [s.organization.name for s in ranked] == ["乙", "甲"]
    assert ranked[1].points("load") < 0 and ranked[0].points("load") == 0


def test_search_by_name_and_limit(world, elderly_project):
    for name in ("晓菲志愿服务站", "红枫叶互助中心", "昭乌达老年协会"):
        OrganizationFactory(name=name, home_area=world.community)
    assert [s.organization.name for s in organizations_suggested_for(elderly_project, text="红枫")] == ["红枫叶互助中心"]
    assert len(organizations_suggested_for(elderly_project, limit=2)) == 2


def test_suggestions_cost_a_fixed_number_of_queries(world, elderly_project, django_assert_max_num_queries):
    for n in range(12):
        org = OrganizationFactory(home_area=world.community if n % 2 else world.street, kind="hub_organization")
        staff_user(Role.ORG_STAFF, organization=org)
        submit_idea(edition=world.edition, community=world.community, proposer=UserFactory())
    with django_assert_max_num_queries(len(SCORERS) + 6):
        organizations_suggested_for(elderly_project)
