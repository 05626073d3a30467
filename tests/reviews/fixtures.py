"""Fixtures of the review-stage tests: the people and projects of 西屯街道's review round (imported by each module).

Projects are made while the edition still collects ideas (ideas can only be submitted then);
``start_round`` then moves the edition on to the approval phase and opens the street's round.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from jindianzi.accounts.models import Role

from ..factories import (
    OrganizationFactory, UserFactory, approval_edition, review_round, shortlisted_idea, staff_user, submitted_project,
)


@pytest.fixture(autouse=True)
def _english(english_messages):
    """Every test of this folder reads messages in English."""


@pytest.fixture
def officer(world):
    """The street officer of 西屯街道 who chairs its review."""
    return staff_user(Role.STREET_OFFICER, area=world.street, display_name="刘建华")


@pytest.fixture
def organiser(world):
    return staff_user(Role.DISTRICT_ORGANISER, area=world.district, display_name="区民政局张科长")


@pytest.fixture
def worker(world):
    return staff_user(Role.COMMUNITY_WORKER, area=world.community, display_name="社工小王")


@pytest.fixture
def implementer(world):
    """The organisation that implements the street's projects, and the one member of its staff."""
    organization = OrganizationFactory(name="老爷庙社区为老服务队", home_area=world.community)
    return SimpleNamespace(organization=organization,
                           staff=staff_user(Role.ORG_STAFF, organization=organization, display_name="服务队赵队长"))


@pytest.fixture
def submit(world, officer, worker, implementer):
    """``submit(cost, proposer=..., organization=..., title=...)``: a project of 西屯街道 submitted to its review.

    One shortlisted idea each; the implementer's organisation by default (pass ``organization`` and
    ``org_staff`` for another).
    """

    def _submit(cost="4200.00", *, proposer=None, title="社区老人关爱行动", organization=None, org_staff=None):
        idea = shortlisted_idea(actor=worker, edition=world.edition, community=world.community,
                                proposer=proposer or UserFactory(), title=f"{title}的点子")
        return submitted_project(ideas=[idea], actor=officer, cost=Decimal(cost), title=title,
                                 organization=organization or implementer.organization,
                                 org_staff=org_staff or (None if organization else implementer.staff))

    return _submit


@pytest.fixture
def start_round(world, officer):
    """``start_round(budget_cap=..., aggregation=...)``: the edition moves to approval; 刘建华 opens the round."""

    def _start(**kwargs):
        approval_edition(world)
        kwargs.setdefault("budget_cap", Decimal("100000.00"))
        return review_round(edition=world.edition, street=world.street, chair=officer, **kwargs)

    return _start


def messages_of(error) -> str:
    return " ".join(error.messages)
