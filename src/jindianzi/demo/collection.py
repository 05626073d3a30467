"""Plays an edition's collection phase: who proposes what, where, when and on which channel.

First a plan is drawn (categories, communities, channels, times), then each
idea is written and handed to the same services residents and community
workers use: ``idea_submit`` online, ``idea_record_on_paper`` for paper forms
and spreadsheet imports. Ideas are submitted in the order they arrive.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from jindianzi.areas.models import Area, AreaKind
from jindianzi.editions.models import Edition
from jindianzi.ideas.models import Channel, Idea, ProposerKind
from jindianzi.ideas.services import IdeaDraft, idea_record_on_paper, idea_submit
from jindianzi.organizations.models import Organization, OrganizationKind

from .accounts import OrganizationStaff, ResidentPool
from .neighbourhoods import NEW, OLD, RESETTLED, TOWN
from .organizations import DemoOrganizations
from .people import mobile_number, person_name
from .places import DemoDistrict
from .timing import ArrivalClock
from .writer import IdeaWriter

# Shares of (online, paper form, spreadsheet import) by kind of neighbourhood:
# the towns and older estates hand in more paper.
CHANNEL_SHARES = {
    OLD: (0.50, 0.38, 0.12),
    NEW: (0.74, 0.18, 0.08),
    RESETTLED: (0.45, 0.42, 0.13),
    TOWN: (0.28, 0.55, 0.17),
}
CHANNELS = (Channel.WEB, Channel.PAPER, Channel.IMPORT)
ORGANIZATION_SHARE = 0.12        # ideas proposed by organisations rather than residents
IDEAS_PER_RESIDENT = 2.2         # online residents propose one idea or several
ANONYMOUS_ONLINE, ANONYMOUS_ON_PAPER = 0.10, 0.05
WITH_PHONE_ON_PAPER = 0.7
# Communities the article singles out were among the most active.
ACTIVE_COMMUNITIES = {"老爷庙社区": 2.5, "红山郡社区": 2.0, "花园社区": 1.8}


@dataclass
class PlannedIdea:
    category: str
    community: Area
    channel: str
    submitted_at: datetime
    organization: Organization | None = None
    anonymous: bool = False


def community_weights(rng: random.Random, places: DemoDistrict) -> dict[str, float]:
    """How active each community is: some communities mobilise far more residents than others."""
    return {name: rng.uniform(0.6, 1.6) * ACTIVE_COMMUNITIES.get(name, 1.0) for name in places.communities}


def _organization_weight(org: Organization, orgs: DemoOrganizations) -> float:
    # The organisations the competition incubated were its most active proposers.
    if org in orgs.registered:
        return 4.0
    return 2.0 if org in orgs.professionals else 1.0


def _community_of(rng: random.Random, org: Organization, places: DemoDistrict, weights) -> Area:
    """The community an organisation proposes for: its own, or one within its street or district."""
    if org.home_area.kind == AreaKind.COMMUNITY:
        return org.home_area
    inside = [name for name, c in places.communities.items() if org.home_area.contains(c)]
    return places.communities[rng.choices(inside, weights=[weights[n] for n in inside])[0]]


def plan_collection(rng: random.Random, *, places: DemoDistrict, orgs: DemoOrganizations,
                    counts: dict[str, int], clock: ArrivalClock, weights: dict[str, float]) -> list[PlannedIdea]:
    categories = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(categories)
    names = list(places.communities)
    name_weights = [weights[n] for n in names]
    by_focus = defaultdict(list)
    for org in orgs.proposing:
        by_focus[orgs.focus[org.pk]].append(org)
    batches = {}

    plan = []
    for category in categories:
        if by_focus[category] and rng.random() < ORGANIZATION_SHARE:
            candidates = by_focus[category]
            org = rng.choices(candidates, weights=[_organization_weight(o, orgs) for o in candidates])[0]
            community = _community_of(rng, org, places, weights)
            plan.append(PlannedIdea(category, community, Channel.WEB, clock.online(), organization=org))
            continue
        name = rng.choices(names, weights=name_weights)[0]
        community = places.communities[name]
        channel = rng.choices(CHANNELS, weights=CHANNEL_SHARES[places.setting[name]])[0]
        if channel == Channel.WEB:
            at, anonymous = clock.online(), rng.random() < ANONYMOUS_ONLINE
        elif channel == Channel.PAPER:
            at, anonymous = clock.office(), rng.random() < ANONYMOUS_ON_PAPER
        else:
            if name not in batches:
                batches[name] = clock.import_batches(rng.choice((1, 1, 2)))
            at, anonymous = clock.within_batch(rng.choice(batches[name])), rng.random() < ANONYMOUS_ON_PAPER
        plan.append(PlannedIdea(category, community, channel, at, anonymous=anonymous))
    plan.sort(key=lambda idea: idea.submitted_at)
    return plan


def _proposers(rng: random.Random, plan: list[PlannedIdea], residents: ResidentPool) -> dict[int, object]:
    """Give each online resident idea an account: every resident at least one idea, a few residents many."""
    by_community = defaultdict(list)
    for index, idea in enumerate(plan):
        if idea.channel == Channel.WEB and idea.organization is None:
            by_community[idea.community.pk].append(index)
    proposers = {}
    for indexes in by_community.values():
        community = plan[indexes[0]].community
        people = residents.of(community, max(1, round(len(indexes) / IDEAS_PER_RESIDENT)))
        slots = list(range(len(people)))
        slots += rng.choices(slots, weights=[1 / (i + 1) ** 0.7 for i in slots], k=len(indexes) - len(slots))
        rng.shuffle(slots)
        for index, slot in zip(indexes, slots):
            proposers[index] = people[slot]
    return proposers


def collect(rng: random.Random, *, plan: list[PlannedIdea], edition: Edition, places: DemoDistrict,
            writer: IdeaWriter, residents: ResidentPool, workers: dict[int, object],
            staff: OrganizationStaff) -> list[Idea]:
    """Submit every planned idea through the ideas services, in the order they arrive."""
    categories = {c.code: c for c in edition.categories.all()}
    proposers = _proposers(rng, plan, residents)
    ideas = []
    for index, planned in enumerate(plan):
        community, org = planned.community, planned.organization
        text = writer.write(category=planned.category, community=community.name, street=community.parent.name,
                            setting=places.setting[community.name], organization=org.name if org else "",
                            on_paper=planned.channel != Channel.WEB)
        kind = ProposerKind.RESIDENT
        if org is not None:
            kind = (ProposerKind.SELF_ORGANIZATION if org.kind == OrganizationKind.RESIDENT_SELF_ORGANIZATION
                    else ProposerKind.SOCIAL_ORGANIZATION)
        draft = IdeaDraft(
            edition=edition, community=community, category=categories[planned.category],
            title=text.title, problem=text.problem, proposal=text.proposal, beneficiaries=text.beneficiaries,
            estimated_budget=text.estimated_budget, proposer_kind=kind, proposer_organization=org,
            anonymous=planned.anonymous,
        )
        if planned.channel == Channel.WEB:
            actor = staff.of(org) if org is not None else proposers[index]
            ideas.append(idea_submit(actor=actor, draft=draft, submitted_at=planned.submitted_at))
        else:
            phone = mobile_number(rng) if rng.random() < WITH_PHONE_ON_PAPER else ""
            ideas.append(idea_record_on_paper(
                actor=workers[community.pk], draft=draft, proposer_name=person_name(rng), proposer_phone=phone,
                consent=True, channel=planned.channel, submitted_at=planned.submitted_at,
            ))
    return ideas
