"""How a proposer improves an idea when staff ask (完善提升): the new text, and a note of what changed.

A pure function of the idea's text and the random generator: the demo hands
the result to ``idea_revise``, which keeps every version. Each request is
answered by the change it asks for: precise numbers instead of "about",
a concrete place and time, who will run it, a budget adjusted to what is
really needed (and the amount in the proposal changed to match).
"""

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from .corpus import voices
from .corpus.screening import (
    BUDGET_CUTS, DAYPARTS, IMPROVEMENT_REQUESTS, NOTE_PARTS, ORDINALS, PLACE_TIME, WEEKDAYS, WHO,
)
from .writer import budget_text, fill

BENEFICIARIES_LIMIT, PROPOSAL_LIMIT = 200, 4000
COUNTED = "（经入户摸底核实）"
_NUMBER = re.compile(r"约?(\d+)多?")


@dataclass(frozen=True)
class IdeaFields:
    title: str
    problem: str
    proposal: str
    beneficiaries: str
    estimated_budget: Decimal


@dataclass(frozen=True)
class Improvement:
    fields: IdeaFields
    note: str  # "what changed", as the proposer sums it up


def improvement_requests(rng: random.Random) -> list[str]:
    """One or two of the things staff ask for, in a fixed order."""
    keys = list(IMPROVEMENT_REQUESTS)
    chosen = set(rng.sample(keys, rng.choice((1, 2, 2))))
    return [key for key in keys if key in chosen]


def request_text(keys: list[str]) -> str:
    return "".join(IMPROVEMENT_REQUESTS[key] for key in keys)


def _precise(rng: random.Random, rounded: int) -> int:
    """A counted number near a rounded estimate: 80 -> 83 (what a door-to-door count finds)."""
    spread = max(1, rounded // 8)
    value = max(1, rounded + rng.randint(-spread, spread))
    return value + 1 if value % 5 == 0 and value > 5 else value


def _counted(rng: random.Random, beneficiaries: str) -> str:
    match = _NUMBER.search(beneficiaries)
    if match is None:
        counted = f"{beneficiaries}，经入户摸底共{rng.randint(25, 160)}人"
    else:
        counted = (beneficiaries[:match.start()] + str(_precise(rng, int(match.group(1))))
                   + beneficiaries[match.end():] + COUNTED)
    return counted if len(counted) <= BENEFICIARIES_LIMIT else beneficiaries


def _adjusted_budget(rng: random.Random, budget: Decimal, max_budget: Decimal) -> Decimal:
    """Mostly trimmed to what is really needed, now and then raised where an estimate forgot something."""
    raise_it = rng.random() < 0.15 and budget * Decimal("1.2") <= max_budget
    percent = rng.randint(105, 120) if raise_it else rng.randint(70, 95)
    value = max(Decimal("300"), (budget * percent / 100).quantize(Decimal("1E1")))
    if value == budget:  # a small estimate that rounding left where it was
        value = budget + 50 if budget + 50 <= max_budget else budget - 50
    return value.quantize(Decimal("0.01"))


def improve(rng: random.Random, fields: IdeaFields, *, requests: list[str], community: str,
            max_budget: Decimal) -> Improvement:
    """The idea's text after the proposer answered ``requests`` (keys of ``IMPROVEMENT_REQUESTS``)."""
    names = {"c": community, "room": rng.choice(voices.ROOMS), "partner": rng.choice(voices.PARTNERS),
             "weekday": rng.choice(WEEKDAYS), "daypart": rng.choice(DAYPARTS), "ordinal": rng.choice(ORDINALS)}
    beneficiaries, proposal, budget = fields.beneficiaries, fields.proposal, fields.estimated_budget
    notes = []
    for key in requests:
        if key == "numbers":
            beneficiaries = _counted(rng, beneficiaries)
        elif key == "place_time":
            proposal += fill(rng.choice(PLACE_TIME), rng, names)
        elif key == "who":
            proposal += fill(rng.choice(WHO), rng, names)
        if key != "budget" and (key != "numbers" or beneficiaries != fields.beneficiaries):
            notes.append(NOTE_PARTS[key])
    # Whatever was asked, a proposer who looks at the plan again usually revisits the money too.
    if "budget" in requests or rng.random() < 0.4:
        budget = _adjusted_budget(rng, budget, max_budget)
        old, new = f"{budget_text(fields.estimated_budget)}元", f"{budget_text(budget)}元"
        if old in proposal:
            proposal = proposal.replace(old, new, 1)
        else:
            proposal += f"经费预算调整为{new}。"
        if budget < fields.estimated_budget:
            proposal += rng.choice(BUDGET_CUTS) + f"预算由{old}调减为{new}。"
        notes.append(f"预算由{old}调整为{new}")
    if not notes:  # nothing else changed: the count could not be made more precise, so say who runs it
        proposal += fill(rng.choice(WHO), rng, names)
        notes.append(NOTE_PARTS["who"])
    proposal = proposal if len(proposal) <= PROPOSAL_LIMIT else fields.proposal
    return Improvement(IdeaFields(fields.title, fields.problem, proposal, beneficiaries, budget), "；".join(notes))


def itemise(rng: random.Random, fields: IdeaFields, *, spending: tuple[str, ...]) -> Improvement:
    """The answer to a second request: the budget broken down into its main items."""
    items = list(spending[:3]) if len(spending) >= 2 else [*spending, "宣传和资料印制"]
    total = fields.estimated_budget
    shares = [rng.randint(100, 300) for _ in items]
    amounts = [(total * share / sum(shares)) // 10 * 10 for share in shares]
    amounts[0] += total - sum(amounts)  # the main item takes what rounding left over, so the parts add up
    breakdown = "，".join(f"{item}约{budget_text(amount)}元" for item, amount in zip(items, amounts))
    proposal = fields.proposal + f"预算明细：{breakdown}。"
    if len(proposal) > PROPOSAL_LIMIT:
        proposal = fields.proposal + "预算明细见附表。"
    return Improvement(IdeaFields(fields.title, fields.problem, proposal, fields.beneficiaries,
                                  fields.estimated_budget), "补充了预算明细")
