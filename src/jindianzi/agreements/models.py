from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.core.money import money_field_kwargs

from .workflow import PUBLIC_LABELS, AgreementState, Milestone, PartyRole

SHARE_KWARGS = {"max_digits": 5, "decimal_places": 4}


class FrameworkParty(models.Model):
    """An organisation that fills one role of the edition's cooperation framework (五方合作协议)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="framework_parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("framework party")
        verbose_name_plural = _("framework parties")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "role", "organization"],
                                               name="framework_party_unique")]


class FrameworkInstalment(models.Model):
    """The edition's default instalment schedule: a share of each agreement paid at each milestone."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="framework_instalments")
    position = models.PositiveSmallIntegerField(_("position"))
    milestone = models.CharField(_("milestone"), max_length=16, choices=Milestone.choices)
    share = models.DecimalField(_("share"), **SHARE_KWARGS)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["edition", "milestone"], name="framework_instalment_unique")]


class Agreement(models.Model):
    """The agreement (协议) for one approved project: parties, budget, funding split and instalments."""

    project = models.OneToOneField("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                   related_name="agreement")
    edition = models.ForeignKey("editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="agreements")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("implementing organisation"),
                                     on_delete=models.PROTECT, related_name="agreements")
    code = models.CharField(_("agreement number"), max_length=80, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=AgreementState.choices,
                             default=AgreementState.SIGNING, db_index=True)
    total = models.DecimalField(_("agreed amount (yuan)"), **money_field_kwargs())
    split_reason = models.TextField(_("why the funding split differs from the edition's"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="agreement_total_positive")]

    def __str__(self):
        return self.code

    @property
    def public_state_label(self) -> str:
        return PUBLIC_LABELS[self.state]

    @property
    def is_active(self) -> bool:
        return self.state == AgreementState.ACTIVE


class AgreementParty(models.Model):
    """One party of an agreement and its signature (who confirmed it in their own account, and when)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    # The street office signs through the street's officers even where no organisation record exists for it.
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("party"), max_length=120)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "role"], name="agreement_party_unique_role")]

    def __str__(self):
        return f"{self.get_role_display()}: {self.name}"

    @property
    def has_signed(self) -> bool:
        return self.signed_at is not None


class AgreementShare(models.Model):
    """The share of the agreement each funding source pays (from the edition unless overridden with a reason)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="shares")
    source = models.ForeignKey("editions.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT,
                               related_name="agreement_shares")
    share = models.DecimalField(_("share"), **SHARE_KWARGS)

    class Meta:
        ordering = ["-share", "source_id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "source"], name="agreement_share_unique")]


class AgreementLine(models.Model):
    """A budget line of the agreement, copied from the project's plan when the agreement was made."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    item = models.CharField(_("item"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.item} {self.amount}"


class Instalment(models.Model):
    """One payment of the schedule, due when its milestone is reached."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField(_("position"))
    milestone = models.CharField(_("milestone"), max_length=16, choices=Milestone.choices)
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())
    reached_at = models.DateTimeField(_("milestone reached at"), null=True, blank=True)
    reached_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    reached_note = models.TextField(_("note on the milestone"), blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "milestone"], name="instalment_unique")]

    def __str__(self):
        return f"{self.agreement.code} · {self.get_milestone_display()}"

    @property
    def is_reached(self) -> bool:
        return self.reached_at is not None
