import rules

from jindianzi.accounts.models import Role
from jindianzi.accounts.predicates import has_any_role, role_over_area

is_organiser = has_any_role(Role.DISTRICT_ORGANISER)
organises_edition = role_over_area(Role.DISTRICT_ORGANISER, area_of=lambda edition: edition.district)

rules.add_perm("editions.create_edition", is_organiser)
rules.add_perm("editions.manage_edition", organises_edition)
