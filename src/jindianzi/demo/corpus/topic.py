"""The shape of the demo's text corpus: topics residents write about, per service category.

Templates may hold placeholders that the writer fills in: ``{c}`` the community
(老爷庙社区), ``{s}`` its short name (老爷庙), ``{street}`` its street,
``{brand}`` a project brand of the category (银龄, 暖阳 ...), and ``{n:A-B}`` a
number between A and B, rounded the way people round in speech.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One thing residents ask for, with the ways they put it."""

    actions: tuple[str, ...]        # verb phrases that make a title: "给老楼楼道安装扶手"
    projects: tuple[str, ...]       # project names that make a title: "“{brand}”助餐点"
    problems: tuple[str, ...]       # what is wrong, one sentence each
    proposals: tuple[str, ...]      # what to do about it, one sentence each
    beneficiaries: tuple[str, ...]  # who benefits, with a number
    spending: tuple[str, ...]       # what the money buys
    budget: tuple[int, int]         # the range of a realistic estimate, in yuan


@dataclass(frozen=True)
class CategoryCorpus:
    code: str
    brands: tuple[str, ...]
    consequences: tuple[str, ...]   # sentences that round a problem off
    topics: tuple[Topic, ...]
