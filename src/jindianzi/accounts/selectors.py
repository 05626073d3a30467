from django.contrib.auth import get_user_model

from jindianzi.core.fields import digest
from jindianzi.core.privacy import is_mobile_number, normalise_phone

from .models import Role, RoleAssignment


def user_by_login(login: str):
    """The account for a phone number, an e-mail address or a username, or None."""
    User = get_user_model()
    login = (login or "").strip()
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    phone = normalise_phone(login)
    if is_mobile_number(phone):
        return User.objects.filter(phone_digest=digest(phone)).first()
    return User.objects.filter(username=login).first()


def assignments_of(user) -> list[RoleAssignment]:
    """A user's role assignments, loaded once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_jdz_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("area", "organization"))
        user._jdz_assignments = cached
    return cached


def areas_where(user, *roles: Role) -> list:
    return [a.area for a in assignments_of(user) if a.role in roles and a.area is not None]


def organizations_where(user, *roles: Role) -> list:
    return [a.organization for a in assignments_of(user) if a.role in roles and a.organization is not None]


def has_role_over(user, area, *roles: Role) -> bool:
    """True when the user holds one of ``roles`` in ``area`` or in an area containing it."""
    if area is None:
        return False
    return any(scope.contains(area) for scope in areas_where(user, *roles))
