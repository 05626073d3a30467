"""Balances of the money the user may see, and the commitments of the funding sources."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jindianzi.agreements.selectors import agreement_editions, editions_organised_by
from jindianzi.core.money import yuan
from jindianzi.editions.models import Edition

from ..forms import CommitmentForm, EditionForm
from ..selectors import balances_for, commitment_sources, source_balances
from ..services import commitment_set


def _editions(user):
    return Edition.objects.filter(pk__in=[e.pk for e in agreement_editions(user)]
                                  + [e.pk for e in editions_organised_by(user)]).order_by("-created_at", "-id")


@login_required
def balances(request):
    user = request.user
    if not user.has_perm("funds.view_balances"):
        raise PermissionDenied
    editions = _editions(user)
    form = EditionForm(request.GET or None, editions=editions)
    edition = form.cleaned_data.get("edition") if form.is_valid() else None
    edition = edition or editions.first()
    if edition is not None and not request.GET.get("edition"):
        form = EditionForm(initial={"edition": edition.slug}, editions=editions)
    sources = source_balances(edition) if edition is not None else []
    return render(request, "funds/balances.html", {
        "form": form, "edition": edition, "several": editions.count() > 1,
        "sources": sources,
        "balances": balances_for(user, edition=edition) if edition is not None else None,
        "can_set_commitments": any(user.has_perm("funds.set_commitment", s) for s in sources),
    })


def _unchanged(source, typed) -> bool:
    try:
        return source.committed is not None and yuan(typed) == source.committed
    except ValueError:
        return False  # the service says what is wrong with it


class _Undo(Exception):
    """Raised to undo every commitment saved by one form when another was refused."""


@login_required
def commitments(request, slug):
    edition = get_object_or_404(Edition.objects.select_related("district"), slug=slug)
    sources = commitment_sources(request.user, edition)
    if not sources:
        raise PermissionDenied
    form = CommitmentForm(request.POST if request.method == "POST" else None, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                changed = 0
                for source, name, total in form.totals():
                    if _unchanged(source, total):
                        continue
                    try:
                        commitment_set(actor=request.user, source=source, total=total)
                    except ValidationError as exc:
                        form.add_error(name, exc.messages)
                    except PermissionDenied as exc:
                        form.add_error(name, str(exc))
                    else:
                        changed += 1
                if form.errors:
                    raise _Undo
        except _Undo:
            pass
        else:
            if changed:
                messages.success(request, _("The commitments are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("funds:commitments", slug=edition.slug)
    return render(request, "funds/commitments.html", {"edition": edition, "form": form, "sources": sources})
