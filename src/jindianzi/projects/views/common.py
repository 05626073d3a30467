"""What the project pages share: finding the project, asking the rules, reporting a service's refusal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from ..models import Project
from ..selectors import project_for_staff


def staff_project(request, code: str, permission: str = "projects.view_project_workspace") -> Project:
    project = project_for_staff(code)
    if project is None:
        raise Http404
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def report(request, exc) -> None:
    """A service said no: show its reasons, each as one message."""
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def apply_errors(form, exc) -> None:
    """Put a service's ValidationError on the form fields it names, or on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def revisions_url(idea) -> str | None:
    """The idea's revisions page, where the ideas stage has one."""
    try:
        return reverse("ideas:revisions", args=[idea.tracking_code])
    except NoReverseMatch:
        return None
