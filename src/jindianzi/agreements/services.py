"""Every change to agreements goes through these functions (views, API and demo alike).

An agreement is made for a project the street review approved: the parties
come from the edition's cooperation framework and from the project (its
street office and its implementing organisation), the budget lines from the
project's plan, the funding split from the edition's funding sources, and the
instalments from the framework's schedule. Each party signs in its own
account; with the last signature the agreement comes into force and the
project counts as contracted.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import has_role_over, organizations_where
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.editions.models import Edition, FundingSource
from jindianzi.funds.split import split_exact
from jindianzi.notifications.services import notify
from jindianzi.organizations.models import Organization, OrganizationKind
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import organization_staff
from jindianzi.projects.services import project_contract
from jindianzi.projects.workflow import ProjectState

from .models import (
    Agreement, AgreementLine, AgreementParty, AgreementShare, FrameworkInstalment, FrameworkParty, Instalment,
)
from .workflow import (
    FRAMEWORK_ROLES, MILESTONE_ORDER, PARTY_SPECS, SPEC_BY_ROLE, AgreementState, Milestone, PartyRole,
)

# The schedule a framework starts with: 40 % on signing, 30 % after the mid-term check, 30 % at the end.
DEFAULT_SCHEDULE = ((Milestone.SIGNING, Decimal("0.40")), (Milestone.MIDTERM, Decimal("0.30")),
                    (Milestone.FINAL, Decimal("0.30")))
REASON_LIMIT = 2000


def _organises(actor, edition: Edition) -> bool:
    return actor is not None and has_role_over(actor, edition.district, Role.DISTRICT_ORGANISER)


def _require_organiser(actor, edition: Edition, message: str) -> None:
    if not _organises(actor, edition):
        raise PermissionDenied(message)


def _audit(actor, action: str, target, before=None, after=None) -> None:
    audit(actor=actor, action=action, target=target, before=before, after=after)


# --- The edition's cooperation framework ------------------------------------------------------------------

@transaction.atomic
def framework_set(*, actor, edition: Edition, parties: dict[str, list[Organization]],
                  schedule: list[tuple[str, Decimal]] = DEFAULT_SCHEDULE) -> None:
    """Name the framework's organisations (bureau, foundation, hub(s), support centre) and the instalment schedule.

    Agreements already made keep their parties and instalments; the framework
    applies to agreements made from now on.
    """
    _require_organiser(actor, edition, _("Only the district organiser sets the cooperation framework."))
    problems = []
    for role in FRAMEWORK_ROLES:
        spec = SPEC_BY_ROLE[role]
        chosen = parties.get(role) or []
        if not chosen:
            problems.append(_("Name the organisation for: %(role)s.") % {"role": PartyRole(role).label})
        if role != PartyRole.HUB and len(chosen) > 1:
            problems.append(_("Only one organisation can be: %(role)s.") % {"role": PartyRole(role).label})
        for organization in chosen:
            if organization.kind != spec.kind:
                problems.append(_("%(name)s is not of the right kind for this role (it should be: %(kind)s).") % {
                    "name": organization.name, "kind": OrganizationKind(spec.kind).label})
    milestones = [m for m, _share in schedule]
    if not schedule or len(set(milestones)) != len(milestones) or any(m not in MILESTONE_ORDER for m in milestones):
        problems.append(_("The schedule needs each milestone at most once."))
    if any(share <= 0 for _m, share in schedule):
        problems.append(_("Every instalment must be more than 0 %."))
    elif sum((share for _m, share in schedule), Decimal(0)) != 1:
        problems.append(_("The instalments must add up to 100 %."))
    if problems:
        raise ValidationError(problems)
    before = [[p.role, p.organization_id] for p in FrameworkParty.objects.filter(edition=edition)]
    FrameworkParty.objects.filter(edition=edition).delete()
    FrameworkParty.objects.bulk_create([FrameworkParty(edition=edition, role=role, organization=organization)
                                        for role in FRAMEWORK_ROLES for organization in parties[role]])
    FrameworkInstalment.objects.filter(edition=edition).delete()
    ordered = sorted(schedule, key=lambda item: MILESTONE_ORDER.index(item[0]))
    FrameworkInstalment.objects.bulk_create([
        FrameworkInstalment(edition=edition, position=position, milestone=milestone, share=share)
        for position, (milestone, share) in enumerate(ordered)])
    _audit(actor, "edition.framework", edition, before={"parties": before}, after={
        "parties": [[role, o.pk] for role in FRAMEWORK_ROLES for o in parties[role]],
        "schedule": [[m, str(s)] for m, s in ordered]})


# --- Making an agreement --------------------------------------------------------------------------------

def _framework_party(edition: Edition, role: str, street) -> Organization | None:
    candidates = [p.organization for p in FrameworkParty.objects.filter(edition=edition, role=role)
                  .select_related("organization__home_area")]
    if role == PartyRole.HUB:
        # The hub organisation of the project's street hosts it where there is one.
        local = [o for o in candidates if o.home_area.contains(street) or street.contains(o.home_area)]
        candidates = local or candidates
    return candidates[0] if candidates else None


def _street_office(street) -> Organization | None:
    return Organization.objects.filter(kind=OrganizationKind.STREET_OFFICE, home_area=street).first()


def _clean_split(edition: Edition, override: list[tuple[FundingSource, Decimal]] | None, reason: str) -> tuple:
    sources = list(edition.funding_sources.all())
    if not sources:
        raise ValidationError(_("The edition has no funding sources; the district organiser sets them first."))
    if override is None:
        return [(s, s.share) for s in sources], ""
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(_("A funding split different from the edition's needs a reason."))
    if len({s.pk for s, _share in override}) != len(override):
        problems.append(_("Each funding source can appear only once in the split."))
    if any(s.edition_id != edition.pk for s, _share in override):
        problems.append(_("Only the edition's funding sources can pay for its agreements."))
    if any(share < 0 for _s, share in override) or sum((sh for _s, sh in override), Decimal(0)) != 1:
        problems.append(_("The shares of the split must add up to 100 %."))
    if len(reason) > REASON_LIMIT:
        problems.append(_("The reason is too long."))
    if problems:
        raise ValidationError(problems)
    return list(override), reason


def _next_code(project: Project) -> str:
    return f"{project.code}-XY"


@transaction.atomic
def agreement_create(*, actor, project: Project, split: list[tuple[FundingSource, Decimal]] | None = None,
                     split_reason: str = "", at=None) -> Agreement:
    """Draw up the agreement for an approved project; it then waits for every party's signature."""
    # Only the project's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # that the (nullable) organisation needs.
    project = Project.objects.select_for_update(of=("self",)).select_related(
        "edition__district", "street", "organization").get(pk=project.pk)
    edition = project.edition
    if not (_organises(actor, edition) or has_role_over(actor, project.street, Role.STREET_OFFICER)):
        raise PermissionDenied(_("Agreements are drawn up by the district organiser or the project's street."))
    if project.state != ProjectState.APPROVED:
        raise TransitionNotAllowed(_("Only a project the street review approved gets an agreement; this one is "
                                     "“%(state)s”.") % {"state": project.get_state_display()})
    if Agreement.objects.filter(project=project).exists():
        raise ValidationError(_("This project already has its agreement."))
    shares, split_reason = _clean_split(edition, split, split_reason)
    schedule = list(FrameworkInstalment.objects.filter(edition=edition))
    missing = [PartyRole(role).label for role in FRAMEWORK_ROLES if _framework_party(edition, role, project.street)
               is None]
    if missing or not schedule:
        raise ValidationError(_("The edition's cooperation framework is not complete (%(missing)s); the district "
                                "organiser sets it first.") % {"missing": "、".join(map(str, missing)) or
                                                              _("instalment schedule")})
    lines = list(project.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total <= 0:
        raise ValidationError(_("The project's plan has no budget to agree on."))
    agreement = Agreement.objects.create(
        project=project, edition=edition, organization=project.organization, code=_next_code(project), total=total,
        split_reason=split_reason, created_by=actor, created_at=at or timezone.now())
    AgreementShare.objects.bulk_create([AgreementShare(agreement=agreement, source=s, share=share)
                                        for s, share in shares])
    AgreementLine.objects.bulk_create([AgreementLine(agreement=agreement, position=i, item=line.item,
                                                     amount=line.amount) for i, line in enumerate(lines)])
    amounts = split_exact(total, [(item.milestone, item.share) for item in schedule])
    Instalment.objects.bulk_create([Instalment(agreement=agreement, position=item.position,
                                               milestone=item.milestone, amount=amounts[item.milestone])
                                    for item in schedule])
    parties = []
    for spec in PARTY_SPECS:
        if spec.role == PartyRole.STREET_OFFICE:
            office = _street_office(project.street)
            parties.append(AgreementParty(agreement=agreement, role=spec.role, organization=office,
                                          area=project.street, name=office.name if office else project.street.name))
        elif spec.role == PartyRole.IMPLEMENTER:
            parties.append(AgreementParty(agreement=agreement, role=spec.role, organization=project.organization,
                                          name=project.organization.name))
        else:
            organization = _framework_party(edition, spec.role, project.street)
            parties.append(AgreementParty(agreement=agreement, role=spec.role, organization=organization,
                                          name=organization.name))
    AgreementParty.objects.bulk_create(parties)
    _audit(actor, "agreement.create", agreement, before=None, after={
        "project": project.code, "total": str(total), "state": AgreementState.SIGNING,
        "split": [[s.pk, str(share)] for s, share in shares], "split_reason": split_reason,
        "instalments": [[m, str(a)] for m, a in amounts.items()]})
    signers = set()
    for party in parties:
        signers |= set(party_signers(agreement, party))
    notify(users=signers, subject=_("The agreement for “%(title)s” is waiting for your signature")
           % {"title": project.title}, url=reverse("agreements:detail", args=[agreement.code]))
    return agreement


# --- Signing ----------------------------------------------------------------------------------------------

def may_sign(user, agreement: Agreement, party: AgreementParty) -> bool:
    """The signer of each party: the organiser for the bureau, officers of the street, staff of the organisation."""
    if user is None or not user.is_authenticated:
        return False
    spec = SPEC_BY_ROLE[party.role]
    if spec.signer_scope == "district":
        return has_role_over(user, agreement.edition.district, spec.signer_role)
    if spec.signer_scope == "street":
        return has_role_over(user, party.area, spec.signer_role)
    return party.organization_id is not None and any(
        o.pk == party.organization_id for o in organizations_where(user, spec.signer_role))


def party_signers(agreement: Agreement, party: AgreementParty) -> list:
    from jindianzi.accounts.models import RoleAssignment

    spec = SPEC_BY_ROLE[party.role]
    if spec.signer_scope == "organization":
        return organization_staff(party.organization) if spec.signer_role == Role.ORG_STAFF else [
            a.user for a in RoleAssignment.objects.filter(role=spec.signer_role, organization=party.organization)
            .select_related("user")]
    area = agreement.edition.district if spec.signer_scope == "district" else party.area
    return [a.user for a in RoleAssignment.objects.filter(role=spec.signer_role, area=area).select_related("user")]


def parties_to_sign(user, agreement: Agreement) -> list[AgreementParty]:
    return [p for p in agreement.parties.all() if not p.has_signed and may_sign(user, agreement, p)]


@transaction.atomic
def agreement_sign(*, actor, agreement: Agreement, role: str | None = None, at=None) -> Agreement:
    """Confirm the agreement for one party in the signer's own account; the last signature brings it into force."""
    agreement = Agreement.objects.select_for_update().select_related("edition__district", "project").get(
        pk=agreement.pk)
    if agreement.state != AgreementState.SIGNING:
        raise TransitionNotAllowed(_("The agreement is “%(state)s”; it is no longer being signed.")
                                   % {"state": agreement.get_state_display()})
    open_parties = parties_to_sign(actor, agreement)
    if role is not None:
        open_parties = [p for p in open_parties if p.role == role]
    if not open_parties:
        signed = [p for p in agreement.parties.all() if p.has_signed and may_sign(actor, agreement, p)]
        if signed:
            raise ValidationError(_("You have already signed for %(party)s.") % {"party": signed[0].name})
        raise PermissionDenied(_("You do not sign this agreement for any of its parties."))
    if len(open_parties) > 1:
        raise ValidationError(_("You can sign for more than one party; choose which one."))
    party = open_parties[0]
    at = at or timezone.now()
    party.signed_by, party.signed_at = actor, at
    party.save(update_fields=["signed_by", "signed_at"])
    _audit(actor, "agreement.sign", agreement, before=None, after={"party": party.role, "name": party.name})
    if all(p.has_signed for p in agreement.parties.all()):
        _activate(agreement, actor=actor, at=at)
    return agreement


def _activate(agreement: Agreement, *, actor, at) -> None:
    agreement.state, agreement.activated_at = AgreementState.ACTIVE, at
    agreement.save(update_fields=["state", "activated_at"])
    _audit(actor, "agreement.activate", agreement, before={"state": AgreementState.SIGNING},
           after={"state": AgreementState.ACTIVE})
    # The first instalment's milestone is the signing itself.
    Instalment.objects.filter(agreement=agreement, milestone=Milestone.SIGNING, reached_at__isnull=True).update(
        reached_at=at, reached_note=gettext_lazy("Signed by every party"))
    project_contract(actor=actor, project=agreement.project, note=agreement.code, at=at)
    notify(users=organization_staff(agreement.organization),
           subject=_("The agreement %(code)s is in force") % {"code": agreement.code},
           url=reverse("agreements:detail", args=[agreement.code]))


@transaction.atomic
def agreement_cancel(*, actor, agreement: Agreement, reason: str) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("edition__district").get(pk=agreement.pk)
    _require_organiser(actor, agreement.edition, _("Only the district organiser can cancel an agreement."))
    if agreement.state != AgreementState.SIGNING:
        raise TransitionNotAllowed(_("Only an agreement that is still being signed can be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for cancelling.")})
    agreement.state = AgreementState.CANCELLED
    agreement.save(update_fields=["state"])
    _audit(actor, "agreement.cancel", agreement, before={"state": AgreementState.SIGNING},
           after={"state": AgreementState.CANCELLED, "reason": reason})
    return agreement


# --- Milestones -------------------------------------------------------------------------------------------

def may_confirm_milestone(user, agreement: Agreement) -> bool:
    """The support centre confirms the mid-term check and the final report; so can the district organiser."""
    if _organises(user, agreement.edition):
        return True
    centre = agreement.parties.filter(role=PartyRole.SUPPORT_CENTRE).values_list("organization_id", flat=True)
    return any(o.pk in set(centre) for o in organizations_where(user, Role.SUPPORT_STAFF))


@transaction.atomic
def milestone_reach(*, actor, instalment: Instalment, note: str = "", at=None) -> Instalment:
    instalment = Instalment.objects.select_for_update().select_related("agreement__edition__district").get(
        pk=instalment.pk)
    agreement = instalment.agreement
    if not may_confirm_milestone(actor, agreement):
        raise PermissionDenied(_("Only the support centre or the district organiser confirms a milestone."))
    if agreement.state != AgreementState.ACTIVE:
        raise TransitionNotAllowed(_("Milestones are confirmed once the agreement is in force."))
    if instalment.is_reached:
        raise ValidationError(_("This milestone was already confirmed."))
    earlier = Instalment.objects.filter(agreement=agreement, position__lt=instalment.position, reached_at__isnull=True)
    if earlier.exists():
        raise ValidationError(_("Confirm the earlier milestones first."))
    instalment.reached_at, instalment.reached_by, instalment.reached_note = at or timezone.now(), actor, \
        (note or "").strip()[:REASON_LIMIT]
    instalment.save(update_fields=["reached_at", "reached_by", "reached_note"])
    _audit(actor, "agreement.milestone", agreement, after={"milestone": instalment.milestone,
                                                            "note": instalment.reached_note})
    return instalment



def agreement_complete(*, actor, agreement: Agreement, at=None) -> None:
    """Called by the funds stage when the last instalment is paid, inside that transaction."""
    if agreement.state != AgreementState.ACTIVE:
        return
    agreement.state, agreement.completed_at = AgreementState.COMPLETED, at or timezone.now()
    agreement.save(update_fields=["state", "completed_at"])
    _audit(actor, "agreement.complete", agreement, before={"state": AgreementState.ACTIVE},
           after={"state": AgreementState.COMPLETED})
