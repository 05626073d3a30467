"""Reads of similar ideas, each with a fixed number of queries."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

import numpy as np
from django.db.models import Q

from ..models import Idea, IdeaBand, IdeaFingerprint
from ..selectors import _base
from ..workflow import OPEN_STATES, IdeaState

# Every state but a withdrawal: to look back at how ideas were merged or why they were declined.
NOT_WITHDRAWN = [state for state in IdeaState.values if state != IdeaState.WITHDRAWN]
from . import engine
from .index import fingerprint_for, fingerprint_of, stored_fingerprint, text_of


def similar_ideas(idea: Idea, limit: int = 10, minimum: float = engine.RELATED) -> list[tuple[Idea, float]]:
    """The ideas of the same edition most like ``idea``, as (idea, score): its street's first, then the district's.

    Withdrawn ideas are left out. Three queries: the idea's fingerprint, the
    candidates sharing a band with it (one indexed query on the band table),
    and the chosen ideas. Every candidate is scored exactly.
    """
    own = fingerprint_for(idea)
    if own.is_empty:
        return []
    # Each term names the whole index (edition, band, key), so that every band is one index lookup.
    shares_a_band = reduce(or_, (Q(edition_id=idea.edition_id, band=band, key=int(key))
                                 for band, key in enumerate(own.keys)))
    candidates = (
        IdeaFingerprint.objects
        .filter(idea__in=IdeaBand.objects.filter(shares_a_band).values("idea_id"), version=engine.VERSION)
        .exclude(idea_id=idea.pk).exclude(idea__state=IdeaState.WITHDRAWN)
        .values_list("idea_id", "features", "idea__community__parent_id")
    )
    street_id = idea.community.parent_id
    scored = []
    for idea_id, features, candidate_street in candidates:
        score = engine.jaccard(own.features, np.frombuffer(bytes(features), dtype=np.uint32))
        if score >= minimum:
            scored.append((candidate_street != street_id, -score, idea_id))
    chosen = sorted(scored)[:limit]
    ideas = _base().in_bulk([idea_id for _, _, idea_id in chosen])
    return [(ideas[idea_id], -negative) for _, negative, idea_id in chosen if idea_id in ideas]


@dataclass
class Cluster:
    """Ideas proposed for merging: ``centre`` and the ideas at least ``threshold`` like it."""

    centre: Idea
    members: list[tuple[Idea, float]] = field(default_factory=list)  # the others, with their score to the centre

    @property
    def ideas(self) -> list[Idea]:
        return [self.centre] + [idea for idea, _ in self.members]

    @property
    def mean_score(self) -> float:
        return sum(score for _, score in self.members) / len(self.members)

    @property
    def communities(self) -> list:
        seen = {}
        for idea in self.ideas:
            seen.setdefault(idea.community_id, idea.community)
        return list(seen.values())


def similarity_clusters(edition, street=None, threshold: float = engine.THRESHOLD,
                        states=OPEN_STATES) -> list[Cluster]:
    """Groups of an edition's ideas (of one street, if given) that say the same thing, largest first.

    Ideas still open (not withdrawn, declined or already merged) are grouped.
    Every pair that shares a band is scored exactly; then, greedily, the idea
    with the most similar ideas becomes a group's centre, with every idea not
    yet grouped that scores at least ``threshold`` against it. One query.
    """
    queryset = _base().select_related("fingerprint").filter(edition=edition, state__in=list(states))
    if street is not None:
        queryset = queryset.filter(community__parent=street)
    ideas = list(queryset.order_by("pk"))
    fingerprints = []
    for idea in ideas:
        try:
            stored = stored_fingerprint(idea.fingerprint)
        except IdeaFingerprint.DoesNotExist:
            stored = None
        if stored is None or stored.digest != engine.text_digest(text_of(idea)):
            stored = fingerprint_of(idea)
        fingerprints.append(stored)
    indexed = [k for k, f in enumerate(fingerprints) if not f.is_empty]
    if len(indexed) < 2:
        return []
    sets = engine.FeatureSets.from_hashes([fingerprints[k].features for k in indexed])
    keys = np.stack([fingerprints[k].keys for k in indexed])
    left, right, scores = engine.similar_pairs(sets, keys, threshold)
    return _greedy_groups([ideas[k] for k in indexed], left, right, scores)


def _greedy_groups(ideas: list[Idea], left, right, scores) -> list[Cluster]:
    neighbours: dict[int, dict[int, float]] = {}
    for a, b, score in zip(left.tolist(), right.tolist(), scores.tolist()):
        neighbours.setdefault(a, {})[b] = score
        neighbours.setdefault(b, {})[a] = score
    order = sorted(neighbours, key=lambda k: (-len(neighbours[k]), -sum(neighbours[k].values()), ideas[k].pk))
    grouped: set[int] = set()
    clusters = []
    for centre in order:
        if centre in grouped:
            continue
        members = sorted(((k, s) for k, s in neighbours[centre].items() if k not in grouped),
                         key=lambda item: (-item[1], ideas[item[0]].pk))
        if not members:
            continue
        grouped.add(centre)
        grouped.update(k for k, _ in members)
        clusters.append(Cluster(centre=ideas[centre], members=[(ideas[k], s) for k, s in members]))
    clusters.sort(key=lambda c: (-len(c.members), -c.mean_score, c.centre.pk))
    return clusters
