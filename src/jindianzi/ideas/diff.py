"""A readable diff of two texts that works on Chinese as well as on English.

Chinese is written without spaces between words, so a word-level diff would
see a whole sentence as one "word". The text is cut into tokens instead:

- every CJK character (and every other character that is not part of a Latin word) on its own,
- a run of Latin letters and digits as one word (``WiFi``, ``2024``, ``12000``),
- a run of whitespace as one token; every punctuation mark on its own.

``difflib.SequenceMatcher`` then aligns the two token lists. Very short runs
that happen to be equal between two changes (a lone 的 or 和 inside a rewritten
phrase) are folded into the change so that the result reads as "this phrase
became that phrase" rather than a confetti of one-character edits.

The HTML marks removed text with ``<del>`` and added text with ``<ins>``;
everything else is escaped, and only the tags added here are marked safe.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Latin letters (with accents) and digits, half and full width, form words; whitespace runs are one token;
# anything else (a CJK character, a punctuation mark, an emoji) is a token of its own.
_WORD = r"[0-9A-Za-z\u00C0-\u024F\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]+"
TOKEN = re.compile(rf"{_WORD}|\s+|.", re.DOTALL)

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
# An equal run this short (in characters, whitespace aside) between two changes is folded into them.
FOLD_AT_MOST = 1


def tokenize(text: str) -> list[str]:
    """Cut ``text`` into tokens; joining them gives the text back unchanged."""
    return TOKEN.findall(text or "")


@dataclass(frozen=True)
class Segment:
    op: str  # equal, delete or insert
    text: str


def diff_segments(old: str, new: str) -> list[Segment]:
    """The edit from ``old`` to ``new`` as equal / delete / insert segments, in reading order."""
    a, b = tokenize(old), tokenize(new)
    raw: list[tuple[str, str, str]] = []  # (op, old text, new text)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        raw.append((op, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return _segments(_fold_short_equals(raw))


def _fold_short_equals(raw):
    """Fold a tiny equal run that sits between two changes into one larger change."""
    folded: list[list[str]] = []
    for index, (op, old, new) in enumerate(raw):
        between_changes = 0 < index < len(raw) - 1 and op == EQUAL
        if between_changes and len(old.strip()) <= FOLD_AT_MOST and old.strip() and folded \
                and folded[-1][0] != EQUAL and raw[index + 1][0] != EQUAL:
            folded[-1] = ["replace", folded[-1][1] + old, folded[-1][2] + new]
            continue
        if folded and op != EQUAL and folded[-1][0] != EQUAL:
            folded[-1] = ["replace", folded[-1][1] + old, folded[-1][2] + new]
            continue
        folded.append([op, old, new])
    return folded


def _segments(ops) -> list[Segment]:
    segments = []
    for op, old, new in ops:
        if op == EQUAL:
            segments.append(Segment(EQUAL, new))
            continue
        if old:
            segments.append(Segment(DELETE, old))
        if new:
            segments.append(Segment(INSERT, new))
    return segments


def render_segments(segments: list[Segment]) -> SafeString:
    tags = {DELETE: "del", INSERT: "ins"}
    parts = []
    for segment in segments:
        text = escape(segment.text)
        parts.append(text if segment.op == EQUAL else f"<{tags[segment.op]}>{text}</{tags[segment.op]}>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def diff_html(old: str, new: str) -> SafeString:
    """``old`` → ``new`` as HTML, with ``<del>`` and ``<ins>`` around what changed."""
    return render_segments(diff_segments(old, new))


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    html: SafeString
    changed: bool


def revisions_diff(older, newer, fields) -> list[FieldDiff]:
    """One ``FieldDiff`` per ``(name, label)`` in ``fields``, comparing two objects' text."""
    result = []
    for name, label in fields:
        before, after = _as_text(getattr(older, name)), _as_text(getattr(newer, name))
        result.append(FieldDiff(name=name, label=str(label), html=diff_html(before, after), changed=before != after))
    return result


def _as_text(value) -> str:
    return "" if value is None else str(value)
