import pytest

from jindianzi.accounts.models import Role

from ..factories import UserFactory, shortlisted_idea, staff_user


@pytest.fixture
def officer(world):
    """The street officer of 西屯街道, who integrates its ideas."""
    return staff_user(Role.STREET_OFFICER, area=world.street, display_name="刘建华")


@pytest.fixture
def worker(world):
    return staff_user(Role.COMMUNITY_WORKER, area=world.community)


@pytest.fixture
def organiser(world):
    return staff_user(Role.DISTRICT_ORGANISER, area=world.district)


@pytest.fixture
def shortlist(world, worker):
    """``shortlist(community=..., proposer=..., **overrides)``: a shortlisted idea of the world's edition."""
    screeners = {}

    def _make(community=None, **overrides):
        community = community or world.community
        screener = worker if community == world.community else screeners.setdefault(
            community.pk, staff_user(Role.COMMUNITY_WORKER, area=community))
        overrides.setdefault("proposer", UserFactory())
        return shortlisted_idea(actor=screener, edition=world.edition, community=community, **overrides)

    return _make


@pytest.fixture(autouse=True)
def _english(english_messages):
    """Every test of this folder reads messages in English."""
