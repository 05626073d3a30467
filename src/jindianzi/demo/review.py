"""Plays the approval phase (立项): every street's review round, and a resident vote in one street.

Each street or town with submitted projects holds its round through the
reviews services, chaired by its street officer (the printed one for 西屯街道):
a panel of the chair, two of the district's expert reviewers and a resident
representative of the street scores every project on the rubric, the chair
decides and publishes. The article reports 190 projects approved; the
approvals are shared among the streets in proportion to the projects they
received (largest remainders), and each street's budget is the cost of the
projects its ranking puts first, rounded up to a round sum that still leaves
no room for the next one. So the ranking within the budget approves exactly
the street's share; two chairs depart from it in writing, and a few
approvals come with conditions. The street of the printed resident also holds
a resident vote (``demo.vote``), which counts for 30 % of the score.

Panel scores come from each project's drawn quality and its strengths per
criterion (``demo.panels``), so the rankings are plausible and rejections give
the criterion a project scored lowest on (``demo.decisions``).

``round_create`` and ``panel_add`` take no date, so a round's creation and its
panel carry the time of the build; every other step is dated in the edition's
approval phase (votes in its first two weeks, decisions and publication in the
third and fourth).
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from jindianzi.accounts.models import Role, User
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.projects.workflow import ProjectState
from jindianzi.reviews.models import Assignment, ReviewRound
from jindianzi.reviews.ranking import round_ranking
from jindianzi.reviews.services import (
    assignments_make, conflict_declare, panel_add, round_close_scoring, round_create, round_open_scoring,
    round_publish, rubric_ensure, scores_submit,
)
from jindianzi.reviews.workflow import PanelRole

from .accounts import DEMO_COMMUNITY, ResidentPool
from .corpus.review import DECLARED_CONFLICT
from .decisions import decide
from .panels import (
    LENIENCY, Merit, StreetReview, comment_for, experts_build, officer_of, projected_order, resident_representative,
    sheets_draw,
)
from .places import DemoDistrict
from .timing import CHIFENG
from .vote import resident_vote_close, resident_vote_hold

APPROVED = 190           # projects approved by the street reviews, the article's figure
EXPERTS_PER_PANEL = 2
OVERRIDES = 2            # rounds whose chair departs from the ranking in writing
CAP_UNITS = (Decimal(10000), Decimal(5000), Decimal(1000), Decimal(500), Decimal(100), Decimal(10))


@dataclass
class Schedule:
    """The days of the approval phase on which each step happens."""

    starts_on: date

    def day(self, offset: int) -> date:
        return self.starts_on + timedelta(days=offset)

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=CHIFENG)

    def office(self, rng: random.Random, first: int, last: int) -> datetime:
        """A moment of office hours on a day from ``first`` to ``last`` days into the phase."""
        day = self.day(rng.randint(first, last))
        return self.at(day, 8, 30) + timedelta(seconds=rng.randrange(9 * 3600))


def apportion(total: int, sizes: dict) -> dict:
    """``total`` shared in proportion to ``sizes`` (largest remainders; ties to the larger, then the first)."""
    whole = sum(sizes.values())
    if not whole:
        return dict.fromkeys(sizes, 0)
    exact = {key: Fraction(total * size, whole) for key, size in sizes.items()}
    shares = {key: math.floor(value) for key, value in exact.items()}
    order = sorted(sizes, key=lambda key: (exact[key] - shares[key], sizes[key]), reverse=True)
    for key in order[:total - sum(shares.values())]:
        shares[key] += 1
    return shares


def cap_for(costs_in_rank_order: list[Decimal], approved: int) -> Decimal:
    """A round sum that holds the first ``approved`` projects and leaves no room for any of the others."""
    chosen = sum(costs_in_rank_order[:approved], Decimal("0.00"))
    rest = costs_in_rank_order[approved:]
    for unit in CAP_UNITS:
        cap = (chosen / unit).to_integral_value(rounding=ROUND_CEILING) * unit
        if not rest or cap - chosen < min(rest):
            return cap.quantize(Decimal("0.01"))
    return chosen


def _hold_round(rng: random.Random, item: StreetReview, *, edition: Edition, cap: Decimal, schedule: Schedule,
                index: int) -> ReviewRound:
    """Create the round, seat the panel, assign every project and collect the scores."""
    chair = item.chair
    review_round = round_create(actor=chair, edition=edition, street=item.street, budget_cap=cap,
                                scoring_ends_on=schedule.day(15))
    for user, role in item.panel:
        if user != chair:
            panel_add(actor=chair, review_round=review_round, user=user, role=role)
    assignments_make(actor=chair, review_round=review_round)
    assignments = {(a.reviewer_id, a.project_id): a for a in Assignment.objects.filter(round=review_round)}
    if item.declared is not None:
        reviewer, project = item.declared
        conflict_declare(actor=reviewer, assignment=assignments[reviewer.pk, project.pk], note=DECLARED_CONFLICT)
    opens = 4 + index % 3
    round_open_scoring(actor=chair, review_round=review_round, at=schedule.at(schedule.day(opens), 9))
    for reviewer, _role in item.panel:
        for project in item.projects:
            points = item.sheets[reviewer.pk, project.pk]
            if points is not None:
                scores_submit(actor=reviewer, assignment=assignments[reviewer.pk, project.pk], points=points,
                              comment=comment_for(rng, points), at=schedule.office(rng, opens, opens + 8))
    return review_round


def review(rng: random.Random, *, edition: Edition, scale: float, places: DemoDistrict, organiser: User,
           printed: dict[str, User], residents: ResidentPool, workers: dict[int, User]) -> Edition:
    """Hold every street's review round of ``edition`` (in its approval phase) and publish the results.

    ``printed`` holds the printed accounts by role: the street officer, the
    expert reviewer and the resident (``demo.accounts``); ``workers`` each
    community's worker, by community id.
    """
    phase = edition.phases.get(kind=PhaseKind.APPROVAL)
    schedule = Schedule(phase.starts_on)
    criteria = rubric_ensure(edition)
    projects = list(Project.objects.filter(edition=edition, state=ProjectState.SUBMITTED)
                    .select_related("street", "category").order_by("number"))
    costs = project_budget_totals(projects)
    merits = {p.pk: Merit(rng.gauss(0, 1), {c.code: rng.gauss(0, 1) for c in criteria}) for p in projects}
    experts = experts_build(rng=rng, printed=printed[Role.EXPERT], actor=organiser)
    leniency: dict[int, float] = defaultdict(lambda: rng.gauss(0, LENIENCY))

    by_street = defaultdict(list)
    for project in projects:
        by_street[project.street_id].append(project)
    # The printed resident's street holds a vote. It goes first: what its vote approves decides what the
    # other streets share.
    vote_street = places.communities[DEMO_COMMUNITY].parent_id
    streets = sorted((s for s in places.streets.values() if by_street[s.pk]), key=lambda s: s.pk != vote_street)
    total = min(len(projects), round(APPROVED * scale))
    quotas = apportion(total, {s.pk: len(by_street[s.pk]) for s in streets})
    overrides = 0
    for index, street in enumerate(streets):
        item = StreetReview(street, officer_of(street), by_street[street.pk])
        # The printed expert sits on the printed officer's panel, and on others as it falls.
        if street.pk == vote_street:
            panel_experts = [printed[Role.EXPERT], rng.choice(experts[1:])]
        else:
            panel_experts = rng.sample(experts, EXPERTS_PER_PANEL)
        resident = resident_representative(rng, street, places=places, residents=residents,
                                           printed=printed["resident"])
        item.panel = [(item.chair, PanelRole.OFFICER), *((e, PanelRole.EXPERT) for e in panel_experts),
                      (resident, PanelRole.RESIDENT)]
        if index == 1:  # one expert declares a conflict of interest, to show how it is kept
            item.declared = (panel_experts[1], rng.choice(item.projects))
        sheets_draw(rng, item, merits=merits, leniency=leniency, criteria=criteria)
        order = projected_order(item, criteria)
        cap = cap_for([costs[p.pk] for p in order], quotas[street.pk])
        review_round = _hold_round(rng, item, edition=edition, cap=cap, schedule=schedule, index=index)
        if street.pk == vote_street:
            vote = resident_vote_hold(rng, review_round=review_round, chair=item.chair, places=places,
                                      residents=residents, printed=printed["resident"], workers=workers,
                                      merits=merits, scale=scale, schedule=schedule)
            resident_vote_close(vote, at=schedule.at(schedule.day(15), 20))
        round_close_scoring(actor=item.chair, review_round=review_round, at=schedule.at(schedule.day(16), 9))
        ranking = round_ranking(review_round)
        within = [row.project for row in ranking if row.within_cap]
        if street.pk == vote_street:
            # The vote moved the ranking; the others share what its budget did not approve.
            others = {s.pk: len(by_street[s.pk]) for s in streets[1:]}
            left = max(0, min(total - len(within), sum(others.values())))
            quotas = {**apportion(left, others), street.pk: len(within)}
        elif within != order[:quotas[street.pk]]:
            raise RuntimeError(f"the ranking of {street.name} is not the one its budget was set for")
        may_override = overrides < OVERRIDES and street.pk != vote_street
        overrides += decide(rng, review_round=review_round, chair=item.chair, ranking=ranking, sheets=item.sheets,
                            criteria=criteria, panel=[u for u, _r in item.panel], override=may_override,
                            decided_on=schedule.day(17 + index % 3))
        round_publish(actor=item.chair, review_round=review_round,
                      at=schedule.at(schedule.day(20 + index % 4), 10))
    return edition
