"""Splitting an amount between funding sources exactly to the fen.

The rule (largest remainder, 最大余数法): each source first gets its share of
the amount rounded down to the fen; the fen left over (never more than one
fewer than the number of sources) go one each to the sources whose exact
share lost the most in rounding down. Ties go to the larger share, then to
the source listed first. So the parts always add up to the whole amount, no
part differs from its exact share by a fen or more, and the same amount and
shares always give the same parts.

The same rule divides an agreement's total into its instalments.
"""

from decimal import ROUND_FLOOR, Decimal

FEN = Decimal("0.01")


def split_exact(amount: Decimal, shares: list[tuple[object, Decimal]]) -> dict[object, Decimal]:
    """``amount`` split by ``shares`` (keys with Decimal shares adding up to 1), exact to the fen."""
    if not shares:
        raise ValueError("at least one share is needed")
    if not isinstance(amount, Decimal) or not all(isinstance(share, Decimal) for _key, share in shares):
        raise TypeError("the amount and the shares must be Decimal (never float)")
    if any(share < 0 for _key, share in shares):
        raise ValueError("shares cannot be negative")
    if sum((share for _key, share in shares), Decimal(0)) != 1:
        raise ValueError("shares must add up to exactly 1")
    if not amount.is_finite() or amount != amount.quantize(FEN) or amount < 0:
        raise ValueError("the amount must be a non-negative number of fen")
    fen = int(amount / FEN)
    exact = [(key, fen * share) for key, share in shares]
    floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact}
    left = fen - sum(floors.values())
    order = sorted(range(len(shares)),
                   key=lambda i: (-(exact[i][1] - floors[exact[i][0]]), -shares[i][1], i))
    for i in order[:left]:
        floors[shares[i][0]] += 1
    return {key: Decimal(floors[key]) * FEN for key, _share in shares}
