"""Plays the matching (对接): each project is offered to an organisation the system suggests, which answers.

The street officer takes ``organizations_suggested_for`` as staff see it on
the page and offers the project to one of the top suggestions that work in
the project's field, mostly the first; the organisation's staff accept. Now
and then the organisation declines with a reason and the next one is asked.
Because the suggestions count an organisation's current load, projects
spread over many organisations, as they did in the seed (113 community
social organisations).
"""

import random

from jindianzi.projects.matching import organizations_suggested_for
from jindianzi.projects.services import match_offer_answer, match_offer_send

from .accounts import OrganizationStaff
from .corpus.plans import OFFER_ACCEPTANCES, OFFER_DECLINES, OFFER_MESSAGES
from .integration import MergedProject

# Which of the top suggestions the officer offers the project to first.
FIRST_CHOICE_WEIGHTS = (60, 25, 15)
DECLINES_FIRST = 0.08
SUGGESTIONS_LOOKED_AT = 8
LOAD = "load"  # the score part of an organisation's current load (see ``projects.matching``)
# Groups that take on any kind of project: the hubs (which have no field of their own), and
# volunteer associations and neighbourhood groups among those working for all residents.
GENERAL_CATEGORY = "comprehensive"
GENERAL_PURPOSE = ("志愿者协会", "邻里互助会", "睦邻服务社", "志愿服务站", "社会工作服务中心")


def _offer(rng: random.Random, project, organization, *, officer, staff: OrganizationStaff, accept: bool):
    answering = staff.of(organization)  # staff exist before the offer, so they are told about it
    offer = match_offer_send(actor=officer, project=project, organization=organization,
                             message=rng.choice(OFFER_MESSAGES).format(title=project.title))
    reason = rng.choice(OFFER_ACCEPTANCES if accept else OFFER_DECLINES)
    return match_offer_answer(actor=answering, offer=offer, accept=accept, reason=reason)


def _fitting(suggestions: list, *, category: str, focus: dict[int, str]) -> tuple[list, int]:
    """The suggested organisations in the order an officer would consider them, and how many of them fit.

    Groups that work in the project's category come first, then general-purpose
    groups (the hubs, volunteer associations ...), then the rest; within each,
    groups without a project in this edition yet come first (officers spread the
    work, so that more groups grow), then the system's order. The suggestions
    know an organisation's field only from its past projects and ideas; the
    officer also knows what each group does (a football club is not asked to
    run a lunch table for the elderly).
    """
    def fit(org) -> int:
        if focus.get(org.pk) == category:
            return 0
        general = org.pk not in focus or (focus[org.pk] == GENERAL_CATEGORY and org.name.endswith(GENERAL_PURPOSE))
        return 1 if general else 2

    ordered = sorted(suggestions, key=lambda s: (fit(s.organization), s.points(LOAD) < 0))  # stable sort
    return [s.organization for s in ordered], sum(1 for s in ordered if fit(s.organization) < 2)


def match(rng: random.Random, *, merged: list[MergedProject], officers: dict[int, object],
          staff: OrganizationStaff, focus: dict[int, str]) -> None:
    """Find an implementing organisation for every project, in the order the projects were made."""
    for item in merged:
        project = item.project
        officer = officers[project.street_id]
        suggested = organizations_suggested_for(project, limit=SUGGESTIONS_LOOKED_AT)
        if not suggested:
            raise RuntimeError(f"no organisation can implement {project.code}")
        organizations, fitting = _fitting(suggested, category=item.ideas[0].category.code, focus=focus)
        weights = FIRST_CHOICE_WEIGHTS[:max(1, min(fitting, len(FIRST_CHOICE_WEIGHTS)))]
        first = organizations.pop(rng.choices(range(len(weights)), weights=weights)[0])
        if organizations and rng.random() < DECLINES_FIRST:
            _offer(rng, project, first, officer=officer, staff=staff, accept=False)
            first = organizations[0]
        _offer(rng, project, first, officer=officer, staff=staff, accept=True)
