"""How personal data is shown to people who do not need it whole."""

import re

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(raw: str) -> str:
    """Mainland mobile number without spaces, dashes or a +86 prefix."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def is_mobile_number(value: str) -> bool:
    return bool(PHONE_RE.match(value))


def mask_phone(value: str) -> str:
    """138****5678: enough to recognise, not enough to call."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
