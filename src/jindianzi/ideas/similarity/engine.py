"""Similarity of ideas written in Chinese: features, MinHash signatures and LSH band keys.

Pure functions on text and numpy arrays, with no database: the index, the
selectors and the benchmark all build on them.

Features. Chinese is written without spaces, so an idea's text is cut into
overlapping character bigrams (老爷庙社区 → 老爷 爷庙 庙社 社区) rather than
segmented into words: bigrams need no dictionary, cost a few microseconds per
idea, and two texts that say the same thing with a few different words still
share most of their bigrams. Latin letters and digits that form a word (wifi,
5g) are kept as lower-cased words; bare numbers are dropped (a budget or a
head count is not what an idea is about). Before that, full-width forms are
folded (NFKC), punctuation ends a run, and a short list of function
characters (的 了 和 ...) also ends a run, so that 老人的家 does not yield the
bigram 人的. Bigrams that nearly every proposal contains (社区, 居民, 经费,
希望 ...) are dropped: they say nothing about which idea is which.

Score. The Jaccard index of two ideas' feature sets: shared features divided
by all features of either. It is 1 for the same text and about 0.05 for
ideas on different subjects; two residents describing the same thing in their
own words score 0.5 or more (see ``THRESHOLD``).

Search. A MinHash signature (``PERMUTATIONS`` 32-bit values) estimates the
Jaccard index: for each of the hash functions, the chance that two sets have
the same minimum equals their Jaccard index. The functions are
multiply-add-shift hashes of the features' 32-bit keys,
``h(x) = ((a·x + b) mod 2^64) >> 32`` with random 64-bit ``a`` (odd) and
``b`` (Dietzfelbinger's strongly universal family): exact in numpy's uint64
arithmetic, three operations per value. (``(a·x + b) mod (2^61 − 1)`` with
``a`` kept below 2^32 so that the product fits 64 bits, the usual shortcut,
is not good enough: it hardly wraps, so every function keeps roughly the
order of the keys and the minima agree far more often than the Jaccard
index says.) The signature is cut into ``BANDS`` bands
of ``ROWS`` values; two ideas become candidates when any band is identical,
which happens with probability 1 − (1 − s^ROWS)^BANDS for Jaccard s. Every
candidate is then scored exactly, so the method never reports a pair below
the threshold; it can only miss one, rarely (see ``candidate_probability``).
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Two ideas whose Jaccard index reaches this are proposed for merging. Chosen from planted
# examples (README, "Similar ideas"): ideas on different subjects stay below 0.3, ideas on the
# same subject with different proposals mostly below 0.45, and the same idea reworded by another
# resident mostly above 0.55.
THRESHOLD = 0.5
# Ideas below this are not worth showing as "similar" at all.
RELATED = 0.3

ROWS = 4
BANDS = 40
PERMUTATIONS = ROWS * BANDS
SEED = 20170301  # fixed: signatures stored in the database must stay comparable
# Stored with every fingerprint; a fingerprint of another version is recomputed (``similarity_rebuild``).
VERSION = f"bigrams1-minhash{PERMUTATIONS}-bands{BANDS}x{ROWS}-{SEED}"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
# Function characters that end a run of Chinese text: 老人的家 gives 老人 and nothing across 的.
BREAKS = "的了和与及或在是也都就把给被让又很还着吧呢吗啊"
_BREAK = re.compile(f"[{BREAKS}]")
# Bigrams that nearly every proposal contains, whatever it is about.
STOP_BIGRAMS = frozenset("""
社区 居民 小区 我们 大家 希望 建议 需要 经费 预算 预计 大约 主要 用于 包括 组织 活动 项目 服务
提供 负责 具体 牵头 帮忙 愿意 一起 可以 没有 很多 一次 志愿 愿者 场地 工作 问题 情况 目前 现在
进行 开展 通过 能够 支持 大赛 金点 点子 提案
""".split())


def idea_text(title: str, problem: str, proposal: str, beneficiaries: str) -> str:
    """The text an idea is compared on: everything the proposer wrote about it."""
    return "\n".join((title, problem, proposal, beneficiaries))


def features(text: str) -> frozenset[str]:
    """The set of features of a text: Chinese character bigrams and Latin/digit words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    found = set()
    for run in _CJK_RUN.findall(text):
        for chunk in _BREAK.split(run):
            found.update(chunk[i:i + 2] for i in range(len(chunk) - 1))
    found.difference_update(STOP_BIGRAMS)
    found.update(word for word in _WORD.findall(text) if len(word) > 1)
    return frozenset(found)


def text_digest(text: str) -> str:
    """A short digest of the text an idea was indexed from."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=1 << 17)
def feature_hash(feature: str) -> int:
    """A stable 32-bit hash of one feature (the same in every process and on every machine)."""
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=4).digest(), "little")


def hashed(feats: Iterable[str]) -> np.ndarray:
    """The features as a sorted array of unique 32-bit hashes: what is stored and compared."""
    return np.unique(np.fromiter((feature_hash(f) for f in feats), dtype=np.uint32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard index of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def _parameters(seed: int = SEED, count: int = PERMUTATIONS):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 64, size=count, dtype=np.uint64, endpoint=False) | np.uint64(1)
    b = rng.integers(0, 1 << 64, size=count, dtype=np.uint64, endpoint=False)
    mix = rng.integers(1, 1 << 63, size=(BANDS, ROWS), dtype=np.uint64) | np.uint64(1)
    return a, b, mix


_A, _B, _MIX = _parameters()
_EMPTY = np.uint32(0xFFFFFFFF)
_SHIFT = np.uint64(32)


def signatures(flat: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """MinHash signatures of many sets at once.

    ``flat`` holds every set's hashes one set after another (uint32) and
    ``starts`` where each set begins; every set must be non-empty. Returns a
    (sets × PERMUTATIONS) uint32 array.
    """
    x = flat.astype(np.uint64)
    out = np.empty((len(starts), PERMUTATIONS), dtype=np.uint32)
    for k in range(PERMUTATIONS):
        # The smallest (a·x + b) mod 2^64 also has the smallest top 32 bits: shift after the minimum.
        out[:, k] = np.minimum.reduceat(x * _A[k] + _B[k], starts) >> _SHIFT
    return out


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature of one set of hashes (all 0xFFFFFFFF for an empty set)."""
    if not len(hashes):
        return np.full(PERMUTATIONS, _EMPTY, dtype=np.uint32)
    h = hashes.astype(np.uint64)[:, None] * _A[None, :] + _B[None, :]
    return (h.min(axis=0) >> _SHIFT).astype(np.uint32)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One signed 64-bit key per band (sets × BANDS, int64): equal bands give equal keys."""
    sigs = np.atleast_2d(sigs)
    sigs = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    keys = (sigs * _MIX[None, :, :]).sum(axis=2, dtype=np.uint64)
    keys ^= keys >> np.uint64(29)
    return keys.view(np.int64)


def candidate_probability(similarity: float, rows: int = ROWS, bands: int = BANDS) -> float:
    """The chance that two ideas of this Jaccard index share at least one band."""
    return 1 - (1 - similarity ** rows) ** bands


# --- All pairs above a threshold, for many ideas at once --------------------------------------------

# Buckets of at least this many ideas are scored all at once, every member against every other;
# smaller buckets give pairs that are put together, de-duplicated and scored in bulk. Both exact.
BIG_BUCKET = 32
_CHUNK = 1 << 16
_BLOCK = 64
_ROWS_AT_ONCE = 8192


@dataclass
class FeatureSets:
    """Many ideas' feature sets as column numbers, one set after another (a 0/1 matrix in CSR form)."""

    columns: np.ndarray  # int32, every set's columns in turn
    starts: np.ndarray   # int64, where each set begins in ``columns``
    sizes: np.ndarray    # int64, how many features each set has
    width: int           # number of distinct columns
    hashes: np.ndarray | None = None  # uint32, the feature hash of each entry of ``columns``

    @classmethod
    def from_hashes(cls, sets: list[np.ndarray]) -> "FeatureSets":
        """From sorted unique hash arrays (``hashed``): the columns are the distinct hashes, numbered."""
        sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        flat = np.concatenate(sets) if sets else np.empty(0, dtype=np.uint32)
        distinct, columns = np.unique(flat, return_inverse=True)
        made = cls.from_columns(columns.astype(np.int32), sizes, len(distinct))
        made.hashes = flat
        return made

    @classmethod
    def from_columns(cls, columns: np.ndarray, sizes: np.ndarray, width: int) -> "FeatureSets":
        starts = np.zeros(len(sizes), dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        return cls(columns=columns, starts=starts, sizes=sizes, width=width)

    def signatures(self) -> np.ndarray:
        """Every set's MinHash signature (sets × PERMUTATIONS); every set must be non-empty."""
        return signatures(self.hashes, self.starts)

    def __len__(self) -> int:
        return len(self.sizes)

    def bitsets(self) -> np.ndarray:
        """Every set as a row of bits (sets × ⌈width/64⌉ uint64), for fast exact intersections."""
        words = max(1, (self.width + 63) // 64)
        packed = np.empty((len(self), words * 8), dtype=np.uint8)
        for top in range(0, len(self), _ROWS_AT_ONCE):  # unpacked, a block of rows at a time
            rows = np.arange(top, min(top + _ROWS_AT_ONCE, len(self)))
            bits = np.zeros((len(rows), words * 64), dtype=bool)
            first, last = self.starts[rows[0]], self.starts[rows[-1]] + self.sizes[rows[-1]]
            bits[np.repeat(rows - top, self.sizes[rows]), self.columns[first:last]] = True
            packed[rows] = np.packbits(bits, axis=1, bitorder="little")
        return packed.view(np.uint64)


def jaccard_of_pairs(bits: np.ndarray, sizes: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Exact Jaccard index of each pair (left[k], right[k]) from the sets' bit rows."""
    scores = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), _CHUNK):
        a, b = left[start:start + _CHUNK], right[start:start + _CHUNK]
        shared = np.bitwise_count(bits[a] & bits[b]).sum(axis=1, dtype=np.int64)
        scores[start:start + _CHUNK] = shared / np.maximum(1, sizes[a] + sizes[b] - shared)
    return scores


def _pairs_within(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions (p, q), p < q, within the runs that begin at ``starts``."""
    run = np.repeat(np.arange(len(sizes)), sizes)
    offset = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    element = starts[run] + offset
    after = sizes[run] - 1 - offset  # each element pairs with the ones after it in its run
    left = np.repeat(element, after)
    right = left + 1 + (np.arange(int(after.sum())) - np.repeat(np.cumsum(after) - after, after))
    return left, right


def _big_bucket(sets: FeatureSets, members: np.ndarray, threshold: float):
    """Every pair of one large bucket's members scored at once, a block of rows at a time.

    Only features that two or more members have can be shared, so the members'
    bit rows are rebuilt on those alone: a few words instead of the whole width.
    """
    n = len(sets)
    lengths = sets.sizes[members]
    row = np.repeat(np.arange(len(members)), lengths)
    first = np.repeat(sets.starts[members] - (np.cumsum(lengths) - lengths), lengths)
    columns = sets.columns[first + np.arange(len(row))]
    counts = np.bincount(columns, minlength=sets.width)
    kept = counts[columns] >= 2
    local = np.cumsum(counts >= 2) - 1
    words = max(1, (int(local[-1]) + 64) // 64)
    dense = np.zeros((len(members), words * 64), dtype=bool)
    dense[row[kept], local[columns[kept]]] = True
    rows = np.packbits(dense, axis=1, bitorder="little").view(np.uint64)
    codes, scores = [], []
    for top in range(0, len(members) - 1, _BLOCK):
        shared = np.bitwise_count(rows[top:top + _BLOCK, None, :] & rows[None, top:, :]).sum(axis=2, dtype=np.int32)
        union = lengths[top:top + _BLOCK, None] + lengths[None, top:] - shared
        a, b = np.nonzero(np.triu(shared >= threshold * union, 1))
        codes.append(members[top + a] * n + members[top + b])
        scores.append(shared[a, b] / np.maximum(1, union[a, b]))
    return codes, scores


def similar_pairs(sets: FeatureSets, keys: np.ndarray, threshold: float = THRESHOLD,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i, j), i < j, whose Jaccard index is at least ``threshold``, found through the bands.

    ``keys`` are the sets' band keys (``band_keys``). Every pair that shares a
    band is scored exactly, so the answer holds no pair below the threshold and
    misses one above it only when the two share no band. Returns (i, j, score).
    """
    n = len(sets)
    bits = sets.bitsets()
    codes, scores, small = [], [], []
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        ordered = keys[order, band]
        bounds = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1, [n]))
        starts, sizes = bounds[:-1], np.diff(bounds)
        few = (sizes >= 2) & (sizes < BIG_BUCKET)
        left, right = _pairs_within(starts[few], sizes[few])
        i, j = order[left].astype(np.int64), order[right].astype(np.int64)
        small.append(np.minimum(i, j) * n + np.maximum(i, j))
        for start, size in zip(starts[sizes >= BIG_BUCKET], sizes[sizes >= BIG_BUCKET]):
            found, score = _big_bucket(sets, np.sort(order[start:start + size]).astype(np.int64), threshold)
            codes += found
            scores += score
    pending = _distinct(np.concatenate(small)) if small else np.empty(0, dtype=np.int64)
    score = jaccard_of_pairs(bits, sets.sizes, pending // n, pending % n)
    codes.append(pending[score >= threshold])
    scores.append(score[score >= threshold])
    codes, scores = np.concatenate(codes), np.concatenate(scores)
    order = np.argsort(codes, kind="stable")
    codes, scores = codes[order], scores[order]
    first = np.concatenate(([True], codes[1:] != codes[:-1]))[:len(codes)]
    return codes[first] // n, codes[first] % n, scores[first]


def _distinct(codes: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (by sorting in place: faster than ``np.unique`` on large arrays)."""
    codes.sort()
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
