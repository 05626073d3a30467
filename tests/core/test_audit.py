"""The audit trail an operator reads: who did what to which record, before and after."""

import pytest

from jindianzi.core.audit import records_for
from jindianzi.core.models import AuditRecord

from ..factories import UserFactory, submit_idea

pytestmark = pytest.mark.django_db


def test_each_record_is_found_under_its_own_target(world):
    first = submit_idea(edition=world.edition, community=world.community)
    second = submit_idea(edition=world.edition, community=world.neighbour)

    assert list(records_for(first).values_list("action", flat=True)) == ["idea.submit"]
    assert records_for(first).get().target_id == str(first.pk)
    assert records_for(second).get().target_id == str(second.pk)


def test_a_record_names_the_actor_and_the_states_before_and_after(world):
    resident = UserFactory()
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)

    record = records_for(idea).get()

    assert record.actor == resident
    assert record.before == {"state": None}
    assert record.after["state"] == "submitted"
    assert record.at is not None


def test_changes_without_a_signed_in_actor_are_recorded_without_one(world):
    # The edition in ``world`` was opened by a command, not a person.
    record = AuditRecord.objects.filter(action="edition.advance_phase", target_id=str(world.edition.pk)).get()

    assert record.actor is None
    assert record.after == {"phase": "collection"}
