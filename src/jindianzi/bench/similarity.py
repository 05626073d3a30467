"""``jindianzi bench similarity``: all pairs of similar ideas, our way and by brute force.

Both work on the same features (``ideas.similarity.engine.features``). Ours:
MinHash signatures, LSH bands, and an exact score for every pair that shares
a band. The baseline: every idea against every other, exactly, with the
feature sets as bit rows (an AND and a population count per pair, vectorised
with numpy). Brute force over all n(n − 1)/2 pairs would take the better part
of an hour at 100,000 ideas, so by default it is timed on a random sample of
query ideas, each compared with all ideas; that time is scaled up to all
pairs, and the pairs the sample finds are the ground truth for our recall.
"""

import random
import resource
import time
from dataclasses import dataclass, field

import numpy as np

from jindianzi.ideas.similarity import engine

from .ideas import BenchIdea, generate


@dataclass
class Result:
    n: int
    seed: int
    threshold: float
    figures: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"benchmark": "similarity", "n": self.n, "seed": self.seed, "threshold": self.threshold,
                **self.figures}


def _features(ideas: list[BenchIdea]) -> engine.FeatureSets:
    return engine.FeatureSets.from_hashes([
        engine.hashed(engine.features(engine.idea_text(i.title, i.problem, i.proposal, i.beneficiaries)))
        for i in ideas
    ])


def _codes(left: np.ndarray, right: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right)


def run(*, n: int, seed: int = 1, sample: int = 500, threshold: float = engine.THRESHOLD,
        progress=lambda message: None) -> Result:
    result = Result(n=n, seed=seed, threshold=threshold)
    figures = result.figures

    started = time.perf_counter()
    ideas = generate(n, seed=seed)
    generated = time.perf_counter()
    progress(f"{n:,} ideas written in {generated - started:.1f} s")
    sets = _features(ideas)
    featured = time.perf_counter()
    progress(f"features in {featured - generated:.1f} s "
             f"({sets.sizes.mean():.0f} per idea, {sets.width:,} distinct)")
    figures["features"] = {"seconds": round(featured - generated, 3), "per_idea": round(float(sets.sizes.mean()), 1),
                           "distinct": int(sets.width), "kind": "character bigrams + latin words"}

    # Ours: signatures, bands, exact scores of the candidates.
    c0, t0 = time.process_time(), time.perf_counter()
    keys = engine.band_keys(sets.signatures())
    t1 = time.perf_counter()
    left, right, scores = engine.similar_pairs(sets, keys, threshold)
    c2, t2 = time.process_time(), time.perf_counter()
    ours = np.sort(_codes(left, right, n))
    figures["ours"] = {
        "seconds": round(t2 - t0, 3), "cpu_seconds": round(c2 - c0, 3),
        "minhash_seconds": round(t1 - t0, 3), "search_seconds": round(t2 - t1, 3),
        "pairs": int(len(ours)), "permutations": engine.PERMUTATIONS, "bands": engine.BANDS, "rows": engine.ROWS,
    }
    progress(f"ours: {len(ours):,} pairs in {t2 - t0:.1f} s (signatures {t1 - t0:.1f} s, bands and scores "
             f"{t2 - t1:.1f} s)")

    # Baseline: brute force, every query idea against every idea.
    rng = np.random.default_rng(seed)
    queries = np.arange(n) if sample >= n else np.sort(rng.choice(n, size=sample, replace=False))
    c3, t3 = time.process_time(), time.perf_counter()
    bits = sets.bitsets()
    c4, t4 = time.process_time(), time.perf_counter()
    truth = []
    for q in queries:
        shared = np.bitwise_count(bits & bits[q]).sum(axis=1, dtype=np.int64)
        score = shared / np.maximum(1, sets.sizes + sets.sizes[q] - shared)
        score[q] = 0.0
        found = np.flatnonzero(score >= threshold)
        truth.append(_codes(np.full(len(found), q), found, n))
    c5, t5 = time.process_time(), time.perf_counter()
    truth = np.concatenate(truth) if truth else np.empty(0, dtype=np.int64)
    per_query = (t5 - t4) / max(1, len(queries))
    all_pairs_seconds = (t4 - t3) + per_query * (n - 1) / 2
    all_pairs_cpu = (c4 - c3) + (c5 - c4) / max(1, len(queries)) * (n - 1) / 2
    full = len(queries) == n
    # A pair found from both of its ideas (when both were sampled) counts once.
    truth = np.unique(truth)
    estimated_pairs = len(truth) if full else round(len(truth) * n / (2 * len(queries)))
    figures["baseline"] = {
        "seconds": round(all_pairs_seconds, 3), "cpu_seconds": round(all_pairs_cpu, 3),
        "estimated": not full, "queries": int(len(queries)),
        "measured_seconds": round(t5 - t3, 3), "seconds_per_query": round(per_query, 6),
        "pairs": int(estimated_pairs), "method": "brute force on bit sets (AND + popcount), all pairs",
    }
    progress(f"brute force: {len(queries):,} queries in {t5 - t3:.1f} s, {per_query * 1000:.1f} ms each; "
             f"all {n * (n - 1) // 2:,} pairs {'took' if full else 'would take'} {all_pairs_seconds:,.0f} s")

    hit = np.isin(truth, ours, assume_unique=True)
    recall = float(hit.mean()) if len(truth) else 1.0
    # Both methods run on one core; the ratio of CPU times is the one that other processes on the
    # machine do not blur. The ratio of wall-clock times is reported beside it.
    figures["ratio"] = round(all_pairs_cpu / max(1e-9, c2 - c0), 1)
    figures["ratio_wall_clock"] = round(all_pairs_seconds / max(1e-9, t2 - t0), 1)
    figures["recall"] = round(recall, 4)
    figures["recall_pairs"] = int(len(truth))
    figures["precision"] = 1.0  # every reported pair was scored exactly
    progress(f"speed-up {figures['ratio']}x in CPU time ({figures['ratio_wall_clock']}x in wall-clock time), "
             f"recall {recall:.3f} on {len(truth):,} pairs")

    figures["planted"] = _planted(ideas, sets, bits, ours, threshold)
    figures["background"] = _background(ideas, sets, bits, seed)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def _planted(ideas, sets, bits, ours, threshold) -> dict:
    """How planted near-duplicates score, and how many of them each method finds."""
    twins = np.array([k for k, idea in enumerate(ideas) if idea.twin_of is not None], dtype=np.int64)
    if not len(twins):
        return {"pairs": 0}
    sources = np.array([ideas[k].twin_of for k in twins], dtype=np.int64)
    scores = engine.jaccard_of_pairs(bits, sets.sizes, sources, twins)
    found = np.isin(_codes(sources, twins, len(ideas)), ours)
    quantiles = np.quantile(scores, [0.05, 0.1, 0.5])
    return {
        "pairs": int(len(twins)), "above_threshold": int((scores >= threshold).sum()),
        "found_by_ours": int((found & (scores >= threshold)).sum()),
        "score_p05": round(float(quantiles[0]), 3), "score_p10": round(float(quantiles[1]), 3),
        "score_median": round(float(quantiles[2]), 3),
    }


def _background(ideas, sets, bits, seed, count: int = 200_000) -> dict:
    """How unrelated ideas score: random pairs of different categories, and of the same category."""
    rng = random.Random(seed + 1)
    n = len(ideas)
    left = np.array([rng.randrange(n) for _ in range(count)])
    right = np.array([rng.randrange(n) for _ in range(count)])
    keep = left != right
    left, right = left[keep], right[keep]
    scores = engine.jaccard_of_pairs(bits, sets.sizes, left, right)
    same = np.array([ideas[a].category == ideas[b].category for a, b in zip(left, right)])
    figures = {}
    for name, mask in (("other_category", ~same), ("same_category", same)):
        if mask.any():
            part = scores[mask]
            figures[name] = {"pairs": int(mask.sum()), "median": round(float(np.median(part)), 3),
                             "p99": round(float(np.quantile(part, 0.99)), 3), "max": round(float(part.max()), 3),
                             "share_above_threshold": round(float((part >= engine.THRESHOLD).mean()), 4)}
    return figures
