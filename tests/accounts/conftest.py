import pytest

from jindianzi.accounts.verification import OutboxSender


@pytest.fixture
def outbox():
    """Codes the test sender 'sent', as (address, code), emptied for each test."""
    OutboxSender.outbox.clear()
    yield OutboxSender.outbox
    OutboxSender.outbox.clear()
