"""Field-level encryption for personal data (phone and ID numbers).

The value is stored as a Fernet token, so a database dump alone does not give
the numbers away. Lookups by value (log in with a phone number) go through a
keyed digest stored beside it, see :func:`digest`.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


def _key_material() -> bytes:
    return (settings.JINDIANZI_FIELD_KEY or settings.SECRET_KEY).encode()


def _fernet() -> Fernet:
    derived = hashlib.sha256(b"jindianzi-field-encryption:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def digest(value: str) -> str:
    """A keyed, stable digest of a normalised value, for equality lookups."""
    return hmac.new(_key_material(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores text encrypted; reads back the clear value. Empty stays empty."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            # A changed key must not break every page: show nothing rather than a token.
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return _fernet().encrypt(value.encode()).decode()
