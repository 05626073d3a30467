"""The same seed builds the same demo; the scale changes only how many ideas there are.

These builds are small (a few percent of the ideas) and each is rolled back
before the next, so they cost about as much as the district and its
organisations do. The optimisation stage is compared too: the same ideas are
shortlisted and improved the same way and make the same projects; and so is
the approval stage: the same budgets, decisions and ballots; and the contracting and the
money: the same agreements, payments and expenses.
"""

import pytest
from django.db import transaction

from jindianzi.agreements.models import Agreement
from jindianzi.demo.build import demo_build
from jindianzi.demo.editions import FIRST, SECOND, scaled_counts
from jindianzi.funds.models import DisbursementShare, Expense
from jindianzi.ideas.models import Idea
from jindianzi.ideas.workflow import SELECTED_STATES
from jindianzi.projects.models import Project
from jindianzi.reviews.models import Ballot, Decision, ReviewRound

pytestmark = pytest.mark.django_db


def _build(**kwargs) -> dict[str, list[tuple]]:
    """What a build made of the first edition: its ideas, which were shortlisted, and its projects."""
    with transaction.atomic():
        demo_build(**kwargs)
        ideas = Idea.objects.filter(edition__slug=FIRST.slug)
        rows = {
            "ideas": list(ideas.order_by("submitted_at", "id").values_list(
                "title", "community__name", "category__code", "channel", "proposer_name", "estimated_budget",
                "submitted_at")),
            # Titles and budgets as they are after the improvements (完善提升).
            "shortlisted": list(ideas.filter(state__in=SELECTED_STATES).order_by("submitted_at", "id")
                                .values_list("title", "estimated_budget", "state")),
            "projects": list(Project.objects.filter(edition__slug=FIRST.slug).order_by("number").values_list(
                "title", "street__name", "organization__name", "planned_activities")),
            # The street reviews: each street's budget, and every decision with its reason and ranking.
            "rounds": list(ReviewRound.objects.filter(edition__slug=FIRST.slug).order_by("street__name").values_list(
                "street__name", "budget_cap", "state", "vote_state")),
            "decisions": list(Decision.objects.filter(round__edition__slug=FIRST.slug).order_by(
                "project__number").values_list("project__title", "outcome", "reason", "rank", "score", "decided_at")),
            "ballots": sorted(Ballot.objects.filter(round__edition__slug=FIRST.slug).values_list(
                "voter__display_name", "cast_at")),
            # The agreements and the money: who signed when, what was paid when, with which reference.
            "agreements": list(Agreement.objects.filter(edition__slug=FIRST.slug).order_by("code").values_list(
                "code", "state", "total", "activated_at")),
            "payments": list(DisbursementShare.objects.filter(disbursement__agreement__edition__slug=FIRST.slug)
                             .order_by("payment_reference", "source__share").values_list(
                                 "payment_reference", "amount", "approved_at", "paid_at")),
            "expenses": list(Expense.objects.filter(agreement__edition__slug=FIRST.slug).order_by(
                "agreement__code", "line__position", "reported_at").values_list(
                    "line__item", "amount", "spent_on", "state", "reported_at", "reviewed_at")),
        }
        transaction.set_rollback(True)
    return rows


def _ideas_of_a_build(**kwargs) -> list[tuple]:
    return _build(**kwargs)["ideas"]


def test_the_same_seed_builds_the_same_ideas_shortlist_projects_and_decisions():
    first = _build(seed=7, scale=0.05)
    second = _build(seed=7, scale=0.05)
    assert len(first["ideas"]) == 117  # 2336 × 0.05, rounded
    assert len(first["shortlisted"]) == 19  # 376 × 0.05, rounded
    assert len(first["projects"]) >= 10
    assert len(first["decisions"]) == len(first["projects"]) and first["rounds"] and first["ballots"]
    assert first["agreements"] and first["payments"] and first["expenses"]
    assert first == second


def test_another_seed_builds_other_ideas():
    titles = [row[0] for row in _ideas_of_a_build(seed=7, scale=0.02)]
    other = [row[0] for row in _ideas_of_a_build(seed=8, scale=0.02)]
    assert titles != other


def test_scale_one_keeps_the_exact_counts():
    assert scaled_counts(FIRST.ideas_by_category, 1.0) == FIRST.ideas_by_category
    assert sum(FIRST.ideas_by_category.values()) == 2336


@pytest.mark.parametrize("scale, total", [(0.5, 1168), (0.05, 117), (2.0, 4672), (10.0, 23360), (0.001, 2)])
def test_scaled_counts_keep_the_total_and_the_proportions(scale, total):
    counts = scaled_counts(FIRST.ideas_by_category, scale)
    assert sum(counts.values()) == total
    for code, count in FIRST.ideas_by_category.items():
        assert abs(counts[code] - count * scale) <= 1


def test_the_second_edition_scales_too():
    assert sum(scaled_counts(SECOND.ideas_by_category, 0.5).values()) == 20
