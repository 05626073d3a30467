"""Who may call each API route, role by role; a route of the API without a row fails the suite.

Mirrors tests/test_permissions.py for the ``api`` namespace, with the API's
answers (401 for nobody signed in, 403 when the rules say no) instead of
redirects to the sign-in page.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jindianzi.accounts.models import Role

from ..factories import OrganizationFactory, UserFactory, paper_idea, staff_user, submit_idea

ROLES = ["anonymous", "unverified", "resident", "proposer", "worker_in", "worker_out", "street_in",
         "organiser", "org_staff"]


@dataclass
class Row:
    route: str
    url: callable
    outcomes: dict  # role -> status; roles not named get ``default``
    default: int = 403
    method: str = "get"
    body: callable = field(default=lambda ctx: None)

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
    }
    ns = type("Ctx", (), {})()
    ns.edition, ns.community, ns.users = w.edition, w.community, users
    ns.idea = submit_idea(edition=w.edition, community=w.community, proposer=proposer)
    ns.paper = paper_idea(edition=w.edition, community=w.community, worker=worker_in)
    return ns


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.route)
def test_matrix(row, role, ctx, client):
    if role != "anonymous":
        client.force_login(ctx.users[role])
    url, body = row.url(ctx), row.body(ctx)
    if row.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, json.dumps(body or {}), content_type="application/json")
    assert response.status_code == row.expected(role), f"{role} {row.method.upper()} {url}: {response.content[:200]}"


def _api_route_names() -> set[str]:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    return {p.name for p in api.url_patterns if isinstance(p, URLPattern) and p.name}


def test_every_api_route_has_a_row():
    from ..test_permissions import MATRIX as SITE_MATRIX

    # A route may be covered here or in the site-wide matrix (which names API routes "api:...").
    covered = {row.route for row in MATRIX} | {row.route[4:] for row in SITE_MATRIX if row.route.startswith("api:")}
    missing = sorted(_api_route_names() - covered)
    assert not missing, f"API routes without a permission row: {missing}"
