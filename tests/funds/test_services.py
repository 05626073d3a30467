"""The co-funding ledger: commitments, disbursements approved and paid share by share, expenses with receipts."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jindianzi.accounts.models import Role
from jindianzi.agreements.models import Agreement
from jindianzi.agreements.workflow import AgreementState, Milestone
from jindianzi.core.audit import chain_verify, records_for
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.funds.models import Commitment, Disbursement, DisbursementShare, Expense, Receipt
from jindianzi.funds.services import (
    approved_by_source, commitment_set, disbursed_of, disbursement_request, disbursement_return,
    disbursement_share_approve, disbursement_share_pay, expense_report, expense_review,
)
from jindianzi.funds.workflow import DisbursementState, ExpenseState
from jindianzi.notifications.models import Notification
from jindianzi.organizations.models import OrganizationKind

from ..factories import OrganizationFactory, photo_upload, staff_user
from ..factories_funds import (
    approve_all, approved_projects, cooperation_framework, drawn_agreement, fresh, funds_world, kept_for_module,
    paid_instalment, pay_all, reach_milestone, requested_disbursement, sign_all,
)

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """Built once for the module: agreement ``a`` (10,000 yuan: 4,000 / 3,000 / 3,000) and ``b`` (4,200 yuan) in
    force under the seed's 60/40 split, each source committing 1,000,000 yuan; a third project (6,000.01 yuan)
    approved without an agreement yet."""
    with kept_for_module(django_db_blocker):
        world = funds_world()
        first, second, third = approved_projects(world, ("10000.00", "4200.00", "6000.01"))
        framework = cooperation_framework(world.edition, world.district)
        a, people = drawn_agreement(world, project=first, framework=framework)
        b, _people = drawn_agreement(world, project=second, framework=framework)
        yield SimpleNamespace(world=world, people=people, a=sign_all(a, people), b=sign_all(b, people),
                              third=third)


@pytest.fixture
def built(_built, db):
    return fresh(_built)


@pytest.fixture
def people(built):
    return built.people


def share_of(disbursement, source) -> DisbursementShare:
    return disbursement.shares.get(source=source)


def messages(error) -> list[str]:
    return error.messages


def another_organisations_staff(built):
    return staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=built.world.community))


# --- Asking for an instalment ---------------------------------------------------------------------------

def test_the_implementer_asks_for_the_first_instalment_split_60_40_and_the_officers_are_told(built, people):
    Notification.objects.all().delete()
    instalment = built.a.instalments.get(milestone=Milestone.SIGNING)

    disbursement = disbursement_request(actor=people.org_staff, instalment=instalment, note="首期拨付")

    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.REQUESTED and disbursement.requested_by == people.org_staff
    assert disbursement.amount == Decimal("4000.00") and isinstance(disbursement.amount, Decimal)
    assert [(s.source, s.amount, s.is_approved) for s in disbursement.shares.all()] == [
        (people.foundation_source, Decimal("2400.00"), False), (people.finance_source, Decimal("1600.00"), False)]
    assert all(isinstance(s.amount, Decimal) for s in disbursement.shares.all())
    assert disbursed_of(built.a) == Decimal("4000.00") and isinstance(disbursed_of(built.a), Decimal)
    assert {(n.user_id, n.subject) for n in Notification.objects.all()} == {
        (people.foundation_officer.pk, f"{built.a.code} asks for 4,000.00 yuan; your share is 2,400.00 yuan"),
        (people.finance_officer.pk, f"{built.a.code} asks for 4,000.00 yuan; your share is 1,600.00 yuan")}
    [record] = records_for(disbursement)
    assert record.action == "disbursement.request" and record.after["amount"] == "4000.00"
    assert record.after["shares"] == {people.foundation.name: "2400.00", people.finance.name: "1600.00"}


def test_less_than_the_instalment_may_be_asked_for_and_is_split_to_the_fen(built, people):
    disbursement = requested_disbursement(built.a, people, Milestone.SIGNING, amount="1234.57")

    assert disbursement.amount == Decimal("1234.57")
    assert [s.amount for s in disbursement.shares.all()] == [Decimal("740.74"), Decimal("493.83")]


@pytest.mark.parametrize("who", ["foundation_officer", "support_staff", "organiser", "another organisation"])
def test_only_the_implementing_organisation_asks_for_its_instalments(built, people, who):
    actor = another_organisations_staff(built) if who == "another organisation" else getattr(people, who)

    with pytest.raises(PermissionDenied):
        disbursement_request(actor=actor, instalment=built.a.instalments.get(milestone=Milestone.SIGNING))

    assert not Disbursement.objects.exists()


def test_an_instalment_is_asked_for_only_once_its_milestone_is_reached(built, people):
    midterm = built.a.instalments.get(milestone=Milestone.MIDTERM)

    with pytest.raises(TransitionNotAllowed) as refused:
        disbursement_request(actor=people.org_staff, instalment=midterm)

    assert messages(refused.value) == ["The milestone “After the mid-term check” has not been confirmed yet."]
    assert not Disbursement.objects.exists()
    reach_milestone(built.a, people, Milestone.MIDTERM)
    assert disbursement_request(actor=people.org_staff, instalment=midterm).amount == Decimal("3000.00")


def test_no_money_under_an_agreement_that_is_not_in_force(built, people):
    agreement, signers = drawn_agreement(built.world, project=built.third, framework=people)

    with pytest.raises(TransitionNotAllowed) as refused:
        disbursement_request(actor=signers.org_staff, instalment=agreement.instalments.first())

    assert messages(refused.value) == ["Money is paid only under an agreement in force; this one is “Being signed”."]


def test_more_than_the_instalment_is_refused_with_the_amounts(built, people):
    with pytest.raises(ValidationError) as refused:
        requested_disbursement(built.a, people, Milestone.SIGNING, amount="4000.01")

    assert refused.value.message_dict == {"amount": ["The instalment is 4,000.00 yuan; you cannot ask for more."]}
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("amount, message", [
    ("0", "The amount must be more than 0."),
    ("-5", "The amount must be more than 0."),
    ("一千元", "Please give an amount in yuan, such as 1200.50."),
    (1000.0, "Please give an amount in yuan, such as 1200.50."),
])
def test_an_amount_that_is_not_a_positive_number_of_yuan_is_refused(built, people, amount, message):
    with pytest.raises(ValidationError) as refused:
        requested_disbursement(built.a, people, Milestone.SIGNING, amount=amount)

    assert refused.value.message_dict == {"amount": [message]}
    assert not Disbursement.objects.exists()


def test_never_more_than_is_left_of_the_agreement(built, people):
    """The instalments add up to the agreement, so only a back-office correction of its total can leave less
    than an instalment; the request is refused all the same, naming the amounts."""
    paid_instalment(built.a, people, Milestone.SIGNING)  # 4,000 of 10,000
    Agreement.objects.filter(pk=built.a.pk).update(total=Decimal("6000.00"))
    midterm = reach_milestone(built.a, people, Milestone.MIDTERM)

    with pytest.raises(ValidationError) as refused:
        disbursement_request(actor=people.org_staff, instalment=midterm)

    assert refused.value.message_dict == {"amount": [
        "Only 2,000.00 yuan of the agreement's 6,000.00 yuan are left; 3,000.00 yuan is too much."]}
    assert disbursement_request(actor=people.org_staff, instalment=midterm, amount="2000.00").amount == Decimal(
        "2000.00")
    assert disbursed_of(built.a) == Decimal("6000.00")


def test_an_instalment_has_one_live_request(built, people):
    first = requested_disbursement(built.a, people, Milestone.SIGNING, amount="1000.00")

    with pytest.raises(ValidationError) as refused:
        disbursement_request(actor=people.org_staff, instalment=first.instalment)

    assert messages(refused.value) == ["This instalment has already been asked for."]
    assert Disbursement.objects.count() == 1


# --- Each source approves its share ---------------------------------------------------------------------

def test_a_funding_source_officer_approves_only_its_share(built, people):
    disbursement = requested_disbursement(built.a, people)
    finance_share = share_of(disbursement, people.finance_source)

    with pytest.raises(PermissionDenied) as refused:
        disbursement_share_approve(actor=people.foundation_officer, share=finance_share)

    assert str(refused.value) == f"Only an officer of {people.finance.name} approves its share."
    assert not share_of(disbursement, people.finance_source).is_approved
    for stranger in (people.org_staff, people.organiser, people.support_staff):
        with pytest.raises(PermissionDenied):
            disbursement_share_approve(actor=stranger, share=finance_share)


def test_a_share_is_not_approved_twice(built, people):
    disbursement = requested_disbursement(built.a, people)
    share = share_of(disbursement, people.foundation_source)
    disbursement_share_approve(actor=people.foundation_officer, share=share,
                               at=datetime.datetime(2017, 7, 3, 9, 0, tzinfo=datetime.UTC))
    colleague = staff_user(Role.FOUNDATION_OFFICER, organization=people.foundation)

    with pytest.raises(ValidationError) as refused:
        disbursement_share_approve(actor=colleague, share=share)

    assert messages(refused.value) == [f"{people.foundation.name}'s share of this disbursement was already approved "
                                       "on 2017-07-03; it is not approved twice."]
    assert share_of(disbursement, people.foundation_source).approved_by == people.foundation_officer
    assert approved_by_source(people.foundation_source) == Decimal("2400.00")


def test_the_disbursement_is_approved_when_every_source_has_approved_its_share(built, people):
    disbursement = requested_disbursement(built.a, people)
    disbursement_share_approve(actor=people.finance_officer, share=share_of(disbursement, people.finance_source))
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.REQUESTED

    disbursement_share_approve(actor=people.foundation_officer,
                               share=share_of(disbursement, people.foundation_source))

    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.APPROVED
    assert [r.action for r in records_for(disbursement)] == [
        "disbursement.request", "disbursement.approve_share", "disbursement.approve_share", "disbursement.approve"]


def test_a_source_never_approves_beyond_what_is_left_of_its_commitment(built, people):
    commitment_set(actor=people.organiser, source=people.foundation_source, total="3000")
    approve_all(requested_disbursement(built.a, people), people)  # the foundation's 2,400 of 3,000
    second = requested_disbursement(built.b, people)  # the foundation's share: 60 % of 1,680 = 1,008

    with pytest.raises(ValidationError) as refused:
        disbursement_share_approve(actor=people.foundation_officer, share=share_of(second, people.foundation_source))

    assert messages(refused.value) == [f"{people.foundation.name} has only 600.00 yuan of its 3,000.00 yuan "
                                       "commitment left; this share is 1,008.00 yuan."]
    assert approved_by_source(people.foundation_source) == Decimal("2400.00")
    commitment_set(actor=people.foundation_officer, source=people.foundation_source, total="3408.00")
    disbursement_share_approve(actor=people.foundation_officer, share=share_of(second, people.foundation_source))
    assert approved_by_source(people.foundation_source) == Decimal("3408.00")


def test_a_returned_request_is_not_approved(built, people):
    disbursement = requested_disbursement(built.a, people)
    disbursement_return(actor=people.finance_officer, disbursement=disbursement, reason="请补充活动计划。")

    with pytest.raises(TransitionNotAllowed) as refused:
        disbursement_share_approve(actor=people.foundation_officer,
                                   share=share_of(disbursement, people.foundation_source))

    assert messages(refused.value) == ["This disbursement is “Returned”; it cannot be approved."]


# --- Payment --------------------------------------------------------------------------------------------

def test_a_share_is_paid_only_once_every_source_has_approved(built, people):
    disbursement = requested_disbursement(built.a, people)
    share = share_of(disbursement, people.foundation_source)
    disbursement_share_approve(actor=people.foundation_officer, share=share)

    with pytest.raises(TransitionNotAllowed) as refused:
        disbursement_share_pay(actor=people.foundation_officer, share=share, reference="ICBC-20170703-001")

    assert messages(refused.value) == ["A share is paid once every source has approved the disbursement."]
    assert not share_of(disbursement, people.foundation_source).is_paid


@pytest.mark.parametrize("reference", ["", "   ", "X" * 81])
def test_a_payment_needs_its_bank_reference(built, people, reference):
    disbursement = approve_all(requested_disbursement(built.a, people), people)

    with pytest.raises(ValidationError) as refused:
        disbursement_share_pay(actor=people.foundation_officer, share=share_of(disbursement, people.foundation_source),
                               reference=reference)

    assert refused.value.message_dict == {"reference": ["Please give the payment reference (at most 80 characters)."]}
    assert not share_of(disbursement, people.foundation_source).is_paid


def test_only_the_sources_officer_records_its_payment_and_only_once(built, people):
    disbursement = approve_all(requested_disbursement(built.a, people), people)
    share = share_of(disbursement, people.foundation_source)
    with pytest.raises(PermissionDenied):
        disbursement_share_pay(actor=people.finance_officer, share=share, reference="ICBC-001")

    disbursement_share_pay(actor=people.foundation_officer, share=share, reference="ICBC-001")

    with pytest.raises(ValidationError) as refused:
        disbursement_share_pay(actor=people.foundation_officer, share=share, reference="ICBC-002")
    assert messages(refused.value) == ["This share was already paid (reference ICBC-001)."]


def test_when_every_share_is_paid_the_disbursement_is_paid_and_the_organisation_told(built, people):
    disbursement = approve_all(requested_disbursement(built.a, people), people)
    Notification.objects.all().delete()

    disbursement = pay_all(disbursement, people)

    assert disbursement.state == DisbursementState.PAID and disbursement.paid_at is not None
    assert [(s.amount, s.payment_reference) for s in disbursement.shares.all()] == [
        (Decimal("2400.00"), f"BANK-{disbursement.pk}-{people.foundation_source.pk}"),
        (Decimal("1600.00"), f"BANK-{disbursement.pk}-{people.finance_source.pk}")]
    assert [n.subject for n in Notification.objects.filter(user=people.org_staff)] == [
        f"4,000.00 yuan were paid for {built.a.code}"]
    built.a.refresh_from_db()
    assert built.a.state == AgreementState.ACTIVE  # only the final instalment completes it


def test_the_final_payment_completes_the_agreement(built, people):
    for milestone in (Milestone.SIGNING, Milestone.MIDTERM):
        paid_instalment(built.a, people, milestone)

    paid_instalment(built.a, people, Milestone.FINAL, amount="2999.99")  # what was really spent

    built.a.refresh_from_db()
    assert built.a.state == AgreementState.COMPLETED and built.a.completed_at is not None
    assert disbursed_of(built.a) == Decimal("9999.99")
    assert records_for(built.a).last().action == "agreement.complete"
    approved = [approved_by_source(people.foundation_source), approved_by_source(people.finance_source)]
    assert approved == [Decimal("5999.99"), Decimal("4000.00")] and all(isinstance(a, Decimal) for a in approved)


# --- Returning a request --------------------------------------------------------------------------------

def test_a_returned_request_frees_its_money_and_the_instalment_can_be_asked_for_again(built, people):
    disbursement = requested_disbursement(built.a, people)
    disbursement_share_approve(actor=people.foundation_officer, share=share_of(disbursement, people.foundation_source))
    assert approved_by_source(people.foundation_source) == Decimal("2400.00")
    Notification.objects.all().delete()

    disbursement_return(actor=people.finance_officer, disbursement=disbursement, reason="请补充活动计划。")

    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.RETURNED and disbursement.returned_by == people.finance_officer
    assert approved_by_source(people.foundation_source) == Decimal("0.00")
    assert disbursed_of(built.a) == Decimal("0.00")
    assert [n.subject for n in Notification.objects.filter(user=people.org_staff)] == [
        f"Your request for {built.a.code} was returned: 请补充活动计划。"]
    again = disbursement_request(actor=people.org_staff, instalment=disbursement.instalment)
    assert again.amount == Decimal("4000.00") and disbursed_of(built.a) == Decimal("4000.00")


def test_a_request_is_returned_with_a_reason_by_an_officer_of_its_sources_before_it_is_approved(built, people):
    disbursement = requested_disbursement(built.a, people)
    with pytest.raises(PermissionDenied):
        disbursement_return(actor=people.org_staff, disbursement=disbursement, reason="撤回。")
    with pytest.raises(ValidationError) as refused:
        disbursement_return(actor=people.foundation_officer, disbursement=disbursement, reason="")
    assert refused.value.message_dict == {"reason": ["Please give the reason for returning the request."]}

    approve_all(disbursement, people)

    with pytest.raises(TransitionNotAllowed):
        disbursement_return(actor=people.foundation_officer, disbursement=disbursement, reason="太迟了。")
    disbursement.refresh_from_db()
    assert disbursement.state == DisbursementState.APPROVED


# --- Commitments ----------------------------------------------------------------------------------------

def test_a_commitment_cannot_go_below_what_the_source_has_approved(built, people):
    approve_all(requested_disbursement(built.a, people), people)

    with pytest.raises(ValidationError) as refused:
        commitment_set(actor=people.organiser, source=people.foundation_source, total="2399.99")

    assert refused.value.message_dict == {"total": [
        f"{people.foundation.name} has already approved 2,400.00 yuan; the commitment cannot be less."]}
    assert Commitment.objects.get(source=people.foundation_source).total == Decimal("1000000.00")
    commitment = commitment_set(actor=people.organiser, source=people.foundation_source, total="2400")
    assert commitment.total == Decimal("2400.00") and isinstance(commitment.total, Decimal)


def test_a_commitment_is_set_by_the_organiser_or_the_sources_own_officer(built, people):
    with pytest.raises(PermissionDenied):
        commitment_set(actor=people.finance_officer, source=people.foundation_source, total="500000")
    with pytest.raises(PermissionDenied):
        commitment_set(actor=people.org_staff, source=people.foundation_source, total="500000")

    commitment_set(actor=people.foundation_officer, source=people.foundation_source, total="500000")

    assert Commitment.objects.get(source=people.foundation_source).total == Decimal("500000.00")
    assert records_for(people.foundation_source).last().after == {"total": "500000.00"}


def test_a_commitment_in_float_is_refused(built, people):
    with pytest.raises(ValidationError) as refused:
        commitment_set(actor=people.organiser, source=people.foundation_source, total=500000.0)

    assert refused.value.message_dict == {"total": ["Please give an amount in yuan, such as 1200.50."]}


# --- Expenses -------------------------------------------------------------------------------------------

def report(built, people, **overrides):
    values = dict(actor=people.org_staff, agreement=built.a, line=built.a.lines.first(), amount="350.50",
                  spent_on=datetime.date(2017, 7, 10), description="问候卡印制", receipts=[photo_upload()])
    values.update(overrides)
    return expense_report(**values)


def test_the_organisation_reports_spending_with_a_photo_of_the_receipt(built, people):
    expense = report(built, people)

    expense.refresh_from_db()
    assert expense.state == ExpenseState.REPORTED and expense.amount == Decimal("350.50")
    assert isinstance(expense.amount, Decimal)
    assert expense.receipts.count() == 1
    assert records_for(expense).get().after == {"agreement": built.a.code, "line": "项目经费", "amount": "350.50",
                                                "state": "reported"}


def test_spending_without_a_receipt_is_refused(built, people):
    with pytest.raises(ValidationError) as refused:
        report(built, people, receipts=[])

    assert refused.value.message_dict == {"receipts": ["Please add a photo of the receipt."]}
    assert not Expense.objects.exists() and not Receipt.objects.exists()


def test_spending_against_another_agreements_line_is_refused(built, people):
    with pytest.raises(ValidationError) as refused:
        report(built, people, line=built.b.lines.first())

    assert refused.value.message_dict == {"line": ["Choose a budget line of this agreement."]}
    assert not Expense.objects.exists()


def test_only_the_implementing_organisation_reports_its_spending(built, people):
    for stranger in (people.support_staff, another_organisations_staff(built)):
        with pytest.raises(PermissionDenied):
            report(built, people, actor=stranger)


def test_the_support_centre_approves_spending(built, people):
    expense = report(built, people)

    expense = expense_review(actor=people.support_staff, expense=expense, approve=True)

    assert expense.state == ExpenseState.APPROVED and expense.reviewed_by == people.support_staff
    with pytest.raises(TransitionNotAllowed):
        expense_review(actor=people.support_staff, expense=expense, approve=False, reason="再看看。")


def test_the_support_centre_returns_spending_with_a_reason_the_organisation_sees(built, people):
    expense = report(built, people)
    with pytest.raises(ValidationError) as refused:
        expense_review(actor=people.support_staff, expense=expense, approve=False, reason=" ")
    assert refused.value.message_dict == {"reason": ["Please say why the expense is returned."]}
    Notification.objects.all().delete()

    expense = expense_review(actor=people.support_staff, expense=expense, approve=False, reason="发票抬头不符。")

    assert expense.state == ExpenseState.RETURNED and expense.return_reason == "发票抬头不符。"
    assert [(n.subject, n.url) for n in Notification.objects.filter(user=people.org_staff)] == [
        (f"An expense of {built.a.code} was returned: 发票抬头不符。", f"/staff/agreements/{built.a.code}/expenses/")]


@pytest.mark.parametrize("who", ["org_staff", "foundation_officer", "another centre's staff"])
def test_only_the_agreements_support_centre_checks_spending(built, people, who):
    expense = report(built, people)
    if who == "another centre's staff":
        centre = OrganizationFactory(kind=OrganizationKind.SUPPORT_CENTRE, home_area=built.world.district)
        actor = staff_user(Role.SUPPORT_STAFF, organization=centre)
    else:
        actor = getattr(people, who)

    with pytest.raises(PermissionDenied):
        expense_review(actor=actor, expense=expense, approve=True)

    expense.refresh_from_db()
    assert expense.state == ExpenseState.REPORTED


# --- The audit trail ------------------------------------------------------------------------------------

def test_every_money_movement_is_in_the_audit_trail_and_the_chain_stays_intact(built, people):
    commitment_set(actor=people.organiser, source=people.finance_source, total="800000")
    returned = requested_disbursement(built.a, people)
    disbursement_return(actor=people.foundation_officer, disbursement=returned, reason="金额有误。")
    paid = paid_instalment(built.a, people)
    expense = expense_review(actor=people.support_staff, expense=report(built, people), approve=True)

    assert [r.action for r in records_for(people.finance_source)][-1] == "funds.commitment"
    assert [r.action for r in records_for(returned)] == ["disbursement.request", "disbursement.return"]
    assert [(r.action, r.actor) for r in records_for(paid)] == [
        ("disbursement.request", people.org_staff),
        ("disbursement.approve_share", people.foundation_officer),
        ("disbursement.approve_share", people.finance_officer),
        ("disbursement.approve", people.finance_officer),
        ("disbursement.pay_share", people.foundation_officer),
        ("disbursement.pay_share", people.finance_officer),
        ("disbursement.paid", people.finance_officer)]
    assert [r.after["amount"] for r in records_for(paid).filter(action="disbursement.pay_share")] == [
        "2400.00", "1600.00"]
    assert [r.action for r in records_for(expense)] == ["expense.report", "expense.approve"]
    report_ = chain_verify()
    assert report_.intact and report_.records > 0
