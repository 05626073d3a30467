"""The review round's states and named transitions, declared in one place.

A street holds one round per edition (立项评审)::

    ──create──▶ setup (准备中) ──open_scoring──▶ scoring (评分中) ──close_scoring──▶ closed (评分结束)
                  ▲ panel, rubric, assignments      │ reviewers score blind        │ chair decides
                  │                                 └──reopen_scoring◀─────────────┤
                  │                                                                └──publish──▶ published

Reviewers see only their own scores until scoring closes; from ``closed`` on
the whole panel sees every score. Decisions are taken in ``closed`` and become
public, and move the projects on, with ``publish``.

The optional resident vote has its own small machine beside it::

    off ──configure──▶ ready ──open_vote──▶ open ──close_vote──▶ counted

The allocation rule, the limit on a ballot and the vote's weight are fixed when
the vote opens; the result is counted once, when it closes.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoundState(models.TextChoices):
    SETUP = "setup", _("Being prepared")
    SCORING = "scoring", _("Reviewers are scoring")
    CLOSED = "closed", _("Scoring closed: the chair decides")
    PUBLISHED = "published", _("Results published")


PUBLIC_LABELS = {
    RoundState.SETUP: _("The street is preparing its review"),
    RoundState.SCORING: _("The review panel is reading and scoring the projects"),
    RoundState.CLOSED: _("The panel has scored; the decisions will be published soon"),
    RoundState.PUBLISHED: _("The results are published"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str


OPEN_SCORING = Transition("open_scoring", (RoundState.SETUP, RoundState.CLOSED), RoundState.SCORING,
                          _("Scoring opened"))
CLOSE_SCORING = Transition("close_scoring", (RoundState.SCORING,), RoundState.CLOSED, _("Scoring closed"))
PUBLISH = Transition("publish", (RoundState.CLOSED,), RoundState.PUBLISHED, _("Results published"))
ROUND_TRANSITIONS = {t.name: t for t in (OPEN_SCORING, CLOSE_SCORING, PUBLISH)}
# A round whose panel, rubric and assignments can still change.
EDITABLE_STATES = (RoundState.SETUP, RoundState.SCORING)


class VoteState(models.TextChoices):
    OFF = "off", pgettext_lazy("resident vote", "No resident vote")
    READY = "ready", pgettext_lazy("resident vote", "Prepared, not open yet")
    OPEN = "open", pgettext_lazy("resident vote", "Open for ballots")
    COUNTED = "counted", pgettext_lazy("resident vote", "Closed and counted")


class VoteRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first (greedy)")
    EQUAL_SHARES = "equal_shares", _("Method of Equal Shares, with completion")


class VoteUse(models.TextChoices):
    ADVISORY = "advisory", _("Advisory: shown to the panel beside its scores")
    WEIGHTED = "weighted", _("One input with a weight beside the panel score")


class BallotLimit(models.TextChoices):
    COUNT = "count", _("At most this many projects per ballot")
    COST = "cost", _("At most this total cost (yuan) per ballot")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the reviewers' scores")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (the highest and the lowest score left out)")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", _("Approve with conditions")
    REJECT = "reject", _("Reject")


APPROVING_OUTCOMES = (Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS)


class PanelRole(models.TextChoices):
    OFFICER = "officer", _("Street officer")
    EXPERT = "expert", _("Expert reviewer")
    RESIDENT = "resident", _("Resident representative")


class Conflict(models.TextChoices):
    NONE = "", _("No conflict")
    DECLARED = "declared", _("Declared by the reviewer")
    IMPLEMENTER = "implementer", _("Works for the implementing organisation")
    PROPOSER = "proposer", _("Proposed one of the project's ideas")


class VerificationMethod(models.TextChoices):
    WORKER = "worker", _("Verified by a community worker")
    CENSUS = "census", _("Found in the census list")
