"""A community worker types in paper forms for residents of their communities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


from ..forms import PaperIdeaForm, apply_service_errors
from ..selectors import communities_recorded_by, ideas_entered_by
from ..services import idea_record_on_paper
from .common import collecting_edition


@login_required
def record(request):
    if not request.user.has_perm("ideas.import_ideas"):
        raise PermissionDenied
    edition = collecting_edition(request)
    if edition is None:
        return render(request, "ideas/not_collecting.html")
    form = PaperIdeaForm(request.POST or None, request.FILES or None, edition=edition,
                         communities=communities_recorded_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = idea_record_on_paper(actor=request.user, draft=form.draft(), proposer_name=data["proposer_name"],
                                        proposer_phone=data["proposer_phone"], consent=data["consent"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded. Tracking code %(code)s: please write it on the resident's paper form.")
                             % {"code": idea.tracking_code})
            return redirect("ideas:paper")
    recent = ideas_entered_by(request.user)[:10]
    return render(request, "ideas/paper.html", {"form": form, "edition": edition, "recent": recent})
