"""The agreement pages: the list, the framework, drawing one up, signing, cancelling, confirming a milestone."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jindianzi.accounts.models import Role
from jindianzi.agreements.models import Agreement, FrameworkInstalment, FrameworkParty
from jindianzi.agreements.workflow import AgreementState, PartyRole
from jindianzi.organizations.models import OrganizationKind

from ..factories import DistrictFactory, OrganizationFactory, ProjectFactory, staff_user
from ..factories_funds import approved_projects, cooperation_framework, drawn_agreement, paid_instalment, sign_all

pytestmark = pytest.mark.usefixtures("english_pages")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The list ---------------------------------------------------------------------------------------------

def test_each_party_lists_the_agreement_and_nobody_else_does(drawn, world, login_as, client):
    agreement, people = drawn
    other_centre = OrganizationFactory(kind=OrganizationKind.SUPPORT_CENTRE, home_area=world.district)
    outsiders = [staff_user(Role.STREET_OFFICER, area=world.other_street),
                 staff_user(Role.SUPPORT_STAFF, organization=other_centre),
                 staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community))]
    for user in (people.organiser, people.street_officer, people.org_staff, people.hub_staff,
                 people.foundation_officer, people.finance_officer, people.support_staff):
        login_as(user)
        response = client.get(reverse("agreements:list"))
        assert response.status_code == 200
        assert agreement.code in response.content.decode(), user
    for user in outsiders:
        login_as(user)
        response = client.get(reverse("agreements:list"))
        assert response.status_code == 200 and agreement.code not in response.content.decode()


def test_list_shows_signatures_and_paid_against_total(signed, login_as, client):
    agreement, people = signed
    paid_instalment(agreement, people)
    login_as(people.organiser)
    page = client.get(reverse("agreements:list")).content.decode()
    assert "Signatures 6/6" in page
    assert "Paid 1,680.00 of 4,200.00 yuan" in page


def test_list_filters_by_state_and_street(drawn, login_as, client):
    agreement, people = drawn
    login_as(people.organiser)
    assert agreement.code in client.get(reverse("agreements:list"), {"state": "signing"}).content.decode()
    assert agreement.code not in client.get(reverse("agreements:list"), {"state": "active"}).content.decode()
    street = agreement.project.street_id
    assert agreement.code in client.get(reverse("agreements:list"), {"street": street}).content.decode()


def test_approved_projects_without_an_agreement_get_a_button_for_the_organiser_and_the_street(
        project, framework, world, login_as, client):
    create = reverse("agreements:create", args=[project.code])
    for user in (framework.organiser, project.street_officer):
        login_as(user)
        assert create in client.get(reverse("agreements:list")).content.decode()
    login_as(project.org_staff)
    assert create not in client.get(reverse("agreements:list")).content.decode()


def test_the_list_costs_the_same_number_of_queries_for_one_agreement_or_three(world, login_as, client):
    projects = approved_projects(world, ("4200.00", "3000.00", "5000.00"))
    framework = cooperation_framework(world.edition, world.district)
    drawn_agreement(world, project=projects[0], framework=framework)
    login_as(framework.organiser)
    url = reverse("agreements:list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for project in projects[1:]:
        sign_all(*drawn_agreement(world, project=project, framework=framework))
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert page.count("Signatures ") == 3
    assert len(three) == len(one)


def test_staff_without_an_agreement_role_are_refused_the_list(world, login_as, client):
    login_as(staff_user(Role.COMMUNITY_WORKER, area=world.community))
    assert client.get(reverse("agreements:list")).status_code == 403


# --- The framework ----------------------------------------------------------------------------------------

@pytest.fixture
def organisations(world):
    def org(name, kind):
        return OrganizationFactory(name=name, kind=kind, home_area=world.district)

    return type("Orgs", (), {
        "bureau": org("红山区民政局", OrganizationKind.CIVIL_AFFAIRS_BUREAU),
        "foundation": org("红山区社区基金会", OrganizationKind.COMMUNITY_FOUNDATION),
        "hub": org("红山区社会组织联合会", OrganizationKind.HUB_ORGANIZATION),
        "hub2": org("西屯街道社会组织联合会", OrganizationKind.HUB_ORGANIZATION),
        "centre": org("红山区社会组织服务中心", OrganizationKind.SUPPORT_CENTRE),
    })()


def test_the_organiser_sets_the_framework(world, organisations, login_as, client):
    organiser = staff_user(Role.DISTRICT_ORGANISER, area=world.district)
    login_as(organiser)
    url = reverse("agreements:framework", args=[world.edition.slug])
    page = client.get(url).content.decode()
    # Only organisations of the right kind are offered for each role.
    assert page.count(organisations.bureau.name) == 1 and "40" in page
    response = client.post(url, {
        "civil_affairs": organisations.bureau.pk, "foundation": organisations.foundation.pk,
        "hub": [organisations.hub.pk, organisations.hub2.pk], "support_centre": organisations.centre.pk,
        "percent_signing": "50", "percent_midterm": "", "percent_final": "50"}, follow=True)
    assert "The cooperation framework is saved." in " ".join(messages_of(response))
    assert {(p.role, p.organization_id) for p in FrameworkParty.objects.filter(edition=world.edition)} == {
        (PartyRole.CIVIL_AFFAIRS, organisations.bureau.pk), (PartyRole.FOUNDATION, organisations.foundation.pk),
        (PartyRole.HUB, organisations.hub.pk), (PartyRole.HUB, organisations.hub2.pk),
        (PartyRole.SUPPORT_CENTRE, organisations.centre.pk)}
    assert [(i.milestone, i.share) for i in FrameworkInstalment.objects.filter(edition=world.edition)] == [
        ("signing", Decimal("0.5000")), ("final", Decimal("0.5000"))]


def test_a_schedule_that_is_not_100_per_cent_is_refused_and_nothing_is_saved(world, organisations, login_as,
                                                                               client):
    login_as(staff_user(Role.DISTRICT_ORGANISER, area=world.district))
    response = client.post(reverse("agreements:framework", args=[world.edition.slug]), {
        "civil_affairs": organisations.bureau.pk, "foundation": "", "support_centre": organisations.centre.pk,
        "percent_signing": "40", "percent_midterm": "30", "percent_final": "20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The instalments must add up to 100 %." in page
    assert "Name the organisation for: Community foundation" in page
    assert not FrameworkParty.objects.filter(edition=world.edition).exists()


def test_only_the_districts_organiser_sets_the_framework(world, login_as, client):
    url = reverse("agreements:framework", args=[world.edition.slug])
    for user in (staff_user(Role.STREET_OFFICER, area=world.street),
                 staff_user(Role.DISTRICT_ORGANISER, area=DistrictFactory())):
        login_as(user)
        assert client.get(url).status_code == 403


# --- Drawing up -------------------------------------------------------------------------------------------

def test_the_create_page_shows_the_editions_split_and_draws_up_the_agreement(project, framework, login_as, client):
    login_as(framework.organiser)
    url = reverse("agreements:create", args=[project.code])
    page = client.get(url).content.decode()
    assert "2,520.00" in page and "1,680.00" in page  # 60 % and 40 % of 4,200 yuan
    assert framework.hub.name in page and project.organization.name in page
    response = client.post(url, {})
    agreement = Agreement.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == reverse("agreements:detail",
                                                                           args=[agreement.code])
    assert agreement.parties.count() == 6 and agreement.state == AgreementState.SIGNING
    assert agreement.total == Decimal("4200.00")


def test_the_street_officer_may_draw_it_up_too(project, framework, login_as, client):
    login_as(project.street_officer)
    client.post(reverse("agreements:create", args=[project.code]), {})
    assert Agreement.objects.filter(project=project).exists()


def test_a_different_split_needs_a_reason(project, framework, login_as, client):
    login_as(framework.organiser)
    url = reverse("agreements:create", args=[project.code])
    shares = {f"share_{framework.foundation_source.pk}": "70", f"share_{framework.finance_source.pk}": "30"}
    response = client.post(url, {"different_split": "on", **shares, "split_reason": ""})
    assert response.status_code == 200
    assert "A funding split different from the edition&#x27;s needs a reason." in response.content.decode()
    assert not Agreement.objects.filter(project=project).exists()
    client.post(url, {"different_split": "on", **shares, "split_reason": "区财政本年度预算调整"})
    agreement = Agreement.objects.get(project=project)
    assert agreement.split_reason == "区财政本年度预算调整"
    assert {s.source_id: s.share for s in agreement.shares.all()} == {
        framework.foundation_source.pk: Decimal("0.7000"), framework.finance_source.pk: Decimal("0.3000")}


def test_a_split_that_is_not_100_per_cent_is_refused(project, framework, login_as, client):
    login_as(framework.organiser)
    response = client.post(reverse("agreements:create", args=[project.code]), {
        "different_split": "on", f"share_{framework.foundation_source.pk}": "70",
        f"share_{framework.finance_source.pk}": "40", "split_reason": "调整"})
    assert "The shares of the split must add up to 100 %." in response.content.decode()
    assert not Agreement.objects.filter(project=project).exists()


def test_without_a_framework_the_organiser_is_told_to_set_it_first(project, world, login_as, client):
    organiser = staff_user(Role.DISTRICT_ORGANISER, area=world.district)
    login_as(organiser)
    from jindianzi.editions.services import funding_sources_set

    funding_sources_set(actor=organiser, edition=project.edition, shares=[
        (OrganizationFactory(kind=OrganizationKind.COMMUNITY_FOUNDATION, home_area=world.district), Decimal(1))])
    response = client.post(reverse("agreements:create", args=[project.code]), {})
    assert "cooperation framework is not complete" in response.content.decode()
    assert not Agreement.objects.filter(project=project).exists()


def test_a_project_not_yet_approved_gets_no_agreement(world, login_as, client):
    draft = ProjectFactory(edition=world.edition, community=world.community)
    officer = staff_user(Role.STREET_OFFICER, area=world.street)
    login_as(officer)
    url = reverse("agreements:create", args=[draft.code])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This project is not approved." in page and "<form class=\"panel\"" not in page
    client.post(url, {})
    assert not Agreement.objects.filter(project=draft).exists()


def test_another_street_cannot_draw_it_up(project, framework, world, login_as, client):
    login_as(staff_user(Role.STREET_OFFICER, area=world.other_street))
    assert client.post(reverse("agreements:create", args=[project.code]), {}).status_code == 403
    assert not Agreement.objects.filter(project=project).exists()


def test_a_second_visit_goes_to_the_existing_agreement(drawn, login_as, client):
    agreement, people = drawn
    login_as(people.organiser)
    response = client.get(reverse("agreements:create", args=[agreement.project.code]))
    assert response["Location"] == reverse("agreements:detail", args=[agreement.code])


# --- Signing ----------------------------------------------------------------------------------------------

def test_each_party_signs_in_its_own_account_and_the_last_brings_it_into_force(drawn, login_as, client):
    agreement, people = drawn
    url = reverse("agreements:detail", args=[agreement.code])
    signers = [(people.organiser, PartyRole.CIVIL_AFFAIRS), (people.foundation_officer, PartyRole.FOUNDATION),
               (people.street_officer, PartyRole.STREET_OFFICE), (people.hub_staff, PartyRole.HUB),
               (people.support_staff, PartyRole.SUPPORT_CENTRE), (people.org_staff, PartyRole.IMPLEMENTER)]
    for number, (user, role) in enumerate(signers, start=1):
        login_as(user)
        page = client.get(url).content.decode()
        # Only the user's own party has a button.
        assert page.count('name="role"') == 1 and f'value="{role}"' in page
        response = client.post(reverse("agreements:sign", args=[agreement.code]), {"role": role}, follow=True)
        assert f"Signatures {number}/6" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    assert "every party has signed" in " ".join(messages_of(response))
    assert agreement.project.__class__.objects.get(pk=agreement.project_id).state == "contracted"


def test_signing_twice_is_refused_with_a_message(drawn, login_as, client):
    agreement, people = drawn
    login_as(people.foundation_officer)
    client.post(reverse("agreements:sign", args=[agreement.code]))
    response = client.post(reverse("agreements:sign", args=[agreement.code]), follow=True)
    assert f"You have already signed for {people.foundation.name}." in messages_of(response)
    assert agreement.parties.filter(signed_at__isnull=False).count() == 1


def test_a_person_of_no_party_cannot_sign_nor_see_it(drawn, world, login_as, client):
    agreement, people = drawn
    login_as(staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=world.community)))
    assert client.post(reverse("agreements:sign", args=[agreement.code])).status_code == 403
    assert client.get(reverse("agreements:detail", args=[agreement.code])).status_code == 403
    assert not agreement.parties.filter(signed_at__isnull=False).exists()


def test_the_agreement_page_shows_parties_split_instalments_balances_and_history(signed, login_as, client):
    agreement, people = signed
    paid_instalment(agreement, people)
    login_as(people.org_staff)
    page = client.get(reverse("agreements:detail", args=[agreement.code])).content.decode()
    for text in ("Signed on", people.foundation.name, "60 %", "2,520.00", "On signing", "After the mid-term check",
                 "reference BANK-", "Left to ask for", "1,680.00", reverse("agreements:pdf", args=[agreement.code]),
                 "Every party signed: in force", "Drawn up"):
        assert text in page, text


def test_the_page_costs_a_fixed_number_of_queries(signed, login_as, client, django_assert_max_num_queries):
    agreement, people = signed
    paid_instalment(agreement, people)
    login_as(people.organiser)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("agreements:detail", args=[agreement.code])).status_code == 200


# --- Cancelling and milestones ----------------------------------------------------------------------------

def test_cancelling_needs_a_reason(drawn, login_as, client):
    agreement, people = drawn
    login_as(people.organiser)
    url = reverse("agreements:cancel", args=[agreement.code])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Please give the reason for cancelling." in messages_of(response)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SIGNING
    client.post(url, {"reason": "承接组织解散"})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED


def test_the_support_centre_confirms_the_midterm_milestone(signed, login_as, client):
    agreement, people = signed
    login_as(people.support_staff)
    final = agreement.instalments.get(milestone="final")
    response = client.post(reverse("agreements:milestone", args=[agreement.code, final.pk]), follow=True)
    assert "Confirm the earlier milestones first." in messages_of(response)
    midterm = agreement.instalments.get(milestone="midterm")
    response = client.post(reverse("agreements:milestone", args=[agreement.code, midterm.pk]),
                           {"note": "中期督导：活动记录完整"}, follow=True)
    midterm.refresh_from_db()
    assert midterm.is_reached and midterm.reached_note == "中期督导：活动记录完整"
    assert "中期督导：活动记录完整" in response.content.decode()


def test_the_implementer_cannot_confirm_its_own_milestone(signed, login_as, client):
    agreement, people = signed
    login_as(people.org_staff)
    midterm = agreement.instalments.get(milestone="midterm")
    assert client.post(reverse("agreements:milestone", args=[agreement.code, midterm.pk])).status_code == 403

