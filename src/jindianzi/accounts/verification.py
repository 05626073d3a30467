"""Sending verification codes, behind one small interface.

Production plugs in an SMS gateway or the e-mail sender by naming a class in
``JINDIANZI_VERIFICATION_SENDER``; the default prints codes on the console, so
a laptop demo needs no gateway.
"""

import logging
import sys

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class Sender:
    def send(self, *, address: str, code: str) -> None:
        raise NotImplementedError


class ConsoleSender(Sender):
    """Prints the code where the operator can read it; e-mail addresses also get a mail."""

    def send(self, *, address: str, code: str) -> None:
        print(f"[jindianzi] verification code for {address}: {code}", file=sys.stderr, flush=True)
        if "@" in address:
            EmailSender().send(address=address, code=code)


class EmailSender(Sender):
    def send(self, *, address: str, code: str) -> None:
        send_mail(
            _("Your Jindianzi verification code"),
            _("Your verification code is %(code)s. It is valid for 15 minutes.") % {"code": code},
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )


class OutboxSender(Sender):
    """Keeps codes in memory, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, address: str, code: str) -> None:
        self.outbox.append((address, code))


def get_sender() -> Sender:
    return import_string(settings.JINDIANZI_VERIFICATION_SENDER)()
