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


# Agreements and funds: who works with agreements at all, and the parties of the matrix's agreement.
MONEY_STAFF = {"street_in", "street_out", "organiser", "organiser_other", "foundation", "support", "org_staff"}
AGREEMENT_PARTIES = {"organiser", "street_in", "foundation", "support", "org_staff"}
# Street reviews: who holds reviews at all; the staff of 西屯街道's round; its panel (the expert sits on it).
STREET_STAFF = {"street_in", "street_out", "organiser", "organiser_other"}
REVIEW_STAFF = {"street_in", "organiser"}
REVIEW_PANEL = REVIEW_STAFF | {"expert"}


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
    # --- Agreements (签约) and funds (实施): rows kept in their own block (agreements/funds engineer). ---
    # The agreement (``_agreement``) is in force between the matrix's people: the organiser (bureau), ``foundation``
    # (the foundation, paying 60 %), ``street_in`` (street office), ``support`` (support centre) and ``org_staff``
    # (the implementer). Outside their area or organisation, staff are refused (403).
    Row("agreements:list", lambda c: reverse("agreements:list"), staff_page(MONEY_STAFF)),
    Row("agreements:framework", lambda c: reverse("agreements:framework", args=[c.edition.slug]),
        staff_page({"organiser"})),
    # The page opens for a project of the street that is not approved yet; it says so and offers no button.
    Row("agreements:create", lambda c: reverse("agreements:create", args=[_project(c).code]),
        staff_page({"street_in", "organiser"})),
    Row("agreements:detail", lambda c: reverse("agreements:detail", args=[_agreement(c).code]),
        staff_page(AGREEMENT_PARTIES)),
    # Every party has signed already: signers are told so on the agreement's page; nothing changes.
    Row("agreements:sign", lambda c: reverse("agreements:sign", args=[_agreement(c).code]),
        {"anonymous": LOGIN, **spread(REDIRECT, AGREEMENT_PARTIES)}, method="post"),
    Row("agreements:cancel", lambda c: reverse("agreements:cancel", args=[_agreement(c).code]),
        {"anonymous": LOGIN, "organiser": REDIRECT}, method="post", data=lambda c: {"reason": "项目取消"}),
    Row("agreements:milestone", lambda c: reverse("agreements:milestone", args=[
        _agreement(c).code, _agreement(c).instalments.get(milestone="midterm").pk]),
        {"anonymous": LOGIN, "organiser": REDIRECT, "support": REDIRECT}, method="post",
        data=lambda c: {"note": "中期检查通过"}),
    Row("agreements:pdf", lambda c: reverse("agreements:pdf", args=[_agreement(c).code]),
        staff_page(AGREEMENT_PARTIES)),
    Row("funds:balances", lambda c: reverse("funds:balances"), staff_page(MONEY_STAFF)),
    Row("funds:commitments", lambda c: reverse("funds:commitments", args=[_framework(c).edition.slug]),
        staff_page({"organiser", "foundation"})),
    Row("funds:disbursements", lambda c: reverse("funds:disbursements"), staff_page({"foundation"})),
    Row("funds:disbursement", lambda c: reverse("funds:disbursement", args=[_disbursement(c).pk]),
        staff_page(AGREEMENT_PARTIES)),
    Row("funds:approve", lambda c: reverse("funds:approve", args=[_disbursement(c).pk, _foundation_share(c).pk]),
        {"anonymous": LOGIN, "foundation": REDIRECT}, method="post"),
    Row("funds:pay", lambda c: reverse("funds:pay", args=[_approved(c).pk, _foundation_share(c).pk]),
        {"anonymous": LOGIN, "foundation": REDIRECT}, method="post", data=lambda c: {"reference": "BANK-0001"}),
    Row("funds:return", lambda c: reverse("funds:return", args=[_disbursement(c).pk]),
        {"anonymous": LOGIN, "foundation": REDIRECT}, method="post", data=lambda c: {"reason": "请补充活动记录"}),
    Row("funds:request", lambda c: reverse("funds:request", args=[
        _agreement(c).code, _agreement(c).instalments.get(milestone="signing").pk]),
        {"anonymous": LOGIN, "org_staff": REDIRECT}, method="post"),
    Row("funds:expenses", lambda c: reverse("funds:expenses", args=[_agreement(c).code]),
        staff_page(AGREEMENT_PARTIES)),
    Row("funds:expense_queue", lambda c: reverse("funds:expense_queue"), staff_page({"support"})),
    Row("funds:expense_review", lambda c: reverse("funds:expense_review", args=[_expense(c).pk]),
        {"anonymous": LOGIN, "support": REDIRECT}, method="post", data=lambda c: {"decision": "approve"}),
    # Receipts are never public: only those who may see the agreement get the photo.
    Row("funds:receipt", lambda c: reverse("funds:receipt", args=[_expense(c).receipts.get().pk]),
        staff_page(AGREEMENT_PARTIES)),
    Row("media", lambda c: "/media/" + _expense(c).receipts.get().image.name, {}, default=NOT_FOUND),
    # --- end of agreements/funds block ---
    # --- Street reviews (立项评审) and resident votes: rows kept in their own block (review pages engineer). ---
    # ``_review(c, stage)`` plays 西屯街道's round (street_in chairs; ``expert`` sits on the panel) up to ``stage``.
    # The street's staff (street_in, organiser) run it; the panel (with expert) sees its workspace and, once
    # scoring closes, every score; only the chair decides and publishes. Results and votes are public.
    Row("reviews:rounds", lambda c: reverse("reviews:rounds"), staff_page(SIGNED_IN)),
    Row("reviews:round_create", lambda c: reverse("reviews:round_create"), staff_page(STREET_STAFF)),
    Row("reviews:rubric", lambda c: reverse("reviews:rubric", args=[c.edition.slug]), staff_page({"organiser"})),
    Row("reviews:round", lambda c: reverse("reviews:round", args=[_review(c).pk]), staff_page(REVIEW_PANEL)),
    Row("reviews:round_settings", lambda c: reverse("reviews:round_settings", args=[_review(c).pk]),
        staff_page(REVIEW_STAFF)),
    Row("reviews:panel_add", lambda c: reverse("reviews:panel_add", args=[_review(c).pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post",
        data=lambda c: {"login": c.users["sponsor"].phone, "role": "expert"}),
    Row("reviews:panel_remove", lambda c: reverse("reviews:panel_remove", args=[
        _review(c).pk, _review(c).panel.get(user=c.users["expert"]).pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    Row("reviews:assign", lambda c: reverse("reviews:assign", args=[_review(c).pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post", data=lambda c: {"all": "1"}),
    Row("reviews:assignment_remove", lambda c: reverse("reviews:assignment_remove", args=[
        _review(c).pk, _review(c).assignments.filter(reviewer=c.users["expert"]).first().pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    Row("reviews:scoring_open", lambda c: reverse("reviews:scoring_open", args=[_review(c).pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    Row("reviews:scoring_close", lambda c: reverse("reviews:scoring_close", args=[_review(c, "scored").pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    Row("reviews:scores", lambda c: reverse("reviews:scores", args=[_review(c, "closed").pk]),
        staff_page(REVIEW_PANEL)),
    Row("reviews:ranking", lambda c: reverse("reviews:ranking", args=[_review(c, "closed").pk]),
        staff_page(REVIEW_PANEL)),
    Row("reviews:decide", lambda c: reverse("reviews:decide", args=[_review(c, "closed").pk, c.reviewed[0].code]),
        {"anonymous": LOGIN, "street_in": REDIRECT}, method="post",
        data=lambda c: {f"{c.reviewed[0].code}-outcome": "approve", f"{c.reviewed[0].code}-reason": "需求迫切"}),
    Row("reviews:publish", lambda c: reverse("reviews:publish", args=[_review(c, "decided").pk]),
        {"anonymous": LOGIN, "street_in": REDIRECT}, method="post"),
    Row("reviews:vote_settings", lambda c: reverse("reviews:vote_settings", args=[_review(c).pk]),
        staff_page(REVIEW_STAFF)),
    Row("reviews:vote_open", lambda c: reverse("reviews:vote_open", args=[_review(c, "vote_ready").pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    Row("reviews:vote_close", lambda c: reverse("reviews:vote_close", args=[_review(c, "vote_open").pk]),
        {"anonymous": LOGIN, **spread(REDIRECT, REVIEW_STAFF)}, method="post"),
    # The counted vote's Pabulib file: the street's staff; everyone once the round is published.
    Row("reviews:vote_export", lambda c: reverse("reviews:vote_export", args=[_review(c, "vote_counted").pk]),
        staff_page(REVIEW_STAFF)),
    # No file attached: the page comes back with the form's message.
    Row("reviews:vote_import", lambda c: reverse("reviews:vote_import", args=[_review(c, "vote_open").pk]),
        staff_page(REVIEW_STAFF), method="post"),
    # The census list: staff of a street (the other district's organiser has none here).
    Row("reviews:census_import", lambda c: reverse("reviews:census_import"),
        staff_page({"street_in", "street_out", "organiser"})),
    Row("reviews:voter_verify", lambda c: reverse("reviews:voter_verify"),
        staff_page(WORKERS | {"street_in", "street_out", "organiser"})),
    Row("reviews:my_assignments", lambda c: reverse("reviews:my_assignments"), staff_page(SIGNED_IN)),
    Row("reviews:score", lambda c: reverse("reviews:score", args=[_expert_assignment(c).pk]),
        staff_page({"expert"})),
    Row("reviews:conflict", lambda c: reverse("reviews:conflict", args=[_expert_assignment(c).pk]),
        {"anonymous": LOGIN, "expert": REDIRECT}, method="post", data=lambda c: {"note": "我在承接组织兼职"}),
    Row("reviews:results_list", lambda c: reverse("reviews:results_list"), spread(OK, ALL)),
    Row("reviews:results", lambda c: reverse("reviews:results", args=[_review(c, "published").pk]),
        spread(OK, ALL)),
    Row("reviews:vote_list", lambda c: reverse("reviews:vote_list"), spread(OK, ALL)),
    Row("reviews:ballot", lambda c: reverse("reviews:ballot", args=[_review(c, "vote_open").pk]), spread(OK, ALL)),
    Row("reviews:vote_result", lambda c: reverse("reviews:vote_result", args=[_review(c, "vote_counted").pk]),
        spread(OK, ALL)),
    # --- end of street reviews block ---
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


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.route)
def test_matrix(row, ctx):
    """Every role against one route. The row's data is built once; each role's request is rolled back after it.

    Building a route's data (a project through review and contracting, say) costs far more than a request,
    so one test per row asks as every role in turn, each inside a savepoint that undoes what it changed.
    """
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    url = row.url(ctx)
    row.data(ctx)  # builds whatever the row needs, outside the savepoints, so every role sees the same world
    kwargs = {"content_type": row.content_type} if row.content_type else {}
    login_url = reverse("accounts:login")
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            cache.clear()
            client = Client()
            if role != "anonymous":
                client.force_login(ctx.users[role])
            response = getattr(client, row.method)(url, row.data(ctx), **kwargs)
            got = _outcome(response, login_url)
            if got != row.expected(role):
                wrong.append(f"{role}: {got} (expected {row.expected(role)}, status {response.status_code})")
            transaction.set_rollback(True)
    assert not wrong, f"{row.method.upper()} {url}\n" + "\n".join(wrong)


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
    from .api.test_permissions import MATRIX as API_MATRIX
    from .api.test_permissions import MONEY_MATRIX, REVIEW_MATRIX

    covered = {row.route for row in MATRIX}
    # An API route may have its row in the API's own matrices instead (tests/api/test_permissions.py).
    covered |= {f"api:{row.route}" for row in API_MATRIX + REVIEW_MATRIX + MONEY_MATRIX}
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


# --- Agreements and funds (agreements/funds engineer): an agreement in force among the matrix's people. ---

def _framework(c):
    """The edition's funding (the foundation ``foundation`` works for 60 %, a district finance 40 %, each committing
    100,000 yuan) and its five-party framework (the ``support`` user's centre supports)."""
    if not hasattr(c, "framework"):
        from decimal import Decimal

        from jindianzi.accounts.selectors import organizations_where
        from jindianzi.agreements.services import framework_set
        from jindianzi.agreements.workflow import PartyRole
        from jindianzi.editions.services import funding_sources_set
        from jindianzi.funds.services import commitment_set
        from jindianzi.organizations.models import OrganizationKind

        district, organiser = c.edition.district, c.users["organiser"]
        foundation = organizations_where(c.users["foundation"], Role.FOUNDATION_OFFICER)[0]
        centre = organizations_where(c.users["support"], Role.SUPPORT_STAFF)[0]
        finance = OrganizationFactory(kind=OrganizationKind.FINANCE_BUREAU, home_area=district)
        bureau = OrganizationFactory(kind=OrganizationKind.CIVIL_AFFAIRS_BUREAU, home_area=district)
        hub = OrganizationFactory(kind=OrganizationKind.HUB_ORGANIZATION, home_area=district)
        funding_sources_set(actor=organiser, edition=c.edition,
                            shares=[(foundation, Decimal("0.60")), (finance, Decimal("0.40"))])
        framework_set(actor=organiser, edition=c.edition, parties={
            PartyRole.CIVIL_AFFAIRS: [bureau], PartyRole.FOUNDATION: [foundation], PartyRole.HUB: [hub],
            PartyRole.SUPPORT_CENTRE: [centre]})
        for source in c.edition.funding_sources.all():
            commitment_set(actor=organiser, source=source, total=Decimal("100000.00"))
        c.framework = type("Framework", (), {
            "edition": c.edition, "foundation": foundation,
            "hub_staff": staff_user(Role.ORG_STAFF, organization=hub),
            "finance_officer": staff_user(Role.FOUNDATION_OFFICER, organization=finance)})()
    return c.framework


def _agreement(c):
    """The agreement, signed by every party, of a 4,200-yuan project of 西屯街道 that ``org_staff`` implements."""
    if not hasattr(c, "agreement"):
        from jindianzi.accounts.selectors import organizations_where
        from jindianzi.agreements.services import agreement_create, agreement_sign

        from .factories_funds import approved_project

        users = c.users
        project = approved_project(c, street=c.community.parent, community=c.community,
                                   organization=organizations_where(users["org_staff"], Role.ORG_STAFF)[0],
                                   org_staff=users["org_staff"], officer=users["street_in"])
        framework = _framework(c)
        agreement = agreement_create(actor=users["organiser"], project=project)
        for signer in (users["organiser"], users["foundation"], users["street_in"], framework.hub_staff,
                       users["support"], users["org_staff"]):
            agreement_sign(actor=signer, agreement=agreement)
        agreement.refresh_from_db()
        c.agreement = agreement
    return c.agreement


def _disbursement(c):
    """``org_staff`` asks for the first instalment (on signing) of the agreement."""
    if not hasattr(c, "disbursement"):
        from jindianzi.funds.services import disbursement_request

        agreement = _agreement(c)
        c.disbursement = disbursement_request(actor=c.users["org_staff"],
                                              instalment=agreement.instalments.get(milestone="signing"))
    return c.disbursement


def _foundation_share(c):
    return _disbursement(c).shares.get(source__organization=_framework(c).foundation)


def _approved(c):
    """The first instalment, approved by both sources (so each can record its payment)."""
    from jindianzi.funds.services import disbursement_share_approve

    disbursement = _disbursement(c)
    for share in disbursement.shares.select_related("source"):
        officer = c.users["foundation"] if share.source.organization_id == _framework(c).foundation.pk \
            else _framework(c).finance_officer
        disbursement_share_approve(actor=officer, share=share)
    return disbursement


def _expense(c):
    """``org_staff`` reports 300 yuan of printing against the agreement's budget line, with a receipt photo."""
    if not hasattr(c, "expense"):
        import datetime

        from jindianzi.funds.services import expense_report

        from .factories import photo_upload

        agreement = _agreement(c)
        c.expense = expense_report(actor=c.users["org_staff"], agreement=agreement, line=agreement.lines.first(),
                                   amount="300", spent_on=datetime.date(2017, 7, 1), description="问候卡印刷",
                                   receipts=[photo_upload()])
    return c.expense


# --- Street reviews (review pages engineer): 西屯街道's round, played up to the stage a row needs. ---

REVIEW_STAGES = ["setup", "scoring", "scored", "closed", "decided", "published"]
VOTE_STAGES = ["vote_ready", "vote_open", "vote_counted"]


def _review(c, stage: str = "setup"):
    """The round of 老爷庙社区's street, chaired by street_in, with ``expert`` on the panel, at ``stage``.

    One project (12,000 yuan) waits for it; the cap is 30,000 yuan. A vote stage prepares
    (opens, counts) the resident vote of a round in setup.
    """
    if not hasattr(c, "review"):
        from .factories import approval_edition, review_round, submitted_project
        from jindianzi.reviews.services import assignments_make, panel_add

        chair = c.users["street_in"]
        c.reviewed = [submitted_project(edition=c.edition, community=c.community, actor=chair, cost="12000",
                                        title="独居老人问候")]
        approval_edition(c)
        c.review = review_round(edition=c.edition, street=c.community.parent, chair=chair, budget_cap="30000")
        panel_add(actor=chair, review_round=c.review, user=c.users["expert"], role="expert")
        assignments_make(actor=chair, review_round=c.review)
        c.review_stage = "setup"
    if stage in VOTE_STAGES:
        _review_vote(c, stage)
    else:
        for step in REVIEW_STAGES[REVIEW_STAGES.index(c.review_stage) + 1:REVIEW_STAGES.index(stage) + 1]:
            _review_step(c, step)
            c.review_stage = step
    c.review.refresh_from_db()
    return c.review


def _review_step(c, step: str) -> None:
    from jindianzi.reviews import services
    from jindianzi.reviews.models import Assignment, Criterion

    chair, review = c.users["street_in"], c.review
    if step == "scoring":
        services.round_open_scoring(actor=chair, review_round=review)
    elif step == "scored":
        criteria = list(Criterion.objects.filter(edition=c.edition))
        for assignment in Assignment.objects.filter(round=review).select_related("reviewer"):
            services.scores_submit(actor=assignment.reviewer, assignment=assignment,
                                   points={criterion.pk: 7 for criterion in criteria})
    elif step == "closed":
        services.round_close_scoring(actor=chair, review_round=review)
    elif step == "decided":
        for project in c.reviewed:
            services.decision_record(actor=chair, review_round=review, project=project, outcome="approve",
                                     reason="需求迫切，预算合理")
    elif step == "published":
        services.round_publish(actor=chair, review_round=review)


def _review_vote(c, stage: str) -> None:
    from jindianzi.reviews import voting

    chair, review = c.users["street_in"], c.review
    voting.vote_configure(actor=chair, review_round=review, rule="equal_shares", use="advisory")
    if stage in ("vote_open", "vote_counted"):
        voting.vote_open(actor=chair, review_round=review)
    if stage == "vote_counted":
        voting.vote_close(actor=chair, review_round=review)


def _expert_assignment(c):
    """The expert's assignment of the first project, in a round that is scoring."""
    review = _review(c, "scoring")
    return review.assignments.get(reviewer=c.users["expert"], project=c.reviewed[0])
