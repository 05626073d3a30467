"""Improvement (完善提升): editing an idea, every revision kept and compared; following an idea."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..diff import revisions_diff
from ..forms import apply_service_errors
from ..forms_screening import RevisionForm
from ..models import Channel, Idea, IdeaRevision
from ..selectors import idea_by_code, idea_revisions
from ..services import idea_follow, idea_revise
from ..workflow import REVISABLE_STATES, IdeaState


def _idea_or_404(code) -> Idea:
    idea = idea_by_code(code)
    if idea is None:
        raise Http404
    return idea


@login_required
def edit(request, code):
    idea = _idea_or_404(code)
    if not request.user.has_perm("ideas.revise_idea", idea):
        raise PermissionDenied
    revisable = idea.state in REVISABLE_STATES
    form = RevisionForm.for_idea(idea, request.POST or None) if revisable else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        was_waiting_for_improvement = idea.state == IdeaState.IMPROVEMENT_REQUESTED
        try:
            revision = idea_revise(actor=request.user, idea=idea, title=data["title"], problem=data["problem"],
                                   proposal=data["proposal"], beneficiaries=data["beneficiaries"],
                                   estimated_budget=data["estimated_budget"], note=data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            message = _("Saved as version %(n)s. Every earlier version is kept.") % {"n": revision.number}
            if was_waiting_for_improvement:
                message += " " + _("The idea is back in the community's queue to be looked at again.")
            messages.success(request, message)
            return redirect("portal:idea_detail", code=idea.tracking_code)
    return render(request, "ideas/edit.html", {
        "idea": idea, "form": form, "revisable": revisable,
        "request_step": _latest_request(idea),
    })


def _latest_request(idea):
    """The staff's request for improvement the proposer is answering, if the idea is waiting for one."""
    if idea.state != IdeaState.IMPROVEMENT_REQUESTED:
        return None
    steps = [step for step in idea.transitions.all() if step.name == "request_improvement"]
    return steps[-1] if steps else None


def author_label(revision: IdeaRevision, idea: Idea) -> str:
    """Who wrote a version, as a public page may say it: never a resident's name."""
    if revision.author_id is not None and revision.author_id == idea.proposer_id:
        return _("The proposer")
    if revision.number == 1 and idea.channel in (Channel.PAPER, Channel.IMPORT):
        return _("The proposer, on a paper form")
    if revision.author_id is None:
        return _("The proposer")
    return _("Community staff")


def revisions(request, code):
    """Every version of the idea's text, and the difference between any two (``?a=1&b=3``)."""
    idea = _idea_or_404(code)
    versions = idea_revisions(idea)
    staff_view = request.user.has_perm("ideas.view_research_notes", idea)
    for version in versions:
        version.author_label = author_label(version, idea)
        version.author_name = str(version.author) if staff_view and version.author_id else ""
    by_number = {version.number: version for version in versions}
    latest = versions[-1].number if versions else 0
    a, b = request.GET.get("a"), request.GET.get("b")
    if a is None and b is None:
        older, newer = max(latest - 1, 1), latest  # without a choice: what the latest edit changed
    else:
        older, newer = _number(a), _number(b)
    compare, error = None, ""
    if versions and (older not in by_number or newer not in by_number):
        error = _("Choose two versions from the list (numbers 1 to %(n)s).") % {"n": len(versions)}
    elif versions and (older != newer or a is not None):
        compare = {
            "a": by_number[older], "b": by_number[newer],
            "fields": revisions_diff(by_number[older], by_number[newer], [
                (name, IdeaRevision._meta.get_field(name).verbose_name) for name in IdeaRevision.TEXT_FIELDS]),
        }
    return render(request, "ideas/revisions.html", {
        "idea": idea, "versions": versions, "compare": compare, "error": error,
        "a": older if older in by_number else max(latest - 1, 1), "b": newer if newer in by_number else latest,
    }, status=400 if error else 200)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
@login_required
def follow(request, code):
    idea = get_object_or_404(Idea, tracking_code=code.upper())
    wants = request.POST.get("follow") != "0"
    idea_follow(actor=request.user, idea=idea, follow=wants)
    messages.success(request, _("You will be told when this idea moves on.") if wants
                     else _("You no longer follow this idea."))
    return redirect("portal:idea_detail", code=idea.tracking_code)
