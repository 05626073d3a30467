"""A resident's own ideas: submit online, list, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.editions.selectors import editions_collecting

from ..forms import IdeaForm, apply_service_errors
from ..models import Idea
from ..selectors import ideas_of, organizations_proposing_with
from ..services import idea_submit, idea_withdraw
from .common import collecting_edition


@login_required
def submit(request):
    if not request.user.is_verified:
        messages.info(request, _("Please verify your account first; it takes a minute."))
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
    edition = collecting_edition(request)
    if edition is None:
        return render(request, "ideas/not_collecting.html", status=200)
    form = IdeaForm(request.POST or None, request.FILES or None, edition=edition,
                    organizations=organizations_proposing_with(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            idea = idea_submit(actor=request.user, draft=form.draft())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "ideas/submitted.html", {"idea": idea})
    return render(request, "ideas/submit.html", {
        "form": form, "edition": edition, "editions": editions_collecting(),
    })


@login_required
def mine(request):
    return render(request, "ideas/mine.html", {"ideas": ideas_of(request.user)})


@require_POST
@login_required
def withdraw(request, code):
    idea = get_object_or_404(Idea, tracking_code=code.upper())
    try:
        idea_withdraw(actor=request.user, idea=idea, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The idea is withdrawn. It stays in the history."))
    return redirect("portal:idea_detail", code=idea.tracking_code)
