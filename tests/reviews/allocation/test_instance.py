"""What an instance accepts, and how it counts voters and votes."""

from decimal import Decimal

import pytest

from jindianzi.reviews.allocation import Ballot, Instance


def test_identical_ballots_are_counted_once_with_their_multiplicity():
    instance = Instance.from_approvals(100, {"a": 10, "b": 20}, [["a"], ["a", "b"], ["b", "a"], [], ["a"]])
    assert instance.ballots == [Ballot(frozenset({"a"}), 2), Ballot(frozenset({"a", "b"}), 2), Ballot(frozenset(), 1)]
    assert instance.voters == 5
    assert instance.votes() == {"a": 4, "b": 2}


@pytest.mark.parametrize(("budget", "projects", "ballots", "error"), [
    (100.0, {"a": 10}, [], TypeError),  # floats cannot hold fen exactly
    (100, {"a": 10.5}, [], TypeError),
    (100, {"a": True}, [], TypeError),
    (-1, {"a": 10}, [], ValueError),
    (100, {"a": 0}, [], ValueError),
    (100, {"a": Decimal("NaN")}, [], ValueError),
    (100, {"a,b": 10}, [], ValueError),
    (100, {" a": 10}, [], ValueError),
    (100, {"": 10}, [], ValueError),
    (100, {1: 10}, [], TypeError),
    (100, {"a": 10}, [Ballot(frozenset({"b"}), 1)], ValueError),
    (100, {"a": 10}, [Ballot(frozenset({"a"}), 0)], ValueError),
])
def test_refuses_what_the_rules_cannot_use(budget, projects, ballots, error):
    with pytest.raises(error):
        Instance(budget, projects, ballots)


def test_money_in_fen():
    instance = Instance(Decimal("100.50"), {"a": Decimal("0.01")}, [Ballot(frozenset({"a"}), 1)])
    assert instance.exact_cost("a") * 100 == 1
