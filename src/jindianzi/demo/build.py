"""Builds the whole demo: the district, its organisations and accounts, and both editions.

The first edition is played through collection, optimisation, the street
reviews (``demo.review``), the agreements (``demo.contracting``) and the money
paid under them (``demo.funding``), and stays in its implementation phase; the
second collects.

Everything goes through the apps' services, in one transaction, from one
seeded random generator: the same seed builds the same district, people and
ideas (tracking codes and account usernames are random by design and differ).
``scale`` multiplies the number of ideas (and so of residents), for benchmarks;
at 1.0 the first edition receives exactly the article's 2,336 ideas.
"""

import random
import time
from dataclasses import dataclass

from django.db import transaction

from jindianzi.accounts.models import Role, User
from jindianzi.editions.models import Edition
from jindianzi.ideas.models import Idea
from jindianzi.ideas.similarity.index import ideas_index

from .accounts import (
    DEMO_COMMUNITY,
    DEMO_ORGANIZATION,
    RESIDENT,
    OrganizationStaff,
    ResidentPool,
    community_workers_build,
    demo_accounts_build,
)
from .collection import collect, community_weights, plan_collection
from .contracting import contract
from .editions import FIRST, SECOND, EditionSpec, edition_close_collection, edition_open, scaled_counts
from .funding import fund
from .optimisation import optimise
from .organizations import DemoOrganizations, organizations_build
from .places import DemoDistrict, district_build
from .review import review
from .timing import ArrivalClock
from .writer import IdeaWriter

DEFAULT_SEED = 2017


@dataclass
class DemoBuild:
    first: Edition
    second: Edition
    ideas: dict[str, int]  # ideas submitted, by edition slug
    seconds: float


def demo_is_built() -> bool:
    return Edition.objects.filter(slug=FIRST.slug).exists()


@dataclass
class Collector:
    """Everything both editions' collections draw on: the same district, people and writer."""

    rng: random.Random
    places: DemoDistrict
    orgs: DemoOrganizations
    weights: dict[str, float]
    workers: dict[int, User]  # community id -> its community worker
    staff: OrganizationStaff
    residents: ResidentPool
    writer: IdeaWriter

    def collect(self, spec: EditionSpec, *, edition: Edition, scale: float) -> list[Idea]:
        starts_on, ends_on = spec.collection
        clock = ArrivalClock(self.rng, starts_on=starts_on, ends_on=ends_on)
        plan = plan_collection(self.rng, places=self.places, orgs=self.orgs, clock=clock, weights=self.weights,
                               counts=scaled_counts(spec.ideas_by_category, scale))
        return collect(self.rng, plan=plan, edition=edition, places=self.places, writer=self.writer,
                       residents=self.residents, workers=self.workers, staff=self.staff)


@transaction.atomic
def demo_build(*, seed: int = DEFAULT_SEED, scale: float = 1.0) -> DemoBuild:
    """Build the demo district and both editions, on a database that does not hold them yet."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    rng = random.Random(seed)

    places = district_build()
    orgs = organizations_build(rng=rng, places=places)
    accounts = demo_accounts_build(places=places, orgs=orgs)
    organiser = accounts[Role.DISTRICT_ORGANISER]
    collector = Collector(
        rng=rng, places=places, orgs=orgs, weights=community_weights(rng, places),
        workers=community_workers_build(rng=rng, places=places, demo_worker=accounts[Role.COMMUNITY_WORKER],
                                        actor=organiser),
        staff=OrganizationStaff(rng=rng, actor=organiser,
                                known={orgs.by_name(DEMO_ORGANIZATION).pk: accounts[Role.ORG_STAFF]}),
        # The printed resident is the first resident of their community, so "my ideas" has something to show.
        residents=ResidentPool(rng=rng, known={places.communities[DEMO_COMMUNITY].pk: [accounts[RESIDENT]]}),
        writer=IdeaWriter(rng, max_budget=FIRST.max_budget_per_idea),
    )

    first = edition_open(spec=FIRST, places=places, orgs=orgs, organiser=organiser)
    first_ideas = collector.collect(FIRST, edition=first, scale=scale)
    first = edition_close_collection(edition=first, organiser=organiser)
    first = optimise(rng=rng, edition=first, scale=scale, places=places, orgs=orgs, organiser=organiser,
                     demo_officer=accounts[Role.STREET_OFFICER], workers=collector.workers, staff=collector.staff)
    first = review(rng, edition=first, scale=scale, places=places, organiser=organiser, printed=accounts,
                   residents=collector.residents, workers=collector.workers)
    money = random.Random(f"{seed}:contracting")  # a generator of its own: the second edition stays as it was
    first = fund(money, contracting=contract(money, edition=first, scale=scale, orgs=orgs, printed=accounts),
                 scale=scale)

    second = edition_open(spec=SECOND, places=places, orgs=orgs, organiser=organiser)
    second_ideas = collector.collect(SECOND, edition=second, scale=scale)
    # Similar ideas: index every idea in bulk now, so the per-idea indexing at commit finds nothing to do.
    ideas_index(ideas=list(Idea.objects.filter(edition__in=[first, second])))

    return DemoBuild(first=first, second=second, ideas={first.slug: len(first_ideas), second.slug: len(second_ideas)},
                     seconds=time.perf_counter() - started)
