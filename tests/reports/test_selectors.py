"""The edition's figures are counted from the database: they move when the data they count changes."""

import pytest

from jindianzi.reports.selectors import edition_figures, funnel
from jindianzi.reviews.services import decision_record, round_publish
from jindianzi.reviews.workflow import Outcome

from ..factories import approval_edition, review_round, scored_round, submitted_project

pytestmark = pytest.mark.django_db


def approved(edition) -> int:
    return funnel(edition)["projects_approved_by_street_review"]


@pytest.fixture
def projects(world):
    """Two projects submitted to 西屯街道's review and one to 西城街道's, the edition in its approval phase."""
    made = {
        "care": submitted_project(edition=world.edition, community=world.community, title="老爷庙社区助老食堂"),
        "garden": submitted_project(edition=world.edition, community=world.neighbour, title="花园社区共享菜园"),
        "reading": submitted_project(edition=world.edition, community=world.other_community, title="红山郡社区读书会"),
    }
    approval_edition(world)
    return made


def test_the_funnel_keeps_its_keys_in_the_articles_order(world):
    assert list(edition_figures(world.edition)["funnel"]) == [
        "ideas_collected", "ideas_shortlisted_and_improved", "projects_approved_by_street_review",
        "projects_contracted"]


def test_approvals_count_once_the_round_is_published_and_follow_the_chairs_last_decision(world, projects):
    care, garden = projects["care"], projects["garden"]
    xitun = scored_round(review_round(edition=world.edition, street=world.street), {care: [8], garden: [6]})
    assert approved(world.edition) == 0

    decision_record(actor=xitun.chair, review_round=xitun, project=care, outcome=Outcome.APPROVE_WITH_CONDITIONS,
                    reason="需求迫切，方案可行。", conditions="需补充志愿者招募计划。")
    decision_record(actor=xitun.chair, review_round=xitun, project=garden, outcome=Outcome.APPROVE,
                    reason="综合评分第2名，在预算之内。")
    assert approved(world.edition) == 0  # decided, not yet published

    # The chair changes their mind before publishing: the figure follows the decision that stands.
    decision_record(actor=xitun.chair, review_round=xitun, project=garden, outcome=Outcome.REJECT,
                    reason="与已立项项目重复。", override_reason="与助老食堂的志愿者队伍重叠，合并实施。")
    round_publish(actor=xitun.chair, review_round=xitun)
    assert approved(world.edition) == 1


def test_every_published_round_of_the_edition_counts(world, projects):
    reading = projects["reading"]
    xicheng = scored_round(review_round(edition=world.edition, street=world.other_street), {reading: [7]})
    decision_record(actor=xicheng.chair, review_round=xicheng, project=reading, outcome=Outcome.APPROVE,
                    reason="综合评分第1名，在预算之内。")
    round_publish(actor=xicheng.chair, review_round=xicheng)
    assert approved(world.edition) == 1

    xitun = scored_round(review_round(edition=world.edition, street=world.street),
                         {projects["care"]: [9], projects["garden"]: [8]})
    for project in (projects["care"], projects["garden"]):
        decision_record(actor=xitun.chair, review_round=xitun, project=project, outcome=Outcome.APPROVE,
                        reason="在预算之内。")
    round_publish(actor=xitun.chair, review_round=xitun)
    assert approved(world.edition) == 3
