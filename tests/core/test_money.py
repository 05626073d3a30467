"""Amounts as people and spreadsheets write them become exact yuan with two places."""

from decimal import Decimal

import pytest

from jindianzi.core.money import yuan


@pytest.mark.parametrize("written, amount", [
    ("1200", "1200.00"), ("1,200.5", "1200.50"), ("1200元", "1200.00"), ("￥1200", "1200.00"),
    ("¥ 3，000", "3000.00"), (" 12000.005 ", "12000.01"), (Decimal("0.1") + Decimal("0.2"), "0.30"), (50000, "50000.00"),
])
def test_amounts_are_read_to_the_fen(written, amount):
    assert yuan(written) == Decimal(amount)
    assert yuan(written).as_tuple().exponent == -2


@pytest.mark.parametrize("bad", [0.1, "twelve", "", "1.2.3", "NaN", "Infinity"])
def test_floats_and_text_that_is_not_an_amount_are_refused(bad):
    with pytest.raises(ValueError):
        yuan(bad)


def test_sums_of_many_small_amounts_are_exact():
    assert sum((yuan("0.10") for _ in range(10)), Decimal("0")) == yuan("1")
