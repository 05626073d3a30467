"""Money is never approved or disbursed beyond its limit when officers click at the same moment (PostgreSQL).

Each test starts real threads together on a ``threading.Barrier``; every thread has its own database
connection and closes it at the end. The read the services guard with a row lock (what is left of a
commitment, of an agreement) is slowed down on purpose, so that without the lock the threads would all
read it before any of them writes and the limit would be overrun every time, not now and then.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from jindianzi.accounts.models import Role
from jindianzi.agreements.models import Agreement
from jindianzi.agreements.workflow import Milestone
from jindianzi.core.audit import chain_verify
from jindianzi.funds import services
from jindianzi.funds.models import Disbursement, DisbursementShare
from jindianzi.funds.services import (
    approved_by_source, disbursed_of, disbursement_request, disbursement_share_approve,
)
from jindianzi.funds.workflow import DisbursementState

from ..factories import staff_user
from ..factories_funds import (
    approved_projects, cooperation_framework, reach_milestone, requested_disbursement, signed_agreement,
)

pytestmark = [
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="row locks (SELECT … FOR UPDATE) are what is tested; SQLite runs one writer at a "
                              "time and has none"),
    pytest.mark.django_db(transaction=True),
]

SLOW_READ = 0.05  # seconds added to each guarded read


def race(*calls):
    """Run every call in its own thread, all released at once; ``[("ok", result) | ("error", exception)]``."""
    barrier = threading.Barrier(len(calls), timeout=30)
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            with translation.override("en"):
                barrier.wait()
                outcomes[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected by the test
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def slowed(monkeypatch, name):
    """Make ``services.<name>`` (a read done under a row lock) take a little longer."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(SLOW_READ)
        return value

    monkeypatch.setattr(services, name, slow)


def errors_of(outcomes):
    return [value for kind, value in outcomes if kind == "error"]


def test_two_officers_of_one_source_approve_the_same_share_once(world, monkeypatch):
    agreement, people = signed_agreement(world, cost="10000.00")
    disbursement = requested_disbursement(agreement, people)
    share = disbursement.shares.get(source=people.foundation_source)
    colleague = staff_user(Role.FOUNDATION_OFFICER, organization=people.foundation)
    slowed(monkeypatch, "approved_by_source")

    outcomes = race(*(lambda officer=officer: disbursement_share_approve(actor=officer, share=share)
                      for officer in (people.foundation_officer, colleague)))

    assert sorted(kind for kind, _value in outcomes) == ["error", "ok"]
    [refusal] = errors_of(outcomes)
    assert isinstance(refusal, ValidationError)
    assert "already approved" in refusal.messages[0] and "not approved twice" in refusal.messages[0]
    assert approved_by_source(people.foundation_source) == Decimal("2400.00")
    assert DisbursementShare.objects.filter(pk=share.pk, approved_at__isnull=False).count() == 1
    assert chain_verify().intact


def test_concurrent_approvals_never_exceed_the_sources_commitment(world, monkeypatch):
    """Nine requests (three agreements of 10,000 yuan, every instalment); the foundation's shares (2,400 or
    1,800 yuan each, 18,000 in all) meet a commitment of 7,000 yuan, enough for only some of them."""
    framework = cooperation_framework(world.edition, world.district, commitments=("7000.00", "1000000.00"))
    shares = []
    for project in approved_projects(world, ("10000.00",) * 3):
        agreement, people = signed_agreement(world, project=project, framework=framework)
        for milestone in (Milestone.SIGNING, Milestone.MIDTERM, Milestone.FINAL):
            disbursement = requested_disbursement(agreement, people, milestone)
            shares.append(disbursement.shares.get(source=framework.foundation_source))
    assert sum(s.amount for s in shares) == Decimal("18000.00")
    slowed(monkeypatch, "approved_by_source")

    outcomes = race(*(lambda share=share: disbursement_share_approve(actor=framework.foundation_officer,
                                                                     share=share) for share in shares))

    approved = [share for share, (kind, _v) in zip(shares, outcomes) if kind == "ok"]
    refused = [share for share, (kind, _v) in zip(shares, outcomes) if kind == "error"]
    total = approved_by_source(framework.foundation_source)
    assert total == sum((s.amount for s in approved), Decimal("0.00")) <= Decimal("7000.00")
    assert len(approved) >= 3 and refused
    assert all(isinstance(e, ValidationError) and "commitment left" in e.messages[0] for e in errors_of(outcomes))
    # Nothing refused would have fitted in what is left: the refusals were needed, not a lost race.
    assert all(share.amount > Decimal("7000.00") - total for share in refused)
    assert chain_verify().intact


def test_concurrent_requests_never_exceed_what_is_left_of_the_agreement(world, monkeypatch):
    """Every milestone reached, the three instalments (4,000 / 3,000 / 3,000) asked for at once under an agreement
    whose total a back-office correction lowered to 6,000 yuan: only what fits gets through."""
    agreement, people = signed_agreement(world, cost="10000.00")
    instalments = [reach_milestone(agreement, people, m) for m in (Milestone.SIGNING, Milestone.MIDTERM,
                                                                   Milestone.FINAL)]
    Agreement.objects.filter(pk=agreement.pk).update(total=Decimal("6000.00"))
    slowed(monkeypatch, "disbursed_of")

    outcomes = race(*(lambda instalment=instalment: disbursement_request(actor=people.org_staff,
                                                                         instalment=instalment)
                      for instalment in instalments))

    live = Disbursement.objects.filter(agreement=agreement, state=DisbursementState.REQUESTED)
    assert disbursed_of(agreement) == sum((d.amount for d in live), Decimal("0.00")) <= Decimal("6000.00")
    assert 1 <= live.count() <= 2 and errors_of(outcomes)
    assert all(isinstance(e, ValidationError) and "of the agreement's 6,000.00 yuan are left" in e.messages[0]
               for e in errors_of(outcomes))
    assert chain_verify().intact


def test_concurrent_requests_within_the_agreement_all_get_through(world, monkeypatch):
    agreement, people = signed_agreement(world, cost="10000.00")
    instalments = [reach_milestone(agreement, people, m) for m in (Milestone.SIGNING, Milestone.MIDTERM,
                                                                   Milestone.FINAL)]
    slowed(monkeypatch, "disbursed_of")

    outcomes = race(*(lambda instalment=instalment: disbursement_request(actor=people.org_staff,
                                                                         instalment=instalment)
                      for instalment in instalments))

    assert [kind for kind, _value in outcomes] == ["ok"] * 3
    assert disbursed_of(agreement) == agreement.total == Decimal("10000.00")
    assert chain_verify().intact


def test_both_sources_approving_at_once_leave_the_disbursement_approved(world):
    agreement, people = signed_agreement(world, cost="10000.00")
    disbursement = requested_disbursement(agreement, people)

    race(*(lambda share=share: disbursement_share_approve(actor=people.officer_of(share.source_id), share=share)
           for share in disbursement.shares.all()))

    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.APPROVED
    assert disbursement.shares.filter(approved_at__isnull=True).count() == 0
    assert chain_verify().intact
