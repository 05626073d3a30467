"""Plays the project plans: the implementing organisation writes the plan, the street officer submits it.

The plan follows from the project's ideas: its target groups are what the
ideas said about who benefits, its budget starts from their estimates, its
items from what the topic's money buys. Integration trims budgets rather than
adding them up (merging is to make projects better, not bigger), so a project
plans a few thousand yuan, like the seed's projects, which were paid
686,404.16 yuan for 185 projects. Activities run through the edition's
implementation phase, a few times a week for most projects, about 45-50 each
on average (the seed's 185 projects held 9,175).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from jindianzi.editions.models import PhaseKind
from jindianzi.projects.services import PlanDraft, budget_limit, project_plan_update, project_submit

from .accounts import OrganizationStaff
from .corpus.plans import (
    CATEGORY_ITEMS, GENERAL_ITEMS, INSURANCE, INSURANCE_ITEM, INSURANCE_PREMIUM, OBJECTIVES, SCHEDULE,
)
from .improvement import COUNTED
from .integration import MergedProject
from .writer import fill

TARGET_GROUPS_LIMIT = 500
# What a merged project keeps of its ideas' estimates: all of the largest, part of the others,
# then trimmed when the plan is costed.
OTHER_IDEAS_SHARE, TRIMMED = Decimal("0.35"), (60, 85)  # trimmed to 60-85 per cent
MIN_BUDGET, TEN_YUAN = Decimal("800"), Decimal("1E1")
MIN_LINES, MAX_LINES = 3, 6
START_SLACK, END_SLACK = 20, 20  # days after the phase starts, and before it ends


@dataclass(frozen=True)
class Rhythm:
    text: str            # 每周两次
    per_week: float      # activities per week
    attendance: tuple[int, int]  # people per activity


RHYTHMS = (
    (Rhythm("每周开展一次活动", 1, (15, 40)), 6),
    (Rhythm("每周开展两次活动", 2, (12, 35)), 30),
    (Rhythm("每周开展三次活动", 3, (10, 30)), 32),
    (Rhythm("每个工作日提供服务", 5, (8, 25)), 22),
    (Rhythm("每月开展两次活动", 0.5, (30, 80)), 10),
)
EXTRA_EVENTS, EXTRA_PER_MERGED_IDEA = (3, 8), (1, 3)
EVENT_ATTENDANCE = (50, 150)


def _plain(beneficiaries: str) -> str:
    # A plan names its target groups without the proposer's remark on how they were counted.
    return beneficiaries.replace(COUNTED, "")


def _phase_dates(edition) -> tuple[date, date]:
    phase = edition.phases.get(kind=PhaseKind.IMPLEMENTATION)
    return phase.starts_on, phase.ends_on


def _chinese_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _percent(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


def _budget_total(rng: random.Random, item: MergedProject, limit: Decimal | None) -> Decimal:
    estimates = sorted((idea.estimated_budget for idea in item.ideas), reverse=True)
    kept = estimates[0] + OTHER_IDEAS_SHARE * sum(estimates[1:], Decimal("0"))
    total = max((kept * _percent(rng, *TRIMMED)).quantize(TEN_YUAN), MIN_BUDGET).quantize(Decimal("0.01"))
    return min(total, limit) if limit is not None else total


def budget_lines(rng: random.Random, item: MergedProject, total: Decimal, volunteers: int) -> list[tuple[str, Decimal]]:
    """Three to six lines adding up to ``total`` exactly: what the ideas' money buys first, then the usual items."""
    code = item.ideas[0].category.code
    main = rng.sample(item.topic.spending, min(len(item.topic.spending), rng.choice((1, 2, 2))))
    insurance = (Decimal(volunteers) * Decimal(INSURANCE_PREMIUM)).quantize(Decimal("0.01"))
    # Volunteers are insured unless the budget is too small or the ideas' own items already insure them.
    insured = insurance < total / 5 and not any(INSURANCE in name for name in main)
    lines = [(INSURANCE_ITEM, insurance)] if insured else []
    usual = [name for name in (*GENERAL_ITEMS, *CATEGORY_ITEMS[code]) if name not in main]
    fixed = len(main) + len(lines)
    others = rng.sample(usual, rng.randint(max(1, MIN_LINES - fixed), MAX_LINES - fixed))
    rest = total - sum((amount for _name, amount in lines), Decimal("0"))
    weights = [rng.randint(200, 400) for _ in main] + [rng.randint(50, 150) for _ in others]
    amounts = [(rest * weight / sum(weights)) // 10 * 10 for weight in weights]  # whole tens of yuan
    amounts[0] += rest - sum(amounts)  # the main item takes what rounding to ten yuan left over
    named = [(name, amount) for name, amount in zip([*main, *others], amounts) if amount > 0]
    return named + lines


def plan_for(rng: random.Random, item: MergedProject, *, phase: tuple[date, date]) -> PlanDraft:
    project, lead = item.project, item.ideas[0]
    starts_on = phase[0] + timedelta(days=rng.randint(0, START_SLACK))
    ends_on = phase[1] - timedelta(days=rng.randint(0, END_SLACK))
    rhythm = rng.choices([r for r, _w in RHYTHMS], weights=[w for _r, w in RHYTHMS])[0]
    weeks = (ends_on - starts_on).days / 7
    regular = max(1, round(weeks * rhythm.per_week))
    extra = rng.randint(*EXTRA_EVENTS) + sum(rng.randint(*EXTRA_PER_MERGED_IDEA) for _ in item.ideas[1:])
    activities = regular + extra
    beneficiaries = (sum(rng.randint(*rhythm.attendance) for _ in range(regular))
                     + sum(rng.randint(*EVENT_ATTENDANCE) for _ in range(extra)))
    names = {"action": item.topic.actions[0].removeprefix("在社区"), "target": _plain(lead.beneficiaries),
             "activities": str(activities)}
    objectives = fill(rng.choice(OBJECTIVES[lead.category.code]), rng, names) + SCHEDULE.format(
        starts=_chinese_date(starts_on), ends=_chinese_date(ends_on), pattern=rhythm.text, extra=extra,
        activities=activities)
    targets = list(dict.fromkeys(_plain(idea.beneficiaries) for idea in item.ideas))
    target_groups = "；".join(targets)[:TARGET_GROUPS_LIMIT]
    total = _budget_total(rng, item, budget_limit(project, len(item.ideas)))
    volunteers = rng.randint(6, 30)
    return PlanDraft(
        title=project.title, category=project.category, summary=project.summary, objectives=objectives,
        target_groups=target_groups, expected_beneficiaries=beneficiaries, planned_activities=activities,
        starts_on=starts_on, ends_on=ends_on, budget_lines=budget_lines(rng, item, total, volunteers),
    )


def plan_and_submit(rng: random.Random, *, edition, merged: list[MergedProject], officers: dict[int, object],
                    staff: OrganizationStaff) -> None:
    """The implementing organisation's staff write each plan; the street officer submits it to the review."""
    phase = _phase_dates(edition)
    for item in merged:
        project = item.project
        project.refresh_from_db(fields=["organization"])
        project_plan_update(actor=staff.of(project.organization), project=project,
                            plan=plan_for(rng, item, phase=phase))
        project_submit(actor=officers[project.street_id], project=project)
