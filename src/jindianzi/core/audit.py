"""The audit trail: every service that changes state calls :func:`audit`."""

from django.db import models

from .models import AuditRecord


def audit(*, actor, action: str, target: models.Model, before=None, after=None) -> AuditRecord:
    return AuditRecord.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before,
        after=after,
    )


def records_for(target: models.Model):
    return AuditRecord.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
