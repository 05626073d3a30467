"""Agreements and the co-funding ledger through the API: the organisation asks, each source approves and pays its
own share, the agreement completes; refusals come back with their reason and change nothing."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from jindianzi.agreements.models import Agreement
from jindianzi.funds.models import Commitment, Disbursement, Expense

from ..factories import photo_upload
from ..factories_funds import fresh, kept_for_module
from .money_fixtures import money_deal

MONEY_MESSAGE = "Enter the amount in yuan as text with at most two decimals, for example \"12000.00\"."


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker):
        yield money_deal()


@pytest.fixture
def deal(_built, db):
    return fresh(_built)


class As:
    """Requests as one signed-in person, in English."""

    def __init__(self, user):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(f"/api/v1{url}", params)

    def post(self, url, body=None):
        return self.client.post(f"/api/v1{url}", json.dumps(body or {}), content_type="application/json")

    def put(self, url, body):
        return self.client.put(f"/api/v1{url}", json.dumps(body), content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:600]
    return response.json()


@pytest.fixture
def api(deal):
    """``api["org_staff"].post(...)``: one client per person of the deal."""
    return {role: As(user) for role, user in deal.users.items()}


def _approve_and_pay(api, deal, disbursement_id: int, n: int) -> dict:
    for role, source in (("foundation", deal.foundation_source), ("finance", deal.finance_source)):
        ok(api[role].post(f"/disbursements/{disbursement_id}/shares/{source.pk}/approve"))
    for role, source in (("foundation", deal.foundation_source), ("finance", deal.finance_source)):
        paid = ok(api[role].post(f"/disbursements/{disbursement_id}/shares/{source.pk}/pay",
                                 {"reference": f"BANK-{n}-{role}"}))
    return paid


# --- The whole way, through the API -------------------------------------------------------------------------

def test_the_organisation_is_paid_every_instalment_share_by_share_and_the_agreement_completes(deal, api):
    code = deal.agreement.code

    asked = ok(api["org_staff"].post(f"/agreements/{code}/disbursements", {"milestone": "signing",
                                                                          "note": "首期拨付"}), 201)
    assert (asked["state"], asked["amount"], asked["milestone"]) == ("requested", "1680.00", "signing")
    assert {s["source"]["id"]: s["amount"] for s in asked["shares"]} == {
        deal.foundation_source.pk: "1008.00", deal.finance_source.pk: "672.00"}
    assert asked["agreement"]["code"] == code

    first = ok(api["foundation"].post(f"/disbursements/{asked['id']}/shares/{deal.foundation_source.pk}/approve"))
    assert first["state"] == "requested"  # finance has not approved its share yet
    ok(api["finance"].post(f"/disbursements/{asked['id']}/shares/{deal.finance_source.pk}/approve"))
    ok(api["foundation"].post(f"/disbursements/{asked['id']}/shares/{deal.foundation_source.pk}/pay",
                              {"reference": "BANK-0001"}))
    paid = ok(api["finance"].post(f"/disbursements/{asked['id']}/shares/{deal.finance_source.pk}/pay",
                                  {"reference": "BANK-0002"}))
    assert paid["state"] == "paid" and paid["paid_at"]
    assert {s["payment_reference"] for s in paid["shares"]} == {"BANK-0001", "BANK-0002"}

    # The support centre confirms the mid-term check; the organisation asks again, and so on to the end.
    ok(api["support"].post(f"/agreements/{code}/milestones/midterm", {"note": "中期检查通过"}))
    midterm = ok(api["org_staff"].post(f"/agreements/{code}/disbursements", {"milestone": "midterm"}), 201)
    assert midterm["amount"] == "1260.00"
    _approve_and_pay(api, deal, midterm["id"], 2)
    ok(api["support"].post(f"/agreements/{code}/milestones/final", {"note": "结项报告已验收"}))
    # The final instalment settles what was really spent: less than planned.
    final = ok(api["org_staff"].post(f"/agreements/{code}/disbursements", {"milestone": "final",
                                                                          "amount": "1000"}), 201)
    assert {s["amount"] for s in final["shares"]} == {"600.00", "400.00"}
    assert _approve_and_pay(api, deal, final["id"], 3)["state"] == "paid"

    record = ok(api["org_staff"].get(f"/agreements/{code}"))
    assert record["state"] == "completed" and record["completed_at"]
    assert record["balance"] == {"total": "4200.00", "disbursed": "3940.00", "approved": "3940.00",
                                 "paid": "3940.00", "left": "260.00"}
    assert [d["state"] for d in record["disbursements"]] == ["paid", "paid", "paid"]
    assert {s["source"]["id"]: s["paid"] for s in record["split"]} == {
        deal.foundation_source.pk: "2364.00", deal.finance_source.pk: "1576.00"}

    balances = ok(api["organiser"].get("/balances", edition=deal.edition.slug))
    assert {s["organization"]["id"]: (s["committed"], s["approved"], s["paid"], s["left"])
            for s in balances["sources"]} == {
        deal.people.foundation.pk: ("1000000.00", "2364.00", "2364.00", "997636.00"),
        deal.people.finance.pk: ("1000000.00", "1576.00", "1576.00", "998424.00")}
    assert balances["overall"]["paid"] == "3940.00" and balances["overall"]["agreements"] == 1
    assert [(b["street"]["name"], b["paid"]) for b in balances["by_street"]] == [("西屯街道", "3940.00")]


def test_an_agreement_is_drawn_up_with_its_own_split_and_signed_by_each_party(deal, api):
    users, f, fin = deal.users, deal.foundation_source, deal.finance_source
    split = [{"source": f.pk, "share": "0.50"}, {"source": fin.pk, "share": "0.50"}]

    drawn = ok(api["street_in"].post("/agreements", {"project": deal.spare.code, "split": split,
                                                     "split_reason": "财政局承担一半"}), 201)
    assert drawn["state"] == "signing" and drawn["total"] == "3000.00"
    assert {s["share"] for s in drawn["split"]} == {"0.5000"} and {s["part"] for s in drawn["split"]} == {"1500.00"}
    assert [i["amount"] for i in drawn["instalments"]] == ["1200.00", "900.00", "900.00"]
    assert all(p["signed_at"] is None for p in drawn["parties"])

    code = drawn["code"]
    for role in ("organiser", "foundation", "street_in", "hub", "support"):
        assert ok(api[role].post(f"/agreements/{code}/signatures"))["state"] == "signing"
    mine = ok(api["org_staff"].get(f"/agreements/{code}"))
    assert mine["to_sign"] == ["implementer"] and "agreements.sign_agreement" in mine["permissions"]
    signed = ok(api["org_staff"].post(f"/agreements/{code}/signatures", {"role": "implementer"}))
    assert signed["state"] == "active" and all(p["signed_at"] for p in signed["parties"])
    assert signed["to_sign"] == [] and signed["instalments"][0]["reached_at"]
    assert users["org_staff"].pk in {p["signed_by"]["id"] for p in signed["parties"]}

    again = api["street_in"].post(f"/agreements/{code}/signatures")
    assert again.status_code == 409  # no longer being signed


def test_only_the_organiser_cancels_an_agreement_being_signed_and_says_why(deal, api):
    code = deal.drawn().code
    assert api["street_in"].post(f"/agreements/{code}/cancel", {"reason": "项目取消"}).status_code == 403
    missing = api["organiser"].post(f"/agreements/{code}/cancel", {})
    assert missing.status_code == 422 and missing.json()["errors"]["reason"]

    assert ok(api["organiser"].post(f"/agreements/{code}/cancel", {"reason": "项目取消"}))["state"] == "cancelled"


# --- Who may move which money ----------------------------------------------------------------------------------

def test_the_foundation_officer_cannot_approve_the_finance_share(deal, api):
    disbursement = deal.requested()

    refused = api["foundation"].post(f"/disbursements/{disbursement.pk}/shares/{deal.finance_source.pk}/approve")

    assert refused.status_code == 403
    assert refused.json()["detail"] == f"Only an officer of {deal.people.finance.name} approves its share."
    assert not disbursement.shares.filter(approved_at__isnull=False).exists()


def test_a_share_is_not_approved_twice(deal, api):
    disbursement = deal.requested()
    url = f"/disbursements/{disbursement.pk}/shares/{deal.foundation_source.pk}/approve"
    ok(api["foundation"].post(url))

    again = api["foundation"].post(url)

    assert again.status_code == 422
    assert "already approved" in again.json()["detail"] and "not approved twice" in again.json()["detail"]


def test_an_organisation_sees_neither_another_organisations_agreement_nor_its_money(deal, api):
    disbursement = deal.requested()
    other = api["org_other"]

    assert other.get(f"/agreements/{deal.agreement.code}").status_code == 403
    assert other.get(f"/agreements/{deal.agreement.code}/expenses").status_code == 403
    assert other.get(f"/disbursements/{disbursement.pk}").status_code == 403
    assert ok(other.get("/agreements"))["count"] == 0
    assert ok(other.get("/disbursements"))["count"] == 0
    balances = ok(other.get("/balances", edition=deal.edition.slug))
    assert balances["sources"] == [] and balances["by_organization"] == [] and balances["by_street"] == []
    assert balances["overall"] == {"agreements": 0, "total": "0.00", "disbursed": "0.00", "paid": "0.00",
                                   "left": "0.00"}
    # The implementer sees its own, and no funding source's books.
    own = ok(api["org_staff"].get("/balances", edition=deal.edition.slug))
    assert own["sources"] == []
    assert [(b["organization"]["id"], b["total"]) for b in own["by_organization"]] == [
        (deal.agreement.organization_id, "4200.00")]
    # A source's officer sees its own source only.
    foundation = ok(api["foundation"].get("/balances"))
    assert [s["id"] for s in foundation["sources"]] == [deal.foundation_source.pk]


def test_a_source_officer_lists_what_waits_for_them(deal, api):
    disbursement = deal.requested()
    ok(api["foundation"].post(f"/disbursements/{disbursement.pk}/shares/{deal.foundation_source.pk}/approve"))

    assert ok(api["foundation"].get("/disbursements", waiting="approval"))["count"] == 0
    assert [d["id"] for d in ok(api["finance"].get("/disbursements", waiting="approval"))["items"]] == [
        disbursement.pk]
    assert [d["id"] for d in ok(api["foundation"].get("/disbursements", waiting="payment"))["items"]] == [
        disbursement.pk]
    assert ok(api["org_staff"].get("/disbursements", state="requested"))["count"] == 1


# --- Money beyond what is left, and floats --------------------------------------------------------------------

def test_more_than_the_instalment_is_refused_with_the_amounts(deal, api):
    refused = api["org_staff"].post(f"/agreements/{deal.agreement.code}/disbursements",
                                    {"milestone": "signing", "amount": "1680.01"})

    assert refused.status_code == 422
    assert refused.json()["errors"] == {"amount": ["The instalment is 1,680.00 yuan; you cannot ask for more."]}
    assert not Disbursement.objects.exists()


def test_a_share_beyond_the_source_commitment_is_refused_with_the_amounts(deal, api):
    lowered = ok(api["organiser"].put(f"/funding-sources/{deal.foundation_source.pk}/commitment",
                                      {"total": "1000.00"}))
    assert (lowered["committed"], lowered["left"]) == ("1000.00", "1000.00")
    disbursement = deal.requested()

    refused = api["foundation"].post(f"/disbursements/{disbursement.pk}/shares/{deal.foundation_source.pk}/approve")

    assert refused.status_code == 422
    assert refused.json()["detail"] == (f"{deal.people.foundation.name} has only 1,000.00 yuan of its 1,000.00 yuan "
                                        f"commitment left; this share is 1,008.00 yuan.")
    assert not disbursement.shares.filter(approved_at__isnull=False).exists()


def test_amounts_sent_as_json_numbers_are_refused(deal, api):
    code = deal.agreement.code

    asked = api["org_staff"].post(f"/agreements/{code}/disbursements", {"milestone": "signing", "amount": 1680.0})
    committed = api["organiser"].put(f"/funding-sources/{deal.foundation_source.pk}/commitment", {"total": 5000.5})
    whole = api["organiser"].put(f"/funding-sources/{deal.foundation_source.pk}/commitment", {"total": 5000})
    split = api["organiser"].post("/agreements", {
        "project": deal.spare.code, "split_reason": "各半",
        "split": [{"source": deal.foundation_source.pk, "share": 0.5},
                  {"source": deal.finance_source.pk, "share": "0.50"}]})

    for response, field in ((asked, "amount"), (committed, "total"), (whole, "total")):
        assert response.status_code == 422
        assert response.json()["errors"] == {field: [MONEY_MESSAGE]}
    assert split.status_code == 422 and "fraction of 1" in split.json()["errors"]["split"][0]
    assert not Disbursement.objects.exists() and not Agreement.objects.filter(project=deal.spare).exists()
    assert Commitment.objects.get(source=deal.foundation_source).total == Decimal("1000000.00")


# --- Spending with receipts ----------------------------------------------------------------------------------------

def test_the_organisation_reports_spending_with_a_receipt_and_the_support_centre_approves_it(deal, api):
    code, line = deal.agreement.code, deal.agreement.lines.first()
    form = {"line": line.pk, "amount": "300.5", "spent_on": "2017-07-01", "description": "问候卡印刷",
            "receipts": [photo_upload()]}

    reported = api["org_staff"].client.post(f"/api/v1/agreements/{code}/expenses", form)

    expense = ok(reported, 201)
    assert (expense["amount"], expense["state"], expense["line"]["id"]) == ("300.50", "reported", line.pk)
    assert len(expense["receipts"]) == 1 and "/receipts/" in expense["receipts"][0]["url"]
    reviewed = ok(api["support"].post(f"/expenses/{expense['id']}/review", {"approve": True}))
    assert reviewed["state"] == "approved" and reviewed["reviewed_by"]["id"] == deal.users["support"].pk
    listed = ok(api["foundation"].get(f"/agreements/{code}/expenses"))
    assert [e["id"] for e in listed] == [expense["id"]]
    lines = ok(api["org_staff"].get(f"/agreements/{code}"))["budget_lines"]
    assert next(x for x in lines if x["id"] == line.pk)["approved"] == "300.50"


def test_spending_without_a_receipt_or_on_another_agreements_line_changes_nothing(deal, api):
    code = deal.agreement.code
    other_line = deal.drawn().lines.first()
    base = {"amount": "300", "spent_on": "2017-07-01", "description": "问候卡印刷"}

    no_receipt = api["org_staff"].client.post(f"/api/v1/agreements/{code}/expenses",
                                              {**base, "line": deal.agreement.lines.first().pk})
    wrong_line = api["org_staff"].client.post(f"/api/v1/agreements/{code}/expenses",
                                              {**base, "line": other_line.pk, "receipts": [photo_upload()]})

    assert no_receipt.status_code == 422 and "receipts" in no_receipt.json()["errors"]
    assert wrong_line.status_code == 422 and wrong_line.json()["errors"] == {
        "line": ["Choose a budget line of this agreement."]}
    assert not Expense.objects.exists()


# --- Reads cost a fixed number of queries ---------------------------------------------------------------------------

def test_the_reads_cost_a_fixed_number_of_queries(deal, api, django_assert_max_num_queries):
    deal.requested()
    deal.drawn()
    organiser = api["organiser"]
    with django_assert_max_num_queries(8):
        assert ok(organiser.get("/agreements"))["count"] == 2
    with django_assert_max_num_queries(8):
        assert ok(api["foundation"].get("/disbursements"))["count"] == 1
    with django_assert_max_num_queries(12):
        ok(organiser.get("/balances"))
    with django_assert_max_num_queries(18):  # whatever the number of parties, instalments and shares
        ok(organiser.get(f"/agreements/{deal.agreement.code}"))
