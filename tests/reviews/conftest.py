"""Fixtures of the review pages' tests (``test_views.py``), also used by the permission matrix and the browser
journeys: a street with three projects waiting for its review, played forward through the services.

The service tests keep their own fixtures in ``fixtures.py`` and import them by name; a fixture here with the
same name is then shadowed by theirs in those modules, so the two sets do not meet.
"""

import pytest

from jindianzi.accounts.models import Role

from ..factories import UserFactory, approval_edition, review_round, staff_user, submitted_project


def score_all(review_round, reviewer, points_by_project: dict):
    """``reviewer`` gives each project (by code) the same points on every criterion."""
    from jindianzi.reviews.models import Assignment, Criterion
    from jindianzi.reviews.services import scores_submit

    criteria = list(Criterion.objects.filter(edition=review_round.edition))
    for assignment in Assignment.objects.filter(round=review_round, reviewer=reviewer, conflict="") \
            .select_related("project"):
        if assignment.project.code in points_by_project:
            value = points_by_project[assignment.project.code]
            scores_submit(actor=reviewer, assignment=assignment, points={c.pk: value for c in criteria},
                          comment="方案清楚。")


class Scene:
    """Three projects of 西屯街道 waiting for its review; its officer chairs a round with a 30,000 yuan cap.

    Costs: 问候 12,000 · 扶手 15,000 · 花园 9,000 (36,000 together, more than the cap). Scored 9, 7 and 5 on
    every criterion, the ranking puts 问候 and 扶手 within the budget (27,000) and 花园 outside (3,000 left).
    Each step (``open_round``, ``scoring``, ``scored``, ``closed``, ``decided``, ``published``) plays the
    ones before it.
    """

    def __init__(self, world):
        self.world = world
        self.street = world.street
        self.officer = staff_user(Role.STREET_OFFICER, area=world.street, display_name="刘建华")
        self.organiser = staff_user(Role.DISTRICT_ORGANISER, area=world.district, display_name="赵主任")
        self.expert = staff_user(Role.EXPERT, display_name="孙教授")
        self.expert2 = staff_user(Role.EXPERT, display_name="周老师")
        made = dict(edition=world.edition, actor=self.officer, n_ideas=2)
        self.greeting = submitted_project(community=world.community, title="独居老人问候行动", cost="12000", **made)
        self.rails = submitted_project(community=world.neighbour, title="楼道加装扶手", cost="15000", **made)
        self.garden = submitted_project(community=world.community, title="屋顶小花园", cost="9000", **made)
        self.projects = [self.greeting, self.rails, self.garden]
        self.edition = approval_edition(world)
        self.round = None

    def open_round(self, *, panel=True, assign=True, budget_cap="30000"):
        from jindianzi.reviews.services import assignments_make, panel_add

        self.round = review_round(edition=self.edition, street=self.street, chair=self.officer,
                                  budget_cap=budget_cap)
        if panel:
            panel_add(actor=self.officer, review_round=self.round, user=self.expert, role="expert")
            panel_add(actor=self.officer, review_round=self.round, user=self.expert2, role="expert")
        if assign:
            assignments_make(actor=self.officer, review_round=self.round)
        return self.refresh()

    def refresh(self):
        self.round.refresh_from_db()
        return self.round

    def scoring(self):
        from jindianzi.reviews.services import round_open_scoring

        if self.round is None:
            self.open_round()
        round_open_scoring(actor=self.officer, review_round=self.round)
        return self.refresh()

    def scored(self):
        self.scoring()
        points = {self.greeting.code: 9, self.rails.code: 7, self.garden.code: 5}
        for reviewer in (self.officer, self.expert, self.expert2):
            score_all(self.round, reviewer, points)
        return self.refresh()

    def closed(self):
        from jindianzi.reviews.services import round_close_scoring

        self.scored()
        round_close_scoring(actor=self.officer, review_round=self.round)
        return self.refresh()

    def decided(self):
        from jindianzi.reviews.services import decision_record

        self.closed()
        decision_record(actor=self.officer, review_round=self.round, project=self.greeting, outcome="approve",
                        reason="需求迫切，方案可行。")
        decision_record(actor=self.officer, review_round=self.round, project=self.rails,
                        outcome="approve_with_conditions", reason="老楼安全需要。", conditions="施工前征得全体住户同意。")
        decision_record(actor=self.officer, review_round=self.round, project=self.garden, outcome="reject",
                        reason="超出街道预算，且屋顶承重未经评估。")
        return self.refresh()

    def published(self):
        from jindianzi.reviews.services import round_publish

        self.decided()
        round_publish(actor=self.officer, review_round=self.round)
        return self.refresh()

    def vote(self, *, rule="equal_shares", limit=None, limit_kind="count"):
        """The round (opened if need be) with a resident vote prepared and open."""
        from jindianzi.reviews.voting import vote_configure, vote_open

        if self.round is None:
            self.open_round()
        vote_configure(actor=self.officer, review_round=self.round, rule=rule, use="advisory",
                       ballot_limit=limit_kind, ballot_limit_value=limit)
        vote_open(actor=self.officer, review_round=self.round)
        return self.refresh()


def verified_resident(street, community, **kwargs):
    """A resident of ``community`` confirmed for ``street``'s votes by a community worker, in person."""
    from jindianzi.reviews.voting import voter_verify

    resident = UserFactory(**kwargs)
    worker = staff_user(Role.COMMUNITY_WORKER, area=community)
    voter_verify(actor=worker, street=street, user=resident, community=community)
    return resident


@pytest.fixture
def scene(world):
    return Scene(world)
