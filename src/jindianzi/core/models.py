from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One state change or money movement: who, when, what, before and after.

    Written only through :func:`jindianzi.core.audit.audit`, inside the same
    transaction as the change it records, and never updated afterwards. Each
    record is a link of a hash chain (see ``core/audit.py``).
    """

    seq = models.PositiveBigIntegerField(_("position in the chain"), unique=True)
    previous_hash = models.CharField(_("hash of the previous record"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class AuditChainHead(models.Model):
    """The end of the audit chain: the last record's position and hash (one row, locked by each writer)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
