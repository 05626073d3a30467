"""The money pages: asking for an instalment, the funders' queue, expenses and receipts, balances, commitments,
and the public record of money movements on the project's page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jindianzi.accounts.models import Role
from jindianzi.agreements.workflow import AgreementState
from jindianzi.funds.models import Commitment, Disbursement, Expense
from jindianzi.funds.services import expense_report, expense_review
from jindianzi.funds.workflow import DisbursementState, ExpenseState
from jindianzi.organizations.models import OrganizationKind

from ..factories import OrganizationFactory, UserFactory, photo_upload, staff_user
from ..factories_funds import (
    approve_all, approved_projects, drawn_agreement, paid_instalment, requested_disbursement, sign_all,
)

pytestmark = pytest.mark.usefixtures("english_pages")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def page_of(response) -> str:
    return response.content.decode()


# --- Asking for an instalment -----------------------------------------------------------------------------

def test_the_organisation_asks_for_the_first_instalment(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    login_as(people.org_staff)
    detail = page_of(client.get(reverse("agreements:detail", args=[agreement.code])))
    signing = agreement.instalments.get(milestone="signing")
    assert reverse("funds:request", args=[agreement.code, signing.pk]) in detail
    # The mid-term instalment waits for its milestone: no button yet.
    midterm = agreement.instalments.get(milestone="midterm")
    assert reverse("funds:request", args=[agreement.code, midterm.pk]) not in detail
    response = client.post(reverse("funds:request", args=[agreement.code, signing.pk]),
                           {"amount": "1,680.00", "note": "启动活动"}, follow=True)
    disbursement = Disbursement.objects.get(instalment=signing)
    assert disbursement.amount == Decimal("1680.00") and disbursement.state == DisbursementState.REQUESTED
    assert response.redirect_chain[-1][0] == reverse("funds:disbursement", args=[disbursement.pk])
    assert "Your request for 1,680.00 yuan is sent." in " ".join(messages_of(response))
    assert sorted(s.amount for s in disbursement.shares.all()) == [Decimal("672.00"), Decimal("1008.00")]


def test_asking_before_the_milestone_or_too_much_is_refused_and_nothing_is_asked(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    login_as(people.org_staff)
    midterm = agreement.instalments.get(milestone="midterm")
    response = client.post(reverse("funds:request", args=[agreement.code, midterm.pk]), follow=True)
    assert "The milestone “After the mid-term check” has not been confirmed yet." in messages_of(response)
    signing = agreement.instalments.get(milestone="signing")
    response = client.post(reverse("funds:request", args=[agreement.code, signing.pk]), {"amount": "2000"},
                           follow=True)
    assert "The instalment is 1,680.00 yuan; you cannot ask for more." in messages_of(response)
    response = client.post(reverse("funds:request", args=[agreement.code, signing.pk]), {"amount": "一千"},
                           follow=True)
    assert "Please give an amount in yuan, such as 1200.50." in messages_of(response)
    assert not Disbursement.objects.filter(agreement=agreement).exists()


def test_only_the_implementer_asks(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    signing = agreement.instalments.get(milestone="signing")
    for user in (people.organiser, people.hub_staff, people.foundation_officer):
        login_as(user)
        assert client.post(reverse("funds:request", args=[agreement.code, signing.pk])).status_code == 403
    assert not Disbursement.objects.filter(agreement=agreement).exists()


# --- The funding officers' queue --------------------------------------------------------------------------

def test_each_source_approves_then_pays_its_share_from_its_queue(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    disbursement = requested_disbursement(agreement, people)
    queue = reverse("funds:disbursements")
    for officer, source in ((people.foundation_officer, people.foundation_source),
                            (people.finance_officer, people.finance_source)):
        login_as(officer)
        page = page_of(client.get(queue))
        share = disbursement.shares.get(source=source)
        assert "1 share waiting for your approval" in page and f'id="share-{share.pk}"' in page
        assert "1,000,000.00" in page  # the source's commitment at the top
        response = client.post(reverse("funds:approve", args=[disbursement.pk, share.pk]), {"next": queue},
                               follow=True)
        assert response.redirect_chain[-1][0] == queue
        assert f"Approved: {source.organization.name}'s share" in " ".join(messages_of(response))
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.APPROVED
    for officer, source in ((people.foundation_officer, people.foundation_source),
                            (people.finance_officer, people.finance_source)):
        login_as(officer)
        share = disbursement.shares.get(source=source)
        page = page_of(client.get(queue))
        assert "1 approved share to pay" in page
        response = client.post(reverse("funds:pay", args=[disbursement.pk, share.pk]), {"reference": ""},
                               follow=True)
        assert "Please give the payment reference (at most 80 characters)." in messages_of(response)
        share.refresh_from_db()
        assert not share.is_paid
        client.post(reverse("funds:pay", args=[disbursement.pk, share.pk]), {"reference": f"ICBC-{source.pk}"})
        share.refresh_from_db()
        assert share.payment_reference == f"ICBC-{source.pk}"
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.PAID
    page = page_of(client.get(queue))
    assert "Recently paid" in page and f"ICBC-{people.finance_source.pk}" in page


def test_an_officer_cannot_approve_another_sources_share(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    disbursement = requested_disbursement(agreement, people)
    share = disbursement.shares.get(source=people.foundation_source)
    login_as(people.finance_officer)
    assert client.post(reverse("funds:approve", args=[disbursement.pk, share.pk])).status_code == 403
    share.refresh_from_db()
    assert not share.is_approved


def test_approving_beyond_the_commitment_is_refused_and_nothing_changes(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    Commitment.objects.filter(source=people.foundation_source).update(total=Decimal("1000.00"))
    disbursement = requested_disbursement(agreement, people)
    share = disbursement.shares.get(source=people.foundation_source)
    login_as(people.foundation_officer)
    response = client.post(reverse("funds:approve", args=[disbursement.pk, share.pk]), follow=True)
    assert (f"{people.foundation.name} has only 1,000.00 yuan of its 1,000.00 yuan commitment left; this share is "
            "1,008.00 yuan.") in messages_of(response)
    share.refresh_from_db()
    assert not share.is_approved


def test_a_returned_request_shows_its_reason_to_the_organisation(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    disbursement = requested_disbursement(agreement, people)
    login_as(people.foundation_officer)
    url = reverse("funds:return", args=[disbursement.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Please give the reason for returning the request." in messages_of(response)
    client.post(url, {"reason": "请附上启动会签到表"})
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.RETURNED
    login_as(people.org_staff)
    assert "请附上启动会签到表" in page_of(client.get(reverse("funds:disbursement", args=[disbursement.pk])))
    detail = page_of(client.get(reverse("agreements:detail", args=[agreement.code])))
    assert "请附上启动会签到表" in detail
    # The instalment can be asked for again.
    signing = agreement.instalments.get(milestone="signing")
    assert reverse("funds:request", args=[agreement.code, signing.pk]) in detail


def test_the_disbursement_page_shows_each_share_and_its_history(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    disbursement = paid_instalment(agreement, people)
    login_as(people.org_staff)
    page = page_of(client.get(reverse("funds:disbursement", args=[disbursement.pk])))
    for text in (people.foundation.name, "1,008.00", "672.00", "Paid on", f"BANK-{disbursement.pk}-",
                 "Asked for", "Share approved", "Paid in full"):
        assert text in page, text


def test_only_officers_of_a_funding_source_have_a_queue(deal, login_as, client):
    for user in (deal.people.organiser, deal.people.org_staff, deal.people.support_staff):
        login_as(user)
        assert client.get(reverse("funds:disbursements")).status_code == 403


def test_the_queue_costs_the_same_number_of_queries_for_one_request_or_three(world, login_as, client):
    projects = approved_projects(world, ("4200.00", "3000.00", "5000.00"))
    agreement, people = drawn_agreement(world, project=projects[0])
    requested_disbursement(sign_all(agreement, people), people)
    login_as(people.foundation_officer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("funds:disbursements"))
    for project in projects[1:]:
        other, _people = drawn_agreement(world, project=project, framework=people)
        requested_disbursement(sign_all(other, people), people)
    with CaptureQueriesContext(connection) as three:
        page = page_of(client.get(reverse("funds:disbursements")))
    assert "3 shares waiting for your approval" in page
    assert len(three) == len(one)


# --- Expenses ---------------------------------------------------------------------------------------------

def report_form(deal, **overrides):
    values = {"line": deal.agreement.lines.first().pk, "amount": "320.50", "spent_on": "2017-07-03",
              "description": "问候卡印刷 500 张", "receipts": [photo_upload("receipt.jpg")]}
    values.update(overrides)
    return values


def test_the_organisation_reports_an_expense_with_receipt_photos(deal, login_as, client):
    login_as(deal.people.org_staff)
    url = reverse("funds:expenses", args=[deal.agreement.code])
    page = page_of(client.get(url))
    assert 'type="file"' in page and "multiple" in page and 'enctype="multipart/form-data"' in page
    response = client.post(url, report_form(deal, receipts=[photo_upload("a.jpg"), photo_upload("b.png", "PNG")]),
                           follow=True)
    expense = Expense.objects.get(agreement=deal.agreement)
    assert expense.amount == Decimal("320.50") and expense.receipts.count() == 2
    assert "The expense of 320.50 yuan is reported." in " ".join(messages_of(response))
    receipt = expense.receipts.first()
    receipt_url = reverse("funds:receipt", args=[receipt.pk])
    assert receipt_url in page_of(response)
    assert receipt.image.url not in page_of(response)
    # The photo itself is served to the organisation through the checked route, never as public media.
    photo = client.get(receipt_url)
    assert photo.status_code == 200 and b"".join(photo.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(receipt.image.url).status_code == 404


def test_an_expense_without_a_receipt_or_with_a_bad_amount_is_refused(deal, login_as, client):
    login_as(deal.people.org_staff)
    url = reverse("funds:expenses", args=[deal.agreement.code])
    response = client.post(url, report_form(deal, receipts=[]))
    assert "Please add a photo of the receipt." in page_of(response)
    response = client.post(url, report_form(deal, amount="-5"))
    assert "The amount must be more than 0." in page_of(response)
    response = client.post(url, report_form(deal, receipts=[photo_upload("x.jpg", content=b"not a picture")]))
    assert "is not a photo we can read" in page_of(response)
    assert not Expense.objects.exists()


def test_the_support_centre_approves_one_expense_and_returns_another(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    line = agreement.lines.first()
    good = expense_report(actor=people.org_staff, agreement=agreement, line=line, amount="320.50",
                          spent_on=datetime.date(2017, 7, 3), description="问候卡印刷", receipts=[photo_upload()])
    bad = expense_report(actor=people.org_staff, agreement=agreement, line=line, amount="880",
                         spent_on=datetime.date(2017, 7, 4), description="聚餐", receipts=[photo_upload()])
    login_as(people.support_staff)
    queue = reverse("funds:expense_queue")
    page = page_of(client.get(queue))
    assert "2 expenses waiting" in page and reverse("funds:receipt", args=[good.receipts.first().pk]) in page
    client.post(reverse("funds:expense_review", args=[good.pk]), {"decision": "approve", "next": queue})
    response = client.post(reverse("funds:expense_review", args=[bad.pk]), {"decision": "return", "reason": ""},
                           follow=True)
    assert "Please say why the expense is returned." in messages_of(response)
    client.post(reverse("funds:expense_review", args=[bad.pk]), {"decision": "return",
                                                                  "reason": "聚餐不在预算范围内"})
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.state == ExpenseState.APPROVED and bad.state == ExpenseState.RETURNED
    assert "1 expense waiting" not in page_of(client.get(queue))

    # The organisation sees the reason, and can report it again from what it reported.
    login_as(people.org_staff)
    url = reverse("funds:expenses", args=[agreement.code])
    page = page_of(client.get(url))
    assert "聚餐不在预算范围内" in page and "The support centre returned 1 expense" in page
    assert "320.50" in page  # approved against the budget line
    again = page_of(client.get(url, {"again": bad.pk}))
    assert 'value="880.00"' in again and 'value="聚餐"' in again


def test_another_support_centre_cannot_check_the_expense(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    expense = expense_report(actor=people.org_staff, agreement=agreement, line=agreement.lines.first(),
                             amount="100", spent_on=datetime.date(2017, 7, 3), description="文具",
                             receipts=[photo_upload()])
    other = OrganizationFactory(kind=OrganizationKind.SUPPORT_CENTRE, home_area=deal.world.district)
    login_as(staff_user(Role.SUPPORT_STAFF, organization=other))
    assert "文具" not in page_of(client.get(reverse("funds:expense_queue")))
    assert client.post(reverse("funds:expense_review", args=[expense.pk]),
                       {"decision": "approve"}).status_code == 403
    expense.refresh_from_db()
    assert expense.state == ExpenseState.REPORTED


def test_the_funders_see_the_expenses_but_cannot_report(deal, login_as, client):
    login_as(deal.people.foundation_officer)
    url = reverse("funds:expenses", args=[deal.agreement.code])
    assert 'type="file"' not in page_of(client.get(url))
    assert client.post(url, report_form(deal)).status_code == 403


# --- Balances and commitments -----------------------------------------------------------------------------

def test_balances_per_source_street_organisation_and_agreement(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    paid_instalment(agreement, people)
    requested_disbursement(agreement, people, "midterm")
    login_as(people.organiser)
    page = page_of(client.get(reverse("funds:balances")))
    # The foundation: committed 1,000,000, approved and paid 1,008 (60 % of 1,680), left 998,992.
    assert "998,992.00" in page and "999,328.00" in page
    # The street, the organisation and the agreement: 4,200 agreed, 2,940 asked for, 1,680 paid, 1,260 left.
    assert page.count("2,940.00") >= 3 and page.count("1,260.00") >= 3
    assert agreement.project.street.name in page and agreement.organization.name in page


def test_the_organisation_sees_only_its_own_agreements_in_the_balances(deal, login_as, client):
    deal_agreement = deal.agreement
    outsider = staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=deal.world.community))
    login_as(outsider)
    page = page_of(client.get(reverse("funds:balances")))
    assert deal_agreement.project.title not in page


def test_balances_cost_the_same_number_of_queries_for_one_agreement_or_three(world, login_as, client):
    projects = approved_projects(world, ("4200.00", "3000.00", "5000.00"))
    agreement, people = drawn_agreement(world, project=projects[0])
    sign_all(agreement, people)
    login_as(people.organiser)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("funds:balances"))
    for project in projects[1:]:
        paid_instalment(sign_all(*drawn_agreement(world, project=project, framework=people)), people)
    with CaptureQueriesContext(connection) as three:
        page = page_of(client.get(reverse("funds:balances")))
    assert "12,200.00" in page
    assert len(three) == len(one)


def test_the_organiser_sets_the_commitments(deal, login_as, client):
    people = deal.people
    login_as(people.organiser)
    url = reverse("funds:commitments", args=[deal.agreement.edition.slug])
    response = client.post(url, {f"source_{people.foundation_source.pk}": "1,200,000",
                                 f"source_{people.finance_source.pk}": "800000元"}, follow=True)
    assert "The commitments are saved." in messages_of(response)
    assert Commitment.objects.get(source=people.foundation_source).total == Decimal("1200000.00")
    assert Commitment.objects.get(source=people.finance_source).total == Decimal("800000.00")


def test_a_commitment_below_what_was_approved_is_refused_and_nothing_changes(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    approve_all(requested_disbursement(agreement, people), people)
    login_as(people.organiser)
    response = client.post(reverse("funds:commitments", args=[agreement.edition.slug]), {
        f"source_{people.foundation_source.pk}": "500000", f"source_{people.finance_source.pk}": "100"})
    assert response.status_code == 200
    assert "has already approved 672.00 yuan; the commitment cannot be less." in page_of(response)
    assert Commitment.objects.get(source=people.foundation_source).total == Decimal("1000000.00")


def test_a_funding_officer_sets_only_their_own_sources_commitment(deal, login_as, client):
    people = deal.people
    login_as(people.finance_officer)
    page = page_of(client.get(reverse("funds:commitments", args=[deal.agreement.edition.slug])))
    assert people.finance.name in page and people.foundation.name not in page
    login_as(people.org_staff)
    assert client.get(reverse("funds:commitments", args=[deal.agreement.edition.slug])).status_code == 403


# --- The public record and the header ---------------------------------------------------------------------

def test_the_public_project_page_shows_the_money_movements_without_names(deal, anon_client):
    agreement, people = deal.agreement, deal.people
    disbursement = paid_instalment(agreement, people)
    returned = requested_disbursement(agreement, people, "midterm")
    from jindianzi.funds.services import disbursement_return

    disbursement_return(actor=people.foundation_officer, disbursement=returned, reason="请补充王大爷的签字")
    page = page_of(anon_client.get(reverse("projects:detail", args=[agreement.project.code])))
    assert "Where the money went" in page
    for text in ("Instalment requested", "Share approved", "Share paid", "Instalment paid in full",
                 "Request returned to the organisation", "1,008.00", "672.00", people.foundation.name):
        assert text in page, text
    for secret in (people.foundation_officer.display_name, people.finance_officer.display_name,
                   people.org_staff.display_name, f"BANK-{disbursement.pk}", "王大爷"):
        assert secret not in page, secret
    for person in (people.foundation_officer, people.org_staff):
        if person.phone:
            assert person.phone not in page and person.phone[-4:] + "<" not in page


def test_no_money_movements_before_the_agreement_is_in_force(world, anon_client):
    agreement, _people = drawn_agreement(world)
    page = page_of(anon_client.get(reverse("projects:detail", args=[agreement.project.code])))
    assert "Where the money went" not in page and agreement.state == AgreementState.SIGNING


def test_the_header_links_each_role_to_its_money_pages(deal, login_as, client):
    people = deal.people
    links = {"agreements": reverse("agreements:list"), "balances": reverse("funds:balances"),
             "queue": reverse("funds:disbursements"), "expenses": reverse("funds:expense_queue")}
    expected = {people.organiser: {"agreements", "balances"},
                people.foundation_officer: {"agreements", "balances", "queue"},
                people.support_staff: {"agreements", "balances", "expenses"},
                people.org_staff: {"agreements", "balances"},
                UserFactory(): set()}
    for user, shown in expected.items():
        login_as(user)
        header = page_of(client.get(reverse("portal:home"))).split("</nav>")[0]
        assert {name for name, url in links.items() if f'href="{url}"' in header} == shown, user


def test_every_refusal_leaves_the_expense_as_it_was(deal, login_as, client):
    agreement, people = deal.agreement, deal.people
    expense = expense_report(actor=people.org_staff, agreement=agreement, line=agreement.lines.first(),
                             amount="100", spent_on=datetime.date(2017, 7, 3), description="文具",
                             receipts=[photo_upload()])
    expense_review(actor=people.support_staff, expense=expense, approve=True)
    login_as(people.support_staff)
    response = client.post(reverse("funds:expense_review", args=[expense.pk]), {"decision": "return",
                                                                                 "reason": "再看看"}, follow=True)
    assert "This expense is “Approved”; it was already checked." in messages_of(response)
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED


def test_the_public_money_list_dates_each_movement_when_it_happened_not_when_it_was_recorded(deal, anon_client):
    """A payment made on 2017-08-20 and recorded later (an import, the demo) shows 2017-08-20."""
    import datetime
    from zoneinfo import ZoneInfo

    from jindianzi.funds.services import disbursement_request

    agreement, people = deal.agreement, deal.people
    on = datetime.datetime(2017, 8, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    disbursement_request(actor=people.org_staff, instalment=agreement.instalments.get(milestone="signing"), at=on)
    page = page_of(anon_client.get(reverse("projects:detail", args=[agreement.project.code])))
    assert "2017-08-20" in page
