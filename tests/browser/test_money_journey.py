"""The money journey (签约 and 实施) in a phone-sized browser, each person in their own account.

The organiser draws up the agreement of an approved project; each of the six parties signs it; the
organisation asks for each instalment; the foundation and district finance each approve and pay their
share; the support centre confirms the milestones and checks the spending against receipt photos; the
last payment completes the agreement, and the public project page shows every money movement.
"""

from decimal import Decimal

import pytest

from jindianzi.agreements.models import Agreement
from jindianzi.agreements.workflow import AgreementState
from jindianzi.funds.models import Disbursement, Expense
from jindianzi.funds.workflow import DisbursementState, ExpenseState

from ..factories import PASSWORD, image_bytes
from ..factories_funds import approved_project, cooperation_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def submit(page, selector):
    """Press a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def messages(page) -> str:
    return page.inner_text(".messages") if page.locator(".messages").count() else ""


def approve_and_pay(page, live_server, people, disbursement, *, via_queue: bool, screenshot=None, shot=""):
    """Each source's officer approves its share, then each records the bank's payment reference."""
    for officer, source in ((people.foundation_officer, people.foundation_source),
                            (people.finance_officer, people.finance_source)):
        share = disbursement.shares.get(source=source)
        sign_in(page, live_server, officer)
        page.goto(f"{live_server.url}/staff/funds/disbursements/" if via_queue
                  else f"{live_server.url}/staff/funds/disbursements/{disbursement.pk}/")
        if screenshot and officer is people.foundation_officer:
            screenshot(f"{shot}-approve")
        submit(page, f"#share-{share.pk} form[action$='/approve/{share.pk}/'] button[type=submit]")
        share.refresh_from_db()
        assert share.is_approved, messages(page)
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.APPROVED
    for officer, source in ((people.foundation_officer, people.foundation_source),
                            (people.finance_officer, people.finance_source)):
        share = disbursement.shares.get(source=source)
        sign_in(page, live_server, officer)
        page.goto(f"{live_server.url}/staff/funds/disbursements/" if via_queue
                  else f"{live_server.url}/staff/funds/disbursements/{disbursement.pk}/")
        page.fill(f"#share-{share.pk} input[name=reference]", f"ICBC-{disbursement.pk}-{source.pk}")
        if screenshot and officer is people.finance_officer:
            screenshot(f"{shot}-pay")
        submit(page, f"#share-{share.pk} form[action$='/pay/{share.pk}/'] button[type=submit]")
        share.refresh_from_db()
        assert share.payment_reference == f"ICBC-{disbursement.pk}-{source.pk}", messages(page)
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.PAID


def ask_for(page, live_server, people, agreement, milestone) -> Disbursement:
    sign_in(page, live_server, people.org_staff)
    page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/")
    submit(page, f"#instalment-{milestone} form[action*='/request/'] button[type=submit]")
    disbursement = Disbursement.objects.get(agreement=agreement, instalment__milestone=milestone,
                                            state=DisbursementState.REQUESTED)
    assert page.url.endswith(f"/staff/funds/disbursements/{disbursement.pk}/")
    return disbursement


def confirm_milestone(page, live_server, people, agreement, milestone, note):
    sign_in(page, live_server, people.support_staff)
    page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/")
    page.click(f"#instalment-{milestone} details summary")
    page.fill(f"#instalment-{milestone} textarea[name=note]", note)
    submit(page, f"#instalment-{milestone} form[action*='/milestones/'] button[type=submit]")
    assert agreement.instalments.get(milestone=milestone).is_reached, messages(page)


def report_expense(page, live_server, people, agreement, receipt, *, amount, description):
    sign_in(page, live_server, people.org_staff)
    page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/expenses/")
    page.select_option("select[name=line]", index=1)
    page.fill("input[name=amount]", amount)
    page.fill("input[name=spent_on]", "2017-07-03")
    page.fill("input[name=description]", description)
    page.set_input_files("input[name=receipts]", [str(receipt)])
    submit(page, "#report button[type=submit]")
    return Expense.objects.get(agreement=agreement, description=description)


def test_from_the_agreement_to_the_last_payment(page, live_server, world, screenshot, tmp_path):
    project = approved_project(world, "4200.00")
    people = cooperation_framework(world.edition, world.district)
    people.street_officer, people.org_staff = project.street_officer, project.org_staff
    receipt = tmp_path / "receipt.jpg"
    receipt.write_bytes(image_bytes(size=(320, 240)))

    # The organiser finds the approved project waiting for its agreement and draws it up.
    sign_in(page, live_server, people.organiser)
    page.goto(f"{live_server.url}/staff/agreements/")
    screenshot("30-agreements-waiting")
    page.click(f"#awaiting-{project.code} a.button")
    page.wait_for_selector("main form.panel")
    screenshot("31-draw-up")
    submit(page, "main form.panel button[type=submit]")
    agreement = Agreement.objects.get(project=project)
    assert page.url.endswith(f"/staff/agreements/{agreement.code}/")

    # Each party signs in its own account: the one button on the page is for the signer's own party.
    signers = (people.org_staff, people.foundation_officer, people.street_officer, people.hub_staff,
               people.support_staff, people.organiser)
    for number, signer in enumerate(signers, start=1):
        sign_in(page, live_server, signer)
        page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/")
        assert page.locator("#sign form").count() == 1
        if number == 1:
            screenshot("32-sign")
        submit(page, "#sign form button[type=submit]")
        assert agreement.parties.filter(signed_at__isnull=False).count() == number, messages(page)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    screenshot("33-in-force")

    # The organisation asks for the first instalment; both sources approve and pay from their queues.
    first = ask_for(page, live_server, people, agreement, "signing")
    assert first.amount == Decimal("1680.00")
    approve_and_pay(page, live_server, people, first, via_queue=True, screenshot=screenshot, shot="34-queue")

    # The support centre confirms the mid-term check and checks two expenses against their receipts.
    confirm_milestone(page, live_server, people, agreement, "midterm", "中期督导：活动记录完整")
    cards = report_expense(page, live_server, people, agreement, receipt, amount="320.50",
                           description="问候卡印刷 500 张")
    dinner = report_expense(page, live_server, people, agreement, receipt, amount="880",
                            description="志愿者聚餐")
    screenshot("35-expenses")
    sign_in(page, live_server, people.support_staff)
    page.goto(f"{live_server.url}/staff/funds/expenses/")
    assert page.locator(f"#expense-{cards.pk} .photos img").count() == 1
    screenshot("36-expense-queue")
    page.check(f"#expense-{cards.pk} input[name=decision][value=approve]")
    submit(page, f"#expense-{cards.pk} button[type=submit]")
    page.check(f"#expense-{dinner.pk} input[name=decision][value=return]")
    page.fill(f"#expense-{dinner.pk} textarea[name=reason]", "聚餐不在预算范围内，请改报交通补贴")
    submit(page, f"#expense-{dinner.pk} button[type=submit]")
    cards.refresh_from_db()
    dinner.refresh_from_db()
    assert (cards.state, dinner.state) == (ExpenseState.APPROVED, ExpenseState.RETURNED)

    # The organisation reads why the expense came back.
    sign_in(page, live_server, people.org_staff)
    page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/expenses/")
    assert "聚餐不在预算范围内，请改报交通补贴" in page.inner_text("main")
    screenshot("37-returned-expense")

    # The mid-term instalment, approved and paid on the disbursement's own page.
    second = ask_for(page, live_server, people, agreement, "midterm")
    approve_and_pay(page, live_server, people, second, via_queue=False, screenshot=screenshot, shot="38-disbursement")

    # The final report is accepted; the last instalment is paid and the agreement is completed.
    confirm_milestone(page, live_server, people, agreement, "final", "结项评估通过")
    third = ask_for(page, live_server, people, agreement, "final")
    approve_and_pay(page, live_server, people, third, via_queue=True)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.COMPLETED
    sign_in(page, live_server, people.organiser)
    page.goto(f"{live_server.url}/staff/agreements/{agreement.code}/")
    screenshot("39-completed")
    page.goto(f"{live_server.url}/staff/funds/")
    screenshot("40-balances")

    # Anyone can see where the money went, without a person's name.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/projects/{project.code}/")
    page.locator("#money").scroll_into_view_if_needed()
    screenshot("41-public-money")
    money = page.inner_text("#money")
    assert "4,200.00" not in money  # movements, not the budget
    for amount in ("1,008.00", "672.00", "1,680.00", "1,260.00"):
        assert amount in money or amount.replace(",", "") in money, amount
    assert people.foundation.name in money and people.finance.name in money
    for name in (people.foundation_officer.display_name, people.finance_officer.display_name,
                 people.org_staff.display_name, people.support_staff.display_name):
        assert name not in page.inner_text("main")
