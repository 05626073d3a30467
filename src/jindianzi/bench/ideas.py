"""Many realistic ideas in memory, written by the demo's idea writer, with planted near-duplicates.

No database: communities, categories and organisations come from the demo's
tables (``demo.places``, ``demo.editions``, ``demo.organizations``) and the
text from ``demo.writer``, as the demo build writes them.

A planted near-duplicate is one idea told again by a resident of another
community of the same street, in their own words: some words swapped for
words of the same meaning (每日 → 每天, 老人 → 老年人 ...), now and then a
sentence left out, two sentences in the other order, the community's name
changed. Planted pairs are what similarity must find; the benchmark reports
how many it does.
"""

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from jindianzi.demo.collection import ORGANIZATION_SHARE
from jindianzi.demo.editions import FIRST
from jindianzi.demo.organizations import PROFESSIONALS, REGISTERED_EXAMPLES
from jindianzi.demo.places import STREETS
from jindianzi.demo.writer import IdeaWriter

ON_PAPER_SHARE = 0.4
# Words and phrases of the same meaning, either way round.
SYNONYMS = (
    ("每日", "每天"), ("建立", "组建"), ("老人", "老年人"), ("志愿者", "义工"), ("居民", "住户"),
    ("问候", "看望"), ("安装", "装上"), ("开展", "举办"), ("定期", "经常"), ("孩子", "小孩"),
    ("希望", "盼望"), ("建议", "提议"), ("提供", "给"), ("每周", "每星期"), ("每月", "每个月"),
    ("很多", "不少"), ("常常", "经常"), ("添置", "购买"), ("帮助", "帮"), ("解决", "处理"),
    ("问题", "难题"), ("免费", "不收费"), ("组织", "召集"), ("活动室", "活动中心"), ("马上", "立刻"),
    ("附近", "周边"), ("平时", "平常"), ("现在", "如今"), ("大家", "大伙"), ("一起", "共同"),
)
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


@dataclass(frozen=True)
class BenchIdea:
    category: str
    street: str
    community: str
    title: str
    problem: str
    proposal: str
    beneficiaries: str
    twin_of: int | None = None  # the index of the idea this one rewords, for a planted near-duplicate


def reword(rng: random.Random, text: str, *, swap: float = 0.5, drop: float = 0.15) -> str:
    """The same text as another resident might put it: synonyms, a sentence left out, two swapped."""
    sentences = _SENTENCE.findall(text)
    kept = [s for s in sentences if rng.random() >= drop] or sentences[:1]
    out = []
    for sentence in kept:
        for a, b in SYNONYMS:
            if a in sentence and rng.random() < swap:
                sentence = sentence.replace(a, b)
            elif b in sentence and rng.random() < swap:
                sentence = sentence.replace(b, a)
        out.append(sentence)
    if len(out) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return "".join(out)


def generate(n: int, *, seed: int, planted_share: float = 0.02) -> list[BenchIdea]:
    """``n`` ideas of one district edition, the last ``planted_share`` of them planted near-duplicates."""
    rng = random.Random(seed)
    writer = IdeaWriter(rng, max_budget=FIRST.max_budget_per_idea or Decimal("20000"))
    communities = [(street, name, setting) for street, _kind, names in STREETS for name, setting in names]
    by_street = {}
    for street, name, _setting in communities:
        by_street.setdefault(street, []).append(name)
    categories = list(FIRST.ideas_by_category)
    weights = list(FIRST.ideas_by_category.values())
    organizations = [name for name, *_rest in REGISTERED_EXAMPLES] + [name for name, _c in PROFESSIONALS]

    planted = min(n // 2, round(n * planted_share))
    ideas = []
    for _ in range(n - planted):
        category = rng.choices(categories, weights=weights)[0]
        street, community, setting = rng.choice(communities)
        organization = rng.choice(organizations) if rng.random() < ORGANIZATION_SHARE else ""
        text = writer.write(category=category, community=community, street=street, setting=setting,
                            organization=organization, on_paper=not organization and rng.random() < ON_PAPER_SHARE)
        ideas.append(BenchIdea(category, street, community, text.title, text.problem, text.proposal,
                               text.beneficiaries))
    for source in rng.sample(range(len(ideas)), planted):
        original = ideas[source]
        others = [c for c in by_street[original.street] if c != original.community] or [original.community]
        community = rng.choice(others)

        def retold(text: str) -> str:
            text = text.replace(original.community, community)
            return reword(rng, text.replace(original.community.removesuffix("社区"), community.removesuffix("社区")))

        ideas.append(BenchIdea(original.category, original.street, community, retold(original.title),
                               retold(original.problem), retold(original.proposal), retold(original.beneficiaries),
                               twin_of=source))
    return ideas
