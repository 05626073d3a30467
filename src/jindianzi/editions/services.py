from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from jindianzi.areas.models import AreaKind
from jindianzi.core.audit import audit

from .defaults import DEFAULT_CATEGORIES
from .models import SCHEDULED_PHASES, Category, Edition, FundingSource, Phase, PhaseKind


@transaction.atomic
def edition_create(*, actor=None, district, name: str, slug: str, max_budget_per_idea: Decimal | None = None,
                   description: str = "", categories=DEFAULT_CATEGORIES) -> Edition:
    if district.kind != AreaKind.DISTRICT:
        raise ValidationError(_("An edition belongs to a district."))
    if Edition.objects.filter(slug=slug).exists():
        raise ValidationError(_("Another edition already uses this short name."))
    edition = Edition.objects.create(
        district=district, name=name.strip(), slug=slug, max_budget_per_idea=max_budget_per_idea,
        description=description,
    )
    Phase.objects.bulk_create([Phase(edition=edition, kind=kind) for kind in SCHEDULED_PHASES])
    Category.objects.bulk_create([
        Category(edition=edition, code=code, name_zh=zh, name_en=en, position=i)
        for i, (code, zh, en) in enumerate(categories)
    ])
    audit(actor=actor, action="edition.create", target=edition, after={"name": edition.name, "slug": slug})
    return edition


@transaction.atomic
def edition_update(*, actor, edition: Edition, name: str, max_budget_per_idea: Decimal | None,
                   description: str) -> Edition:
    before = {"name": edition.name, "max_budget_per_idea": str(edition.max_budget_per_idea),
              "description": edition.description}
    edition.name, edition.max_budget_per_idea, edition.description = name.strip(), max_budget_per_idea, description
    edition.save(update_fields=["name", "max_budget_per_idea", "description"])
    audit(actor=actor, action="edition.update", target=edition, before=before,
          after={"name": edition.name, "max_budget_per_idea": str(max_budget_per_idea), "description": description})
    return edition


@transaction.atomic
def phases_schedule(*, actor, edition: Edition, dates: dict[str, tuple[date | None, date | None]]) -> None:
    """Set each phase's dates; phases must not run backwards or overlap."""
    previous_end, previous_kind = None, None
    for kind in SCHEDULED_PHASES:
        starts_on, ends_on = dates.get(kind, (None, None))
        label = PhaseKind(kind).label
        if starts_on and ends_on and ends_on < starts_on:
            raise ValidationError(_("%(phase)s ends before it starts.") % {"phase": label})
        if starts_on and previous_end and starts_on <= previous_end:
            raise ValidationError(_("%(phase)s must start after %(previous)s ends.")
                                  % {"phase": label, "previous": PhaseKind(previous_kind).label})
        if ends_on or starts_on:
            previous_end, previous_kind = ends_on or starts_on, kind
    before = {p.kind: [str(p.starts_on), str(p.ends_on)] for p in edition.phases.all()}
    for phase in edition.phases.all():
        phase.starts_on, phase.ends_on = dates.get(phase.kind, (None, None))
        phase.save(update_fields=["starts_on", "ends_on"])
    audit(actor=actor, action="edition.schedule", target=edition, before=before,
          after={k: [str(s), str(e)] for k, (s, e) in dates.items()})


@transaction.atomic
def edition_advance_phase(*, actor, edition: Edition, expected_phase: str | None = None) -> Edition:
    """Move the edition to its next phase. ``expected_phase`` guards against a double click."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if expected_phase is not None and edition.current_phase != expected_phase:
        raise ValidationError(_("The edition has already moved on to another phase."))
    target = edition.next_phase
    if target is None:
        raise ValidationError(_("The edition is already in its last phase."))
    before = edition.current_phase
    edition.current_phase = target
    edition.save(update_fields=["current_phase"])
    audit(actor=actor, action="edition.advance_phase", target=edition,
          before={"phase": before}, after={"phase": target})
    return edition


@transaction.atomic
def category_save(*, actor, edition: Edition, code: str, name_zh: str, name_en: str,
                  position: int = 0, category: Category | None = None) -> Category:
    if not (code and name_zh.strip() and name_en.strip()):
        raise ValidationError(_("A category needs a code and a name in both languages."))
    before = None
    if category is None:
        category = Category(edition=edition)
    else:
        before = {"code": category.code, "name_zh": category.name_zh, "name_en": category.name_en}
    category.code, category.name_zh, category.name_en, category.position = code, name_zh.strip(), name_en.strip(), position
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError(_("Another category of this edition already uses the code %(code)s.")
                              % {"code": code}) from None
    audit(actor=actor, action="category.save", target=category, before=before,
          after={"code": code, "name_zh": name_zh, "name_en": name_en})
    return category


@transaction.atomic
def category_remove(*, actor, category: Category) -> None:
    snapshot = {"code": category.code, "name_zh": category.name_zh}
    try:
        with transaction.atomic():
            audit(actor=actor, action="category.remove", target=category, before=snapshot)
            category.delete()
    except ProtectedError:
        raise ValidationError(_("Ideas already use the category %(name)s; it cannot be removed.")
                              % {"name": category.label}) from None


@transaction.atomic
def funding_sources_set(*, actor, edition: Edition, shares: list[tuple[object, Decimal]]) -> None:
    """Replace the edition's funding sources. Shares must be positive and add up to exactly 100 %."""
    if not shares:
        raise ValidationError(_("An edition needs at least one funding source."))
    organizations = [org for org, _share in shares]
    if len(set(o.pk for o in organizations)) != len(organizations):
        raise ValidationError(_("Each organisation can be a funding source only once."))
    if any(share <= 0 for _org, share in shares):
        raise ValidationError(_("Every funding share must be more than 0 %."))
    total = sum((share for _org, share in shares), Decimal("0"))
    if total != Decimal("1"):
        raise ValidationError(_("The funding shares add up to %(total)s %%; they must add up to 100 %%.")
                              % {"total": f"{total * 100:.2f}".rstrip("0").rstrip(".")})
    before = [[fs.organization_id, str(fs.share)] for fs in edition.funding_sources.all()]
    edition.funding_sources.all().delete()
    FundingSource.objects.bulk_create([FundingSource(edition=edition, organization=o, share=s) for o, s in shares])
    audit(actor=actor, action="edition.funding", target=edition, before=before,
          after=[[o.pk, str(s)] for o, s in shares])

