"""The disbursement's and the expense's states and named transitions, declared in one place.

Disbursement (拨付), one instalment of one agreement::

    ──request──▶ requested ──approve (each source its share; the last one)──▶ approved ──pay (each share)──▶ paid
                    └──return (with a reason)──▶ returned

Each funding source's officer approves and pays only that source's share; the
disbursement moves on when every share has. Expense (支出)::

    ──report──▶ reported ──approve──▶ approved
                   └──return (with a reason)──▶ returned    (the spending is then reported anew)
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisbursementState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("disbursement", "Requested")
    APPROVED = "approved", pgettext_lazy("disbursement", "Approved by every source")
    PAID = "paid", pgettext_lazy("disbursement", "Paid")
    RETURNED = "returned", pgettext_lazy("disbursement", "Returned")


# A disbursement that holds part of the agreement's money (a returned one gives it back).
LIVE_DISBURSEMENT_STATES = (DisbursementState.REQUESTED, DisbursementState.APPROVED, DisbursementState.PAID)


class ExpenseState(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("expense", "Reported")
    APPROVED = "approved", pgettext_lazy("expense", "Approved")
    RETURNED = "returned", pgettext_lazy("expense", "Returned")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str


REQUEST = Transition("request", ("",), DisbursementState.REQUESTED)
APPROVE = Transition("approve", (DisbursementState.REQUESTED,), DisbursementState.APPROVED)
PAY = Transition("pay", (DisbursementState.APPROVED,), DisbursementState.PAID)
RETURN = Transition("return", (DisbursementState.REQUESTED,), DisbursementState.RETURNED)

# A returned expense stays returned, with its reason; the organisation reports the spending anew.
REPORT_EXPENSE = Transition("report", ("",), ExpenseState.REPORTED)
APPROVE_EXPENSE = Transition("approve", (ExpenseState.REPORTED,), ExpenseState.APPROVED)
RETURN_EXPENSE = Transition("return", (ExpenseState.REPORTED,), ExpenseState.RETURNED)
