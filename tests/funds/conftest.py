"""An agreement in force, built once per module through the services; each test gets a fresh copy.

``deal.agreement`` is the 4,200-yuan agreement of a 西屯街道 project (60 % foundation, 40 % district finance,
each committing 1,000,000 yuan); ``deal.people`` are everyone who signs or moves its money
(see ``tests/factories_funds.py``); ``deal.world`` the district it lives in.
"""

from types import SimpleNamespace

import pytest

from ..factories_funds import fresh, funds_world, kept_for_module, signed_agreement


@pytest.fixture(scope="module")
def _deal(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker):
        world = funds_world()
        agreement, people = signed_agreement(world)
        yield SimpleNamespace(world=world, agreement=agreement, people=people)


@pytest.fixture
def deal(_deal, db):
    return fresh(_deal)
