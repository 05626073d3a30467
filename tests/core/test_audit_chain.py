"""The audit trail is a hash chain: an operator's ``check-integrity`` finds any record changed behind its back."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jindianzi.core.audit import chain_verify, hash_of
from jindianzi.core.models import AuditChainHead, AuditRecord

from ..factories import submit_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    for community in (world.community, world.neighbour, world.community, world.other_community):
        submit_idea(edition=world.edition, community=community)
    records = list(AuditRecord.objects.order_by("seq"))
    assert len(records) >= 5
    return records


def _raw(sql: str, params) -> None:
    # Tampering happens outside the application, straight in the database.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_record_links_to_the_one_before_it(chain):
    assert [r.seq for r in chain] == list(range(1, len(chain) + 1))
    for before, record in zip(chain, chain[1:]):
        assert record.previous_hash == before.hash
        assert record.hash == hash_of(record)
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (chain[-1].seq, chain[-1].hash)


def test_an_intact_chain_passes_the_check(chain, capsys):
    call_command("check_integrity")

    assert f"{len(chain)} records" in capsys.readouterr().out
    assert chain_verify().intact


def test_an_altered_record_is_named(chain):
    victim = chain[2]
    _raw("UPDATE core_auditrecord SET action = %s WHERE id = %s", ["idea.withdraw", victim.pk])

    with pytest.raises(CommandError, match=f"record {victim.seq} .*altered"):
        call_command("check_integrity")


def test_an_altered_before_or_after_value_is_named(chain):
    victim = chain[3]
    _raw("UPDATE core_auditrecord SET after = %s WHERE id = %s", ['{"state": "shortlisted"}', victim.pk])

    broken = chain_verify().broken
    assert (broken.seq, broken.problem) == (victim.seq, "altered")


def test_a_deleted_record_is_named(chain):
    victim = chain[1]
    _raw("DELETE FROM core_auditrecord WHERE id = %s", [victim.pk])

    broken = chain_verify().broken
    assert (broken.seq, broken.problem) == (victim.seq, "removed")
    with pytest.raises(CommandError, match=f"record {victim.seq}: removed"):
        call_command("check_integrity")


def test_deleting_the_last_records_is_noticed(chain):
    _raw("DELETE FROM core_auditrecord WHERE seq >= %s", [chain[-2].seq])

    broken = chain_verify().broken
    assert (broken.seq, broken.problem) == (chain[-2].seq, "removed")


def test_an_inserted_record_is_named_even_with_a_hash_of_its_own(chain):
    # A forger who renumbers the records after the insertion and recomputes the forged record's own
    # hash still cannot make the next record link to it.
    _raw("UPDATE core_auditrecord SET seq = seq + 1000 WHERE seq > %s", [chain[1].seq])
    _raw("UPDATE core_auditrecord SET seq = seq - 999 WHERE seq > 1000", [])
    forged = AuditRecord(seq=chain[1].seq + 1, at=chain[1].at, action="idea.shortlist", target_type="ideas.idea",
                         target_id=chain[1].target_id, before=None, after={"state": "shortlisted"},
                         previous_hash=chain[1].hash)
    forged.hash = hash_of(forged)
    _raw("INSERT INTO core_auditrecord (seq, at, action, target_type, target_id, before, after, previous_hash, hash) "
         "VALUES (%s, %s, %s, %s, %s, NULL, %s, %s, %s)",
         [forged.seq, forged.at, forged.action, forged.target_type, forged.target_id, '{"state": "shortlisted"}',
          forged.previous_hash, forged.hash])

    broken = chain_verify().broken
    assert (broken.seq, broken.problem) == (forged.seq + 1, "inserted")


def test_a_record_appended_outside_the_trail_is_noticed(chain):
    last = chain[-1]
    _raw("INSERT INTO core_auditrecord (seq, at, action, target_type, target_id, before, after, previous_hash, hash) "
         "VALUES (%s, %s, %s, %s, %s, NULL, NULL, %s, %s)",
         [last.seq + 1, last.at, "idea.shortlist", "ideas.idea", "1", last.hash, "f" * 64])

    broken = chain_verify().broken
    assert broken is not None and broken.seq == last.seq + 1


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_keep_one_unbroken_chain(world):
    """Real threads with their own connections: each record still links to exactly one predecessor."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL's row locks; SQLite writes one at a time anyway")
    import threading

    from django.db import connections

    from jindianzi.core.audit import audit

    start = threading.Barrier(4)
    failures = []

    def write(n: int):
        try:
            start.wait()
            for i in range(15):
                audit(actor=None, action="test.concurrent", target=world.edition, after={"writer": n, "i": i})
        except Exception as exc:  # noqa: BLE001 - reported below, the thread must not die silently
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert AuditRecord.objects.filter(action="test.concurrent").count() == 60
    assert chain_verify().intact
