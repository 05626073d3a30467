import pytest

from jindianzi.accounts.verification import OutboxSender


@pytest.fixture
def outbox():
    """Codes the test sender 'sent', as (address, code), emptied for each test."""
    OutboxSender.outbox.clear()
    yield OutboxSender.outbox
    OutboxSender.outbox.clear()


@pytest.fixture
def a_minute_passes():
    """Age every pending code by a minute, as if the resident waited before asking again."""
    from datetime import timedelta

    from django.db.models import F

    from jindianzi.accounts.models import VerificationCode
    from jindianzi.accounts.services import RESEND_INTERVAL

    def wait():
        VerificationCode.objects.update(expires_at=F("expires_at") - RESEND_INTERVAL - timedelta(seconds=1))

    return wait
