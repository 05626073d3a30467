"""Who may do what in a street's review round: one row per permission and object, one column per person.

``x`` means allowed, ``.`` refused. The rules say who; the services say when (no scores once scoring has
closed, no decisions before) and are tested in test_services.py. A new reviews permission without a row
fails ``test_every_review_permission_has_a_row``.

The people and the rounds are built once for the module (inside a transaction rolled back at its end):
``round`` is 西屯街道's round, scoring; ``closed_round`` (the same street, chair and panel in the next edition)
has closed its scoring and counted its resident vote; ``published_round`` is 西城街道's, vote counted and
results published.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from jindianzi.accounts.models import Role
from jindianzi.reviews.models import Assignment
from jindianzi.reviews.services import decision_record, round_publish
from jindianzi.reviews.voting import vote_close, vote_configure, vote_open

from ..factories import (
    CommunityFactory, EditionFactory, OrganizationFactory, StreetFactory, UserFactory, approval_edition,
    review_round, scored_round, shortlisted_idea, staff_user, submitted_project,
)

PEOPLE = ["visitor", "resident", "worker", "other_street_worker", "chair", "street_officer", "other_street_officer",
          "organiser", "panel_expert", "other_expert", "implementer_staff"]

#                                            vis res wrk osw cha sto oso org exp oex imp
TABLE = """
reviews.create_round      -                 .   .   .   .   x   x   x   x   .   .   .
reviews.view_round_list   -                 .   x   x   x   x   x   x   x   x   x   x
reviews.manage_round      round             .   .   .   .   x   x   .   x   .   .   .
reviews.view_round        round             .   .   .   .   x   x   .   x   x   .   .
reviews.view_scores       round             .   .   .   .   .   .   .   .   .   .   .
reviews.view_scores       closed_round      .   .   .   .   x   x   .   x   x   .   .
reviews.export_vote       round             .   .   .   .   .   .   .   .   .   .   .
reviews.export_vote       closed_round      .   .   .   .   x   x   .   x   .   .   .
reviews.export_vote       published_round   x   x   x   x   x   x   x   x   x   x   x
reviews.decide_round      round             .   .   .   .   x   .   .   .   .   .   .
reviews.decide_round      closed_round      .   .   .   .   x   .   .   .   .   .   .
reviews.score_assignment  assignment        .   .   .   .   .   .   .   .   x   .   .
reviews.declare_conflict  assignment        .   .   .   .   .   .   .   .   x   .   .
reviews.import_census     street            .   .   .   .   x   x   .   x   .   .   .
reviews.import_census     other_street      .   .   .   .   .   .   x   x   .   .   .
reviews.verify_voter      community         .   .   x   .   x   x   .   x   .   .   .
reviews.verify_voter      other_community   .   .   .   x   .   .   x   x   .   .   .
"""


def rows():
    for line in TABLE.strip().splitlines():
        permission, target, *marks = line.split()
        assert len(marks) == len(PEOPLE), line
        for person, mark in zip(PEOPLE, marks):
            yield pytest.param(permission, target, person, mark == "x", id=f"{permission}-{target}-{person}")


def _count_a_vote(review_round):
    vote_configure(actor=review_round.chair, review_round=review_round, rule="equal_shares", use="advisory")
    vote_open(actor=review_round.chair, review_round=review_round)
    vote_close(actor=review_round.chair, review_round=review_round)


def _project(edition, community, officer, implementer, implementer_staff):
    worker = staff_user(Role.COMMUNITY_WORKER, area=community)
    idea = shortlisted_idea(actor=worker, edition=edition, community=community)
    return submitted_project(ideas=[idea], actor=officer, organization=implementer, org_staff=implementer_staff)


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        edition = EditionFactory()
        later = EditionFactory(district=edition.district)
        street = StreetFactory(name="西屯街道", parent=edition.district)
        other_street = StreetFactory(name="西城街道", parent=edition.district)
        community = CommunityFactory(name="老爷庙社区", parent=street)
        other_community = CommunityFactory(name="红山郡社区", parent=other_street)
        chair = staff_user(Role.STREET_OFFICER, area=street, display_name="刘建华")
        implementer = OrganizationFactory(home_area=community)
        implementer_staff = staff_user(Role.ORG_STAFF, organization=implementer)
        panel_expert = staff_user(Role.EXPERT, display_name="王教授")
        scoring = _project(edition, community, chair, implementer, implementer_staff)
        closing = _project(later, community, chair, implementer, implementer_staff)
        other_chair = staff_user(Role.STREET_OFFICER, area=other_street)
        publishing = _project(edition, other_community, other_chair, implementer, implementer_staff)

        approval_edition(edition)
        open_round = scored_round(review_round(edition=edition, street=street, chair=chair), {scoring: [None]},
                                  reviewers=[panel_expert], close=False)
        approval_edition(later)
        closed_round = review_round(edition=later, street=street, chair=chair)
        _count_a_vote(closed_round)
        closed_round = scored_round(closed_round, {closing: [6]}, reviewers=[panel_expert])
        published_round = review_round(edition=edition, street=other_street, chair=other_chair)
        _count_a_vote(published_round)
        published_round = scored_round(published_round, {publishing: [8]})
        decision_record(actor=other_chair, review_round=published_round, project=publishing, outcome="approve",
                        reason="需求迫切。")
        published_round = round_publish(actor=other_chair, review_round=published_round)
        people = {
            "visitor": AnonymousUser(),
            "resident": UserFactory(),
            "worker": staff_user(Role.COMMUNITY_WORKER, area=community),
            "other_street_worker": staff_user(Role.COMMUNITY_WORKER, area=other_community),
            "chair": chair,
            "street_officer": staff_user(Role.STREET_OFFICER, area=street),
            "other_street_officer": other_chair,
            "organiser": staff_user(Role.DISTRICT_ORGANISER, area=edition.district),
            "panel_expert": panel_expert,
            "other_expert": staff_user(Role.EXPERT),
            "implementer_staff": implementer_staff,
        }
        targets = {
            "-": None, "round": open_round, "closed_round": closed_round, "published_round": published_round,
            "assignment": Assignment.objects.get(round=open_round, reviewer=panel_expert),
            "street": street, "other_street": other_street, "community": community,
            "other_community": other_community,
        }
        yield people, targets
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("permission, target, person, allowed", list(rows()))
def test_review_permissions(cast, permission, target, person, allowed):
    people, targets = cast
    assert people[person].has_perm(permission, targets[target]) is allowed


def test_every_review_permission_has_a_row():
    declared = {name for name in rules.permissions.permissions if name.startswith("reviews.")}
    assert declared == {line.split()[0] for line in TABLE.strip().splitlines()}
