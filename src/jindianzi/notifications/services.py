"""Telling people what happened: in the app at once, by e-mail only after the change is committed."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, users, subject: str, body: str = "", url: str = "") -> list[Notification]:
    """Record a notification for each user; e-mail those with an address once the transaction commits.

    Called inside the service's transaction: if the change rolls back, so do
    the notifications, and no e-mail about a change that never happened goes out.
    """
    recipients = {user.pk: user for user in users if user is not None}.values()
    notes = Notification.objects.bulk_create([
        Notification(user=user, subject=subject[:200], body=body, url=url) for user in recipients
    ])
    # A mail client cannot follow "/ideas/JD…/": e-mails carry the site's full address.
    link = f"{settings.JINDIANZI_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url
    mails = [(subject, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
             for user in recipients if user.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notes


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
