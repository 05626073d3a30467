"""Accounts of the demo: one printed account per role, and the staff and residents behind the ideas.

The printed accounts share one documented password. Everybody else (several
hundred residents, a worker per community, staff of proposing organisations)
gets an account without a password, as a resident recorded by staff would
have, so that building the demo does not hash hundreds of passwords.
"""

import random
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from jindianzi.accounts.models import Role, User
from jindianzi.accounts.services import role_grant, user_register

from .organizations import FOUNDATION, SUPPORT_CENTRE, DemoOrganizations
from .people import person_name
from .places import DISTRICT, DemoDistrict

# The one password of every printed demo account. Documented, and only for the demo.
DEMO_PASSWORD = "jindianzi-demo"
RESIDENT = "resident"  # being a resident needs no role assignment
# Where the printed resident lives and community worker works, and whom the printed staff member works for.
DEMO_COMMUNITY = "老爷庙社区"
DEMO_ORGANIZATION = "致慧青少年家庭教育服务中心"


@dataclass(frozen=True)
class DemoAccountSpec:
    role: str
    login: str
    display_name: str
    scope: str = ""  # the area or organisation the role is held in, by name


DEMO_ACCOUNTS = [
    DemoAccountSpec(RESIDENT, "13800000001", "李桂兰"),
    DemoAccountSpec(Role.COMMUNITY_WORKER, "13800000002", "张丽娟", DEMO_COMMUNITY),
    DemoAccountSpec(Role.STREET_OFFICER, "13800000003", "刘建华", "西屯街道"),
    DemoAccountSpec(Role.DISTRICT_ORGANISER, "13800000004", "赵志刚", DISTRICT),
    DemoAccountSpec(Role.FOUNDATION_OFFICER, "13800000005", "孙晓梅", FOUNDATION),
    DemoAccountSpec(Role.SUPPORT_STAFF, "13800000006", "周婷", SUPPORT_CENTRE),
    DemoAccountSpec(Role.ORG_STAFF, "13800000007", "何静", DEMO_ORGANIZATION),
    DemoAccountSpec(Role.EXPERT, "13800000008", "郑文博"),
    DemoAccountSpec(Role.SPONSOR, "13800000009", "马俊峰"),
]

# Number ranges of the accounts nobody signs in to, so that they never collide.
_RESIDENT_PREFIX, _WORKER_PREFIX, _ORG_STAFF_PREFIX = "186", "137", "135"


class DemoLogin(NamedTuple):
    role: str  # the role's label, with the area or organisation it is held in
    login: str
    password: str


def _role_label(spec: DemoAccountSpec) -> str:
    label = _("Resident") if spec.role == RESIDENT else str(Role(spec.role).label)
    return f"{label} · {spec.scope}" if spec.scope else label


def demo_accounts() -> list[DemoLogin]:
    """The printed demo accounts: role, login and password of each."""
    return [DemoLogin(_role_label(spec), spec.login, DEMO_PASSWORD) for spec in DEMO_ACCOUNTS]


def demo_accounts_build(*, places: DemoDistrict, orgs: DemoOrganizations) -> dict[str, User]:
    """Create the printed accounts and grant each its role; returns them by role."""
    areas = {places.district.name: places.district, **places.streets, **places.communities}
    users = {}
    for spec in DEMO_ACCOUNTS:
        user = user_register(login=spec.login, password=DEMO_PASSWORD, display_name=spec.display_name,
                             verified=True)
        if spec.role != RESIDENT:
            area = areas.get(spec.scope)
            organization = orgs.by_name(spec.scope) if spec.scope and area is None else None
            role_grant(user=user, role=spec.role, area=area, organization=organization)
        users[str(spec.role)] = user
    return users


def _passwordless(prefix: str, number: int, display_name: str) -> User:
    return user_register(login=f"{prefix}{number:08d}", password=None, display_name=display_name, verified=True)


def community_workers_build(*, rng: random.Random, places: DemoDistrict, demo_worker: User,
                            actor=None) -> dict[int, User]:
    """One community worker per community (the printed one for 老爷庙社区); by community id."""
    workers = {}
    for number, (name, community) in enumerate(places.communities.items(), start=1):
        if name == DEMO_COMMUNITY:
            workers[community.pk] = demo_worker
            continue
        worker = _passwordless(_WORKER_PREFIX, number, person_name(rng))
        role_grant(actor=actor, user=worker, role=Role.COMMUNITY_WORKER, area=community)
        workers[community.pk] = worker
    return workers


class OrganizationStaff:
    """A staff member for each organisation that proposes ideas, created the first time one is needed."""

    def __init__(self, *, rng: random.Random, known: dict[int, User] | None = None, actor=None):
        self.rng, self.actor = rng, actor
        self.staff: dict[int, User] = dict(known or {})
        self.created = 0

    def of(self, organization) -> User:
        if organization.pk not in self.staff:
            self.created += 1
            user = _passwordless(_ORG_STAFF_PREFIX, self.created, person_name(self.rng))
            role_grant(actor=self.actor, user=user, role=Role.ORG_STAFF, organization=organization)
            self.staff[organization.pk] = user
        return self.staff[organization.pk]


class ResidentPool:
    """Residents of each community, created the first time the collection needs them.

    The same people come back: a community's second edition draws first on
    the residents who proposed in the first.
    """

    def __init__(self, *, rng: random.Random, known: dict[int, list[User]] | None = None):
        self.rng = rng
        self.by_community: dict[int, list[User]] = {pk: list(users) for pk, users in (known or {}).items()}
        self.created = 0

    def of(self, community, count: int) -> list[User]:
        pool = self.by_community.setdefault(community.pk, [])
        while len(pool) < count:
            self.created += 1
            pool.append(_passwordless(_RESIDENT_PREFIX, self.created, person_name(self.rng)))
        return pool[:count]
