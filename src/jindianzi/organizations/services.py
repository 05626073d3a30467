from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jindianzi.core.audit import audit

from .models import Organization


@transaction.atomic
def organization_create(*, actor=None, name: str, kind: str, home_area, registration: str = "none",
                        incubated: bool = False, description: str = "") -> Organization:
    name = name.strip()
    if Organization.objects.filter(name=name).exists():
        raise ValidationError(_("An organisation with this name already exists."))
    org = Organization.objects.create(
        name=name, kind=kind, home_area=home_area, registration=registration,
        incubated=incubated, description=description,
    )
    audit(actor=actor, action="organization.create", target=org,
          after={"name": name, "kind": kind, "registration": registration})
    return org
