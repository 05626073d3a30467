from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.core.money import money_field_kwargs

from .workflow import DisbursementState, ExpenseState


class Commitment(models.Model):
    """What a funding source has committed to an edition in total: no source pays beyond it."""

    source = models.OneToOneField("editions.FundingSource", verbose_name=_("funding source"),
                                  on_delete=models.CASCADE, related_name="commitment")
    total = models.DecimalField(_("committed total (yuan)"), **money_field_kwargs())
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="commitment_not_negative")]


class Disbursement(models.Model):
    """Money paid out for one instalment of an agreement, split across the funding sources."""

    agreement = models.ForeignKey("agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT,
                                  related_name="disbursements")
    instalment = models.ForeignKey("agreements.Instalment", verbose_name=_("instalment"), on_delete=models.PROTECT,
                                   related_name="disbursements")
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())
    state = models.CharField(_("state"), max_length=16, choices=DisbursementState.choices,
                             default=DisbursementState.REQUESTED, db_index=True)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # One live disbursement per instalment: an instalment is never paid twice.
            models.UniqueConstraint(fields=["instalment"], condition=~Q(state=DisbursementState.RETURNED),
                                    name="disbursement_one_live_per_instalment"),
        ]

    def __str__(self):
        return f"{self.agreement.code} · {self.amount}"


class DisbursementShare(models.Model):
    """One funding source's part of a disbursement; approved and paid by that source's officer."""

    disbursement = models.ForeignKey(Disbursement, on_delete=models.CASCADE, related_name="shares")
    source = models.ForeignKey("editions.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT,
                               related_name="disbursement_shares")
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)

    class Meta:
        ordering = ["-amount", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["disbursement", "source"], name="disbursement_share_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="disbursement_share_not_negative"),
        ]

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class Expense(models.Model):
    """Spending the organisation reports against a budget line of its agreement, with receipts."""

    agreement = models.ForeignKey("agreements.Agreement", verbose_name=_("agreement"), on_delete=models.PROTECT,
                                  related_name="expenses")
    line = models.ForeignKey("agreements.AgreementLine", verbose_name=_("budget line"), on_delete=models.PROTECT,
                             related_name="expenses")
    amount = models.DecimalField(_("amount (yuan)"), **money_field_kwargs())
    spent_on = models.DateField(_("spent on"))
    description = models.CharField(_("what was bought or paid"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=ExpenseState.choices, default=ExpenseState.REPORTED,
                             db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["spent_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]


class Receipt(models.Model):
    """A photo of a receipt (发票/收据) for an expense; stripped of location data like idea photos."""

    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="receipts")
    image = models.ImageField(_("receipt photo"), upload_to="receipts/%Y/%m/")
    uploaded_at = models.DateTimeField(default=timezone.now)
