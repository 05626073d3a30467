import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jindianzi.accounts.services import admin_ensure


class Command(BaseCommand):
    help = ("Create or update the back-office administrator from JINDIANZI_ADMIN_LOGIN (mobile number or "
            "e-mail) and JINDIANZI_ADMIN_PASSWORD. Running it again only resets the password.")

    def handle(self, *args, **options):
        login = os.environ.get("JINDIANZI_ADMIN_LOGIN", "")
        password = os.environ.get("JINDIANZI_ADMIN_PASSWORD", "")
        if not login or not password:
            raise CommandError("Set JINDIANZI_ADMIN_LOGIN and JINDIANZI_ADMIN_PASSWORD.")
        try:
            user, created = admin_ensure(login=login, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{'created' if created else 'updated'} administrator {login}")
