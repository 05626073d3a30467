"""Who may do what with projects and match offers. Every page and service asks these.

The rules say who; the services say when (a submitted project can no longer
change, an answered offer cannot be answered again) and explain why not.
"""

import rules
from django.db.models import Q

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, role_over_area
from jindianzi.accounts.selectors import areas_where, organizations_where
from jindianzi.ideas.models import Idea

# Street officers of the project's (lead) street and the district organiser run integration and matching.
staff_over_project = role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER, area_of=lambda p: p.street)


@rules.predicate
def staff_over_a_project_idea(user, project):
    """Staff over the community of one of the project's ideas (a worker there, or an officer of another street)."""
    areas = areas_where(user, Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER)
    if project is None or not areas:
        return False
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(community__path__startswith=area.path)
    return Idea.objects.filter(query, merged_into=project).exists()


@rules.predicate
def works_for_implementer(user, project):
    """Staff of the organisation that accepted to implement the project."""
    return (project is not None and project.organization_id is not None
            and any(o.pk == project.organization_id for o in organizations_where(user, Role.ORG_STAFF)))


@rules.predicate
def works_for_offered_organization(user, offer):
    return offer is not None and any(o.pk == offer.organization_id for o in organizations_where(user, Role.ORG_STAFF))


# The staff list of projects and the merge page.
rules.add_perm("projects.view_project_list",
               has_any_role(Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER))
# Merging: street officers within their street; across streets only the district organiser (checked by the service).
rules.add_perm("projects.create_project", has_any_role(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER))
# A project's staff page: staff of its street and district, and (read only) staff of the areas its ideas came from.
rules.add_perm("projects.view_project_workspace", staff_over_project | staff_over_a_project_idea)
rules.add_perm("projects.change_project", staff_over_project)
rules.add_perm("projects.match_project", staff_over_project)
rules.add_perm("projects.submit_project", staff_over_project)
# The plan and budget: staff, and the organisation that accepted to implement it (it writes most of the plan).
rules.add_perm("projects.edit_plan", staff_over_project | works_for_implementer)
# An organisation's staff see and answer the offers made to their organisation.
rules.add_perm("projects.view_offers", has_any_role(Role.ORG_STAFF))
rules.add_perm("projects.answer_offer", works_for_offered_organization)
