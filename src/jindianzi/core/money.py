"""Money is Decimal yuan with two places: never float, sums exact to the fen."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
MAX_DIGITS = 14


def yuan(value) -> Decimal:
    """Parse a user's or a file's amount into Decimal yuan, two places.

    Accepts "1,200.5", "1200元", "￥1200". Raises ValueError on anything else,
    including floats, whose binary value is not the amount the person meant.
    """
    if isinstance(value, float):
        raise ValueError("float amounts are not accepted; pass str or Decimal")
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        text = text.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def money_field_kwargs() -> dict:
    return {"max_digits": MAX_DIGITS, "decimal_places": 2}
