"""An organisation's own account: the projects offered to it, and its answer to each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..forms import AnswerForm
from ..models import MatchOffer
from ..selectors import offers_for
from ..services import budget_rule_text, match_offer_answer
from ..workflow import OfferState
from .common import apply_errors


@login_required
def offer_list(request):
    if not request.user.has_perm("projects.view_offers"):
        raise PermissionDenied
    offers = list(offers_for(request.user))
    return render(request, "projects/offers.html", {
        "open_offers": [o for o in offers if o.state == OfferState.OFFERED],
        "other_offers": [o for o in offers if o.state != OfferState.OFFERED],
    })


@login_required
def offer_detail(request, pk):
    offer = get_object_or_404(MatchOffer.objects.select_related(
        "organization", "project", "project__edition", "project__street", "project__category"), pk=pk)
    if not request.user.has_perm("projects.answer_offer", offer):
        raise PermissionDenied
    project = offer.project
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            offer = match_offer_answer(actor=request.user, offer=offer, accept=accept,
                                       reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if accept:
                messages.success(request, _("Thank you: %(org)s implements “%(title)s”. You can now write the plan "
                                            "and budget with the street office.")
                                 % {"org": offer.organization.name, "title": project.title})
            else:
                messages.success(request, _("Your answer is sent to the street office."))
            return redirect("projects:offer", pk=offer.pk)
    ideas = list(project.ideas.select_related("community", "proposer_organization"))
    return render(request, "projects/offer.html", {
        "offer": offer, "project": project, "ideas": ideas, "form": form,
        "budget_rule": budget_rule_text(project, len(ideas)),
        "can_edit_plan": project.is_draft and request.user.has_perm("projects.edit_plan", project),
    })

