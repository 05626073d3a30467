"""The idea's states and named transitions, declared in one place.

Each state has a label for staff and a plainer one for the public. Each
transition names the states it leaves from, the state it leads to and the
permission (in ``ideas/rules.py``) that decides who may fire it. The service
functions in ``services.py`` are the only code that changes an idea's state.
Later stages (screening, merging) add their states and transitions here.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PUBLIC_LABELS = {
    IdeaState.SUBMITTED: _("Received, waiting to be looked at"),
    IdeaState.WITHDRAWN: _("Withdrawn by the proposer"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    label: str


SUBMIT = Transition(
    name="submit", sources=("",), target=IdeaState.SUBMITTED,
    permission="ideas.submit_idea", label=_("Submitted"),
)
WITHDRAW = Transition(
    name="withdraw", sources=(IdeaState.SUBMITTED,), target=IdeaState.WITHDRAWN,
    permission="ideas.withdraw_idea", label=_("Withdrawn"),
)

TRANSITIONS = {t.name: t for t in (SUBMIT, WITHDRAW)}
# States that count as "collected" in the report: everything but a withdrawal.
COLLECTED_STATES = [s for s in IdeaState.values if s != IdeaState.WITHDRAWN]


def public_label(state: str) -> str:
    return PUBLIC_LABELS.get(state, IdeaState(state).label)
