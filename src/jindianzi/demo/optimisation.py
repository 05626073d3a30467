"""Plays an edition's optimisation phase (优化): screening, improvement, integration, matching and plans.

After the collection, the same services staff, proposers and organisations
call take the edition from its collected ideas to projects submitted to the
street reviews, with the build's random generator:

1. screening (调研优选): research notes, requests for improvement and revised
   ideas, shortlists and declines (``demo.screening``);
2. integration (二次优化整合): similar shortlisted ideas of a street are merged
   into projects (``demo.integration``);
3. matching (对接): each project is offered to a suggested organisation, which
   accepts (``demo.matching``);
4. plans: the organisation writes the plan and budget, the street officer
   submits the project (``demo.planning``).

Then the edition moves on to approval (立项).

The article reports 376 ideas shortlisted and improved, and how the 185
contracted projects divide among the categories. The numbers below are
chosen so that every category keeps comfortably more projects than the
article says it contracted, for the review (190 pass) and contracting stages
to choose from; at other scales they scale with the number of ideas.
"""

import random
from decimal import Decimal
from dataclasses import dataclass

from jindianzi.accounts.models import Role, User
from jindianzi.accounts.services import role_grant, user_register
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.editions.services import edition_advance_phase
from jindianzi.ideas.models import Idea

from .accounts import DEMO_ACCOUNTS, OrganizationStaff
from .editions import scaled_counts
from .integration import integrate
from .matching import match
from .organizations import DemoOrganizations
from .people import person_name
from .places import DemoDistrict
from .planning import plan_and_submit
from .screening import Screeners, candidates_of, choose_shortlist, screen

# Shortlisted ideas per category at scale 1: 376 in all, the article's figure.
SHORTLISTED = {"disabled": 14, "elderly": 118, "youth": 63, "special_groups": 30, "comprehensive": 151}
# Projects they are merged into, per category: 210 in all, against 6, 58, 30, 14 and 77 contracted.
PROJECTS = {"disabled": 8, "elderly": 66, "youth": 35, "special_groups": 17, "comprehensive": 84}

# Number range of the street officers' accounts nobody signs in to (see ``demo.accounts``).
_OFFICER_PREFIX = "139"


@dataclass
class OptimisationTargets:
    shortlisted: dict[str, int]
    projects: dict[str, int]


def targets_at(scale: float, collected: dict[str, int]) -> OptimisationTargets:
    """The targets at ``scale``: never more shortlisted than collected, nor more projects than shortlisted."""
    shortlisted = {code: min(count, collected.get(code, 0))
                   for code, count in scaled_counts(SHORTLISTED, scale).items()}
    projects = {code: min(max(count, 1), shortlisted[code])
                for code, count in scaled_counts(PROJECTS, scale).items()}
    return OptimisationTargets(shortlisted, projects)


def street_officers_build(*, rng: random.Random, places: DemoDistrict, demo_officer: User,
                          actor=None) -> dict[int, User]:
    """One officer per street or town (the printed one for its street); by street id."""
    printed = next(spec.scope for spec in DEMO_ACCOUNTS if spec.role == Role.STREET_OFFICER)
    officers = {}
    for number, (name, street) in enumerate(places.streets.items(), start=1):
        if name == printed:
            officers[street.pk] = demo_officer
            continue
        officer = user_register(login=f"{_OFFICER_PREFIX}{number:08d}", password=None,
                                display_name=person_name(rng), verified=True)
        role_grant(actor=actor, user=officer, role=Role.STREET_OFFICER, area=street)
        officers[street.pk] = officer
    return officers


def optimise(*, rng: random.Random, edition: Edition, scale: float, places: DemoDistrict, orgs: DemoOrganizations,
             organiser: User, demo_officer: User, workers: dict[int, User], staff: OrganizationStaff) -> Edition:
    """Play the optimisation phase of ``edition`` (which must be in it) and move it on to approval."""
    officers = street_officers_build(rng=rng, places=places, demo_officer=demo_officer, actor=organiser)
    ideas = list(Idea.objects.filter(edition=edition).select_related("community", "category").order_by("pk"))
    collected = {}
    for idea in ideas:
        collected[idea.category.code] = collected.get(idea.category.code, 0) + 1
    targets = targets_at(scale, collected)
    # Screening judges budgets against the edition's maximum, or the largest estimate where it sets none.
    max_budget = edition.max_budget_per_idea or max((idea.estimated_budget for idea in ideas), default=Decimal(1))

    candidates = candidates_of(rng, ideas, max_budget=max_budget)
    shortlist = choose_shortlist(rng, candidates, shortlisted=targets.shortlisted, projects=targets.projects)
    screen(rng, candidates=candidates, shortlist=shortlist, screeners=Screeners(workers, officers),
           settings=places.setting, max_budget=max_budget)

    merged = integrate(rng, edition=edition, officers=officers, projects=targets.projects)
    match(rng, merged=merged, officers=officers, staff=staff, focus=orgs.focus)
    plan_and_submit(rng, edition=edition, merged=merged, officers=officers, staff=staff)
    return edition_advance_phase(actor=organiser, edition=edition, expected_phase=PhaseKind.OPTIMISATION)
