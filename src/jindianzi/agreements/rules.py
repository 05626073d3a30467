"""Who may see and do what with agreements. Pages, the API and the services ask these."""

import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, role_over_area
from jindianzi.accounts.selectors import organizations_where

from .services import may_confirm_milestone, may_sign

organiser_of_edition = role_over_area(Role.DISTRICT_ORGANISER, area_of=lambda edition: edition.district)
organiser_of_agreement = role_over_area(Role.DISTRICT_ORGANISER, area_of=lambda a: a.edition.district)
street_of_agreement = role_over_area(Role.STREET_OFFICER, area_of=lambda a: a.project.street)
staff_over_project = role_over_area(Role.STREET_OFFICER, Role.DISTRICT_ORGANISER, area_of=lambda p: p.street)


@rules.predicate
def signs_a_party(user, agreement):
    return agreement is not None and any(may_sign(user, agreement, party) for party in agreement.parties.all())


@rules.predicate
def funds_it(user, agreement):
    """An officer of one of the agreement's funding sources."""
    if agreement is None:
        return False
    sources = {share.source.organization_id for share in agreement.shares.select_related("source")}
    return any(o.pk in sources for o in organizations_where(user, Role.FOUNDATION_OFFICER))


@rules.predicate
def confirms_milestones(user, agreement):
    return agreement is not None and may_confirm_milestone(user, agreement)


rules.add_perm("agreements.view_agreement_list", has_any_role(
    Role.DISTRICT_ORGANISER, Role.STREET_OFFICER, Role.FOUNDATION_OFFICER, Role.SUPPORT_STAFF, Role.ORG_STAFF))
rules.add_perm("agreements.view_agreement", organiser_of_agreement | street_of_agreement | signs_a_party | funds_it)
rules.add_perm("agreements.set_framework", organiser_of_edition)
rules.add_perm("agreements.create_agreement", staff_over_project)
rules.add_perm("agreements.sign_agreement", signs_a_party)
rules.add_perm("agreements.cancel_agreement", organiser_of_agreement)
rules.add_perm("agreements.confirm_milestone", confirms_milestones)
