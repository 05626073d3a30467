"""Generated votes for the comparisons with pabutools, of several shapes, with deliberate ties."""

import random
from decimal import Decimal

from jindianzi.reviews.allocation import Instance

# Ids that sort differently as strings and as numbers, so a tie broken the wrong way shows.
IDS = ["1", "2", "9", "10", "11", "20", "100", "a", "b", "p7", "p07", "x-1", "公园", "路灯", "3", "4", "5", "6",
       "7", "8", "12", "13", "14", "15", "16", "17", "18", "19", "21", "22", "23", "24", "25", "26", "27", "28"]


def instance(rng: random.Random, *, projects: int, voters: int, templates: int | None = None,
             budget_share: float = 0.4, fen: bool = False, skew: float = 0.0) -> Instance:
    """A vote with ``projects`` projects and ``voters`` voters.

    Costs come from a short list so that many are equal; with ``templates`` most voters copy one
    of a few ballots, so that many projects get equal numbers of votes and equal prices. ``skew``
    makes a few projects far more popular than the rest. ``fen`` gives some costs fen. The budget
    is ``budget_share`` of the total cost, rounded to the yuan.
    """
    ids = rng.sample(IDS, projects)
    unit = rng.choice([1, 5, 10])
    costs = {}
    for project in ids:
        cost = unit * rng.choice([1, 2, 2, 3, 4, 4, 6, 10])
        costs[project] = Decimal(cost) + Decimal(rng.choice([0, 0, 50, 5])) / 100 if fen else cost
    weights = [1 / (rank + 1) ** skew for rank in range(projects)]
    pool = [_ballot(rng, ids, weights) for _ in range(templates)] if templates else []
    ballots = [rng.choice(pool) if pool and rng.random() < 0.85 else _ballot(rng, ids, weights)
               for _ in range(voters)]
    budget = max(1, round(float(sum(costs.values())) * budget_share))
    return Instance.from_approvals(budget, costs, ballots)


def _ballot(rng: random.Random, ids: list[str], weights: list[float]) -> set[str]:
    size = rng.choice([0, 1, 1, 2, 2, 3, 4])
    return set(rng.choices(ids, weights=weights, k=size))
