"""The organiser's page for the edition's five-party cooperation framework (五方合作协议)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jindianzi.editions.models import Edition
from jindianzi.projects.views.common import apply_errors

from ..forms import FrameworkForm
from ..selectors import framework_candidates, framework_of
from ..services import DEFAULT_SCHEDULE, framework_set
from ..workflow import PartyRole


def _initial(current: dict) -> dict:
    parties = current["parties"]
    first = lambda role: (parties.get(role) or [None])[0]  # noqa: E731
    schedule = current["schedule"] or None
    shares = [(i.milestone, i.share) for i in schedule] if schedule else DEFAULT_SCHEDULE
    return {
        "civil_affairs": first(PartyRole.CIVIL_AFFAIRS), "foundation": first(PartyRole.FOUNDATION),
        "hub": parties.get(PartyRole.HUB) or [], "support_centre": first(PartyRole.SUPPORT_CENTRE),
        **{f"percent_{milestone}": (share * 100).quantize(Decimal("0.01")) for milestone, share in shares},
    }


@login_required
def framework(request, slug):
    edition = get_object_or_404(Edition.objects.select_related("district"), slug=slug)
    if not request.user.has_perm("agreements.set_framework", edition):
        raise PermissionDenied
    current = framework_of(edition)
    candidates = framework_candidates(edition)
    form = FrameworkForm(request.POST if request.method == "POST" else None, candidates=candidates,
                         initial=_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            framework_set(actor=request.user, edition=edition, parties=form.parties(), schedule=form.schedule())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The cooperation framework is saved. Agreements drawn up from now on "
                                        "follow it; agreements already drawn up keep theirs."))
            return redirect("agreements:framework", slug=edition.slug)
    return render(request, "agreements/framework.html", {
        "edition": edition, "form": form, "is_set": bool(current["schedule"]),
        "missing_kinds": [form[role].label for role, queryset in candidates.items() if not queryset.exists()],
        "sources": edition.funding_sources.select_related("organization"),
    })
