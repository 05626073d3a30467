"""Agreements (签约): the cooperation framework, drawing up, signing in each party's own account, milestones."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.accounts.services import role_grant
from jindianzi.agreements.models import Agreement, AgreementParty, FrameworkInstalment, FrameworkParty
from jindianzi.agreements.services import (
    agreement_cancel, agreement_create, agreement_sign, framework_set, milestone_reach,
)
from jindianzi.agreements.workflow import AgreementState, Milestone, PartyRole
from jindianzi.core.audit import chain_verify, records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.editions.services import funding_sources_set
from jindianzi.notifications.models import Notification
from jindianzi.organizations.models import OrganizationKind
from jindianzi.projects.workflow import ProjectState

from ..factories import EditionFactory, OrganizationFactory, UserFactory, staff_user, submitted_project
from ..factories_funds import (
    approved_projects, cooperation_framework, drawn_agreement, fresh, funds_world, kept_for_module, sign_all,
)

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """Built once for the module: 西屯街道's review approved three projects (10,000, 4,200 and 6,000.01 yuan);
    西城街道 has one still waiting for its review; the framework is the seed's (60 % foundation, 40 % finance)."""
    with kept_for_module(django_db_blocker):
        world = funds_world()
        waiting = submitted_project(edition=world.edition, community=world.other_community)
        projects = approved_projects(world, ("10000.00", "4200.00", "6000.01"))
        framework = cooperation_framework(world.edition, world.district)
        yield SimpleNamespace(world=world, waiting=waiting, projects=projects, framework=framework)


@pytest.fixture
def built(_built, db):
    return fresh(_built)


@pytest.fixture
def drawn(built):
    """The 10,000-yuan project's agreement, drawn up and waiting for every signature: ``(agreement, people)``."""
    return drawn_agreement(built.world, project=built.projects[0], framework=built.framework)


@pytest.fixture
def signed(drawn):
    agreement, people = drawn
    return sign_all(agreement, people), people


def messages(error) -> list[str]:
    return error.messages


# --- The cooperation framework --------------------------------------------------------------------------

def parties_of(framework, **changes):
    parties = {PartyRole.CIVIL_AFFAIRS: [framework.bureau], PartyRole.FOUNDATION: [framework.foundation],
               PartyRole.HUB: [framework.hub], PartyRole.SUPPORT_CENTRE: [framework.support_centre]}
    parties.update(changes)
    return parties


def test_the_framework_refuses_an_organisation_of_the_wrong_kind_and_keeps_the_old_one(built):
    f = built.framework
    before = list(FrameworkParty.objects.values_list("role", "organization_id"))

    with pytest.raises(ValidationError) as refused:
        framework_set(actor=f.organiser, edition=built.world.edition,
                      parties=parties_of(f, **{PartyRole.HUB: [f.foundation], PartyRole.FOUNDATION: []}))

    assert messages(refused.value) == [
        "Name the organisation for: Community foundation (organiser and funder).",
        f"{f.foundation.name} is not of the right kind for this role (it should be: Hub social organisation)."]
    assert list(FrameworkParty.objects.values_list("role", "organization_id")) == before


def schedule_of(signing, midterm=None, final=None):
    shares = ((Milestone.SIGNING, signing), (Milestone.MIDTERM, midterm), (Milestone.FINAL, final))
    return [(milestone, Decimal(share)) for milestone, share in shares if share is not None]


@pytest.mark.parametrize("schedule, message", [
    (schedule_of("0.40", "0.30", "0.20"), "The instalments must add up to 100 %."),
    (schedule_of("0.60", "0.30", "0.1001"), "The instalments must add up to 100 %."),
    (schedule_of("1.00", final="0"), "Every instalment must be more than 0 %."),
    ([(Milestone.SIGNING, Decimal("0.50")), (Milestone.SIGNING, Decimal("0.50"))],
     "The schedule needs each milestone at most once."),
])
def test_an_instalment_schedule_that_is_not_100_percent_is_refused(built, schedule, message):
    f = built.framework
    before = list(FrameworkInstalment.objects.values_list("milestone", "share"))

    with pytest.raises(ValidationError) as refused:
        framework_set(actor=f.organiser, edition=built.world.edition, parties=parties_of(f), schedule=schedule)

    assert messages(refused.value) == [message]
    assert list(FrameworkInstalment.objects.values_list("milestone", "share")) == before


def test_funding_shares_that_are_not_100_percent_are_refused(built):
    f = built.framework

    with pytest.raises(ValidationError) as refused:
        funding_sources_set(actor=f.organiser, edition=built.world.edition,
                            shares=[(f.foundation, Decimal("0.60")), (f.finance, Decimal("0.30"))])

    assert messages(refused.value) == ["The funding shares add up to 90 %; they must add up to 100 %."]
    assert sorted(built.world.edition.funding_sources.values_list("share", flat=True)) == [Decimal("0.40"),
                                                                                            Decimal("0.60")]


def test_only_the_district_organiser_sets_the_framework(built):
    f = built.framework
    for stranger in (f.foundation_officer, f.support_staff, built.projects[0].street_officer):
        with pytest.raises(PermissionDenied):
            framework_set(actor=stranger, edition=built.world.edition, parties=parties_of(f))


# --- Drawing up the agreement ---------------------------------------------------------------------------

def test_the_agreement_takes_its_parties_budget_split_and_instalments_from_the_project_and_framework(built):
    project, f = built.projects[0], built.framework
    Notification.objects.all().delete()

    agreement = agreement_create(actor=f.organiser, project=project)

    assert agreement.state == AgreementState.SIGNING and agreement.code == f"{project.code}-XY"
    assert agreement.total == Decimal("10000.00") and isinstance(agreement.total, Decimal)
    assert agreement.organization == project.organization
    assert [(line.item, line.amount) for line in agreement.lines.all()] == [("项目经费", Decimal("10000.00"))]
    assert [(s.source, s.share) for s in agreement.shares.all()] == [
        (f.foundation_source, Decimal("0.6000")), (f.finance_source, Decimal("0.4000"))]
    assert [(i.milestone, i.amount, i.is_reached) for i in agreement.instalments.all()] == [
        (Milestone.SIGNING, Decimal("4000.00"), False), (Milestone.MIDTERM, Decimal("3000.00"), False),
        (Milestone.FINAL, Decimal("3000.00"), False)]
    assert all(isinstance(i.amount, Decimal) for i in agreement.instalments.all())
    assert [(p.role, p.name) for p in AgreementParty.objects.filter(agreement=agreement)] == [
        (PartyRole.CIVIL_AFFAIRS, f.bureau.name), (PartyRole.FOUNDATION, f.foundation.name),
        (PartyRole.STREET_OFFICE, "西屯街道"), (PartyRole.HUB, f.hub.name),
        (PartyRole.SUPPORT_CENTRE, f.support_centre.name), (PartyRole.IMPLEMENTER, project.organization.name)]
    waiting = {n.user_id for n in Notification.objects.filter(url=f"/staff/agreements/{agreement.code}/")}
    assert waiting == {u.pk for u in (f.organiser, f.foundation_officer, project.street_officer, f.hub_staff,
                                      f.support_staff, project.org_staff)}
    [record] = records_for(agreement)
    assert record.action == "agreement.create" and record.after["total"] == "10000.00"


def test_the_instalments_add_up_to_the_total_to_the_fen(built):
    agreement = agreement_create(actor=built.framework.organiser, project=built.projects[2])

    assert [i.amount for i in agreement.instalments.all()] == [Decimal("2400.01"), Decimal("1800.00"),
                                                               Decimal("1800.00")]
    assert sum(i.amount for i in agreement.instalments.all()) == agreement.total == Decimal("6000.01")


def test_only_a_project_the_street_review_approved_gets_an_agreement(built):
    with pytest.raises(TransitionNotAllowed) as refused:
        agreement_create(actor=built.framework.organiser, project=built.waiting)

    assert messages(refused.value) == ["Only a project the street review approved gets an agreement; this one is "
                                       "“Submitted to the street review”."]
    assert not Agreement.objects.exists()


def test_a_project_has_one_agreement(drawn, built):
    with pytest.raises(ValidationError) as refused:
        agreement_create(actor=built.framework.organiser, project=built.projects[0])

    assert messages(refused.value) == ["This project already has its agreement."]
    assert Agreement.objects.count() == 1


def test_the_projects_street_officer_may_draw_it_up_but_no_one_outside_the_street_or_district(built):
    project, f = built.projects[1], built.framework
    for stranger in (f.foundation_officer, project.org_staff, staff_user(Role.STREET_OFFICER,
                                                                         area=built.world.other_street)):
        with pytest.raises(PermissionDenied):
            agreement_create(actor=stranger, project=project)

    assert agreement_create(actor=project.street_officer, project=project).created_by == project.street_officer


def test_a_split_different_from_the_editions_needs_a_reason(built):
    f, project = built.framework, built.projects[1]
    half = [(f.foundation_source, Decimal("0.50")), (f.finance_source, Decimal("0.50"))]

    with pytest.raises(ValidationError) as refused:
        agreement_create(actor=f.organiser, project=project, split=half, split_reason="  ")
    assert messages(refused.value) == ["A funding split different from the edition's needs a reason."]
    assert not Agreement.objects.exists()

    agreement = agreement_create(actor=f.organiser, project=project, split=half,
                                 split_reason="区财政本年度追加配套资金。")
    assert [(s.source, s.share) for s in agreement.shares.all()] == [
        (f.foundation_source, Decimal("0.5000")), (f.finance_source, Decimal("0.5000"))]
    assert agreement.split_reason == "区财政本年度追加配套资金。"
    assert records_for(agreement).get().after["split"] == [[f.foundation_source.pk, "0.50"],
                                                           [f.finance_source.pk, "0.50"]]


@pytest.mark.parametrize("foundation, finance", [(Decimal("0.50"), Decimal("0.40")),
                                                 (Decimal("1.10"), Decimal("-0.10"))])
def test_a_split_that_is_not_100_percent_is_refused(built, foundation, finance):
    f = built.framework

    with pytest.raises(ValidationError) as refused:
        agreement_create(actor=f.organiser, project=built.projects[1], split_reason="试点。",
                         split=[(f.foundation_source, foundation), (f.finance_source, finance)])

    assert messages(refused.value) == ["The shares of the split must add up to 100 %."]


def test_a_split_can_only_use_the_editions_own_sources(built):
    f = built.framework
    other = EditionFactory(district=built.world.district)
    funding_sources_set(actor=f.organiser, edition=other, shares=[(f.foundation, Decimal("1"))])

    with pytest.raises(ValidationError) as refused:
        agreement_create(actor=f.organiser, project=built.projects[1], split_reason="试点。",
                         split=[(other.funding_sources.get(), Decimal("1"))])

    assert messages(refused.value) == ["Only the edition's funding sources can pay for its agreements."]


# --- Signing --------------------------------------------------------------------------------------------

def test_each_party_signs_in_its_own_account_and_the_last_signature_brings_the_agreement_into_force(drawn):
    agreement, people = drawn
    signers = [people.organiser, people.foundation_officer, people.street_officer, people.hub_staff,
               people.support_staff, people.org_staff]
    Notification.objects.all().delete()

    for signer in signers[:-1]:
        agreement_sign(actor=signer, agreement=agreement)
        agreement.refresh_from_db()
        assert agreement.state == AgreementState.SIGNING and agreement.activated_at is None
    agreement_sign(actor=people.org_staff, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE and agreement.activated_at is not None
    assert [p.signed_by for p in agreement.parties.all()] == signers
    agreement.project.refresh_from_db()
    assert agreement.project.state == ProjectState.CONTRACTED
    first, *later = agreement.instalments.all()
    assert first.milestone == Milestone.SIGNING and first.reached_at == agreement.activated_at
    assert not any(i.is_reached for i in later)
    assert [n.subject for n in Notification.objects.filter(user=people.org_staff)] == [
        f"The agreement {agreement.code} is in force"]
    assert [r.action for r in records_for(agreement)] == ["agreement.create", *["agreement.sign"] * 6,
                                                          "agreement.activate"]
    assert chain_verify().intact


@pytest.mark.parametrize("who", ["resident", "other street's officer", "district finance officer",
                                 "staff of another organisation", "another district's organiser"])
def test_a_stranger_cannot_sign(drawn, built, who):
    agreement, people = drawn
    stranger = {
        "resident": lambda: UserFactory(),
        "other street's officer": lambda: staff_user(Role.STREET_OFFICER, area=built.world.other_street),
        "district finance officer": lambda: people.finance_officer,  # a funder, but not a party that signs
        "staff of another organisation": lambda: staff_user(
            Role.ORG_STAFF, organization=OrganizationFactory(home_area=built.world.community)),
        "another district's organiser": lambda: staff_user(Role.DISTRICT_ORGANISER,
                                                           area=EditionFactory().district),
    }[who]()

    with pytest.raises(PermissionDenied) as refused:
        agreement_sign(actor=stranger, agreement=agreement)

    assert str(refused.value) == "You do not sign this agreement for any of its parties."
    assert not agreement.parties.filter(signed_at__isnull=False).exists()


def test_a_signer_signs_only_for_their_own_party(drawn):
    agreement, people = drawn

    with pytest.raises(PermissionDenied):
        agreement_sign(actor=people.foundation_officer, agreement=agreement, role=PartyRole.HUB)

    assert not agreement.parties.get(role=PartyRole.HUB).has_signed


def test_a_party_signs_once(drawn):
    agreement, people = drawn
    agreement_sign(actor=people.foundation_officer, agreement=agreement)

    with pytest.raises(ValidationError) as refused:
        agreement_sign(actor=people.foundation_officer, agreement=agreement)

    assert messages(refused.value) == [f"You have already signed for {people.foundation.name}."]
    assert [r.action for r in records_for(agreement)].count("agreement.sign") == 1


def test_someone_who_signs_for_two_parties_chooses_which(drawn):
    agreement, people = drawn
    both = staff_user(Role.ORG_STAFF, organization=people.hub)
    role_grant(user=both, role=Role.SUPPORT_STAFF, organization=people.support_centre)

    with pytest.raises(ValidationError) as refused:
        agreement_sign(actor=both, agreement=agreement)
    assert messages(refused.value) == ["You can sign for more than one party; choose which one."]

    agreement_sign(actor=both, agreement=agreement, role=PartyRole.HUB)
    assert agreement.parties.get(role=PartyRole.HUB).signed_by == both
    assert not agreement.parties.get(role=PartyRole.SUPPORT_CENTRE).has_signed


def test_an_agreement_in_force_is_not_signed_again(signed):
    agreement, people = signed

    with pytest.raises(TransitionNotAllowed) as refused:
        agreement_sign(actor=people.organiser, agreement=agreement)

    assert messages(refused.value) == ["The agreement is “In force”; it is no longer being signed."]


def test_the_organiser_cancels_an_agreement_being_signed_with_a_reason_and_it_is_then_not_signed(drawn, built):
    agreement, people = drawn
    with pytest.raises(PermissionDenied):
        agreement_cancel(actor=people.street_officer, agreement=agreement, reason="撤销。")
    with pytest.raises(ValidationError) as refused:
        agreement_cancel(actor=people.organiser, agreement=agreement, reason=" ")
    assert refused.value.message_dict == {"reason": ["Please give the reason for cancelling."]}

    agreement_cancel(actor=people.organiser, agreement=agreement, reason="承接组织注销。")

    agreement.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    assert records_for(agreement).last().after == {"state": "cancelled", "reason": "承接组织注销。"}
    with pytest.raises(TransitionNotAllowed):
        agreement_sign(actor=people.foundation_officer, agreement=agreement)


def test_an_agreement_in_force_cannot_be_cancelled(signed):
    agreement, people = signed

    with pytest.raises(TransitionNotAllowed):
        agreement_cancel(actor=people.organiser, agreement=agreement, reason="撤销。")

    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE


def test_without_a_street_office_organisation_the_streets_officer_signs_for_the_street(drawn):
    agreement, people = drawn
    party = agreement.parties.get(role=PartyRole.STREET_OFFICE)
    assert party.organization is None and party.area.name == "西屯街道"

    agreement_sign(actor=people.street_officer, agreement=agreement)

    assert agreement.parties.get(role=PartyRole.STREET_OFFICE).signed_by == people.street_officer


# --- Milestones -----------------------------------------------------------------------------------------

def test_the_support_centre_confirms_the_milestones_in_order(signed):
    agreement, people = signed
    midterm, final = agreement.instalments.filter(milestone__in=[Milestone.MIDTERM, Milestone.FINAL])

    with pytest.raises(ValidationError) as refused:
        milestone_reach(actor=people.support_staff, instalment=final, note="结项。")
    assert messages(refused.value) == ["Confirm the earlier milestones first."]

    milestone_reach(actor=people.support_staff, instalment=midterm, note="中期检查通过。")
    milestone_reach(actor=people.organiser, instalment=final, note="结项报告通过。")

    assert [(i.milestone, i.reached_by, i.reached_note) for i in agreement.instalments.all()[1:]] == [
        (Milestone.MIDTERM, people.support_staff, "中期检查通过。"),
        (Milestone.FINAL, people.organiser, "结项报告通过。")]
    assert [r.after["milestone"] for r in records_for(agreement).filter(action="agreement.milestone")] == [
        "midterm", "final"]


def test_a_milestone_is_confirmed_once(signed):
    agreement, people = signed
    signing = agreement.instalments.get(milestone=Milestone.SIGNING)

    with pytest.raises(ValidationError) as refused:
        milestone_reach(actor=people.support_staff, instalment=signing)

    assert messages(refused.value) == ["This milestone was already confirmed."]


@pytest.mark.parametrize("who", ["org_staff", "foundation_officer", "street_officer", "hub_staff",
                                 "another centre's staff"])
def test_only_the_support_centre_or_the_organiser_confirms_a_milestone(signed, built, who):
    agreement, people = signed
    if who == "another centre's staff":
        centre = OrganizationFactory(kind=OrganizationKind.SUPPORT_CENTRE, home_area=built.world.district)
        actor = staff_user(Role.SUPPORT_STAFF, organization=centre)
    else:
        actor = getattr(people, who)

    with pytest.raises(PermissionDenied):
        milestone_reach(actor=actor, instalment=agreement.instalments.get(milestone=Milestone.MIDTERM))

    assert not agreement.instalments.get(milestone=Milestone.MIDTERM).is_reached


def test_milestones_wait_for_the_agreement_to_be_in_force(drawn):
    agreement, people = drawn

    with pytest.raises(TransitionNotAllowed) as refused:
        milestone_reach(actor=people.support_staff, instalment=agreement.instalments.get(milestone=Milestone.SIGNING))

    assert messages(refused.value) == ["Milestones are confirmed once the agreement is in force."]

