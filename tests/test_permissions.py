"""The permission matrix: every role, in and out of its area, against every route.

Each row names a route, how to call it, and what each role gets. A route
that exists in the URL configuration without a row here fails the suite, so
a new page or API route cannot ship without deciding who may use it.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jindianzi.accounts.models import Role
from jindianzi.areas.models import AreaKind

from .factories import (
    CommunityFactory, DistrictFactory, EditionFactory, OrganizationFactory, StreetFactory, UserFactory,
    paper_idea, staff_user, submit_idea,
)

ROLES = [
    "anonymous", "resident", "proposer", "worker_in", "worker_out", "street_in", "street_out",
    "organiser", "organiser_other", "foundation", "support", "org_staff", "expert", "sponsor",
]
ALL = set(ROLES)
SIGNED_IN = ALL - {"anonymous"}
WORKERS = {"worker_in", "worker_out"}
ORGANISERS = {"organiser", "organiser_other"}

# Outcomes: what the person sees.
OK, LOGIN, REDIRECT, FORBIDDEN, NOT_FOUND, CREATED, UNAUTHORIZED, UNPROCESSABLE = (
    "ok", "login", "redirect", "forbidden", "not_found", "created", "unauthorized", "unprocessable")


@dataclass
class Row:
    route: str
    url: callable
    outcomes: dict  # role -> outcome; roles not named get ``default``
    default: str = FORBIDDEN
    method: str = "get"
    data: callable = field(default=lambda ctx: {})
    content_type: str | None = None

    def expected(self, role: str) -> str:
        return self.outcomes.get(role, self.default)


def spread(outcome: str, roles) -> dict:
    return {role: outcome for role in roles}


def staff_page(allowed) -> dict:
    """A signed-in page: the allowed roles see it, others are refused, visitors are sent to sign in."""
    return {"anonymous": LOGIN, **spread(OK, allowed)}


MATRIX = [
    Row("healthz", lambda c: reverse("healthz"), spread(OK, ALL)),
    Row("set_language", lambda c: reverse("set_language"), spread(REDIRECT, ALL), method="post",
        data=lambda c: {"language": "en", "next": "/"}),
    Row("admin:index", lambda c: reverse("admin:index"), spread(REDIRECT, ALL)),
    Row("media", lambda c: reverse("media", args=["ideas/none.jpg"]), spread(NOT_FOUND, ALL)),
    # Public pages: anyone, with or without an account.
    Row("portal:home", lambda c: reverse("portal:home"), spread(OK, ALL)),
    Row("portal:idea_list", lambda c: reverse("portal:idea_list"), spread(OK, ALL)),
    Row("portal:track", lambda c: reverse("portal:track"), spread(OK, ALL)),
    Row("portal:idea_detail", lambda c: reverse("portal:idea_detail", args=[c.idea.tracking_code]), spread(OK, ALL)),
    # Accounts.
    Row("accounts:signup", lambda c: reverse("accounts:signup"), spread(OK, ALL)),
    Row("accounts:login", lambda c: reverse("accounts:login"), spread(OK, ALL)),
    Row("accounts:verify", lambda c: reverse("accounts:verify"), {"anonymous": LOGIN}, default=REDIRECT),
    Row("accounts:logout", lambda c: reverse("accounts:logout"), spread(REDIRECT, ALL), method="post"),
    # A resident's own ideas: every account is a resident.
    Row("ideas:submit", lambda c: reverse("ideas:submit"), staff_page(SIGNED_IN)),
    Row("ideas:mine", lambda c: reverse("ideas:mine"), staff_page(SIGNED_IN)),
    Row("ideas:withdraw", lambda c: reverse("ideas:withdraw", args=[c.idea.tracking_code]),
        {"anonymous": LOGIN, "proposer": REDIRECT}, method="post"),
    # Community workers: paper ideas and spreadsheet imports for their communities.
    Row("ideas:paper", lambda c: reverse("ideas:paper"), staff_page(WORKERS)),
    Row("ideas:import", lambda c: reverse("ideas:import"), staff_page(WORKERS)),
    Row("ideas:import_template", lambda c: reverse("ideas:import_template"), staff_page(WORKERS)),
    Row("ideas:import_review", lambda c: reverse("ideas:import_review", args=[c.idea_import.pk]),
        {"anonymous": LOGIN, "worker_in": OK, "worker_out": NOT_FOUND}),
    # Optimisation (优化): staff of the idea's area screen it; the workbench lists only their own area's ideas.
    Row("ideas:screening", lambda c: reverse("ideas:screening"),
        staff_page(WORKERS | {"street_in", "street_out"} | ORGANISERS)),
    Row("ideas:staff_idea", lambda c: reverse("ideas:staff_idea", args=[c.idea.tracking_code]),
        staff_page({"worker_in", "street_in", "organiser"})),
    Row("ideas:staff_decide", lambda c: reverse("ideas:staff_decide", args=[c.idea.tracking_code]),
        {"anonymous": LOGIN, **spread(REDIRECT, {"worker_in", "street_in", "organiser"})}, method="post",
        data=lambda c: {"decision": "shortlist", "reason": "需求真实，方案可行。"}),
    Row("ideas:staff_note", lambda c: reverse("ideas:staff_note", args=[c.idea.tracking_code]),
        {"anonymous": LOGIN, **spread(REDIRECT, {"worker_in", "street_in", "organiser"})}, method="post",
        data=lambda c: {"text": "走访了三户居民。"}),
    # Improvement (完善提升): the proposer or staff of the area edit; every version is public, like the idea.
    Row("ideas:edit", lambda c: reverse("ideas:edit", args=[c.idea.tracking_code]),
        staff_page({"proposer", "worker_in", "street_in", "organiser"})),
    Row("ideas:revisions", lambda c: reverse("ideas:revisions", args=[c.idea.tracking_code]), spread(OK, ALL)),
    Row("ideas:follow", lambda c: reverse("ideas:follow", args=[c.idea.tracking_code]),
        {"anonymous": LOGIN}, default=REDIRECT, method="post", data=lambda c: {"follow": "1"}),
    Row("notifications:list", lambda c: reverse("notifications:list"), staff_page(SIGNED_IN)),
    # The district organiser runs editions of their own district only.
    Row("editions:list", lambda c: reverse("editions:list"), staff_page(ORGANISERS)),
    Row("editions:new", lambda c: reverse("editions:new"), staff_page(ORGANISERS)),
    Row("editions:manage", lambda c: reverse("editions:manage", args=[c.edition.slug]), staff_page({"organiser"})),
    Row("editions:categories", lambda c: reverse("editions:categories", args=[c.edition.slug]),
        staff_page({"organiser"})),
    Row("editions:funding", lambda c: reverse("editions:funding", args=[c.edition.slug]), staff_page({"organiser"})),
    Row("editions:phases", lambda c: reverse("editions:phases", args=[c.edition.slug]), staff_page({"organiser"})),
    Row("editions:advance", lambda c: reverse("editions:advance", args=[c.edition.slug]),
        {"anonymous": LOGIN, "organiser": REDIRECT}, method="post",
        data=lambda c: {"expected_phase": c.edition.current_phase}),
    # JSON API (/api/v1/): reads are public; writes answer 401 without an account, then the service decides.
    Row("api:api-root", lambda c: reverse("api:api-root"), spread(NOT_FOUND, ALL)),
    Row("api:openapi-json", lambda c: reverse("api:openapi-json"), spread(OK, ALL)),
    Row("api:openapi-view", lambda c: reverse("api:openapi-view"), spread(OK, ALL)),
    Row("api:docs_asset", lambda c: reverse("api:docs_asset", args=["swagger-ui.css"]), spread(OK, ALL)),
    Row("api:list_editions", lambda c: reverse("api:list_editions"), spread(OK, ALL)),
    Row("api:get_edition", lambda c: reverse("api:get_edition", args=[c.edition.slug]), spread(OK, ALL)),
    Row("api:list_areas", lambda c: reverse("api:list_areas"), spread(OK, ALL)),
    Row("api:list_organizations", lambda c: reverse("api:list_organizations"), spread(OK, ALL)),
    Row("api:list_ideas", lambda c: reverse("api:list_ideas"), spread(OK, ALL)),
    Row("api:get_idea", lambda c: reverse("api:get_idea", args=[c.idea.tracking_code]), spread(OK, ALL)),
    Row("api:submit_idea", lambda c: reverse("api:submit_idea"), {"anonymous": UNAUTHORIZED}, default=CREATED,
        method="post", content_type="application/json",
        data=lambda c: {"edition": c.edition.slug, "community": c.community.id, "category": "elderly",
                        "title": "社区议事厅", "problem": "居民议事没有固定场所。", "proposal": "改造闲置用房。",
                        "beneficiaries": "全体居民", "estimated_budget": "9000"}),
    Row("api:withdraw_idea", lambda c: reverse("api:withdraw_idea", args=[c.idea.tracking_code]),
        {"anonymous": UNAUTHORIZED, "proposer": OK}, method="post", content_type="application/json"),
    Row("api:decide_idea", lambda c: reverse("api:decide_idea", args=[c.idea.tracking_code]),
        {"anonymous": UNAUTHORIZED, "worker_in": OK, "street_in": OK, "organiser": OK}, method="post",
        content_type="application/json", data=lambda c: {"decision": "shortlist", "reason": "需求真实"}),
    Row("api:decide_ideas", lambda c: reverse("api:decide_ideas"), {"anonymous": UNAUTHORIZED}, default=OK,
        method="post", content_type="application/json",
        data=lambda c: {"ideas": [c.idea.tracking_code], "decision": "decline", "reason": "不属于本届范围"}),
    Row("api:list_revisions", lambda c: reverse("api:list_revisions", args=[c.idea.tracking_code]), spread(OK, ALL)),
    Row("api:revise_idea", lambda c: reverse("api:revise_idea", args=[c.idea.tracking_code]),
        {"anonymous": UNAUTHORIZED, "proposer": CREATED, "worker_in": CREATED, "street_in": CREATED,
         "organiser": CREATED}, method="post", content_type="application/json",
        data=lambda c: {"title": "为独居老人建立每日问候队（修改）", "problem": "独居老人多。", "proposal": "结对问候。",
                        "beneficiaries": "独居老人约80人", "estimated_budget": "9000"}),
    # Projects (二次优化整合 and 对接): the public provenance page, staff of the project's street, the organisation.
    Row("projects:detail", lambda c: reverse("projects:detail", args=[_project(c).code]), spread(OK, ALL)),
    Row("projects:list", lambda c: reverse("projects:list"), staff_page(WORKERS | ORGANISERS | {"street_in", "street_out"})),
    Row("projects:merge", lambda c: reverse("projects:merge"), staff_page(ORGANISERS | {"street_in", "street_out"})),
    Row("projects:manage", lambda c: reverse("projects:manage", args=[_project(c).code]),
        staff_page({"worker_in", "street_in", "organiser"})),
    Row("projects:plan", lambda c: reverse("projects:plan", args=[_project(c).code]),
        staff_page({"street_in", "organiser"})),
    Row("projects:add_idea", lambda c: reverse("projects:add_idea", args=[_project(c).code]),
        staff_page({"street_in", "organiser"}), method="post",
        data=lambda c: {"tracking_code": c.idea.tracking_code}),
    Row("projects:remove_idea", lambda c: reverse("projects:remove_idea", args=[
        _project(c).code, _project(c).ideas.first().tracking_code]),
        {"anonymous": LOGIN, "street_in": REDIRECT, "organiser": REDIRECT}, method="post"),
    Row("projects:submit", lambda c: reverse("projects:submit", args=[_project(c).code]),
        {"anonymous": LOGIN, "street_in": REDIRECT, "organiser": REDIRECT}, method="post"),
    Row("projects:match", lambda c: reverse("projects:match", args=[_project(c).code]),
        staff_page({"street_in", "organiser"})),
    Row("projects:withdraw_offer", lambda c: reverse("projects:withdraw_offer", args=[
        _project(c).code, _offer(c).pk]), {"anonymous": LOGIN, "street_in": REDIRECT, "organiser": REDIRECT},
        method="post"),
    # Projects through the API: reads public; merge and matching for street staff; answers for the organisation.
    Row("api:list_projects", lambda c: reverse("api:list_projects"), spread(OK, ALL)),
    Row("api:get_project", lambda c: reverse("api:get_project", args=[_project(c).code]), spread(OK, ALL)),
    # Outside their area, staff are told which ideas they cannot merge (422), and nothing is created.
    Row("api:merge_ideas", lambda c: reverse("api:merge_ideas"),
        {"anonymous": UNAUTHORIZED, "street_in": CREATED, "organiser": CREATED, "street_out": UNPROCESSABLE,
         "organiser_other": UNPROCESSABLE}, method="post",
        content_type="application/json", data=lambda c: {"ideas": [_shortlisted(c).tracking_code], "title": "问候行动"}),
    Row("api:add_project_idea", lambda c: reverse("api:add_project_idea", args=[_project(c).code]),
        {"anonymous": UNAUTHORIZED, "street_in": OK, "organiser": OK}, method="post",
        content_type="application/json", data=lambda c: {"idea": _shortlisted(c).tracking_code}),
    Row("api:remove_project_idea", lambda c: reverse("api:remove_project_idea", args=[
        _project(c).code, _project(c).ideas.first().tracking_code]),
        {"anonymous": UNAUTHORIZED, "street_in": OK, "organiser": OK}, method="delete"),
    Row("api:project_suggestions", lambda c: reverse("api:project_suggestions", args=[_project(c).code]),
        {"anonymous": UNAUTHORIZED, "street_in": OK, "organiser": OK}),
    Row("api:send_offer", lambda c: reverse("api:send_offer", args=[_project(c).code]),
        {"anonymous": UNAUTHORIZED, "street_in": CREATED, "organiser": CREATED}, method="post",
        content_type="application/json", data=lambda c: {"organization": _organization(c).pk}),
    Row("api:answer_offer", lambda c: reverse("api:answer_offer", args=[_offer(c).pk]),
        {"anonymous": UNAUTHORIZED, "org_staff": OK}, method="post", content_type="application/json",
        data=lambda c: {"accept": False, "reason": "人手不足"}),
    Row("api:update_plan", lambda c: reverse("api:update_plan", args=[_project(c).code]),
        {"anonymous": UNAUTHORIZED, "street_in": OK, "organiser": OK}, method="put",
        content_type="application/json", data=lambda c: {"title": "问候行动", "category": "elderly"}),
    Row("api:submit_project", lambda c: reverse("api:submit_project", args=[_project(c).code]),
        # The rules let street staff submit; this draft has no organisation yet, so they are told what is missing.
        {"anonymous": UNAUTHORIZED, "street_in": UNPROCESSABLE, "organiser": UNPROCESSABLE}, method="post",
        content_type="application/json"),
    Row("projects:offers", lambda c: reverse("projects:offers"), staff_page({"org_staff"})),
    Row("projects:offer", lambda c: reverse("projects:offer", args=[_offer(c).pk]), staff_page({"org_staff"})),
    # Similar ideas: the panel for staff of the idea's area; the groups page for staff of a street or district.
    Row("ideas:similar", lambda c: reverse("ideas:similar", args=[c.idea.tracking_code]),
        staff_page({"worker_in", "street_in", "organiser"})),
    Row("ideas:similar_groups", lambda c: reverse("ideas:similar_groups"),
        staff_page(WORKERS | {"street_in", "street_out"} | ORGANISERS)),
]


@pytest.fixture
def ctx(db):
    """Two districts; in the first, two streets; an edition and an idea in 老爷庙社区."""
    edition = EditionFactory()
    district = edition.district
    street = StreetFactory(name="西屯街道", parent=district)
    other_street = StreetFactory(name="西城街道", parent=district)
    community = CommunityFactory(name="老爷庙社区", parent=street)
    other_community = CommunityFactory(name="红山郡社区", parent=other_street)
    other_district = DistrictFactory(name="松山区")
    org = OrganizationFactory(home_area=community)
    proposer = UserFactory()
    users = {
        "resident": UserFactory(),
        "proposer": proposer,
        "worker_in": staff_user(Role.COMMUNITY_WORKER, area=community),
        "worker_out": staff_user(Role.COMMUNITY_WORKER, area=other_community),
        "street_in": staff_user(Role.STREET_OFFICER, area=street),
        "street_out": staff_user(Role.STREET_OFFICER, area=other_street),
        "organiser": staff_user(Role.DISTRICT_ORGANISER, area=district),
        "organiser_other": staff_user(Role.DISTRICT_ORGANISER, area=other_district),
        "foundation": staff_user(Role.FOUNDATION_OFFICER, organization=OrganizationFactory(
            kind="community_foundation", home_area=district)),
        "support": staff_user(Role.SUPPORT_STAFF, organization=OrganizationFactory(
            kind="support_centre", home_area=district)),
        "org_staff": staff_user(Role.ORG_STAFF, organization=org),
        "expert": staff_user(Role.EXPERT),
        "sponsor": staff_user(Role.SPONSOR),
    }
    idea = submit_idea(edition=edition, community=community, proposer=proposer)
    paper_idea(edition=edition, community=community, worker=users["worker_in"])
    ns = type("Ctx", (), {})()
    ns.edition, ns.community, ns.idea, ns.users = edition, community, idea, users
    ns.idea_import = _an_import(edition, users["worker_in"])
    assert community.kind == AreaKind.COMMUNITY
    return ns


def _an_import(edition, worker):
    from .ideas.import_files import pending_import

    return pending_import(edition=edition, worker=worker)


def _outcome(response, login_url: str) -> str:
    status = response.status_code
    if status in (301, 302):
        return LOGIN if response["Location"].startswith(login_url) else REDIRECT
    return {200: OK, 201: CREATED, 204: OK, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND,
            422: UNPROCESSABLE}.get(status, str(status))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.route)
def test_matrix(row, role, ctx, client):
    if role != "anonymous":
        client.force_login(ctx.users[role])
    url = row.url(ctx)
    call = getattr(client, row.method)
    kwargs = {"content_type": row.content_type} if row.content_type else {}
    response = call(url, row.data(ctx), **kwargs)
    assert _outcome(response, reverse("accounts:login")) == row.expected(role), (
        f"{role} {row.method.upper()} {url} -> {response.status_code}")


def _route_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if namespace == "admin:":
                names.add("admin:index")  # the Django admin checks is_staff itself; one row stands for it
                continue
            names |= _route_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_route_has_a_row():
    covered = {row.route for row in MATRIX}
    missing = sorted(_route_names() - covered)
    assert not missing, f"routes without a permission row: {missing}"



def _project(c):
    """A draft project of 老爷庙社区's street made from one shortlisted idea (built on first use)."""
    if not hasattr(c, "project"):
        from .factories import merged_project, shortlisted_idea

        idea = shortlisted_idea(actor=c.users["worker_in"], edition=c.edition, community=c.community)
        c.project = merged_project(ideas=[idea], actor=c.users["street_in"])
    return c.project


def _shortlisted(c):
    """Another shortlisted idea of 老爷庙社区, ready to be merged."""
    if not hasattr(c, "shortlisted"):
        from .factories import shortlisted_idea

        c.shortlisted = shortlisted_idea(actor=c.users["worker_in"], edition=c.edition, community=c.community,
                                         title="老人电话问候")
    return c.shortlisted


def _organization(c):
    from .factories import OrganizationFactory

    if not hasattr(c, "organization"):
        c.organization = OrganizationFactory(home_area=c.community)
    return c.organization


def _offer(c):
    """The project offered to the organisation ``org_staff`` works for."""
    if not hasattr(c, "offer"):
        from jindianzi.accounts.selectors import organizations_where
        from jindianzi.projects.services import match_offer_send

        organization = organizations_where(c.users["org_staff"], Role.ORG_STAFF)[0]
        c.offer = match_offer_send(actor=c.users["street_in"], project=_project(c), organization=organization)
    return c.offer
