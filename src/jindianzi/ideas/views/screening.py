"""Screening (优化): the staff workbench, the staff idea page, decisions and research notes.

Community workers, street officers and district organisers see the ideas of their own
areas. Every decision is one call to ``idea_screen`` or ``ideas_screen_bulk``, which
check the permission again and write the history and audit records.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..forms_screening import BulkDecisionForm, DecisionForm, NoteForm, ScreeningFilterForm
from ..models import Idea
from ..selectors import idea_for_staff, ideas_for_screening, merged_project_url, screening_areas
from ..services import idea_note_add, idea_screen, ideas_screen_bulk
from ..workflow import REVISABLE_STATES, TRANSITIONS

PAGE_SIZE = 25


def _require_screener(user) -> None:
    if not screening_areas(user):
        raise PermissionDenied


@login_required
def workbench(request):
    """GET: the queue with its filters. POST: one decision for the ticked ideas, then the queue again."""
    _require_screener(request.user)
    bulk_form = BulkDecisionForm(request.POST or None)
    outcome = None
    if request.method == "POST" and bulk_form.is_valid():
        outcome = _decide_bulk(request, bulk_form)
        bulk_form = BulkDecisionForm()
    filter_form = ScreeningFilterForm(request.GET or None, user=request.user)
    page = Paginator(ideas_for_screening(user=request.user, **filter_form.filters()), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ticked = set(bulk_form.data.getlist("ideas")) if bulk_form.is_bound else set()
    context = {
        "filter_form": filter_form, "bulk_form": bulk_form, "page": page, "query": query.urlencode(),
        "outcome": outcome, "ticked": ticked,
        # The sticky "N ticked" bar counts in the browser; it reads its words from here.
        "ticked_labels": [ngettext("%(n)s idea ticked", "%(n)s ideas ticked", n) for n in (1, 2)],
    }
    template = "ideas/_screening_queue.html" if request.htmx else "ideas/screening.html"
    return render(request, template, context)


def _decide_bulk(request, form):
    data = form.cleaned_data
    codes = data["ideas"]
    found = {idea.tracking_code: idea for idea in Idea.objects.filter(tracking_code__in=codes)}
    done, refused = ideas_screen_bulk(actor=request.user, ideas=[found[c] for c in codes if c in found],
                                      decision=data["decision"], reason=data["reason"])
    unknown = [code for code in codes if code not in found]
    return {"decision": data["decision"], "done": done, "refused": refused, "unknown": unknown,
            "not_changed": len(refused) + len(unknown)}


def _staff_idea_or_404(request, code):
    idea = idea_for_staff(code)
    if idea is None:
        raise Http404
    if not request.user.has_perm("ideas.screen_idea", idea):
        raise PermissionDenied
    return idea


@login_required
def staff_idea(request, code):
    idea = _staff_idea_or_404(request, code)
    return _render_staff_idea(request, idea)


def _render_staff_idea(request, idea, *, decision_form=None, note_form=None):
    user = request.user
    return render(request, "ideas/staff_idea.html", {
        "idea": idea,
        "can_see_phone": user.has_perm("ideas.view_proposer_phone", idea),
        "can_see_notes": user.has_perm("ideas.view_research_notes", idea),
        "can_revise": user.has_perm("ideas.revise_idea", idea),
        "decision_form": decision_form or DecisionForm(state=idea.state),
        "note_form": note_form or NoteForm(),
        "revision_count": idea.revisions.count(),
        "is_revisable": idea.state in REVISABLE_STATES,
        "steps": [(step, TRANSITIONS[step.name].label if step.name in TRANSITIONS else step.name)
                  for step in idea.transitions.all()],
        "project_url": merged_project_url(idea),
    })


@require_POST
@login_required
def decide(request, code):
    idea = _staff_idea_or_404(request, code)
    form = DecisionForm(request.POST, state=idea.state)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            idea_screen(actor=request.user, idea=idea, decision=decision, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, {
                "shortlist": _("Shortlisted. The proposer and the idea's followers have been told."),
                "decline": _("Declined. The proposer and the idea's followers have been told why."),
                "request_improvement": _("The proposer has been asked to improve the idea."),
            }[decision])
            # Say where to land: otherwise the browser keeps the form's "#decide" and hides the message.
            return redirect(reverse("ideas:staff_idea", args=[idea.tracking_code]) + "#main")
    return _render_staff_idea(request, idea, decision_form=form)


@require_POST
@login_required
def note_add(request, code):
    idea = _staff_idea_or_404(request, code)
    if not request.user.has_perm("ideas.view_research_notes", idea):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            idea_note_add(actor=request.user, idea=idea, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc.messages)
        else:
            messages.success(request, _("Research note saved."))
            return redirect(reverse("ideas:staff_idea", args=[idea.tracking_code]) + "#notes")
    return _render_staff_idea(request, idea, note_form=form)
