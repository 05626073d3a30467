from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jindianzi.core.audit import audit

from .models import ALLOWED_PARENT, Area, AreaKind


@transaction.atomic
def area_create(*, actor=None, name: str, kind: str, parent: Area | None = None, code: str = "") -> Area:
    allowed = ALLOWED_PARENT[AreaKind(kind)]
    parent_kind = parent.kind if parent else None
    if allowed is None and parent is not None:
        raise ValidationError(_("A district cannot sit inside another area."))
    if allowed is not None and parent_kind not in (allowed if isinstance(allowed, tuple) else (allowed,)):
        raise ValidationError(_("This kind of area cannot sit under the chosen parent."))
    area = Area.objects.create(name=name.strip(), kind=kind, parent=parent, code=code, path="")
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    area.save(update_fields=["path"])
    audit(actor=actor, action="area.create", target=area, after={"name": area.name, "kind": kind})
    return area
