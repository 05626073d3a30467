"""Our rules give exactly pabutools' winners, in the same order, ties included.

Each vote is written as a ``.pb`` file and the same file is read by both sides (pabutools with its
own ``parse_pabulib``). Costs come from short lists and ballots are often copies of a few, so
that equal costs, equal vote counts and equal prices are common.
"""

import random
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jindianzi.reviews.allocation import Ballot, Instance

from .generate import IDS, instance
from .reference import compare

SHAPES = {
    "few projects, many voters": {"projects": 5, "voters": 3000, "templates": 6, "budget_share": 0.4},
    "many projects": {"projects": 30, "voters": 300, "templates": None, "budget_share": 0.3},
    "skewed popularity": {"projects": 20, "voters": 800, "templates": 4, "budget_share": 0.3, "skew": 2.0},
    "tight budget": {"projects": 15, "voters": 500, "templates": 8, "budget_share": 0.1},
    "loose budget": {"projects": 15, "voters": 400, "templates": 8, "budget_share": 0.8},
    "costs in fen": {"projects": 12, "voters": 300, "templates": 5, "budget_share": 0.5, "fen": True},
    "a handful of voters": {"projects": 8, "voters": 7, "templates": 2, "budget_share": 0.5},
}


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("shape", SHAPES)
def test_generated_votes_of_several_shapes(shape, seed, tmp_path):
    ours, theirs = compare(instance(random.Random(f"{shape}-{seed}"), **SHAPES[shape]), tmp_path)
    assert ours == theirs


@st.composite
def votes(draw) -> Instance:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=8, unique=True))
    unit = draw(st.sampled_from([1, 5, 10]))
    fen = draw(st.booleans())
    costs = {}
    for project in ids:
        cost = unit * draw(st.sampled_from([1, 2, 2, 3, 4, 6]))
        costs[project] = Decimal(cost) + Decimal(draw(st.sampled_from([0, 5, 50]))) / 100 if fen else cost
    templates = draw(st.lists(st.frozensets(st.sampled_from(ids), max_size=4), min_size=1, max_size=6, unique=True))
    ballots = [Ballot(template, draw(st.integers(1, 6))) for template in templates]
    total = sum(costs.values())
    budget = draw(st.integers(0, int(total * 12 // 10)))
    if fen:
        budget = Decimal(budget) + Decimal(draw(st.integers(0, 99))) / 100
    return Instance(budget, costs, ballots)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(votes())
def test_any_small_vote(vote):
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = compare(vote, Path(folder))
    assert ours == theirs
