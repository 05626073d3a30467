"""Keeps each idea's fingerprint and LSH band keys in the database. The only code that writes them.

An idea is indexed when it is submitted and when it is revised (``ideas.services``
asks for it once the transaction commits, through ``tasks.index_idea_later``);
an edition can be rebuilt whole (``tasks.edition_similarity_rebuild``, also
``jindianzi django similarity_rebuild --edition SLUG``).
"""

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from ..models import Idea, IdeaBand, IdeaFingerprint
from . import engine

BATCH = 2000  # ideas fingerprinted and written at a time in a rebuild


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    features: np.ndarray   # sorted unique uint32 hashes
    signature: np.ndarray  # uint32 × PERMUTATIONS
    keys: np.ndarray       # int64 × BANDS; empty when the text has no features

    @property
    def is_empty(self) -> bool:
        return not len(self.features)


def text_of(idea: Idea) -> str:
    return engine.idea_text(idea.title, idea.problem, idea.proposal, idea.beneficiaries)


def fingerprint_of(idea: Idea) -> Fingerprint:
    """The idea's fingerprint computed from its text now (nothing is read or written)."""
    text = text_of(idea)
    features = engine.hashed(engine.features(text))
    signature = engine.signature(features)
    keys = engine.band_keys(signature)[0] if len(features) else np.empty(0, dtype=np.int64)
    return Fingerprint(digest=engine.text_digest(text), features=features, signature=signature, keys=keys)


def stored_fingerprint(row: IdeaFingerprint) -> Fingerprint | None:
    """The fingerprint kept in the database, or None when it was made by another version of the method."""
    if row.version != engine.VERSION:
        return None
    features = np.frombuffer(bytes(row.features), dtype=np.uint32)
    signature = np.frombuffer(bytes(row.signature), dtype=np.uint32)
    keys = engine.band_keys(signature)[0] if len(features) else np.empty(0, dtype=np.int64)
    return Fingerprint(digest=row.digest, features=features, signature=signature, keys=keys)


def fingerprint_for(idea: Idea) -> Fingerprint:
    """The stored fingerprint when it is current (needs ``fingerprint`` loaded or one query), else computed."""
    try:
        row = idea.fingerprint
    except IdeaFingerprint.DoesNotExist:
        row = None
    stored = stored_fingerprint(row) if row is not None else None
    if stored is not None and stored.digest == engine.text_digest(text_of(idea)):
        return stored
    return fingerprint_of(idea)


def _rows(idea: Idea, fingerprint: Fingerprint, now) -> tuple[IdeaFingerprint, list[IdeaBand]]:
    row = IdeaFingerprint(idea=idea, edition_id=idea.edition_id, version=engine.VERSION, digest=fingerprint.digest,
                          features=fingerprint.features.tobytes(), signature=fingerprint.signature.tobytes(),
                          indexed_at=now)
    bands = [IdeaBand(edition_id=idea.edition_id, band=band, key=int(key), idea=idea)
             for band, key in enumerate(fingerprint.keys)]
    return row, bands


@transaction.atomic
def idea_index(*, idea_id: int) -> bool:
    """Index one idea from its current text. False when it was already indexed from that text."""
    idea = Idea.objects.select_related("fingerprint").filter(pk=idea_id).first()
    if idea is None:
        return False
    try:
        current = idea.fingerprint
    except IdeaFingerprint.DoesNotExist:
        current = None
    text = text_of(idea)
    if current is not None and current.version == engine.VERSION and current.digest == engine.text_digest(text):
        return False
    row, bands = _rows(idea, fingerprint_of(idea), timezone.now())
    IdeaBand.objects.filter(idea=idea).delete()
    IdeaFingerprint.objects.filter(idea=idea).delete()
    row.save(force_insert=True)
    IdeaBand.objects.bulk_create(bands)
    return True


def _fingerprints(ideas: list[Idea]) -> list[Fingerprint]:
    """Many ideas' fingerprints at once (the signatures in one vectorised pass)."""
    texts = [text_of(idea) for idea in ideas]
    features = [engine.hashed(engine.features(text)) for text in texts]
    signatures = np.empty((len(ideas), engine.PERMUTATIONS), dtype=np.uint32)
    full = [k for k, f in enumerate(features) if len(f)]
    if full:
        sets = engine.FeatureSets.from_hashes([features[k] for k in full])
        signatures[full] = sets.signatures()
    keys = engine.band_keys(signatures) if len(ideas) else np.empty((0, engine.BANDS), dtype=np.int64)
    return [Fingerprint(digest=engine.text_digest(text), features=f,
                        signature=signatures[k] if len(f) else engine.signature(f),
                        keys=keys[k] if len(f) else np.empty(0, dtype=np.int64))
            for k, (text, f) in enumerate(zip(texts, features))]


@transaction.atomic
def ideas_index(*, ideas: list[Idea]) -> int:
    """Index many ideas in bulk, replacing what was kept of them. Returns how many band keys were written."""
    now = timezone.now()
    written = 0
    for start in range(0, len(ideas), BATCH):
        batch = ideas[start:start + BATCH]
        ids = [idea.pk for idea in batch]
        IdeaBand.objects.filter(idea_id__in=ids).delete()
        IdeaFingerprint.objects.filter(idea_id__in=ids).delete()
        rows, bands = [], []
        for idea, fingerprint in zip(batch, _fingerprints(batch)):
            row, idea_bands = _rows(idea, fingerprint, now)
            rows.append(row)
            bands += idea_bands
        IdeaFingerprint.objects.bulk_create(rows, batch_size=500)
        IdeaBand.objects.bulk_create(bands, batch_size=2000)
        written += len(bands)
    return written


@transaction.atomic
def edition_index_rebuild(*, edition_id: int) -> dict:
    """Throw away everything kept for the edition and index all its ideas again."""
    IdeaBand.objects.filter(edition_id=edition_id).delete()
    IdeaFingerprint.objects.filter(edition_id=edition_id).delete()
    ideas = list(Idea.objects.filter(edition_id=edition_id).only(
        "id", "edition_id", "title", "problem", "proposal", "beneficiaries").order_by("pk"))
    bands = ideas_index(ideas=ideas)
    return {"ideas": len(ideas), "bands": bands, "version": engine.VERSION}
