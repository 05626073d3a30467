"""Every refusal as JSON with a message in the caller's language (LocaleMiddleware picks it).

422 ``{"detail": ..., "errors": {field: [messages]}}`` for bad input, whether
ninja rejects the request's shape or a service rejects its content; 401 when
nobody is signed in, 403 when the rules say no, 404, 409 when the idea's
state does not allow the transition, and 400 when the body is not JSON.

Messages about a request's shape reuse Django's form messages where one fits,
because Django ships them in both languages.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from jindianzi.core.errors import TransitionNotAllowed

# Where ninja says a value came from; the field name follows it (and, for a body, the argument name).
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _shape_message(error: dict) -> str:
    """A pydantic error, said the way a form would say it."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "money":
        return _("Enter the amount in yuan as text with at most two decimals, for example \"12000.00\".")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext("Enter at most %(limit)d character.", "Enter at most %(limit)d characters.",
                        limit) % {"limit": limit}
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx.get("le")}
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": ctx.get("ge")}
    return _("Enter a valid value.")


def _ninja_message(exc: HttpError) -> str:
    """Ninja's own refusals, which it words in English only."""
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if message == "CSRF check Failed":
        return _("CSRF verification failed. Request aborted.")
    return message


def _field_of(loc) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in LOCATIONS:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the handler's argument name, e.g. "payload"
    return ".".join(parts) or NON_FIELD_ERRORS


def _answer(api, request, errors: dict[str, list[str]], status: int):
    messages = [message for field_messages in errors.values() for message in field_messages]
    detail = messages[0] if len(messages) == 1 else _(
        "Some of what was sent is not valid; see the message for each field.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


def install(api) -> None:
    """Register the handlers on ``api`` in place of ninja's defaults."""

    @api.exception_handler(RequestValidationError)
    def request_invalid(request, exc):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(error.get("loc", ())), []).append(_shape_message(error))
        return _answer(api, request, errors, 422)

    @api.exception_handler(ValidationError)
    def service_refused(request, exc):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        return _answer(api, request, errors, 409 if isinstance(exc, TransitionNotAllowed) else 422)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        detail = str(exc) or _("You are not allowed to do this.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(HttpError)
    def ninja_refused(request, exc):
        return api.create_response(request, {"detail": _ninja_message(exc)}, status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def not_signed_in(request, exc):
        detail = _("Please sign in: use a signed-in session, or send your mobile number or e-mail address "
                   "and password with HTTP Basic authentication.")
        return api.create_response(request, {"detail": detail}, status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        detail = str(exc) if exc.args else _("Not found.")
        return api.create_response(request, {"detail": detail}, status=404)
