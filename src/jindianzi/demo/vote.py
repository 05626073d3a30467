"""Plays a street's resident vote (居民投票) beside its review round, counted by the Method of Equal Shares.

The street's officer sets the vote up as one input of the ranking (30 % of a
project's score), at most five projects a ballot, and opens it. The street's
census list (community and mobile number of residents, as a CSV file) is
imported; residents on it are verified when they vote. Residents not on it
(newcomers, tenants) are confirmed in person by their community worker. Most
of them vote,
online over two weeks, for projects they like: better projects are more
popular, and residents favour projects that come from their own community.
The printed resident is on the list and verified, but has not voted. The
officer closes the vote before the panel's decisions, and it is counted.
"""

import csv
import io
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from jindianzi.ideas.models import Idea
from jindianzi.reviews.models import PanelMember
from jindianzi.reviews.voting import (
    ballot_cast, ballot_projects, census_import, vote_close, vote_configure, vote_open, voter_verification,
    voter_verify,
)
from jindianzi.reviews.workflow import BallotLimit, VoteRule, VoteUse

from .accounts import ResidentPool
from .timing import ArrivalClock

VOTE_WEIGHT = 30          # per cent of a project's score
BALLOT_LIMIT = 5          # projects a ballot may approve
VOTERS_PER_COMMUNITY = 65  # residents who may vote, per community, at scale 1
ON_THE_CENSUS = 0.85      # of them, those on the census list; their community worker confirms the others
TURNOUT = 0.8
POPULARITY = 0.9          # how much a project's quality draws votes
OWN_COMMUNITY = 4         # how much more a resident likes a project from their own community
BALLOT_SIZES = ((1, 10), (2, 15), (3, 25), (4, 25), (5, 25))  # (projects approved, weight)
CENSUS_HEADER = ("社区", "手机号")


@dataclass
class Vote:
    review_round: object
    chair: object
    ballots: int


def census_csv(listed: dict) -> bytes:
    """The census list as a street office keeps it: one row per resident, community and mobile number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CENSUS_HEADER)
    for community, people in listed.items():
        writer.writerows((community.name, person.phone) for person in people)
    return out.getvalue().encode("utf-8")


def _ballot(rng: random.Random, projects: list, weights: list[float]) -> list:
    size = min(len(projects), rng.choices([s for s, _w in BALLOT_SIZES], weights=[w for _s, w in BALLOT_SIZES])[0])
    projects, weights, chosen = list(projects), list(weights), []
    for _ in range(size):
        index = rng.choices(range(len(projects)), weights=weights)[0]
        chosen.append(projects.pop(index))
        weights.pop(index)
    return chosen


def resident_vote_hold(rng: random.Random, *, review_round, chair, places, residents: ResidentPool, printed,
                       workers: dict, merits: dict, scale: float, schedule) -> Vote:
    """Set up and open the vote, verify who may vote, and let them vote.

    ``workers`` holds each community's worker, by community id.
    """
    street = review_round.street
    vote_configure(actor=chair, review_round=review_round, rule=VoteRule.EQUAL_SHARES, use=VoteUse.WEIGHTED,
                   weight=VOTE_WEIGHT, ballot_limit=BallotLimit.COUNT, ballot_limit_value=BALLOT_LIMIT)
    vote_open(actor=chair, review_round=review_round, at=schedule.at(schedule.day(1), 18))
    per_community = max(5, round(VOTERS_PER_COMMUNITY * scale))
    voters = {community: residents.of(community, per_community) for community in places.communities_of(street)}
    listed = {community: [p for p in people if p.pk == printed.pk or rng.random() < ON_THE_CENSUS]
              for community, people in voters.items()}
    census_import(actor=chair, street=street, data=census_csv(listed))
    voter_verification(printed, street)  # on the list, so verified: a visitor signing in as them sees the result
    for community, people in voters.items():
        for person in people:
            if person not in listed[community]:
                voter_verify(actor=workers[community.pk], street=street, user=person, community=community)

    projects = ballot_projects(review_round)
    communities = defaultdict(set)
    for project, community in Idea.objects.filter(merged_into__in=projects).values_list("merged_into_id",
                                                                                         "community_id"):
        communities[project].add(community)
    clock = ArrivalClock(rng, starts_on=schedule.day(2), ends_on=schedule.day(14))
    # The printed resident leaves their ballot to a visitor; the resident on the panel scores instead.
    abstain = {printed.pk, *PanelMember.objects.filter(round=review_round).values_list("user_id", flat=True)}
    cast = 0
    for community, people in voters.items():
        weights = [math.exp(POPULARITY * merits[p.pk].quality) * (OWN_COMMUNITY if community.pk in communities[p.pk]
                                                                  else 1) for p in projects]
        for voter in people:
            if voter.pk in abstain or rng.random() >= TURNOUT:
                continue
            ballot_cast(voter=voter, review_round=review_round, projects=_ballot(rng, projects, weights),
                        at=clock.online())
            cast += 1
    return Vote(review_round, chair, cast)


def resident_vote_close(vote: Vote, *, at) -> None:
    vote_close(actor=vote.chair, review_round=vote.review_round, at=at)
