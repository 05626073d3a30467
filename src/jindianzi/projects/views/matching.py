"""Matching (对接): suggested organisations for a project, sending an offer, withdrawing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import OfferForm, WithdrawOfferForm
from ..matching import candidate_organizations, organizations_suggested_for
from ..models import MatchOffer
from ..services import match_offer_send, match_offer_withdraw
from ..workflow import LIVE_OFFER_STATES, OfferState, ProjectState
from .common import report, staff_project

SHOWN = 15


@login_required
def match(request, code):
    project = staff_project(request, code, "projects.match_project")
    if request.method == "POST":
        form = OfferForm(request.POST)
        organization = None
        if form.is_valid():
            organization = candidate_organizations(project).filter(pk=form.cleaned_data["organization"]).first()
        if organization is None:
            messages.error(request, _("Choose one of the suggested organisations."))
        else:
            try:
                match_offer_send(actor=request.user, project=project, organization=organization,
                                 message=form.cleaned_data["message"])
            except (ValidationError, PermissionDenied) as exc:
                report(request, exc)
            else:
                messages.success(request, _("The offer is sent to %(org)s. Its staff will answer in their account.")
                                 % {"org": organization.name})
                return redirect("projects:manage", code=project.code)
        return redirect("projects:match", code=project.code)

    text = request.GET.get("q", "").strip()[:60]
    suggestions = organizations_suggested_for(project, text=text, limit=None if text else SHOWN)
    offers = list(project.offers.all())
    earlier = {}
    for offer in offers:
        earlier.setdefault(offer.organization_id, offer)
    for suggestion in suggestions:
        suggestion.earlier_offer = earlier.get(suggestion.organization.pk)
    live = next((o for o in offers if o.state in LIVE_OFFER_STATES), None)
    return render(request, "projects/match.html", {
        "project": project, "suggestions": suggestions, "q": text, "live_offer": live,
        "can_offer": project.state == ProjectState.DRAFT and live is None,
        "offer_form": OfferForm(), "withdraw_form": WithdrawOfferForm(), "ideas": list(project.ideas.all()),
        "OfferState": OfferState,
    })


@require_POST
@login_required
def withdraw(request, code, pk):
    project = staff_project(request, code, "projects.match_project")
    offer = get_object_or_404(MatchOffer, pk=pk, project=project)
    form = WithdrawOfferForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        match_offer_withdraw(actor=request.user, offer=offer, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        report(request, exc)
    else:
        messages.success(request, _("The offer to %(org)s is withdrawn.") % {"org": offer.organization.name})
    return redirect("projects:manage", code=project.code)
