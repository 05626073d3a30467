"""``split_exact``: an amount divided between funding sources (or instalments) exactly to the fen."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jindianzi.funds.split import split_exact

FEN = Decimal("0.01")
UNITS = 10_000  # shares have up to 4 decimals: 1 = 10,000 units of 0.0001


def yuan_of(fen: int) -> Decimal:
    return (Decimal(fen) * FEN).quantize(FEN)


# 0.00 … 1,000,000,000.00 yuan, to the fen; small amounts (where every fen counts) drawn as often as large ones.
amounts = st.one_of(st.integers(0, 1_000), st.integers(0, 10**11)).map(yuan_of)


@st.composite
def splits(draw):
    """2–6 sources whose shares (up to 4 decimals, zero allowed) add up to exactly 1, keyed by source name."""
    n = draw(st.integers(2, 6))
    kind = draw(st.sampled_from(["cuts", "equal", "repeated"]))
    if kind == "equal" and UNITS % n == 0:  # halves, quarters, fifths: every share the same
        units = [UNITS // n] * n
    elif kind == "repeated":  # some shares the same, so ties in rounding are common
        value = draw(st.integers(0, UNITS // n))
        units = [value] * (n - 1) + [UNITS - value * (n - 1)]
    else:
        cuts = sorted(draw(st.lists(st.integers(0, UNITS), min_size=n - 1, max_size=n - 1)))
        units = [b - a for a, b in zip([0, *cuts], [*cuts, UNITS])]
    units = draw(st.permutations(units))
    return [(f"source-{i}", Decimal(u) / UNITS) for i, u in enumerate(units)]


@given(amount=amounts, shares=splits())
@example(amount=Decimal("100.01"), shares=[("foundation", Decimal("0.6")), ("finance", Decimal("0.4"))])
@example(amount=Decimal("0.01"), shares=[("a", Decimal("0.3333")), ("b", Decimal("0.3333")), ("c", Decimal("0.3334"))])
@example(amount=Decimal("1000000000.00"), shares=[("a", Decimal("0")), ("b", Decimal("0.0001")),
                                                  ("c", Decimal("0.9999"))])
def test_parts_add_up_to_the_whole_and_each_is_within_a_fen_of_its_exact_share(amount, shares):
    parts = split_exact(amount, shares)

    assert list(parts) == [key for key, _share in shares]  # every source, in the order given
    assert sum(parts.values(), Decimal("0.00")) == amount
    for key, share in shares:
        part = parts[key]
        assert isinstance(part, Decimal) and part.as_tuple().exponent == -2
        assert part >= 0
        assert abs(part - amount * share) < FEN
        if share == 0:
            assert part == 0


@given(amount=amounts, shares=splits())
def test_the_same_amount_and_shares_always_give_the_same_parts(amount, shares):
    assert split_exact(amount, shares) == split_exact(amount, list(shares))


@given(amount=amounts, shares=splits(), data=st.data())
def test_listing_the_sources_in_another_order_changes_no_part_except_between_equal_shares(amount, shares, data):
    """Each source's part depends on its share, not on its place in the list; only among sources with the
    same share does the place decide which of them gets a left-over fen: the one listed first."""
    reordered = data.draw(st.permutations(shares))

    parts, again = split_exact(amount, shares), split_exact(amount, reordered)

    for share, group in itertools.groupby(sorted(shares, key=lambda s: s[1]), key=lambda s: s[1]):
        keys = [key for key, _share in group]
        assert sorted(parts[k] for k in keys) == sorted(again[k] for k in keys)
        if len(keys) == 1:
            assert parts[keys[0]] == again[keys[0]]
    for listing, result in ((shares, parts), (reordered, again)):
        for share in {s for _k, s in listing}:
            in_order = [result[k] for k, s in listing if s == share]
            assert in_order == sorted(in_order, reverse=True)


# --- By hand ------------------------------------------------------------------------------------------

def test_sixty_forty_of_100_01_gives_the_left_over_fen_to_the_foundation():
    parts = split_exact(Decimal("100.01"), [("foundation", Decimal("0.60")), ("finance", Decimal("0.40"))])

    assert parts == {"foundation": Decimal("60.01"), "finance": Decimal("40.00")}


def test_three_equal_thirds_give_the_left_over_fen_to_the_largest_then_first_listed_share():
    thirds = [("a", Decimal("0.3333")), ("b", Decimal("0.3333")), ("c", Decimal("0.3334"))]

    assert split_exact(Decimal("100.00"), thirds) == {"a": Decimal("33.33"), "b": Decimal("33.33"),
                                                      "c": Decimal("33.34")}
    assert split_exact(Decimal("0.02"), thirds) == {"a": Decimal("0.01"), "b": Decimal("0.00"),
                                                    "c": Decimal("0.01")}


def test_the_seeds_instalments_of_an_agreement():
    schedule = [("signing", Decimal("0.40")), ("midterm", Decimal("0.30")), ("final", Decimal("0.30"))]

    assert split_exact(Decimal("6000.01"), schedule) == {
        "signing": Decimal("2400.01"), "midterm": Decimal("1800.00"), "final": Decimal("1800.00")}


def test_nothing_splits_into_nothing():
    assert split_exact(Decimal("0.00"), [("a", Decimal("0.5")), ("b", Decimal("0.5"))]) == {
        "a": Decimal("0.00"), "b": Decimal("0.00")}


# --- Refusals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("shares, problem", [
    ([("a", Decimal("0.6")), ("b", Decimal("0.3"))], "add up to exactly 1"),
    ([("a", Decimal("0.6")), ("b", Decimal("0.4001"))], "add up to exactly 1"),
    ([("a", Decimal("1.2")), ("b", Decimal("-0.2"))], "cannot be negative"),
    ([], "at least one share"),
])
def test_shares_that_do_not_make_a_whole_are_refused(shares, problem):
    with pytest.raises(ValueError, match=problem):
        split_exact(Decimal("100.00"), shares)


@pytest.mark.parametrize("amount", [Decimal("100.001"), Decimal("0.005"), Decimal("-0.01"), Decimal("NaN"),
                                    Decimal("Infinity")])
def test_an_amount_that_is_not_a_whole_number_of_fen_is_refused(amount):
    with pytest.raises(ValueError, match="number of fen"):
        split_exact(amount, [("a", Decimal("0.6")), ("b", Decimal("0.4"))])


@pytest.mark.parametrize("amount, shares", [
    (100.01, [("a", Decimal("0.6")), ("b", Decimal("0.4"))]),
    (Decimal("100.01"), [("a", 0.6), ("b", 0.4)]),
    ("100.01", [("a", Decimal("0.6")), ("b", Decimal("0.4"))]),
])
def test_floats_and_text_are_refused_not_rounded(amount, shares):
    with pytest.raises(TypeError, match="Decimal"):
        split_exact(amount, shares)
