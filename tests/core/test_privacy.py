"""How personal numbers are shown and stored (DESIGN.md, "Personal data")."""

import pytest
from django.db import connection

from jindianzi.accounts.models import Role
from jindianzi.core.fields import digest
from jindianzi.core.privacy import is_mobile_number, mask_id_number, mask_phone, normalise_phone

from ..factories import paper_idea, staff_user


def test_a_phone_number_is_masked_as_staff_see_it():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("value, shown", [("", ""), (None, ""), ("12345", "*****")])
def test_masking_never_shows_a_short_or_missing_number(value, shown):
    assert mask_phone(value) == shown


def test_an_id_number_keeps_only_its_first_and_last_four_characters():
    assert mask_id_number("15040219800101123X") == "1504**********123X"


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678",
                                   "008613812345678", "(138) 1234 5678"])
def test_the_ways_people_type_a_mobile_number_all_mean_the_same_number(typed):
    assert normalise_phone(typed) == "13812345678"
    assert is_mobile_number(normalise_phone(typed))


@pytest.mark.parametrize("not_mobile", ["12812345678", "1381234567", "138123456789", "0471-8888888", "abc"])
def test_landlines_and_wrong_lengths_are_not_mobile_numbers(not_mobile):
    assert not is_mobile_number(normalise_phone(not_mobile))


def test_the_lookup_digest_depends_on_the_key(settings):
    first = digest("13812345678")
    settings.JINDIANZI_FIELD_KEY = "a-production-key"

    assert digest("13812345678") != first
    assert digest("13812345678") == digest("13812345678")


@pytest.mark.django_db
def test_proposer_phone_numbers_on_ideas_are_stored_encrypted(world):
    worker = staff_user(Role.COMMUNITY_WORKER, area=world.community)
    idea = paper_idea(edition=world.edition, community=world.community, worker=worker,
                      proposer_phone="138 1234 5678")

    with connection.cursor() as cursor:
        cursor.execute("SELECT proposer_phone FROM ideas_idea WHERE id = %s", [idea.pk])
        stored = cursor.fetchone()[0]
    assert stored and "13812345678" not in stored
    idea.refresh_from_db()
    assert idea.proposer_phone == "13812345678"
