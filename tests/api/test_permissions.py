"""Who may call each API route, role by role; a route of the API without a row fails the suite.

Mirrors tests/test_permissions.py for the ``api`` namespace, with the API's
answers (401 for nobody signed in, 403 when the rules say no) instead of
redirects to the sign-in page.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jindianzi.accounts.models import Role

from ..factories import OrganizationFactory, UserFactory, paper_idea, photo_upload, staff_user, submit_idea
from ..factories_funds import fresh, kept_for_module
from .money_fixtures import MONEY_ROLES, money_deal
from .reviews_fixtures import new_expert, review_stages

# "expert" sits on the review panel of 西屯街道's round (when a row builds one; see reviews_fixtures.py).
ROLES = ["anonymous", "unverified", "resident", "proposer", "worker_in", "worker_out", "street_in",
         "organiser", "org_staff", "expert"]


@dataclass
class Row:
    route: str
    url: callable
    outcomes: dict  # role -> status; roles not named get ``default``
    default: int = 403
    method: str = "get"
    body: callable = field(default=lambda ctx: None)  # a dict is sent as JSON, a str as text/plain

    def expected(self, role: str) -> int:
        return self.outcomes.get(role, self.default)


def every(status: int) -> dict:
    return {role: status for role in ROLES}


def _submission(ctx) -> dict:
    return {"edition": ctx.edition.slug, "community": ctx.community.id, "category": "elderly",
            "title": "社区议事厅", "problem": "居民议事没有固定场所。", "proposal": "改造闲置用房。",
            "beneficiaries": "全体居民", "estimated_budget": "9000"}


MATRIX = [
    Row("openapi-json", lambda c: reverse("api:openapi-json"), every(200)),
    Row("openapi-view", lambda c: reverse("api:openapi-view"), every(200)),
    Row("docs_asset", lambda c: reverse("api:docs_asset", args=["swagger-ui.css"]), every(200)),
    Row("api-root", lambda c: reverse("api:api-root"), every(404)),
    Row("list_editions", lambda c: reverse("api:list_editions"), every(200)),
    Row("get_edition", lambda c: reverse("api:get_edition", args=[c.edition.slug]), every(200)),
    Row("list_areas", lambda c: reverse("api:list_areas"), every(200)),
    Row("list_organizations", lambda c: reverse("api:list_organizations"), every(200)),
    Row("list_ideas", lambda c: reverse("api:list_ideas"), every(200)),
    Row("get_idea", lambda c: reverse("api:get_idea", args=[c.idea.tracking_code]), every(200)),
    # Every verified account is a resident and may submit.
    Row("submit_idea", lambda c: reverse("api:submit_idea"), {"anonymous": 401, "unverified": 403}, default=201,
        method="post", body=_submission),
    # The proposer withdraws a web idea; nobody else may.
    Row("withdraw_idea", lambda c: reverse("api:withdraw_idea", args=[c.idea.tracking_code]),
        {"anonymous": 401, "proposer": 200}, method="post"),
    # A paper idea: the worker of its community withdraws it for the resident.
    Row("withdraw_idea", lambda c: reverse("api:withdraw_idea", args=[c.paper.tracking_code]),
        {"anonymous": 401, "worker_in": 200}, method="post"),
    # Screening: staff over the idea's community decide; the proposer and outsiders may not.
    Row("decide_idea", lambda c: reverse("api:decide_idea", args=[c.idea.tracking_code]),
        {"anonymous": 401, "worker_in": 200, "street_in": 200, "organiser": 200}, method="post",
        body=lambda c: {"decision": "shortlist", "reason": "需求真实，居民呼声高"}),
    # Bulk: anyone signed in may ask; each idea outside their area comes back refused, unchanged.
    Row("decide_ideas", lambda c: reverse("api:decide_ideas"), {"anonymous": 401}, default=200, method="post",
        body=lambda c: {"ideas": [c.idea.tracking_code], "decision": "decline", "reason": "不属于本届范围"}),
    Row("list_revisions", lambda c: reverse("api:list_revisions", args=[c.idea.tracking_code]), every(200)),
    # The proposer improves the idea, or staff of the area help them.
    Row("revise_idea", lambda c: reverse("api:revise_idea", args=[c.idea.tracking_code]),
        {"anonymous": 401, "proposer": 201, "worker_in": 201, "street_in": 201, "organiser": 201}, method="post",
        body=lambda c: {"title": "为独居老人建立每日问候队（修改）", "problem": "独居老人多，出事没人知道。",
                        "proposal": "低龄老人结对问候，每天一次。", "beneficiaries": "独居老人约80人",
                        "estimated_budget": "9000", "note": "补充了结对方式"}),
]


# ---- Street reviews (立项评审) and the resident vote -----------------------------------------------------
# ``c.review(stage, vote)`` builds 西屯街道's round up to that stage: street_in chairs it, expert sits on
# its panel, resident is verified for its vote. Staff are the street's officer and the district organiser.
# A round takes a while to build, so each row builds it once and asks as every role in turn, each request
# rolled back before the next (``test_review_matrix``).

def staff(status: int, **more) -> dict:
    return {"anonymous": 401, "street_in": status, "organiser": status, **more}


def _round_url(name: str, stage: str, vote: str | None = None, *extra):
    return lambda c: reverse(f"api:{name}", args=[c.review(stage, vote).pk, *(e(c) for e in extra)])


def _pb_file(c) -> str:
    code = c.stages.projects[0].code
    return f"META\nkey;value\nvote_type;approval\nVOTES\nvoter_id;vote\npaper-1;{code}\n"


REVIEW_MATRIX = [
    # The public sees published rounds and rounds with a vote; the staff also their streets' rounds.
    Row("list_review_rounds", lambda c: c.review("setup") and reverse("api:list_review_rounds"), every(200)),
    # A round being prepared is the staff's and the panel's; anyone else hears it does not exist.
    Row("get_review_round", _round_url("get_review_round", "setup"),
        {"street_in": 200, "organiser": 200, "expert": 200}, default=404),
    Row("get_review_round", _round_url("get_review_round", "published"), every(200)),
    Row("create_review_round", lambda c: c.review("approval") or reverse("api:create_review_round"),
        staff(201), method="post",
        body=lambda c: {"edition": c.world.edition.slug, "street": c.world.street.pk, "budget_cap": "80000"}),
    Row("update_review_round", _round_url("update_review_round", "setup"), staff(200), method="patch",
        body=lambda c: {"budget_cap": "90000.00", "aggregation": "trimmed_mean"}),
    Row("add_panel_member", _round_url("add_panel_member", "setup"), staff(201), method="post",
        body=lambda c: {"login": new_expert().phone, "role": "expert"}),
    Row("remove_panel_member",
        _round_url("remove_panel_member", "setup", None,
                   lambda c: c.review("setup").panel.get(user=c.users["expert"]).pk),
        staff(204), method="delete"),
    Row("make_assignments", _round_url("make_assignments", "setup"), staff(201), method="post", body=lambda c: {}),
    Row("list_round_assignments", _round_url("list_round_assignments", "scoring"), staff(200, expert=200)),
    Row("open_scoring", _round_url("open_scoring", "assigned"), staff(200), method="post"),
    Row("close_scoring", _round_url("close_scoring", "scored"), staff(200), method="post"),
    # A reviewer's own list: anyone signed in has one, empty or not.
    Row("list_my_assignments", lambda c: reverse("api:list_my_assignments"), {"anonymous": 401}, default=200),
    # Only the assigned reviewer scores, and declares a conflict of interest.
    Row("submit_scores", lambda c: c.review("scoring") and reverse("api:submit_scores", args=[c.stages.assignment.pk]),
        {"anonymous": 401, "expert": 200}, method="post",
        body=lambda c: {"points": {cr.code: 7 for cr in c.stages.round.edition.review_criteria.all()},
                        "comment": "可行"}),
    Row("declare_conflict",
        lambda c: c.review("assigned") and reverse("api:declare_conflict", args=[c.stages.assignment.pk]),
        {"anonymous": 401, "expert": 200}, method="post", body=lambda c: {"note": "我曾在该组织兼职。"}),
    # Blind scoring: nobody sees the scores while the panel scores; the panel and staff see them after.
    Row("get_round_scores", _round_url("get_round_scores", "scoring"), {"anonymous": 401}),
    Row("get_round_scores", _round_url("get_round_scores", "closed"), staff(200, expert=200)),
    Row("get_round_ranking", _round_url("get_round_ranking", "scoring"), staff(200, expert=200)),
    # The chair decides and publishes; the district organiser runs rounds but does not chair this one.
    Row("record_decision", _round_url("record_decision", "closed"), {"anonymous": 401, "street_in": 200},
        method="post", body=lambda c: {"project": c.stages.projects[0].code, "outcome": "approve",
                                       "reason": "评分第一，预算合理。"}),
    Row("publish_round", _round_url("publish_round", "decided"), {"anonymous": 401, "street_in": 200},
        method="post"),
    Row("get_round_results", _round_url("get_round_results", "published"), every(200)),
    # The resident vote: the street's staff set it up, open and close it; verified residents vote once.
    Row("configure_vote", _round_url("configure_vote", "setup"), staff(200), method="put",
        body=lambda c: {"rule": "greedy", "use": "advisory", "ballot_limit": "count", "ballot_limit_value": "2"}),
    Row("open_vote", _round_url("open_vote", "setup", "ready"), staff(200), method="post"),
    Row("close_vote", _round_url("close_vote", "setup", "open"), staff(200), method="post"),
    Row("get_ballot", _round_url("get_ballot", "setup", "open"), every(200)),
    Row("cast_ballot", _round_url("cast_ballot", "setup", "open"), {"anonymous": 401, "resident": 201},
        method="post", body=lambda c: {"projects": [c.stages.projects[0].code]}),
    Row("get_vote_result", _round_url("get_vote_result", "setup", "counted"), every(200)),
    # The ballots as open data: the street's staff once counted, everyone once the results are published.
    Row("export_vote_pb", _round_url("export_vote_pb", "setup", "counted"), staff(200, anonymous=403)),
    Row("export_vote_pb", _round_url("export_vote_pb", "published", "counted"), every(200)),
    Row("import_vote_pb", _round_url("import_vote_pb", "setup", "open"), staff(200), method="post", body=_pb_file),
]



# ---- Agreements (签约) and the co-funding ledger ---------------------------------------------------------------
# ``money_deal()`` (tests/api/money_fixtures.py): the agreement in force of 西屯街道's 4,200-yuan project between
# organiser (bureau), foundation (60 %), street_in (street office), hub, support (support centre) and org_staff
# (the implementer); finance pays 40 % without signing. street_out and org_other work elsewhere. It is built once
# for the module; each row builds the stage it needs (``c.requested()`` ...) and asks as every role in turn, each
# request rolled back before the next (``test_money_matrix``).

class Multipart(dict):
    """A body sent as multipart/form-data (fields and files), as a phone app sends a receipt photo."""


def money(status: int, roles) -> dict:
    return {"anonymous": 401, **{role: status for role in roles}}


# Who works with agreements at all (lists and balances, scoped to what each may see); who may read this one.
MONEY_STAFF = set(MONEY_ROLES) - {"anonymous", "resident"}
AGREEMENT_READERS = {"organiser", "street_in", "foundation", "finance", "support", "hub", "org_staff"}
SIGNERS = {"organiser", "foundation", "street_in", "hub", "support", "org_staff"}


def _agreement_url(name: str, *extra, drawn: bool = False):
    return lambda c: reverse(f"api:{name}", args=[(c.drawn() if drawn else c.agreement).code,
                                                  *(e(c) for e in extra)])


def _share_url(name: str, stage: str, source: str):
    return lambda c: reverse(f"api:{name}", args=[getattr(c, stage)().pk, getattr(c, f"{source}_source").pk])


MONEY_MATRIX = [
    Row("list_agreements", lambda c: reverse("api:list_agreements"), money(200, MONEY_STAFF)),
    Row("get_agreement", _agreement_url("get_agreement"), money(200, AGREEMENT_READERS)),
    Row("create_agreement", lambda c: reverse("api:create_agreement"), money(201, {"organiser", "street_in"}),
        method="post", body=lambda c: {"project": c.spare.code}),
    # Each party signs in its own account; district finance pays but is not a party.
    Row("sign_agreement", _agreement_url("sign_agreement", drawn=True), money(200, SIGNERS), method="post"),
    Row("cancel_agreement", _agreement_url("cancel_agreement", drawn=True), money(200, {"organiser"}),
        method="post", body=lambda c: {"reason": "项目取消"}),
    Row("reach_milestone", _agreement_url("reach_milestone", lambda c: "midterm"),
        money(200, {"organiser", "support"}), method="post", body=lambda c: {"note": "中期检查通过"}),
    Row("request_disbursement", _agreement_url("request_disbursement"), money(201, {"org_staff"}), method="post",
        body=lambda c: {"milestone": "signing"}),
    Row("list_disbursements", lambda c: c.requested() and reverse("api:list_disbursements"),
        money(200, MONEY_STAFF)),
    Row("get_disbursement", lambda c: reverse("api:get_disbursement", args=[c.requested().pk]),
        money(200, AGREEMENT_READERS)),
    # Each source's officer approves and pays its own share only.
    Row("approve_share", _share_url("approve_share", "requested", "foundation"), money(200, {"foundation"}),
        method="post"),
    Row("approve_share", _share_url("approve_share", "requested", "finance"), money(200, {"finance"}),
        method="post"),
    Row("pay_share", _share_url("pay_share", "approved", "foundation"), money(200, {"foundation"}), method="post",
        body=lambda c: {"reference": "BANK-0001"}),
    Row("return_disbursement", lambda c: reverse("api:return_disbursement", args=[c.requested().pk]),
        money(200, {"foundation", "finance"}), method="post", body=lambda c: {"reason": "请补充活动记录"}),
    Row("list_expenses", _agreement_url("list_expenses"), money(200, AGREEMENT_READERS)),
    Row("report_expense", _agreement_url("report_expense"), money(201, {"org_staff"}), method="post",
        body=lambda c: Multipart(line=c.agreement.lines.first().pk, amount="300.00", spent_on="2017-07-01",
                                 description="问候卡印刷", receipts=[photo_upload()])),
    Row("review_expense", lambda c: reverse("api:review_expense", args=[c.expense().pk]), money(200, {"support"}),
        method="post", body=lambda c: {"approve": True}),
    Row("get_balances", lambda c: reverse("api:get_balances") + f"?edition={c.edition.slug}",
        money(200, MONEY_STAFF)),
    Row("set_commitment", lambda c: reverse("api:set_commitment", args=[c.foundation_source.pk]),
        money(200, {"organiser", "foundation"}), method="put", body=lambda c: {"total": "2000000.00"}),
]

@pytest.fixture
def ctx(world):
    w = world
    proposer = UserFactory()
    worker_in = staff_user(Role.COMMUNITY_WORKER, area=w.community)
    users = {
        "unverified": UserFactory(verified=False),
        "resident": UserFactory(),
        "proposer": proposer,
        "worker_in": worker_in,
        "worker_out": staff_user(Role.COMMUNITY_WORKER, area=w.other_community),
        "street_in": staff_user(Role.STREET_OFFICER, area=w.street),
        "organiser": staff_user(Role.DISTRICT_ORGANISER, area=w.district),
        "org_staff": staff_user(Role.ORG_STAFF, organization=OrganizationFactory(home_area=w.community)),
        "expert": staff_user(Role.EXPERT, display_name="评审专家"),
    }
    ns = type("Ctx", (), {})()
    ns.edition, ns.community, ns.users, ns.world = w.edition, w.community, users, w
    ns.stages = review_stages(w, users, projects=1)
    ns.review = ns.stages.at
    ns.idea = submit_idea(edition=w.edition, community=w.community, proposer=proposer)
    ns.paper = paper_idea(edition=w.edition, community=w.community, worker=worker_in)
    return ns


def _call(row, ctx, client):
    url, body = row.url(ctx), row.body(ctx)
    if row.method == "get":
        response = client.get(url)
    elif isinstance(body, Multipart):
        response = getattr(client, row.method)(url, dict(body))
    elif isinstance(body, str):
        response = getattr(client, row.method)(url, body, content_type="text/plain")
    else:
        response = getattr(client, row.method)(url, json.dumps(body or {}), content_type="application/json")
    return url, response


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.route)
def test_matrix(row, role, ctx, client):
    if role != "anonymous":
        client.force_login(ctx.users[role])
    url, response = _call(row, ctx, client)
    assert response.status_code == row.expected(role), f"{role} {row.method.upper()} {url}: {response.content[:200]}"


@pytest.mark.parametrize("row", REVIEW_MATRIX, ids=lambda r: r.route)
def test_review_matrix(row, ctx):
    row.url(ctx)  # builds the round at the row's stage, once
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            client = Client()
            if role != "anonymous":
                client.force_login(ctx.users[role])
            url, response = _call(row, ctx, client)
            if response.status_code != row.expected(role):
                wrong.append(f"{role}: {response.status_code} (expected {row.expected(role)}) {response.content[:160]}")
            transaction.set_rollback(True)
    assert not wrong, f"{row.method.upper()} {url}\n" + "\n".join(wrong)



@pytest.fixture(scope="module")
def _money_deal(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker):
        yield money_deal()


@pytest.fixture
def money_ctx(_money_deal, db):
    return fresh(_money_deal)


@pytest.mark.parametrize("row", MONEY_MATRIX, ids=lambda r: r.route)
def test_money_matrix(row, money_ctx):
    row.url(money_ctx)  # builds the row's stage, once
    wrong = []
    for role in MONEY_ROLES:
        with transaction.atomic():
            client = Client()
            if role != "anonymous":
                client.force_login(money_ctx.users[role])
            url, response = _call(row, money_ctx, client)
            if response.status_code != row.expected(role):
                wrong.append(f"{role}: {response.status_code} (expected {row.expected(role)}) {response.content[:160]}")
            transaction.set_rollback(True)
    assert not wrong, f"{row.method.upper()} {url}\n" + "\n".join(wrong)

def _api_route_names() -> set[str]:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    return {p.name for p in api.url_patterns if isinstance(p, URLPattern) and p.name}


def test_every_api_route_has_a_row():
    from ..test_permissions import MATRIX as SITE_MATRIX

    # A route may be covered here or in the site-wide matrix (which names API routes "api:...").
    covered = {row.route for row in MATRIX + REVIEW_MATRIX + MONEY_MATRIX}
    covered |= {row.route[4:] for row in SITE_MATRIX if row.route.startswith("api:")}
    missing = sorted(_api_route_names() - covered)
    assert not missing, f"API routes without a permission row: {missing}"
