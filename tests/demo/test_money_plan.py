"""The demo's plans for contracting and paying, without a database: which projects, which instalments."""

import random
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from jindianzi.agreements.workflow import Milestone
from jindianzi.demo.contracting import contracted_counts, round_up
from jindianzi.demo.funding import FINAL_LEAD, TargetMissed, Track, payment_plan

ARTICLE = {"disabled": 6, "elderly": 58, "youth": 30, "special_groups": 14, "comprehensive": 77}
LAST_DAY = date(2017, 11, 30)


def test_contracted_counts_are_the_articles_where_the_approvals_allow():
    available = {"disabled": 8, "elderly": 66, "youth": 35, "special_groups": 17, "comprehensive": 84}
    assert contracted_counts(available, ARTICLE, 185) == ARTICLE


def test_a_category_short_of_approvals_gives_its_shortfall_to_the_largest_others_one_each():
    available = {"disabled": 8, "elderly": 60, "youth": 30, "special_groups": 17, "comprehensive": 75}
    assert contracted_counts(available, ARTICLE, 185) == {
        "disabled": 6, "elderly": 59, "youth": 30, "special_groups": 15, "comprehensive": 75}


def test_fewer_approvals_than_the_target_contract_what_there_is():
    available = {"disabled": 1, "elderly": 3, "youth": 2, "special_groups": 0, "comprehensive": 4}
    assert contracted_counts(available, {"disabled": 0, "elderly": 3, "youth": 2, "special_groups": 1,
                                         "comprehensive": 4}, 9) == {
        "disabled": 0, "elderly": 3, "youth": 2, "special_groups": 0, "comprehensive": 4}


@pytest.mark.parametrize("amount, rounded", [("568020.00", "570000.00"), ("378680.00", "380000.00"),
                                             ("380000.00", "380000.00"), ("12345.67", "13000.00"),
                                             ("9.99", "10.00")])
def test_commitments_are_rounded_up_to_two_significant_figures(amount, rounded):
    assert round_up(Decimal(amount)) == Decimal(rounded)


def _tracks(rng: random.Random, count: int) -> list[Track]:
    tracks = []
    for number in range(count):
        total = Decimal(rng.randrange(800, 20000, 10))
        signing, midterm = (total * Decimal("0.4")).quantize(Decimal("0.01")), (total * Decimal("0.3")).quantize(
            Decimal("0.01"))
        amounts = {Milestone.SIGNING: signing, Milestone.MIDTERM: midterm, Milestone.FINAL: total - signing - midterm}
        ends_on = date(2017, 11, 10) + timedelta(days=rng.randint(0, 20))
        tracks.append(Track(agreement=SimpleNamespace(code=f"P{number:03d}"),
                            instalments={m: SimpleNamespace(amount=a) for m, a in amounts.items()},
                            starts_on=date(2017, 8, 5), ends_on=ends_on, midterm_on=date(2017, 10, 1)))
    return tracks


@pytest.mark.parametrize("seed", range(12))
def test_the_plan_pays_the_target_to_the_fen_settling_one_final_instalment_for_less(seed):
    rng = random.Random(seed)
    tracks = _tracks(rng, 185)
    total = sum(sum(i.amount for i in t.instalments.values()) for t in tracks)
    target = (total * Decimal("0.745")).quantize(Decimal("0.01")) + Decimal("0.16")
    payment_plan(rng, tracks, target, last_day=LAST_DAY)
    assert sum(t.paid for t in tracks) == target
    finals = [t for t in tracks if t.final is not None]
    assert finals and all(t.midterm for t in finals)
    assert all(t.ends_on + timedelta(days=FINAL_LEAD) <= LAST_DAY for t in finals)
    settled = [t for t in finals if t.final != t.amount(Milestone.FINAL)]
    assert len(settled) <= 1
    assert all(t.final >= t.amount(Milestone.FINAL) / 2 for t in settled)
    assert all(0 < t.final <= t.amount(Milestone.FINAL) for t in finals)
    assert 0.85 * len(tracks) <= sum(t.midterm for t in tracks) < len(tracks)


def test_a_target_the_instalments_cannot_reach_is_refused():
    rng = random.Random(1)
    tracks = _tracks(rng, 20)
    signing = sum(t.amount(Milestone.SIGNING) for t in tracks)
    with pytest.raises(TargetMissed):
        payment_plan(rng, tracks, signing - Decimal("0.01"), last_day=LAST_DAY)
    everything = sum(sum(i.amount for i in t.instalments.values()) for t in tracks)
    with pytest.raises(TargetMissed):
        payment_plan(rng, tracks, everything, last_day=LAST_DAY)
