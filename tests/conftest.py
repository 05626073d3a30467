import pytest
from django.test import Client

from jindianzi.accounts.models import Role

from .factories import PASSWORD, CommunityFactory, EditionFactory, StreetFactory, UserFactory, staff_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """A district with two streets of two communities each, and an edition collecting ideas.

    Names follow the seed (西屯街道/老爷庙社区 ...) so failures read like the real thing.
    """
    edition = EditionFactory()
    district = edition.district
    xitun = StreetFactory(name="西屯街道", parent=district)
    xicheng = StreetFactory(name="西城街道", parent=district)
    return type("World", (), {
        "edition": edition, "district": district, "street": xitun, "other_street": xicheng,
        "community": CommunityFactory(name="老爷庙社区", parent=xitun),
        "neighbour": CommunityFactory(name="花园社区", parent=xitun),
        "other_community": CommunityFactory(name="红山郡社区", parent=xicheng),
    })()


@pytest.fixture
def login_as(client):
    """``login_as(user)`` or ``login_as(role, area=..., organization=...)``: a signed-in client."""

    def _login(role_or_user=None, **scope):
        if role_or_user is None or role_or_user == "resident":
            user = UserFactory()
        elif isinstance(role_or_user, (str, Role)):
            user = staff_user(Role(role_or_user), **scope)
        else:
            user = role_or_user
        login = user.email or user.phone
        assert client.login(username=login, password=PASSWORD)
        client.user = user
        return client

    return _login


@pytest.fixture
def anon_client():
    return Client()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in failure counts live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def english_pages(client, anon_client):
    """Pages read in English, the source language, whatever the Chinese catalogue says.

    Use with ``pytestmark = pytest.mark.usefixtures("english_pages")`` in modules that assert on page text.
    """
    for c in (client, anon_client):
        c.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def english_messages():
    """Messages raised by services in English, for modules that assert on their text."""
    from django.utils import translation

    with translation.override("en"):
        yield
