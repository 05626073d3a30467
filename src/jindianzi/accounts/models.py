from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jindianzi.core.fields import EncryptedCharField
from jindianzi.core.privacy import mask_phone


class Role(models.TextChoices):
    """The roles of DESIGN.md. Being a resident needs no assignment: every account is one."""

    COMMUNITY_WORKER = "community_worker", _("Community worker")
    STREET_OFFICER = "street_officer", _("Street officer")
    DISTRICT_ORGANISER = "district_organiser", _("District organiser")
    FOUNDATION_OFFICER = "foundation_officer", _("Foundation officer")
    SUPPORT_STAFF = "support_staff", _("Support centre staff")
    ORG_STAFF = "org_staff", _("Organisation staff")
    EXPERT = "expert", _("Expert reviewer")
    SPONSOR = "sponsor", _("Sponsor")


# Roles scoped to an area, and the kinds of area each may be given.
AREA_ROLES = {
    Role.COMMUNITY_WORKER: ("community",),
    Role.STREET_OFFICER: ("street", "town"),
    Role.DISTRICT_ORGANISER: ("district",),
}
# Roles scoped to an organisation.
ORGANIZATION_ROLES = (Role.FOUNDATION_OFFICER, Role.SUPPORT_STAFF, Role.ORG_STAFF)


class User(AbstractUser):
    """An account: a resident by default, staff through role assignments.

    People sign in with a mobile number or an e-mail address. The number is
    stored encrypted; ``phone_digest`` finds the account without decrypting.
    """

    display_name = models.CharField(_("name"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail address"), null=True, blank=True, unique=True)
    phone = EncryptedCharField(_("mobile number"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    is_verified = models.BooleanField(_("verified"), default=False)
    home_community = models.ForeignKey(
        "areas.Area", verbose_name=_("home community"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def contact_label(self) -> str:
        return self.masked_phone or (self.email or "")


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="role_assignments",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area", "organization"], name="role_assignment_unique"),
        ]

    def __str__(self):
        scope = self.area or self.organization or ""
        return f"{self.user} · {self.get_role_display()} · {scope}"


class VerificationCode(models.Model):
    """A one-time code sent to a new account's phone or e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
