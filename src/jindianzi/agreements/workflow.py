"""The agreement's states and the parties who sign it, declared in one place.

An agreement (项目协议) is made for each project the street review approved,
under the edition's five-party cooperation framework (五方合作协议)::

    ──create──▶ signing (签署中) ──sign (each party in its own account; the last one)──▶ active (生效)
                   └──cancel──▶ cancelled                                                 │
                                                                       complete ◀─────────┘ (final instalment paid)

The parties: the district civil affairs bureau (organiser), the community
foundation (organiser and funder), the street office (host and reviewer), a
hub social organisation (host), the support centre (technical support) and
the implementing organisation.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jindianzi.accounts.models import Role
from jindianzi.organizations.models import OrganizationKind


class AgreementState(models.TextChoices):
    SIGNING = "signing", _("Being signed")
    ACTIVE = "active", _("In force")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


PUBLIC_LABELS = {
    AgreementState.SIGNING: _("The agreement is being signed by the parties"),
    AgreementState.ACTIVE: _("The agreement is signed and in force"),
    AgreementState.COMPLETED: _("All instalments are paid; the agreement is completed"),
    AgreementState.CANCELLED: _("The agreement was cancelled"),
}


class PartyRole(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("District civil affairs bureau (organiser)")
    FOUNDATION = "foundation", _("Community foundation (organiser and funder)")
    STREET_OFFICE = "street_office", _("Street office (host and reviewer)")
    HUB = "hub", _("Hub social organisation (host)")
    SUPPORT_CENTRE = "support_centre", _("Support centre (technical support)")
    IMPLEMENTER = "implementer", _("Implementing organisation")


# The kind of organisation that fills each framework role, and the role its signer must hold.
@dataclass(frozen=True)
class PartySpec:
    role: str
    kind: str
    signer_role: Role
    # Where the signer's role is scoped: "district" (over the edition's district), "street" (over the
    # project's street) or "organization" (staff of the party's organisation).
    signer_scope: str


PARTY_SPECS = (
    PartySpec(PartyRole.CIVIL_AFFAIRS, OrganizationKind.CIVIL_AFFAIRS_BUREAU, Role.DISTRICT_ORGANISER, "district"),
    PartySpec(PartyRole.FOUNDATION, OrganizationKind.COMMUNITY_FOUNDATION, Role.FOUNDATION_OFFICER, "organization"),
    PartySpec(PartyRole.STREET_OFFICE, OrganizationKind.STREET_OFFICE, Role.STREET_OFFICER, "street"),
    PartySpec(PartyRole.HUB, OrganizationKind.HUB_ORGANIZATION, Role.ORG_STAFF, "organization"),
    PartySpec(PartyRole.SUPPORT_CENTRE, OrganizationKind.SUPPORT_CENTRE, Role.SUPPORT_STAFF, "organization"),
    PartySpec(PartyRole.IMPLEMENTER, "", Role.ORG_STAFF, "organization"),
)
SPEC_BY_ROLE = {spec.role: spec for spec in PARTY_SPECS}
# The roles the edition's framework names once for all its agreements (the others follow the project).
FRAMEWORK_ROLES = (PartyRole.CIVIL_AFFAIRS, PartyRole.FOUNDATION, PartyRole.HUB, PartyRole.SUPPORT_CENTRE)


class Milestone(models.TextChoices):
    SIGNING = "signing", _("On signing")
    MIDTERM = "midterm", _("After the mid-term check")
    FINAL = "final", _("After the final report is accepted")


MILESTONE_ORDER = [m.value for m in Milestone]
