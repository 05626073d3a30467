"""The audit trail: every service that changes state calls :func:`audit`.

The trail is a hash chain. Each record carries its place in the chain
(``seq``), the hash of the record before it, and a SHA-256 hash of its own
content together with that previous hash. Changing, removing or inserting a
record anywhere breaks the chain from that point on, and
:func:`chain_verify` (``jindianzi check-integrity``) names the first record
where it breaks.

Records are appended one at a time: the chain's head (one row holding the
last ``seq`` and hash) is locked for the rest of the writing transaction, so
two transactions writing at once on PostgreSQL queue up instead of both
linking to the same predecessor. The lock is held until the writer commits,
which serialises the platform's writes; state changes are short and rare
enough for this to cost nothing a user would notice.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditRecord

GENESIS = "0" * 64


def _plain(value):
    """The value as JSON gives it back (tuples become lists, keys strings), so what is hashed is what is stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_hash(*, seq: int, at, actor_id, action: str, target_type: str, target_id: str, before, after,
                previous: str) -> str:
    content = {
        "seq": seq, "at": at.astimezone(UTC).isoformat(timespec="microseconds"), "actor": actor_id,
        "action": action, "target_type": target_type, "target_id": target_id, "before": before, "after": after,
        "previous": previous,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def hash_of(record: AuditRecord) -> str:
    return record_hash(seq=record.seq, at=record.at, actor_id=record.actor_id, action=record.action,
                       target_type=record.target_type, target_id=record.target_id, before=record.before,
                       after=record.after, previous=record.previous_hash)


def _head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def audit(*, actor, action: str, target: models.Model, before=None, after=None) -> AuditRecord:
    head = _head()
    record = AuditRecord(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=_plain(before),
        after=_plain(after),
        previous_hash=head.hash,
    )
    record.hash = hash_of(record)
    record.save(force_insert=True)
    head.seq, head.hash = record.seq, record.hash
    head.save(update_fields=["seq", "hash"])
    return record


def records_for(target: models.Model):
    return AuditRecord.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


# --- Checking the chain ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainBreak:
    seq: int            # where the chain breaks: the first record that does not fit
    record_id: int | None
    problem: str        # "altered", "removed" or "inserted"
    detail: str


@dataclass(frozen=True)
class ChainReport:
    records: int
    last_seq: int
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _in_order(batch: int) -> Iterator[AuditRecord]:
    last = 0
    while True:
        rows = list(AuditRecord.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def chain_verify(*, batch: int = 5000) -> ChainReport:
    """Walk the chain from the first record and name the first that was altered, removed or inserted."""
    previous, expected, count = GENESIS, 1, 0
    for record in _in_order(batch):
        count += 1
        if record.seq != expected:
            if record.seq > expected:
                return ChainReport(count, record.seq, ChainBreak(
                    expected, None, "removed", f"record {expected} is missing (the next is {record.seq})"))
            return ChainReport(count, record.seq, ChainBreak(record.seq, record.pk, "inserted",
                                                              f"record {record.seq} appears twice"))
        if record.previous_hash != previous:
            return ChainReport(count, record.seq, ChainBreak(
                record.seq, record.pk, "inserted",
                f"record {record.seq} does not link to the record before it"))
        if hash_of(record) != record.hash:
            return ChainReport(count, record.seq, ChainBreak(
                record.seq, record.pk, "altered", f"record {record.seq}'s content does not match its hash"))
        previous, expected = record.hash, expected + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = expected - 1
    if head is not None and (head.seq != last_seq or head.hash != previous):
        if head.seq > last_seq:
            return ChainReport(count, last_seq, ChainBreak(
                last_seq + 1, None, "removed", f"records {last_seq + 1} to {head.seq} are missing at the end"))
        return ChainReport(count, last_seq, ChainBreak(
            head.seq + 1, None, "inserted", f"records after {head.seq} were added outside the audit trail"))
    return ChainReport(count, last_seq, None)
