from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CIVIL_AFFAIRS_BUREAU = "civil_affairs_bureau", _("Civil affairs bureau")
    COMMUNITY_FOUNDATION = "community_foundation", _("Community foundation")
    FINANCE_BUREAU = "finance_bureau", _("District finance")
    STREET_OFFICE = "street_office", _("Street office")
    HUB_ORGANIZATION = "hub_organization", _("Hub social organisation")
    SUPPORT_CENTRE = "support_centre", _("Support centre")
    COMMUNITY_SOCIAL_ORGANIZATION = "community_social_organization", _("Community social organisation")
    PROFESSIONAL_SOCIAL_ORGANIZATION = "professional_social_organization", _("Professional social organisation")
    ENTERPRISE = "enterprise", _("Enterprise")
    RESIDENT_SELF_ORGANIZATION = "resident_self_organization", _("Community self-organisation")


# Kinds that can propose ideas and implement projects.
SOCIAL_KINDS = (
    OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION,
    OrganizationKind.PROFESSIONAL_SOCIAL_ORGANIZATION,
    OrganizationKind.HUB_ORGANIZATION,
    OrganizationKind.RESIDENT_SELF_ORGANIZATION,
)


class RegistrationStatus(models.TextChoices):
    NONE = "none", _("Not filed")
    FILED = "filed", _("Filed with the community (备案)")
    REGISTERED = "registered", _("Registered with civil affairs (登记)")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganizationKind.choices)
    home_area = models.ForeignKey(
        "areas.Area", verbose_name=_("home area"), on_delete=models.PROTECT, related_name="organizations",
    )
    registration = models.CharField(
        _("registration"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.NONE,
    )
    incubated = models.BooleanField(_("incubated by the competition"), default=False)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name
