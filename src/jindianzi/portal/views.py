"""Public pages: no account needed, and nothing personal on them."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jindianzi.editions.selectors import editions_collecting, editions_public
from jindianzi.ideas.selectors import idea_by_code, ideas_public, is_following, merged_project_url
from jindianzi.ideas.workflow import REVISABLE_STATES, IdeaState
from jindianzi.reports.selectors import funnel

from .forms import IdeaFilterForm, TrackForm

PAGE_SIZE = 20


def home(request):
    collecting = list(editions_collecting())
    latest = editions_public().order_by("-created_at").first()
    return render(request, "portal/home.html", {
        "collecting": collecting,
        "latest": latest,
        "latest_funnel": funnel(latest) if latest else None,
        "track_form": TrackForm(),
    })


def idea_list(request):
    form = IdeaFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {"edition": form.default_edition()}
    page = Paginator(ideas_public(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "portal/_idea_results.html" if request.htmx else "portal/idea_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def idea_detail(request, code):
    idea = idea_by_code(code)
    if idea is None:
        raise Http404
    user = request.user
    return render(request, "portal/idea_detail.html", {
        "idea": idea,
        "can_see_private": user.has_perm("ideas.view_idea_private", idea),
        "can_see_phone": user.has_perm("ideas.view_proposer_phone", idea),
        "can_withdraw": idea.state == IdeaState.SUBMITTED and user.has_perm("ideas.withdraw_idea", idea),
        "can_revise": idea.state in REVISABLE_STATES and user.has_perm("ideas.revise_idea", idea),
        "can_screen": user.has_perm("ideas.screen_idea", idea),
        "following": is_following(user, idea),
        "revision_count": idea.revisions.count(),
        "public_reasons": PUBLIC_REASONS,
        "latest_reason": _latest_reason(idea),
        "project_url": merged_project_url(idea),
    })


# Screening decisions whose reason is written for the proposer and shown to everyone with the idea.
PUBLIC_REASONS = ("shortlist", "decline", "request_improvement")


def _latest_reason(idea):
    """The step that explains the idea's current status to the proposer (a decline or a request), if any."""
    if idea.state not in (IdeaState.DECLINED, IdeaState.IMPROVEMENT_REQUESTED):
        return None
    steps = [step for step in idea.transitions.all() if step.to_state == idea.state]
    return steps[-1] if steps else None


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        idea = idea_by_code(form.cleaned_data["code"])
        if idea is not None:
            return redirect(reverse("portal:idea_detail", args=[idea.tracking_code]))
        form.add_error("code", form.not_found_message)
    return render(request, "portal/track.html", {"form": form})
