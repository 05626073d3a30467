"""The review panels of the demo's street rounds, and the points their members give.

Each project has a drawn quality and strengths per criterion of the rubric,
unknown to the panel; each reviewer scores around them, with their own
leniency and some chance, so that better projects rank higher without the
ranking being a foregone conclusion. A reviewer who proposed one of a
project's ideas (or works for its organisation) is excluded from it, as the
review services will find; so the panel's ranking can be foreseen, and the
street's budget set from it, before the round is created.
"""

import random
from dataclasses import dataclass, field

from jindianzi.accounts.models import Role, User
from jindianzi.accounts.selectors import organizations_where
from jindianzi.accounts.services import role_grant, user_register
from jindianzi.ideas.models import Idea
from jindianzi.projects.models import Project
from jindianzi.reviews.ranking import combine, reviewer_score
from jindianzi.reviews.services import automatic_conflict
from jindianzi.reviews.workflow import Aggregation, Conflict

from .accounts import ResidentPool
from .corpus.review import CONCERN, PRAISE
from .decisions import Sheets
from .people import person_name
from .places import DemoDistrict

EXPERTS = 5              # the district's expert reviewers, the printed one among them
_EXPERT_PREFIX = "133"   # number range of the experts nobody signs in to (see ``demo.accounts``)
# Points (0-10) around which reviewers score, and how much quality, strengths, leniency and chance move them.
BASE, QUALITY, STRENGTH, LENIENCY, NOISE = 6.4, 1.1, 0.6, 0.4, 0.8
COMMENTED = 0.35         # reviewers who add a comment to their points


@dataclass(frozen=True)
class Merit:
    """What a project is worth, unknown to the panel: overall, and per criterion (both around 0)."""

    quality: float
    strengths: dict[str, float]


@dataclass
class StreetReview:
    """One street's round as the demo plans it, before it is held through the services."""

    street: object
    chair: User
    projects: list[Project]
    panel: list[tuple[User, str]] = field(default_factory=list)
    sheets: Sheets = field(default_factory=dict)   # (reviewer pk, project pk) -> points, None if excluded
    declared: tuple[User, Project] | None = None  # a conflict of interest a reviewer will declare


def rank_key(project: Project, score, votes=None):
    # As ``reviews.ranking.round_ranking`` orders its rows.
    return (score is None, -(score or 0), -(votes or 0), project.code)


def experts_build(*, rng: random.Random, printed: User, actor) -> list[User]:
    """The district's expert reviewers, the printed one first; the others have no password."""
    experts = [printed]
    for number in range(1, EXPERTS):
        user = user_register(login=f"{_EXPERT_PREFIX}{number:08d}", password=None, display_name=person_name(rng),
                             verified=True)
        role_grant(actor=actor, user=user, role=Role.EXPERT)
        experts.append(user)
    return experts


def officer_of(street) -> User:
    """The street's officer, as ``demo.optimisation`` made them (the printed one for its street)."""
    return (User.objects.filter(role_assignments__role=Role.STREET_OFFICER, role_assignments__area=street)
            .order_by("pk").first())


def resident_representative(rng: random.Random, street, *, places: DemoDistrict, residents: ResidentPool,
                             printed: User) -> User:
    """A resident of the street, mostly one who proposed ideas (other than the printed resident)."""
    communities = places.communities_of(street)
    known = [u for c in communities for u in residents.by_community.get(c.pk, []) if u.pk != printed.pk]
    return rng.choice(known) if known else residents.of(rng.choice(communities), 1)[0]


def _points(rng: random.Random, merit: Merit, leniency: float, criteria) -> dict[str, int]:
    base = BASE + QUALITY * merit.quality + leniency
    return {c.code: max(0, min(10, round(base + STRENGTH * merit.strengths[c.code] + rng.gauss(0, NOISE))))
            for c in criteria}


def comment_for(rng: random.Random, points: dict[str, int]) -> str:
    if rng.random() >= COMMENTED:
        return ""
    best, worst = max(points, key=points.get), min(points, key=points.get)
    return PRAISE[best] + (CONCERN[worst] if points[worst] < 7 else "")


def sheets_draw(rng: random.Random, item: StreetReview, *, merits: dict[int, Merit], leniency: dict[int, float],
                criteria) -> None:
    """Every panel member's points on every project, or None where a conflict excludes them."""
    pks = [p.pk for p in item.projects]
    for reviewer, _role in item.panel:
        organizations = {o.pk for o in organizations_where(reviewer, Role.ORG_STAFF)}
        proposed = set(Idea.objects.filter(merged_into__in=pks, proposer=reviewer)
                       .values_list("merged_into_id", flat=True))
        for project in item.projects:
            excluded = automatic_conflict(reviewer, project, proposer_projects=proposed,
                                          organizations=organizations) != Conflict.NONE
            excluded = excluded or item.declared == (reviewer, project)
            item.sheets[reviewer.pk, project.pk] = (
                None if excluded else _points(rng, merits[project.pk], leniency[reviewer.pk], criteria))


def projected_order(item: StreetReview, criteria) -> list[Project]:
    """The panel's ranking the sheets will give (the resident vote is not known yet)."""
    scores = {}
    for project in item.projects:
        given = [reviewer_score({c.pk: points[c.code] for c in criteria}, criteria)
                 for reviewer, _role in item.panel
                 if (points := item.sheets[reviewer.pk, project.pk]) is not None]
        scores[project.pk] = combine(given, Aggregation.MEAN)
    return sorted(item.projects, key=lambda p: rank_key(p, scores[p.pk]))
