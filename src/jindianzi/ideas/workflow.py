"""The idea's states and named transitions, declared in one place.

Each state has a label for staff and a plainer one for the public. Each
transition names the states it leaves from, the state it leads to and the
permission (in ``ideas/rules.py``) that decides who may fire it. The service
functions in ``services.py`` are the only code that changes an idea's state.

    submitted ──shortlist──▶ shortlisted ──merge──▶ merged
        │  ▲                     │  ▲                  │
        │  └──resubmit──┐        │  └─────unmerge──────┘
        ├─request_improvement─▶ improvement_requested
        ├─decline─▶ declined     (also from improvement_requested and shortlisted)
        └─withdraw─▶ withdrawn   (also from improvement_requested and shortlisted)
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IMPROVEMENT_REQUESTED = "improvement_requested", _("Improvement requested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into a project")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PUBLIC_LABELS = {
    IdeaState.SUBMITTED: _("Received, waiting to be looked at"),
    IdeaState.IMPROVEMENT_REQUESTED: _("The community asked the proposer to add details"),
    IdeaState.SHORTLISTED: _("Selected for further work"),
    IdeaState.DECLINED: _("Not taken forward"),
    IdeaState.MERGED: _("Part of a project"),
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
OPEN_STATES = (IdeaState.SUBMITTED, IdeaState.IMPROVEMENT_REQUESTED, IdeaState.SHORTLISTED)

WITHDRAW = Transition(
    name="withdraw", sources=OPEN_STATES, target=IdeaState.WITHDRAWN,
    permission="ideas.withdraw_idea", label=_("Withdrawn"),
)
SHORTLIST = Transition(
    name="shortlist", sources=(IdeaState.SUBMITTED, IdeaState.IMPROVEMENT_REQUESTED), target=IdeaState.SHORTLISTED,
    permission="ideas.screen_idea", label=_("Shortlisted"),
)
DECLINE = Transition(
    name="decline", sources=OPEN_STATES, target=IdeaState.DECLINED,
    permission="ideas.screen_idea", label=_("Declined"),
)
REQUEST_IMPROVEMENT = Transition(
    name="request_improvement", sources=(IdeaState.SUBMITTED, IdeaState.SHORTLISTED),
    target=IdeaState.IMPROVEMENT_REQUESTED, permission="ideas.screen_idea", label=_("Improvement requested"),
)
# The proposer's revision answers a request for improvement and puts the idea back in the queue.
RESUBMIT = Transition(
    name="resubmit", sources=(IdeaState.IMPROVEMENT_REQUESTED,), target=IdeaState.SUBMITTED,
    permission="ideas.revise_idea", label=_("Improved and resubmitted"),
)
MERGE = Transition(
    name="merge", sources=(IdeaState.SHORTLISTED,), target=IdeaState.MERGED,
    permission="ideas.merge_idea", label=_("Merged into a project"),
)
UNMERGE = Transition(
    name="unmerge", sources=(IdeaState.MERGED,), target=IdeaState.SHORTLISTED,
    permission="ideas.merge_idea", label=_("Taken out of the project"),
)

TRANSITIONS = {t.name: t for t in (SUBMIT, WITHDRAW, SHORTLIST, DECLINE, REQUEST_IMPROVEMENT, RESUBMIT, MERGE, UNMERGE)}
# Screening decisions staff take from the workbench, by name.
SCREENING_DECISIONS = {t.name: t for t in (SHORTLIST, DECLINE, REQUEST_IMPROVEMENT)}
# States that count as "collected" in the report: everything but a withdrawal.
COLLECTED_STATES = [s for s in IdeaState.values if s != IdeaState.WITHDRAWN]
# "Researched, shortlisted and improved" (调研优选和完善提升) in the report: shortlisted, whether merged yet or not.
SELECTED_STATES = [IdeaState.SHORTLISTED, IdeaState.MERGED]
# A revision (完善提升) is possible while the idea is still being worked on.
REVISABLE_STATES = OPEN_STATES


def public_label(state: str) -> str:
    return PUBLIC_LABELS.get(state, IdeaState(state).label)
