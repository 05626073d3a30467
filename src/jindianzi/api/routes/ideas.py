from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jindianzi.areas.models import Area
from jindianzi.core.money import yuan
from jindianzi.editions.models import Edition
from jindianzi.ideas.selectors import idea_by_code, ideas_public
from jindianzi.ideas.services import IdeaDraft, idea_submit, idea_withdraw
from jindianzi.organizations.models import Organization

from ..auth import signed_in
from ..pagination import LimitOffset
from ..schemas import ErrorOut, IdeaDetailOut, IdeaFilters, IdeaIn, IdeaOut, ValidationErrorOut, WithdrawIn

router = Router(tags=["ideas"])

# What a write can answer besides success: 400 body is not JSON, 401 nobody signed in, 403 the rules say no,
# 422 bad input.
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


def _idea_or_404(code: str):
    idea = idea_by_code(code)
    if idea is None:
        raise Http404(_("No idea has this tracking code. Please check it and try again."))
    return idea


def _draft(payload: IdeaIn) -> IdeaDraft:
    """Turn the slugs, ids and codes of the request into the objects the service checks.

    An unknown community or category is passed on as None: the service then
    says which choice is wrong, in the same words as on the web form.
    """
    not_a_choice = _("Select a valid choice. That choice is not one of the available choices.")
    edition = Edition.objects.select_related("district").filter(slug=payload.edition).first()
    if edition is None:
        raise ValidationError({"edition": not_a_choice})
    organization = None
    if payload.proposer_organization is not None:
        organization = Organization.objects.filter(pk=payload.proposer_organization).first()
        if organization is None:
            raise ValidationError({"proposer_organization": not_a_choice})
    return IdeaDraft(
        edition=edition,
        community=Area.objects.filter(pk=payload.community).first(),
        category=edition.categories.filter(code=payload.category).first(),
        title=payload.title, problem=payload.problem, proposal=payload.proposal,
        beneficiaries=payload.beneficiaries, estimated_budget=yuan(payload.estimated_budget),
        anonymous=payload.anonymous, proposer_kind=payload.proposer_kind, proposer_organization=organization,
    )


@router.get("", response=list[IdeaOut], summary="Ideas, filtered and searched")
@paginate(LimitOffset)
def list_ideas(request, filters: Query[IdeaFilters]):
    ideas = ideas_public(street=filters.street, community=filters.community, state=filters.state,
                         text=filters.q or "")
    # The API names an edition by slug and a category by code (the same code in every edition).
    if filters.edition:
        ideas = ideas.filter(edition__slug=filters.edition)
    if filters.category:
        ideas = ideas.filter(category__code=filters.category)
    return ideas


@router.get("/{code}", response={200: IdeaDetailOut, 404: ErrorOut}, summary="One idea with its status timeline")
def get_idea(request, code: str):
    return _idea_or_404(code)


@router.post("", auth=signed_in, response={201: IdeaDetailOut, **REFUSALS}, summary="Submit an idea")
def submit_idea(request, payload: IdeaIn):
    idea = idea_submit(actor=request.auth, draft=_draft(payload))
    return Status(201, _idea_or_404(idea.tracking_code))


@router.post("/{code}/withdraw", auth=signed_in, summary="Withdraw one's own idea",
             response={200: IdeaDetailOut, 404: ErrorOut, 409: ValidationErrorOut, **REFUSALS})
def withdraw_idea(request, code: str, payload: WithdrawIn | None = None):
    idea_withdraw(actor=request.auth, idea=_idea_or_404(code), reason=payload.reason if payload else "")
    return _idea_or_404(code)
