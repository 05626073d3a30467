"""Plays the chair's decisions in a closed review round: approve, approve with conditions, or reject, with reasons.

The chair follows the ranking within the street's budget. Approved projects
that scored poorly on one criterion are approved on conditions that answer it
(附条件立项); a rejected project's reason names what it scored lowest on, or the
approved project of the street it duplicates. Where asked, the chair departs
from the ranking once, in writing: a project within the budget that scored
very low on one criterion is not approved, and the money it frees approves
the best-ranked project below the line that it pays for, so the number of
approvals stays the same.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from jindianzi.areas.models import AreaKind
from jindianzi.ideas.similarity import engine
from jindianzi.reviews.services import decision_record
from jindianzi.reviews.workflow import Outcome

from .corpus.review import (
    ADVICE, APPROVALS, BELOW_THE_LINE, CONDITIONAL_APPROVAL, CONDITIONS, DUPLICATE, OVERRIDE_APPROVE,
    OVERRIDE_APPROVE_REASON, OVERRIDE_REJECT, REJECTIONS,
)
from .timing import CHIFENG

# (reviewer pk, project pk) -> the reviewer's points per criterion code, or None where a conflict excludes them.
Sheets = dict[tuple[int, int], dict[str, int] | None]
CONDITIONAL_SHARE = 0.06  # of a street's approvals, those weakest on one criterion
MINUTES_PER_DECISION = 4
# How alike (Jaccard index of the similarity engine's features) a rejected project must be to an approved one
# for the chair to call it a duplicate.
DUPLICATE_SIMILARITY = 0.4
AREA_WORDS = {AreaKind.STREET: "街道", AreaKind.TOWN: "镇"}


def criterion_means(project_pk: int, panel, sheets: Sheets, criteria) -> dict[str, Decimal]:
    given = [points for user in panel if (points := sheets.get((user.pk, project_pk)))]
    return {c.code: (Decimal(sum(p[c.code] for p in given)) / len(given)).quantize(Decimal("0.1"))
            for c in criteria}


def _quoted(title: str) -> str:
    # The reasons put a title in quotation marks; quotation marks inside it become single ones.
    return title.replace("“", "‘").replace("”", "’")


def _weakest(means: dict[str, Decimal]) -> str:
    return min(means, key=means.get)  # the first of equals, in the rubric's order


def _swap(within: list, below: list, cap: Decimal, means: dict) -> tuple | None:
    """A project in the lower half within the budget that is very weak on one criterion, and the best-ranked
    project below the line that the money it frees pays for."""
    if len(within) < 2:
        return None
    slack = cap - sum((row.cost for row in within), Decimal("0"))
    lower = sorted(within[len(within) // 2:], key=lambda row: min(means[row.project.pk].values()))
    for weak in lower:
        for row in below:
            if row.score is not None and row.cost <= slack + weak.cost:
                return weak, row
    return None


def _twin(project, approved: list):
    """The approved project of the same category most like ``project``, if it is alike enough to duplicate it."""
    def text(p):
        return engine.hashed(engine.features(engine.idea_text(p.title, p.summary, p.objectives, p.target_groups)))

    own = text(project)
    alike = [(engine.jaccard(own, text(row.project)), row.project) for row in approved
             if row.project.category_id == project.category_id]
    similarity, twin = max(alike, key=lambda pair: pair[0], default=(0.0, None))
    return twin if similarity >= DUPLICATE_SIMILARITY else None


def decide(rng: random.Random, *, review_round, chair, ranking: list, sheets: Sheets, criteria, panel,
           override: bool, decided_on: date) -> int:
    """Record the chair's decision on every project of the round.

    Returns 1 when the chair departed from the ranking (one project within the budget rejected and one below
    the line approved instead), otherwise 0.
    """
    names = {c.code: c.name_zh for c in criteria}
    area = AREA_WORDS[review_round.street.kind]
    means = {row.project.pk: criterion_means(row.project.pk, panel, sheets, criteria) for row in ranking}
    within = [row for row in ranking if row.within_cap]
    below = [row for row in ranking if not row.within_cap]
    swap = _swap(within, below, review_round.budget_cap, means) if override else None
    approved = [row for row in within if not swap or row is not swap[0]] + ([swap[1]] if swap else [])
    by_weakness = sorted((row for row in approved if not swap or row is not swap[1]),
                         key=lambda row: (min(means[row.project.pk].values()), row.rank))
    conditional = {row.project.pk for row in by_weakness[:round(len(approved) * CONDITIONAL_SHARE)]}
    approved_pks = {row.project.pk for row in approved}
    moment = datetime.combine(decided_on, time(9), tzinfo=CHIFENG)
    for row in ranking:
        project, project_means = row.project, means[row.project.pk]
        weakest = _weakest(project_means)
        facts = {"score": row.score, "rank": row.rank, "cost": f"{row.cost:,.0f}", "area": area,
                 "criterion": names[weakest], "mean": project_means[weakest]}
        values = {"outcome": Outcome.APPROVE}
        if swap and row is swap[0]:
            values = {"outcome": Outcome.REJECT, "reason": rng.choice(REJECTIONS[weakest]),
                      "override_reason": OVERRIDE_REJECT.format(**facts)}
        elif swap and row is swap[1]:
            strongest = max(project_means, key=project_means.get)
            values["reason"] = OVERRIDE_APPROVE_REASON.format(**facts)
            values["override_reason"] = OVERRIDE_APPROVE.format(
                title=_quoted(swap[0].project.title), criterion=names[strongest], mean=project_means[strongest])
        elif project.pk in conditional:
            values.update(outcome=Outcome.APPROVE_WITH_CONDITIONS, reason=CONDITIONAL_APPROVAL.format(**facts),
                          conditions=CONDITIONS[weakest].format(area=area))
        elif project.pk in approved_pks:
            values["reason"] = rng.choice(APPROVALS).format(**facts)
        else:
            twin = _twin(project, approved)
            why = DUPLICATE.format(title=_quoted(twin.title), area=area) if twin else rng.choice(REJECTIONS[weakest])
            values = {"outcome": Outcome.REJECT,
                      "reason": rng.choice(BELOW_THE_LINE).format(**facts) + why + rng.choice(ADVICE)}
        decision_record(actor=chair, review_round=review_round, project=project, at=moment, **values)
        moment += timedelta(minutes=MINUTES_PER_DECISION)
    return 1 if swap else 0
