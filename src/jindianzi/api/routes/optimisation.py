"""Optimisation (优化) through the API: staff screening decisions, and every revision of an idea.

The services decide who may do what (``ideas.screen_idea``, ``ideas.revise_idea``),
exactly as for the web pages.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from jindianzi.core.money import yuan
from jindianzi.ideas.models import Idea
from jindianzi.ideas.selectors import idea_by_code
from jindianzi.ideas.services import idea_revise, idea_screen, ideas_screen_bulk

from ..auth import signed_in
from ..schemas import (
    BulkDecisionIn, BulkDecisionOut, DecisionIn, ErrorOut, IdeaDetailOut, RevisionIn, RevisionOut, ValidationErrorOut,
)

router = Router(tags=["optimisation"])
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ValidationErrorOut,
            422: ValidationErrorOut}


def _idea_or_404(code: str) -> Idea:
    idea = idea_by_code(code)
    if idea is None:
        raise Http404(_("No idea has this tracking code. Please check it and try again."))
    return idea


@router.post("/ideas/{code}/decision", auth=signed_in, response={200: IdeaDetailOut, **REFUSALS},
             summary="Shortlist, decline or ask for improvement (staff)")
def decide_idea(request, code: str, payload: DecisionIn):
    idea_screen(actor=request.auth, idea=_idea_or_404(code), decision=payload.decision, reason=payload.reason)
    return _idea_or_404(code)


@router.post("/ideas/decisions", auth=signed_in, response={200: BulkDecisionOut, **REFUSALS},
             summary="The same decision for several ideas (staff)")
def decide_ideas(request, payload: BulkDecisionIn):
    codes = [code.strip().upper() for code in payload.ideas]
    found = {idea.tracking_code: idea for idea in Idea.objects.filter(tracking_code__in=codes)}
    unknown = [{"tracking_code": code, "reason": _("No idea has this tracking code.")}
               for code in codes if code not in found]
    done, refused = ideas_screen_bulk(actor=request.auth, ideas=[found[c] for c in codes if c in found],
                                      decision=payload.decision, reason=payload.reason)
    return {"done": [idea.tracking_code for idea in done],
            "refused": unknown + [{"tracking_code": idea.tracking_code, "reason": why} for idea, why in refused]}


@router.get("/ideas/{code}/revisions", response={200: list[RevisionOut], 404: ErrorOut},
            summary="Every version of an idea's text, oldest first")
def list_revisions(request, code: str):
    return list(_idea_or_404(code).revisions.select_related("idea"))


@router.post("/ideas/{code}/revisions", auth=signed_in, response={201: RevisionOut, **REFUSALS},
             summary="Improve the idea (完善提升): a new revision")
def revise_idea(request, code: str, payload: RevisionIn):
    revision = idea_revise(actor=request.auth, idea=_idea_or_404(code), title=payload.title,
                           problem=payload.problem, proposal=payload.proposal, beneficiaries=payload.beneficiaries,
                           estimated_budget=yuan(payload.estimated_budget), note=payload.note)
    return Status(201, revision)
