"""Greedy by votes on small votes worked out by hand."""

from decimal import Decimal

from jindianzi.reviews.allocation import (
    FUNDED,
    NO_VOTES,
    NOT_FUNDED_OVER_BUDGET,
    Instance,
    greedy,
)


def test_most_votes_first_skipping_what_no_longer_fits():
    # Votes: E 6, A 5, B 4, C 4, D 3, F 0. E costs more than the whole budget; after A (60) only
    # 40 is left, so B (50) is skipped and C (30), further down, still fits.
    instance = Instance.from_approvals(
        100, {"A": 60, "B": 50, "C": 30, "D": 80, "E": 120, "F": 20},
        [{"E", "A", "B", "C", "D"}] * 3 + [{"E", "A", "B", "C"}] + [{"E", "A"}] + [{"E"}])
    result = greedy(instance)
    assert result.selected == ["A", "C"]
    outcomes = result.outcomes
    assert list(outcomes) == ["A", "B", "C", "D", "E", "F"]
    assert outcomes["A"].funded and outcomes["A"].reason == FUNDED and outcomes["A"].round == 1
    assert outcomes["C"].round == 2 and outcomes["C"].details["budget_left_at_its_turn"] == "40.00"
    assert outcomes["E"].reason == NOT_FUNDED_OVER_BUDGET and outcomes["E"].votes == 6
    assert outcomes["E"].details == {"cost": "120.00", "budget_left_at_its_turn": "100.00"}
    assert outcomes["B"].reason == NOT_FUNDED_OVER_BUDGET
    assert outcomes["B"].details["budget_left_at_its_turn"] == "40.00"
    assert outcomes["F"].reason == NO_VOTES and outcomes["F"].votes == 0 and outcomes["F"].round is None
    assert result.details == {"budget": "100.00", "spent": "90.00", "left": "10.00", "voters": 6}


def test_equal_votes_go_to_the_smaller_id_compared_as_text():
    # "10" < "9" as strings, although 9 < 10 as numbers; only one of them fits.
    instance = Instance.from_approvals(10, {"9": 10, "10": 10}, [{"9", "10"}, {"9", "10"}])
    assert greedy(instance).selected == ["10"]


def test_a_project_no_one_voted_for_gets_only_what_is_left_at_the_end():
    instance = Instance.from_approvals(60, {"R": 32, "T": 21, "Z": 100, "W": 5},
                                       [{"R", "T"}, {"T", "Z"}, {"T"}, {"R"}, {"R"}, {"R"}])
    result = greedy(instance)
    assert result.selected == ["R", "T", "W"]
    assert result.outcomes["W"].funded and result.outcomes["W"].votes == 0
    assert result.outcomes["Z"].reason == NOT_FUNDED_OVER_BUDGET


def test_costs_in_fen_are_exact():
    # 0.10 + 0.20 fits in 0.30 exactly (it would not in floats).
    instance = Instance.from_approvals(Decimal("0.30"), {"a": Decimal("0.10"), "b": Decimal("0.20")},
                                       [{"a", "b"}, {"a"}])
    assert greedy(instance).selected == ["a", "b"]


def test_no_voters_and_no_budget():
    assert greedy(Instance(0, {"a": 5}, [])).selected == []
    assert greedy(Instance(5, {"a": 5}, [])).selected == ["a"]  # the leftover rule, as in pabutools


def test_the_result_is_plain_json():
    import json

    instance = Instance.from_approvals(100, {"A": 60, "B": 50}, [{"A"}, {"B"}, {"A", "B"}])
    data = json.loads(json.dumps(greedy(instance).as_json()))
    assert data["selected"] == ["A"] and data["outcomes"][1]["reason"] == NOT_FUNDED_OVER_BUDGET
