"""Likely duplicates: rows whose title is nearly that of an idea, or an earlier row, of the same proposer."""

import unicodedata

from jindianzi.core.privacy import normalise_phone

from ..models import Idea
from ..workflow import COLLECTED_STATES
from .rows import Row

# Character-bigram Jaccard similarity from which two titles of the same proposer count as one idea.
# "修缮3号楼楼道" / "修缮5号楼楼道" score 0.50 (two ideas); a title with one word added or
# changed scores 0.75 and more.
SIMILAR_TITLE = 0.6


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in unicodedata.normalize("NFKC", text or "").casefold() if ch.isalnum()]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:])}


def title_similarity(first: str, second: str) -> float:
    """Jaccard similarity of character bigrams: works on Chinese, which has no spaces between words."""
    a, b = _bigrams(first), _bigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _proposer(name: str, phone: str) -> tuple[str, str]:
    # Two entries without a phone number count as one proposer when the names agree.
    return (name or "").strip(), normalise_phone(phone)


def find_duplicates(edition, rows: list[Row]) -> list[dict]:
    """Valid rows that look like an idea already in the edition, or like an earlier row of the file."""
    names = {row.values["proposer_name"].strip() for row in rows}
    existing = {}
    for idea in Idea.objects.filter(edition=edition, proposer_name__in=names, state__in=COLLECTED_STATES).only(
            "tracking_code", "title", "proposer_name", "proposer_phone"):
        existing.setdefault(_proposer(idea.proposer_name, idea.proposer_phone), []).append(idea)
    earlier, flagged = {}, []
    for row in rows:
        who, title = _proposer(row.values["proposer_name"], row.values["proposer_phone"]), row.values["title"]
        match = _best_match(title, existing.get(who, []), lambda idea: idea.title)
        if match:
            idea, score = match
            flagged.append({"row": row.number, "title": title, "like_code": idea.tracking_code,
                            "like_title": idea.title, "similarity": round(score, 2)})
        else:
            match = _best_match(title, earlier.get(who, []), lambda other: other.values["title"])
            if match:
                other, score = match
                flagged.append({"row": row.number, "title": title, "like_row": other.number,
                                "like_title": other.values["title"], "similarity": round(score, 2)})
        earlier.setdefault(who, []).append(row)
    return flagged


def _best_match(title: str, candidates, title_of):
    scored = [(candidate, title_similarity(title, title_of(candidate))) for candidate in candidates]
    scored = [pair for pair in scored if pair[1] >= SIMILAR_TITLE]
    return max(scored, key=lambda pair: pair[1]) if scored else None
