"""Building blocks for permission rules (django-rules predicates).

Each app's ``rules.py`` combines these into named permissions; views, the
API and services all ask ``user.has_perm(name, obj)``, so one place decides.
"""

import rules

from .models import Role
from .selectors import areas_where, has_role_over, organizations_where


def role_over_area(*roles: Role, area_of=lambda obj: obj):
    """Predicate: the user holds one of ``roles`` over the area that ``area_of(obj)`` gives."""

    names = "_".join(r.value for r in roles)

    @rules.predicate(name=f"role_over_area:{names}")
    def predicate(user, obj):
        return obj is not None and has_role_over(user, area_of(obj), *roles)

    return predicate


def has_any_role(*roles: Role):
    names = "_".join(r.value for r in roles)

    @rules.predicate(name=f"has_any_role:{names}")
    def predicate(user):
        return bool(areas_where(user, *roles) or organizations_where(user, *roles))

    return predicate


@rules.predicate
def is_verified(user):
    return bool(getattr(user, "is_verified", False))


is_authenticated = rules.is_authenticated
