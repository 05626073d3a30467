"""Who may vote: the street's census list (street staff), and residents confirmed in person (community workers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jindianzi.accounts.selectors import user_by_login
from jindianzi.core.privacy import is_mobile_number, normalise_phone

from ..forms import CensusForm, VoterConfirmForm, VoterLookupForm
from ..selectors import census_size, census_streets, verifications_of, verifier_communities
from ..voting import census_import as import_census
from ..voting import voter_verify as verify_voter
from .common import apply_errors


@login_required
def census_import(request):
    streets = census_streets(request.user)
    if not streets:
        raise PermissionDenied
    form = CensusForm(request.POST or None, request.FILES or None, streets=streets,
                      initial={"street": streets[0].pk})
    problems = []
    if request.method == "POST" and form.is_valid():
        street = form.cleaned_data["street"]
        try:
            result = import_census(actor=request.user, street=street, data=form.cleaned_data["file"].read())
        except ValidationError as exc:
            problems = exc.messages
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            text = ngettext("%(n)d resident added to the census list of %(street)s.",
                            "%(n)d residents added to the census list of %(street)s.",
                            result.imported) % {"n": result.imported, "street": street.name}
            if result.already_listed:
                text += " " + ngettext("%(n)d was already on it.", "%(n)d were already on it.",
                                       result.already_listed) % {"n": result.already_listed}
            messages.success(request, text)
            return redirect("reviews:census_import")
    sizes = census_size(streets)
    return render(request, "reviews/census_import.html", {
        "form": form, "problems": problems,
        "streets": [(street, sizes.get(street.pk, 0)) for street in streets],
    })


@login_required
def voter_verify(request):
    """Look a resident up by mobile number, then confirm where they live. Both are POSTs: no number in a URL."""
    communities = verifier_communities(request.user)
    if not communities.exists():
        raise PermissionDenied
    found, confirm_form, phone = None, None, ""
    lookup = VoterLookupForm(request.POST if request.method == "POST" else None)
    if lookup.is_bound and lookup.is_valid():
        phone = normalise_phone(lookup.cleaned_data["phone"])
        if not is_mobile_number(phone):
            lookup.add_error("phone", _("This is not a mainland mobile number (11 digits, starting with 1)."))
        else:
            found = user_by_login(phone)
            if found is None:
                lookup.add_error("phone", _("No account has this mobile number. The resident can sign up on their "
                                            "phone first (or with your help), then you confirm them here."))
    confirmed = False
    if found is not None:
        mine = list(communities)
        home = found.home_community_id
        initial = home if any(c.pk == home for c in mine) else (mine[0].pk if len(mine) == 1 else None)
        confirming = request.POST.get("action") == "confirm"
        confirm_form = VoterConfirmForm(request.POST if confirming else None, communities=communities,
                                        initial={"phone": phone, "community": initial})
        if confirming and confirm_form.is_valid():
            community = confirm_form.cleaned_data["community"]
            try:
                verify_voter(actor=request.user, street=community.parent, user=found, community=community)
            except ValidationError as exc:
                apply_errors(confirm_form, exc)
            except PermissionDenied as exc:
                confirm_form.add_error(None, str(exc))
            else:
                confirmed = True
                messages.success(request, _("%(name)s (%(phone)s) is confirmed as a resident of %(street)s and can "
                                            "vote there.") % {"name": found, "phone": found.masked_phone,
                                                              "street": community.parent.name})
        streets = list({c.parent_id: c.parent for c in mine}.values())
        done = verifications_of(found, streets)
        found.verifications = [(street, done.get(street.pk)) for street in streets]
    return render(request, "reviews/voter_verify.html", {
        "lookup": lookup if not confirmed else VoterLookupForm(), "found": found, "confirm_form": confirm_form,
        "confirmed": confirmed,
    })
