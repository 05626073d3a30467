"""The organiser's pages: create an edition, set its categories, funding and phases, advance it."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.areas.models import Area

from . import services
from .forms import CategoryForm, EditionForm, FundingFormSet, PhaseDatesForm
from .models import Category, Edition
from .selectors import editions_managed_by


def _managed_edition(request, slug) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("district"), slug=slug)
    if not request.user.has_perm("editions.manage_edition", edition):
        raise PermissionDenied
    return edition


def _report(request, form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message) if form is not None else messages.error(request, message)


@login_required
def edition_list(request):
    if not request.user.has_perm("editions.create_edition"):
        raise PermissionDenied
    return render(request, "editions/list.html", {"editions": editions_managed_by(request.user)})


@login_required
def edition_new(request):
    if not request.user.has_perm("editions.create_edition"):
        raise PermissionDenied
    districts = Area.objects.filter(pk__in=[a.pk for a in areas_where(request.user, Role.DISTRICT_ORGANISER)])
    form = EditionForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition = services.edition_create(
                actor=request.user, district=data["district"], name=data["name"], slug=data["slug"],
                max_budget_per_idea=data["max_budget_per_idea"], description=data["description"],
            )
        except ValidationError as exc:
            _report(request, form, exc)
        else:
            messages.success(request, _("The edition is created. Set its phases and funding next."))
            return redirect("editions:manage", slug=edition.slug)
    return render(request, "editions/new.html", {"form": form})


@login_required
def edition_manage(request, slug):
    edition = _managed_edition(request, slug)
    initial = {"name": edition.name, "slug": edition.slug, "max_budget_per_idea": edition.max_budget_per_idea,
               "description": edition.description}
    form = EditionForm(request.POST or None, initial=initial)
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.edition_update(actor=request.user, edition=edition, name=data["name"],
                                max_budget_per_idea=data["max_budget_per_idea"], description=data["description"])
        messages.success(request, _("Saved."))
        return redirect("editions:manage", slug=slug)
    return render(request, "editions/manage.html", {
        "edition": edition, "form": form,
        "phases": sorted(edition.phases.all(), key=lambda p: p.order),
        "categories": edition.categories.all(),
        "funding": edition.funding_sources.select_related("organization"),
    })


def _category_action(request, edition, add_form) -> bool:
    """Apply one add / save / remove from the categories page; True when something changed."""
    action = request.POST.get("action")
    if action == "add":
        if not add_form.is_valid():
            return False
        services.category_save(actor=request.user, edition=edition, **add_form.cleaned_data)
        return True
    category = get_object_or_404(Category, pk=request.POST.get("category"), edition=edition)
    if action == "remove":
        services.category_remove(actor=request.user, category=category)
        return True
    row = CategoryForm(request.POST, prefix=f"c{category.pk}")
    if not row.is_valid():
        raise ValidationError([e for errors in row.errors.values() for e in errors])
    services.category_save(actor=request.user, edition=edition, category=category, **row.cleaned_data)
    return True


@login_required
def edition_categories(request, slug):
    edition = _managed_edition(request, slug)
    add_form = CategoryForm(request.POST if request.POST.get("action") == "add" else None, prefix="new")
    if request.method == "POST":
        try:
            if _category_action(request, edition, add_form):
                messages.success(request, _("Categories saved."))
                return redirect("editions:categories", slug=slug)
        except ValidationError as exc:
            _report(request, None, exc)
    rows = [(c, CategoryForm(prefix=f"c{c.pk}", initial={"code": c.code, "name_zh": c.name_zh,
                                                         "name_en": c.name_en, "position": c.position}))
            for c in edition.categories.all()]
    return render(request, "editions/categories.html", {"edition": edition, "rows": rows, "add_form": add_form})


@login_required
def edition_funding(request, slug):
    edition = _managed_edition(request, slug)
    initial = [{"organization": fs.organization, "percent": fs.share * 100}
               for fs in edition.funding_sources.select_related("organization")]
    formset = FundingFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        shares = [(f.cleaned_data["organization"], (f.cleaned_data["percent"] / 100).quantize(Decimal("0.0001")))
                  for f in formset if f.cleaned_data.get("organization") and f.cleaned_data.get("percent")]
        try:
            services.funding_sources_set(actor=request.user, edition=edition, shares=shares)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Funding shares saved."))
            return redirect("editions:manage", slug=slug)
    return render(request, "editions/funding.html", {"edition": edition, "formset": formset})


@login_required
def edition_phases(request, slug):
    edition = _managed_edition(request, slug)
    initial = {}
    for phase in edition.phases.all():
        initial[f"{phase.kind}_start"], initial[f"{phase.kind}_end"] = phase.starts_on, phase.ends_on
    form = PhaseDatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.phases_schedule(actor=request.user, edition=edition, dates=form.dates())
        except ValidationError as exc:
            _report(request, form, exc)
        else:
            messages.success(request, _("Phase dates saved."))
            return redirect("editions:manage", slug=slug)
    return render(request, "editions/phases.html", {"edition": edition, "form": form})


@require_POST
@login_required
def edition_advance(request, slug):
    edition = _managed_edition(request, slug)
    try:
        edition = services.edition_advance_phase(actor=request.user, edition=edition,
                                                 expected_phase=request.POST.get("expected_phase"))
    except ValidationError as exc:
        _report(request, None, exc)
    else:
        messages.success(request, _("The edition is now in the phase: %(phase)s.")
                         % {"phase": edition.get_current_phase_display()})
    return redirect("editions:manage", slug=slug)
