"""Writes the text of one idea from the corpus, the way a resident or an organisation would.

Every choice comes from the random generator it is given, so the same seed
writes the same ideas. Titles are kept mostly distinct, as in a real
collection, but not always: neighbours do ask for the same bench twice, and
later stages merge such ideas.
"""

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from .corpus import CORPORA, Topic
from .corpus import voices

# Titles from an action ("给老楼楼道安装扶手"): on their own, or asking the community to act.
ACTION_STYLES = ("{a}", "建议{a}", "关于{a}的建议", "希望{a}", "{a}的提案")
COMMUNITY_ACTION_STYLES = ("建议{c}{a}", "希望{c}{a}", "关于{c}{a}的建议", "{c}居民建议：{a}")
# Titles from a project name ("“银龄”爱心助餐点"), which organisations favour.
PROJECT_STYLES = ("{p}", "{p}")
COMMUNITY_PROJECT_STYLES = ("{c}{p}",)
TITLE_ATTEMPTS = 8
REPEAT_SHARE = 0.03  # how often a resident's title is the same as an earlier one, and kept

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\d+)-(\d+))?\}")


@dataclass(frozen=True)
class IdeaText:
    title: str
    problem: str
    proposal: str
    beneficiaries: str
    estimated_budget: Decimal


def spoken_number(value: int) -> int:
    """Round the way people do when they estimate: 87 -> 85, 1234 -> 1230."""
    if value >= 1000:
        return round(value, -2)
    if value >= 100:
        return round(value, -1)
    if value >= 30:
        return value - value % 5
    return value


def fill(template: str, rng: random.Random, names: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        key, low, high = match.groups()
        if low is not None:
            return str(spoken_number(rng.randint(int(low), int(high))))
        return names[key]

    return _PLACEHOLDER.sub(replace, template)


def budget_text(amount: Decimal) -> str:
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


class IdeaWriter:
    def __init__(self, rng: random.Random, *, max_budget: Decimal):
        self.rng = rng
        self.max_budget = max_budget
        self.titles: set[str] = set()

    def write(self, *, category: str, community: str, street: str, setting: str,
              organization: str = "", on_paper: bool = False) -> IdeaText:
        """The text of one idea of ``category`` from ``community``.

        ``organization`` names the proposing organisation, if one proposes;
        ``on_paper`` writes the shorter text of a form filled in by hand.
        """
        rng = self.rng
        corpus = CORPORA[category]
        topic = rng.choice(corpus.topics)
        names = {
            "c": community, "s": community.removesuffix("社区"), "street": street, "org": organization,
            "room": rng.choice(voices.ROOMS), "partner": rng.choice(voices.PARTNERS),
        }
        budget = self._budget(topic)
        names["budget"] = budget_text(budget)
        names["spending"] = "、".join(rng.sample(topic.spending, min(len(topic.spending), rng.choice((1, 2, 2)))))
        return IdeaText(
            title=self._title(topic, corpus.brands, names, organization=bool(organization), on_paper=on_paper),
            problem=self._problem(topic, corpus.consequences, names, setting, organization, on_paper),
            proposal=self._proposal(topic, names, organization, on_paper),
            beneficiaries=fill(rng.choice(topic.beneficiaries), rng, names),
            estimated_budget=budget,
        )

    def _title(self, topic: Topic, brands, names, *, organization: bool, on_paper: bool) -> str:
        """A title not used before if one of a few tries finds it; later tries name the community."""
        rng = self.rng
        project_share = 0.7 if organization else (0.1 if on_paper else 0.35)
        title = ""
        for attempt in range(TITLE_ATTEMPTS):
            local = attempt > 0 or rng.random() < 0.4
            if rng.random() < project_share:
                styles = COMMUNITY_PROJECT_STYLES if local else PROJECT_STYLES
                project = rng.choice(topic.projects)
                # "老爷庙社区健康小屋", not "老爷庙社区社区健康小屋"
                style = rng.choice(styles).replace("{p}", project.removeprefix("社区") if local else project)
            else:
                styles = COMMUNITY_ACTION_STYLES if local else ACTION_STYLES
                action = rng.choice(topic.actions)
                # "建议老爷庙社区办一个老年食堂", not "建议老爷庙社区在社区办一个老年食堂"
                style = rng.choice(styles).replace("{a}", action.removeprefix("在社区") if local else action)
            title = fill(style, rng, {**names, "brand": rng.choice(brands)})
            if title not in self.titles or rng.random() < REPEAT_SHARE:
                break
        self.titles.add(title)
        return title

    def _problem(self, topic: Topic, consequences, names, setting: str, organization: str, on_paper: bool) -> str:
        rng = self.rng
        if organization:
            opener = rng.choice(voices.ORGANIZATION_OPENERS)
        elif rng.random() < 0.6:
            opener = rng.choice(voices.OPENERS[setting])
        else:
            opener = rng.choice(voices.COMMON_OPENERS)
        # A paper form leaves little room: one sentence, now and then two.
        two = len(topic.problems) > 1 and rng.random() < (0.25 if on_paper else 0.5)
        parts = [opener + "".join(rng.sample(topic.problems, 2 if two else 1))]
        if rng.random() < (0.3 if on_paper else 0.6):
            parts.append(rng.choice(consequences))
        return fill("".join(parts), rng, names)

    def _proposal(self, topic: Topic, names, organization: str, on_paper: bool) -> str:
        rng = self.rng
        count = 1 if on_paper or len(topic.proposals) == 1 or rng.random() < 0.5 else 2
        parts = rng.sample(topic.proposals, count)
        if organization:
            parts.append(rng.choice(voices.ORGANIZATION_HOW))
        elif not on_paper:
            parts.append(rng.choice(voices.RESIDENT_HOW))
        parts.append(rng.choice(voices.BUDGET_LINES))
        if not organization:
            parts.append(rng.choice(voices.CLOSINGS))
        return fill("".join(parts), rng, names)

    def _budget(self, topic: Topic) -> Decimal:
        """A resident's estimate: mostly round hundreds, now and then to the yuan or the fen."""
        rng = self.rng
        low, high = topic.budget
        amount = rng.triangular(low, high, low + (high - low) * 0.3)
        roll = rng.random()
        if roll < 0.7:
            value = Decimal(int(round(amount, -2)))
        elif roll < 0.9:
            value = Decimal(int(amount) // 50 * 50)
        elif roll < 0.97:
            value = Decimal(int(amount))
        else:
            value = Decimal(rng.randrange(int(low * 100), int(high * 100))) / 100
        value = max(Decimal(100), min(value, self.max_budget))
        return value.quantize(Decimal("0.01"))
