import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import organizations_where


@rules.predicate
def works_for(user, organization):
    return organization is not None and any(o.pk == organization.pk for o in organizations_where(user, Role.ORG_STAFF))


rules.add_perm("organizations.act_for_organization", works_for)
