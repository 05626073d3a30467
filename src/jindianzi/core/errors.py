"""Errors a service raises when a rule says no.

Views and the API turn them into a message in the user's language; the
message is written with gettext at the point the rule is checked.
"""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "TransitionNotAllowed"]


class TransitionNotAllowed(ValidationError):
    """A named transition was asked for from a state that does not allow it."""
