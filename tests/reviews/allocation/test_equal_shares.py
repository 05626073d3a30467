"""The Method of Equal Shares on small votes worked out by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jindianzi.reviews.allocation import (
    FUNDED,
    FUNDED_IN_COMPLETION,
    NO_VOTES,
    NOT_FUNDED_SUPPORTERS_SHORT,
    Instance,
    equal_shares,
    equal_shares_at,
    greedy,
    yuan,
)


def six_voters() -> Instance:
    # 60 yuan for 6 voters: 10 each. R (32) is wanted by voters 1, 4, 5, 6; T (21) by 1, 2, 3;
    # Z (100) only by voter 2; W (5) by no one.
    return Instance.from_approvals(60, {"R": 32, "T": 21, "Z": 100, "W": 5},
                                   [{"R", "T"}, {"T", "Z"}, {"T"}, {"R"}, {"R"}, {"R"}])


def test_rounds_prices_and_who_paid():
    result = equal_shares(six_voters(), completion=False)
    # Round 1: R costs its 4 supporters 8 each (8/32 = 1/4 per yuan); T would cost 7 each (1/3).
    # Round 2: voter 1 has 2 left, less than an equal share of T, so pays it all; voters 2 and 3
    # pay (21 - 2) / 2 = 9.50 each.
    assert result.selected == ["R", "T"]
    r, t, z, w = (result.outcomes[p] for p in "RTZW")
    assert (r.reason, r.round, r.votes) == (FUNDED, 1, 4)
    assert r.details == {"cost": "32.00", "price_per_supporter": "8.00", "paid_the_price": 4, "paid_all_they_had": 0}
    assert (t.reason, t.round) == (FUNDED, 2)
    assert t.details == {"cost": "21.00", "price_per_supporter": "9.50", "paid_the_price": 2, "paid_all_they_had": 1}
    # Z's only supporter has 0.50 left of 10.
    assert (z.funded, z.reason, z.round) == (False, NOT_FUNDED_SUPPORTERS_SHORT, None)
    assert z.details == {"cost": "100.00", "supporters_had": "0.50"}
    assert (w.reason, w.votes) == (NO_VOTES, 0)
    assert result.details["spent"] == "53.00" and result.details["left"] == "7.00"
    assert result.details["budget_per_voter"] == "10.00" and result.details["runs"] == 1


def test_completion_spends_the_rest_by_votes():
    result = equal_shares(six_voters())
    # No project of the rounds fits in the 7 left, so no budget increase helps; greedy then
    # takes W, which no one voted for, with the money left.
    assert result.selected == ["R", "T", "W"]
    assert result.outcomes["W"].reason == FUNDED_IN_COMPLETION and result.outcomes["W"].round == 3
    assert result.outcomes["W"].details == {"cost": "5.00", "budget_left_at_its_turn": "7.00"}
    assert result.outcomes["Z"].details == {"cost": "100.00", "supporters_had": "0.50",
                                            "budget_left_at_its_turn": "7.00"}
    assert result.details["completion"] == "add1+greedy" and result.details["left"] == "2.00"


def test_a_group_voting_together_cannot_take_everything():
    # Voters 1-6 want A (60) and C (30), voters 7-10 want B (40); 10 yuan each. A and C tie at
    # 1/6 per yuan; A wins the tie (A < C) and uses up its supporters' money, so C is out and
    # the minority's B is funded. Greedy by votes gives the majority both of theirs.
    instance = Instance.from_approvals(100, {"A": 60, "B": 40, "C": 30}, [{"A", "C"}] * 6 + [{"B"}] * 4)
    result = equal_shares(instance)
    assert result.selected == ["A", "B"]
    assert result.outcomes["C"].reason == NOT_FUNDED_SUPPORTERS_SHORT
    assert result.outcomes["C"].details["supporters_had"] == "0.00"
    assert greedy(instance).selected == ["A", "C"]


def test_the_add1_completion_raises_every_voters_budget_a_yuan_at_a_time():
    # At 10 each, A's 5 supporters have 50 of the 55 it costs; at 11 each they have 55, A and B
    # tie (1/5 per yuan each), and both fit the real budget of 100.
    instance = Instance.from_approvals(100, {"A": 55, "B": 45}, [{"A"}] * 5 + [{"B"}] * 5)
    assert equal_shares(instance, completion=False).selected == ["B"]
    result = equal_shares(instance)
    assert result.selected == ["A", "B"]
    assert result.details["runs"] == 2 and result.details["budget_per_voter"] == "11.00"
    assert [o.reason for o in result.outcomes.values()] == [FUNDED, FUNDED]


def test_add1_stops_before_the_budget_would_be_overspent():
    # 10 each buys nothing. From 13 each, A's 5 supporters can buy it; at 17 each B's 4 can too,
    # and A + B (130) is over the real budget, so the run at 16 stands: A, then C by votes.
    instance = Instance.from_approvals(100, {"A": 65, "B": 65, "C": 35}, [{"A"}] * 5 + [{"B"}] * 4 + [{"C"}])
    assert equal_shares_at(instance, Fraction(17)) == ["A", "B"]
    result = equal_shares(instance)
    assert result.selected == ["A", "C"]
    assert result.details["runs"] == 8 and result.details["budget_per_voter"] == "16.00"
    assert result.outcomes["C"].reason == FUNDED_IN_COMPLETION
    assert result.outcomes["B"].details["supporters_had"] == "64.00"


def test_equal_prices_go_to_the_smaller_id_compared_as_text():
    instance = Instance.from_approvals(40, {"9": 20, "10": 20}, [{"9"}, {"10"}, {"9", "10"}, {"9", "10"}])
    assert equal_shares(instance, completion=False).selected == ["10"]


def test_a_project_over_the_whole_budget_is_never_funded():
    instance = Instance.from_approvals(50, {"big": 80, "small": 20}, [{"big", "small"}] * 5)
    result = equal_shares(instance)
    assert result.selected == ["small"]
    assert result.outcomes["big"].reason == NOT_FUNDED_SUPPORTERS_SHORT


def test_an_empty_ballot_still_holds_a_share():
    # 3 voters, 10 each, but one approved nothing: A's two supporters have 20 of its 25.
    instance = Instance.from_approvals(30, {"A": 25}, [{"A"}, {"A"}, set()])
    assert equal_shares(instance, completion=False).selected == []
    assert equal_shares(instance, completion=False).outcomes["A"].details["supporters_had"] == "20.00"


def test_no_voters():
    result = equal_shares(Instance(100, {"a": 50}, []), completion=False)
    assert result.selected == [] and result.outcomes["a"].reason == NO_VOTES


def test_fen_and_thirds_stay_exact():
    # 10.00 shared by 3 voters is 3.333... each: enough for 3.33, not for 3.34.
    instance = Instance.from_approvals(Decimal("10.00"), {"a": Decimal("3.33"), "b": Decimal("3.34"),
                                                          "c": Decimal("3.33")}, [{"a"}, {"b"}, {"c"}])
    assert equal_shares(instance, completion=False).selected == ["a", "c"]


def test_one_run_at_a_given_budget_per_voter():
    instance = Instance.from_approvals(100, {"A": 55, "B": 45}, [{"A"}] * 5 + [{"B"}] * 5)
    assert equal_shares_at(instance, Fraction(10)) == ["B"]
    assert equal_shares_at(instance, Fraction(11)) == ["A", "B"]
    assert equal_shares_at(Instance(100, {"A": 5}, []), Fraction(1)) == []


@pytest.mark.parametrize(("amount", "text"), [
    (Fraction(1, 3), "0.33"), (Fraction(2, 3), "0.67"), (Fraction(1, 200), "0.01"), (Fraction(-1, 200), "-0.01"),
    (Decimal("1234.565"), "1234.57"), (0, "0.00"), (Fraction(-1, 1000), "0.00"), (12, "12.00"),
])
def test_amounts_are_shown_rounded_to_the_fen(amount, text):
    assert yuan(amount) == text


@pytest.mark.parametrize("guess", [0.0, 1.0, 5.0, 9.5, 10.0, 1e9])
def test_floats_only_say_where_to_look(guess):
    # After R, voter 1 has 2 left and voters 2 and 3 have 10: T's exact price is 9.50 whatever
    # the float guess, a wrong guess sending the work to exact arithmetic throughout.
    from jindianzi.reviews.allocation.equal_shares import _Election, _Run

    election = _Election(six_voters())
    run = _Run(election, Fraction(10))
    run._buy(run.quote(election.names.index("R"), 8.0))
    quote = run.quote(election.names.index("T"), guess)
    assert quote.price == Fraction(19, 2) and quote.rho == Fraction(19, 42)
    assert len(quote.poor) == 1 and len(quote.rich) == 2
