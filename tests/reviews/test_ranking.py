"""The chair's ranking: how reviewers' points become a project's score, its rank, and the street's budget line."""

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from jindianzi.reviews.ranking import combine, reviewer_score, round_ranking
from jindianzi.reviews.services import CriterionDraft, round_update, rubric_set
from jindianzi.reviews.workflow import Aggregation

from ..factories import scored_round
from .fixtures import _english, implementer, officer, organiser, start_round, submit, worker  # noqa: F401  (fixtures)

RUBRIC = [SimpleNamespace(pk=1, weight=25), SimpleNamespace(pk=2, weight=25), SimpleNamespace(pk=3, weight=20),
          SimpleNamespace(pk=4, weight=15), SimpleNamespace(pk=5, weight=15)]


def order(rows) -> list[str]:
    return [row.project.title for row in rows]


# --- One reviewer's score: the weighted criteria ---------------------------------------------------------

def test_a_reviewers_score_weighs_each_criterion_and_runs_from_0_to_100():
    assert reviewer_score({1: 10, 2: 10, 3: 10, 4: 10, 5: 10}, RUBRIC) == Decimal("100.00")
    assert reviewer_score({1: 0, 2: 0, 3: 0, 4: 0, 5: 0}, RUBRIC) == Decimal("0.00")
    # Full marks on need (weight 25) alone are worth 25; on participation (weight 15) alone, 15.
    assert reviewer_score({1: 10, 2: 0, 3: 0, 4: 0, 5: 0}, RUBRIC) == Decimal("25.00")
    assert reviewer_score({1: 0, 2: 0, 3: 0, 4: 0, 5: 10}, RUBRIC) == Decimal("15.00")
    assert reviewer_score({1: 7, 2: 8, 3: 6, 4: 5, 5: 9}, RUBRIC) == Decimal("70.50")


def test_a_reviewer_who_left_a_criterion_out_has_no_score():
    assert reviewer_score({1: 10, 2: 10, 3: 10, 4: 10}, RUBRIC) is None


@given(st.lists(st.integers(0, 10), min_size=5, max_size=5))
def test_a_reviewers_score_lies_between_their_lowest_and_highest_points_times_ten(points):
    score = reviewer_score(dict(zip(range(1, 6), points)), RUBRIC)
    assert min(points) * 10 <= score <= max(points) * 10


# --- The panel's score: mean or trimmed mean ----------------------------------------------------------------

def test_the_trimmed_mean_leaves_out_the_highest_and_the_lowest_score():
    scores = [Decimal(100), Decimal(50), Decimal(40), Decimal(30)]
    assert combine(scores, Aggregation.MEAN) == Decimal("55.00")
    assert combine(scores, Aggregation.TRIMMED_MEAN) == Decimal("45.00")


def test_with_fewer_than_three_reviewers_the_trimmed_mean_is_the_mean():
    scores = [Decimal(90), Decimal(31)]
    assert combine(scores, Aggregation.TRIMMED_MEAN) == combine(scores, Aggregation.MEAN) == Decimal("60.50")
    assert combine([], Aggregation.MEAN) is None


@given(st.lists(st.decimals(0, 100, places=2), min_size=1, max_size=9), st.sampled_from(Aggregation.values))
def test_a_panel_score_lies_between_the_lowest_and_the_highest_reviewer(scores, aggregation):
    assert min(scores) <= combine(scores, aggregation) <= max(scores)


def test_the_way_scores_are_combined_can_change_the_order(world, officer, submit, start_round):
    # 问候队: two enthusiasts and one reviewer who gave it 1 everywhere. 四点半课堂: three reviewers agree on 8.
    divided, steady = submit(title="问候队"), submit(title="四点半课堂")
    review_round = scored_round(start_round(aggregation=Aggregation.TRIMMED_MEAN),
                                {divided: [10, 10, 1], steady: [8, 8, 8]})

    rows = round_ranking(review_round)
    assert order(rows) == ["问候队", "四点半课堂"]
    assert [r.panel_score for r in rows] == [Decimal("100.00"), Decimal("80.00")]

    review_round = round_update(actor=officer, review_round=review_round, aggregation=Aggregation.MEAN)
    rows = round_ranking(review_round)
    assert order(rows) == ["四点半课堂", "问候队"]
    assert [r.panel_score for r in rows] == [Decimal("80.00"), Decimal("70.00")]


def test_the_rubrics_weights_count_in_the_ranking(world, organiser, submit, start_round):
    needed, feasible = submit(title="问候队"), submit(title="四点半课堂")
    review_round = start_round()
    rubric_set(actor=organiser, edition=world.edition, criteria=[
        CriterionDraft("需求迫切", "Need", 60), CriterionDraft("可行性", "Feasibility", 40)])

    review_round = scored_round(review_round, {needed: [{"c1": 10, "c2": 0}], feasible: [{"c1": 0, "c2": 10}]})

    rows = round_ranking(review_round)
    assert order(rows) == ["问候队", "四点半课堂"]
    assert [r.panel_score for r in rows] == [Decimal("60.00"), Decimal("40.00")]


# --- Rank and the street's budget line ---------------------------------------------------------------------

def test_equal_scores_rank_by_project_code(world, submit, start_round):
    first, second = submit(title="问候队"), submit(title="四点半课堂")
    review_round = scored_round(start_round(), {second: [7], first: [7]})

    rows = round_ranking(review_round)
    assert [r.project for r in rows] == [first, second] and first.code < second.code
    assert [r.rank for r in rows] == [1, 2]


def test_the_budget_line_passes_over_a_project_that_does_not_fit_and_lets_a_cheaper_one_below_in(
        world, submit, start_round):
    a, b, c, d = (submit("6000", title="问候队"), submit("6000", title="四点半课堂"),
                  submit("3000", title="楼道微更新"), submit("2000", title="邻里议事会"))
    review_round = scored_round(start_round(budget_cap="10000"), {a: [9], b: [8], c: [7], d: [6]})

    rows = round_ranking(review_round)

    assert [(r.project.title, r.rank, r.within_cap, r.remaining_after) for r in rows] == [
        ("问候队", 1, True, Decimal("4000.00")),
        ("四点半课堂", 2, False, None),          # 6,000 does not fit in the 4,000 left
        ("楼道微更新", 3, True, Decimal("1000.00")),   # 3,000 does
        ("邻里议事会", 4, False, None),          # 2,000 does not fit in the 1,000 left
    ]
    assert sum(r.cost for r in rows if r.within_cap) <= review_round.budget_cap


def test_a_project_nobody_scored_is_last_and_never_within_the_line(world, submit, start_round):
    scored, unscored = submit("1000", title="问候队"), submit("1000", title="四点半课堂")
    review_round = scored_round(start_round(budget_cap="10000"), {scored: [2], unscored: [None]}, close=False)

    rows = round_ranking(review_round)
    assert [(r.project, r.score, r.within_cap) for r in rows] == [
        (scored, Decimal("20.00"), True), (unscored, None, False)]
