from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jindianzi.core.money import money_field_kwargs


class PhaseKind(models.TextChoices):
    """The stages of one edition, in order (DESIGN.md, "The lifecycle")."""

    DRAFT = "draft", _("In preparation")
    COLLECTION = "collection", _("Collection (征集)")
    OPTIMISATION = "optimisation", _("Optimisation (优化)")
    APPROVAL = "approval", _("Approval (立项)")
    IMPLEMENTATION = "implementation", _("Implementation (实施)")
    SUMMARY = "summary", _("Summary (总结)")


PHASE_ORDER = [kind.value for kind in PhaseKind]
SCHEDULED_PHASES = PHASE_ORDER[1:]


class Edition(models.Model):
    """One edition (届) of the competition in a district."""

    district = models.ForeignKey("areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name for links"), max_length=60, unique=True)
    current_phase = models.CharField(
        _("current phase"), max_length=16, choices=PhaseKind.choices, default=PhaseKind.DRAFT,
    )
    max_budget_per_idea = models.DecimalField(
        _("maximum budget per idea (yuan)"), null=True, blank=True, **money_field_kwargs(),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def is_collecting(self) -> bool:
        return self.current_phase == PhaseKind.COLLECTION

    @property
    def next_phase(self) -> str | None:
        index = PHASE_ORDER.index(self.current_phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


class Phase(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.UniqueConstraint(fields=["edition", "kind"], name="phase_unique_kind")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def order(self) -> int:
        return PHASE_ORDER.index(self.kind)


class Category(models.Model):
    """A service category (服务类别); the five of the seed are the default."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="category_unique_code")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class FundingSource(models.Model):
    """A source of project money and its share of every project (60 % foundation, 40 % finance in the seed)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="funding_sources")
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+",
    )
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, help_text=_("0.60 means 60 %"))

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["-share", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "organization"], name="funding_source_unique_org"),
        ]

    def __str__(self):
        return f"{self.organization} {self.share:.0%}"
