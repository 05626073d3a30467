"""A street's review round for the API tests, built through the services up to the stage a test needs.

``ReviewStages(world, chair=..., expert=..., worker=..., resident=...).at("closed", vote="counted")``
gives 西屯街道's round chaired by ``chair`` with ``expert`` on its panel, after
the resident vote (when ``vote`` is given) and the panel's work up to
``stage``. Only what the stage needs is built, so the permission matrix stays
fast for the rows that need little.

Main stages, in order: approval (two projects submitted, the edition in its
approval phase, no round yet), setup (the round, the expert on the panel),
assigned (the expert has both projects), scoring, scored (the expert scored
both), closed, decided (both approved), published.
Vote stages: ready (set up: equal shares, at most 2 projects), open (the
resident is verified and may vote), counted (the resident voted, the vote
was closed). The vote is taken before the panel's work, as a street would.
"""

from decimal import Decimal

from jindianzi.accounts.models import Role
from jindianzi.reviews.models import Assignment
from jindianzi.reviews.services import (
    assignments_make, decision_record, panel_add, round_close_scoring, round_open_scoring, round_publish,
    scores_submit,
)
from jindianzi.reviews.voting import ballot_cast, ballot_projects, vote_close, vote_configure, vote_open, voter_verify
from jindianzi.reviews.workflow import BallotLimit, Outcome, PanelRole, VoteRule, VoteUse

from ..factories import approval_edition, review_round, score_points, staff_user, submitted_project

STAGES = ["approval", "setup", "assigned", "scoring", "scored", "closed", "decided", "published"]
VOTE_STAGES = [None, "ready", "open", "counted"]
COSTS = (Decimal("30000.00"), Decimal("40000.00"))


class ReviewStages:
    def __init__(self, world, *, chair, expert, worker, resident=None, projects: int = 2):
        self.world, self.chair, self.expert, self.worker, self.resident = world, chair, expert, worker, resident
        self.costs = COSTS[:projects]
        self.round = None
        self.projects = []
        self._stage, self._vote = None, None

    def at(self, stage: str, vote: str | None = None):
        """The round at ``stage`` (after the vote at ``vote``), or None at "approval"."""
        if self._stage is not None:
            if (stage, vote) != (self._stage, self._vote):
                raise RuntimeError("ReviewStages builds one round, at one stage")
            return self.round
        self._stage, self._vote = stage, vote
        self.projects = [submitted_project(edition=self.world.edition, community=self.world.community,
                                           actor=self.chair, cost=cost, title=f"社区项目{n}")
                         for n, cost in enumerate(self.costs, start=1)]
        approval_edition(self.world)
        if stage == "approval":
            return None
        self.round = review_round(edition=self.world.edition, street=self.world.street, chair=self.chair,
                                  budget_cap=Decimal("100000.00"))
        panel_add(actor=self.chair, review_round=self.round, user=self.expert, role=PanelRole.EXPERT)
        for step in VOTE_STAGES[1:VOTE_STAGES.index(vote) + 1]:
            getattr(self, f"_vote_{step}")()
        for step in STAGES[2:STAGES.index(stage) + 1]:
            getattr(self, f"_{step}")()
        self.round.refresh_from_db()
        return self.round

    # The panel's work.
    def _assigned(self):
        assignments_make(actor=self.chair, review_round=self.round, reviewers=[self.expert])

    def _scoring(self):
        self.round = round_open_scoring(actor=self.chair, review_round=self.round)

    def _scored(self):
        for assignment in Assignment.objects.filter(round=self.round, reviewer=self.expert):
            scores_submit(actor=self.expert, assignment=assignment, points=score_points(self.round, 8),
                          comment="需求真实，方案可行。")

    def _closed(self):
        self.round = round_close_scoring(actor=self.chair, review_round=self.round)

    def _decided(self):
        for project in self.projects:
            decision_record(actor=self.chair, review_round=self.round, project=project, outcome=Outcome.APPROVE,
                            reason="评分靠前，预算合理。")

    def _published(self):
        self.round = round_publish(actor=self.chair, review_round=self.round)

    # The resident vote.
    def _vote_ready(self):
        vote_configure(actor=self.chair, review_round=self.round, rule=VoteRule.EQUAL_SHARES, use=VoteUse.ADVISORY,
                       ballot_limit=BallotLimit.COUNT, ballot_limit_value="2")

    def _vote_open(self):
        vote_open(actor=self.chair, review_round=self.round)
        if self.resident is not None:
            voter_verify(actor=self.worker, street=self.world.street, user=self.resident,
                         community=self.world.community)

    def _vote_counted(self):
        if self.resident is not None:
            ballot_cast(voter=self.resident, review_round=self.round, projects=ballot_projects(self.round)[:1])
        vote_close(actor=self.chair, review_round=self.round)

    @property
    def assignment(self):
        return Assignment.objects.filter(round=self.round, reviewer=self.expert).order_by("project__number").first()


def review_stages(world, users: dict, **kwargs) -> ReviewStages:
    """The matrix's round: ``street_in`` chairs, ``expert`` reviews, ``worker_in`` verifies ``resident``."""
    return ReviewStages(world, chair=users["street_in"], expert=users["expert"], worker=users["worker_in"],
                        resident=users.get("resident"), **kwargs)


def new_expert():
    return staff_user(Role.EXPERT, display_name="新专家")
