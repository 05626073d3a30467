"""Agreements built through the services: an approved project, the edition's framework, a drawn or signed agreement.

The builders live in ``tests/factories_funds.py``; these fixtures give each test a fresh set.
"""

import pytest

from ..factories_funds import approved_project, cooperation_framework, drawn_agreement, sign_all


@pytest.fixture
def project(world):
    """A project of 西屯街道 approved by its street's published review (the edition is now in approval)."""
    return approved_project(world)


@pytest.fixture
def framework(world, project):
    """The edition's five-party framework: organisations, their people, 60/40 funding and commitments."""
    return cooperation_framework(world.edition, world.district)


@pytest.fixture
def drawn(world, project, framework):
    """``(agreement, people)``: drawn up by the organiser, waiting for every signature."""
    return drawn_agreement(world, project=project, framework=framework)


@pytest.fixture
def signed(drawn):
    """``(agreement, people)``: every party has signed; the agreement is in force."""
    agreement, people = drawn
    return sign_all(agreement, people), people
