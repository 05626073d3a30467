"""Street reviews (立项评审) and the resident vote through the API.

Every change calls the reviews services (``services.py``, ``voting.py``,
``pabulib_io.py``), which ask the rules in ``reviews/rules.py``; reads ask the
same rules before they answer. Blind scoring holds here as on the pages: no
answer carries a score before the round's scoring closes, except a reviewer's
own; public answers carry no reviewer and no voter.

Some reads are public but say more to a signed-in caller (the ballot says
whether I voted; a round's detail shows its progress to the panel): they take
the caller from HTTP Basic or the session when there is one, and answer
anyone else as the public.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jindianzi.accounts.selectors import user_by_login
from jindianzi.areas.models import Area
from jindianzi.core.errors import PermissionDenied
from jindianzi.editions.models import Edition
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import project_budget_totals
from jindianzi.reviews import selectors
from jindianzi.reviews.models import Assignment, Criterion, Decision, PanelMember, ReviewRound, Score
from jindianzi.reviews.pabulib_io import export_filename, pb_text, round_export_pb, round_import_pb, vote_projects
from jindianzi.reviews.ranking import round_ranking
from jindianzi.reviews.services import (
    assignments_make, conflict_declare, decision_record, panel_add, panel_remove, round_close_scoring,
    round_create, round_open_scoring, round_publish, round_update, scores_submit,
)
from jindianzi.reviews.voting import ballot_cast, vote_close, vote_configure, vote_open, voter_verification
from jindianzi.reviews.workflow import RoundState, VoteState

from ..auth import PhoneOrEmailBasicAuth, SessionAuth, signed_in
from ..pagination import LimitOffset
from ..review_schemas import (
    AssignIn, AssignmentOut, BallotCastOut, BallotIn, BallotOut, ConflictIn, DecisionIn, DecisionOut,
    ImportReportOut, MyAssignmentOut, PanelMemberIn, PanelMemberOut, RankingOut, ResultsOut, RoundDetailOut,
    RoundFilters, RoundIn, RoundOut, RoundPatchIn, ScoresIn, ScoreSheetOut, VoteConfigIn, VoteResultOut,
    vote_settings,
)
from ..schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["reviews"])
REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ValidationErrorOut,
            422: ValidationErrorOut}
READ_REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# Perms a round's detail reports, so a client can offer only the actions the services will accept.
ROUND_PERMS = ("reviews.view_round", "reviews.manage_round", "reviews.view_scores", "reviews.decide_round",
               "reviews.export_vote")
PUBLIC_VOTE_STATES = (VoteState.OPEN, VoteState.COUNTED)
MAX_PB_BYTES = 20 * 1024 * 1024


class _Anyone:
    """Lets a read go on as the public when no credentials are sent (wrong Basic credentials still get 401)."""

    def __call__(self, request):
        return None if "HTTP_AUTHORIZATION" in request.META else AnonymousUser()


anyone = [PhoneOrEmailBasicAuth(), SessionAuth(), _Anyone()]
# In the schema: signing in is optional on these reads (the empty requirement).
OPTIONAL_AUTH = {"security": [{}]}


# --- Looking things up ----------------------------------------------------------------------------------

def _round_or_404(round_id: int) -> ReviewRound:
    review_round = selectors.round_by_pk(round_id)
    if review_round is None:
        raise Http404(_("No review round has this number."))
    return review_round


def _is_public(review_round: ReviewRound) -> bool:
    return review_round.is_published or review_round.vote_state in PUBLIC_VOTE_STATES


def _readable_round(user, round_id: int) -> ReviewRound:
    """A round the caller may read: the public sees a published round or one with a resident vote on."""
    review_round = _round_or_404(round_id)
    if not (_is_public(review_round) or user.has_perm("reviews.view_round", review_round)):
        raise Http404(_("No review round has this number."))
    return review_round


def _require(user, perm: str, obj, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _assignment_or_404(assignment_id: int) -> Assignment:
    assignment = selectors.assignment_by_pk(assignment_id)
    if assignment is None:
        raise Http404(_("No assignment has this number."))
    return assignment


def _projects(review_round: ReviewRound, codes, field: str) -> list[Project]:
    codes = [code.strip() for code in codes]
    found = {p.code: p for p in Project.objects.filter(code__in=codes, edition=review_round.edition)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({field: _("No project of this edition has the code %(code)s.")
                               % {"code": ", ".join(missing)}})
    return [found[code] for code in codes]


def _user_from(payload: PanelMemberIn):
    user = None
    if payload.user is not None:
        user = get_user_model().objects.filter(pk=payload.user, is_active=True).first()
    elif payload.login:
        user = user_by_login(payload.login)
    if user is None:
        raise ValidationError({"user": _("No account has this id, mobile number or e-mail address.")})
    return user


# --- Serialising what depends on the caller ------------------------------------------------------------

def _detail(review_round: ReviewRound, user) -> dict:
    review_round = _round_or_404(review_round.pk)     # fresh, after a change
    data = {field: getattr(review_round, field) for field in (
        "id", "edition", "street", "state", "budget_cap", "aggregation", "scoring_ends_on", "scoring_closed_at",
        "published_at")}
    data.update(state_label=str(review_round.public_state_label), vote=vote_settings(review_round),
                rubric=list(Criterion.objects.filter(edition_id=review_round.edition_id)),
                permissions=[perm for perm in ROUND_PERMS if user.has_perm(perm, review_round)])
    if user.has_perm("reviews.view_round", review_round):
        space = selectors.round_workspace(review_round)
        data.update(chair=review_round.chair, panel=space.panel, progress={
            "projects": len(space.waiting_projects), "assigned": space.assigned, "scored": space.scored,
            "excluded": space.excluded, "decided": space.decided})
    return data


def _assignment_rows(review_round: ReviewRound, user) -> list[Assignment]:
    revealed = user.has_perm("reviews.view_scores", review_round)
    assignments = list(Assignment.objects.filter(round=review_round).select_related("project", "reviewer")
                       .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
                       .order_by("project__number", "reviewer_id"))
    for assignment in assignments:
        if revealed:
            assignment.points = {s.criterion.code: s.points for s in assignment.scores.all()}
        else:
            assignment.points, assignment.comment = None, None
    return assignments


def _vote_result(review_round: ReviewRound) -> dict:
    outcomes, ballots = selectors.vote_outcomes(review_round)
    return {
        "round": review_round.pk, "rule": review_round.vote_rule, "rule_label": review_round.get_vote_rule_display(),
        "use": review_round.vote_use, "weight": review_round.vote_weight, "budget": review_round.budget_cap,
        "ballots": ballots,
        "outcomes": [{"project": o.project, "cost": o.cost, "votes": o.votes, "funded": o.funded,
                      "reason": o.reason, "selection_round": o.selection_round, "details": o.details}
                     for o in outcomes],
    }


# --- Rounds -----------------------------------------------------------------------------------------------

@router.get("/rounds", auth=anyone, response=list[RoundOut], openapi_extra=OPTIONAL_AUTH,
            summary="Review rounds: published ones and those with a resident vote for everyone; staff also see "
                    "their streets' rounds")
@paginate(LimitOffset)
def list_review_rounds(request, filters: Query[RoundFilters]):
    visible = Q(state=RoundState.PUBLISHED) | Q(vote_state__in=PUBLIC_VOTE_STATES)
    mine = [r.pk for r in selectors.rounds_for(request.auth)]
    rounds = ReviewRound.objects.filter(visible | Q(pk__in=mine)).select_related("edition", "street")
    if filters.edition:
        rounds = rounds.filter(edition__slug=filters.edition)
    if filters.street is not None:
        rounds = rounds.filter(street_id=filters.street)
    return rounds.order_by("-edition__created_at", "edition_id", "street__path")


@router.get("/rounds/{round_id}", auth=anyone, response={200: RoundDetailOut, **READ_REFUSALS},
            openapi_extra=OPTIONAL_AUTH,
            summary="One round: state, budget, rubric, vote settings; panel and progress for its staff and panel")
def get_review_round(request, round_id: int):
    return _detail(_readable_round(request.auth, round_id), request.auth)


@router.post("/rounds", auth=signed_in, response={201: RoundDetailOut, **REFUSALS},
             summary="Open a street's review round in an edition's approval phase (street officer, organiser)")
def create_review_round(request, payload: RoundIn):
    not_a_choice = _("Select a valid choice. That choice is not one of the available choices.")
    edition = Edition.objects.select_related("district").filter(slug=payload.edition).first()
    if edition is None:
        raise ValidationError({"edition": not_a_choice})
    chair = None
    if payload.chair is not None:
        chair = get_user_model().objects.filter(pk=payload.chair, is_active=True).first()
        if chair is None:
            raise ValidationError({"chair": not_a_choice})
    review_round = round_create(actor=request.auth, edition=edition, street=Area.objects.filter(
        pk=payload.street).first(), budget_cap=payload.budget_cap, chair=chair, aggregation=payload.aggregation,
        scoring_ends_on=payload.scoring_ends_on)
    return Status(201, _detail(review_round, request.auth))


@router.patch("/rounds/{round_id}", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
              summary="Change the street's budget, how scores are combined, or the scoring deadline (staff)")
def update_review_round(request, round_id: int, payload: RoundPatchIn):
    review_round = round_update(actor=request.auth, review_round=_round_or_404(round_id),
                                budget_cap=payload.budget_cap, aggregation=payload.aggregation,
                                scoring_ends_on=payload.scoring_ends_on)
    return _detail(review_round, request.auth)


@router.post("/rounds/{round_id}/panel", auth=signed_in, response={201: PanelMemberOut, **REFUSALS},
             summary="Add a reviewer to the panel (staff)")
def add_panel_member(request, round_id: int, payload: PanelMemberIn):
    review_round = _round_or_404(round_id)
    _require(request.auth, "reviews.manage_round", review_round, _("Only the street's staff can choose the panel."))
    return Status(201, panel_add(actor=request.auth, review_round=review_round, user=_user_from(payload),
                                 role=payload.role))


@router.delete("/rounds/{round_id}/panel/{member_id}", auth=signed_in, response={204: None, **REFUSALS},
               summary="Take a reviewer off the panel, with their unscored assignments (staff)")
def remove_panel_member(request, round_id: int, member_id: int):
    member = PanelMember.objects.select_related("round", "user").filter(pk=member_id, round_id=round_id).first()
    if member is None:
        raise Http404(_("No panel member has this number in this round."))
    panel_remove(actor=request.auth, member=member)
    return Status(204, None)


@router.post("/rounds/{round_id}/assignments", auth=signed_in, response={201: list[AssignmentOut], **REFUSALS},
             summary="Assign projects to reviewers: every project to every panel member, or the ones named (staff)")
def make_assignments(request, round_id: int, payload: AssignIn):
    review_round = _round_or_404(round_id)
    _require(request.auth, "reviews.manage_round", review_round, _("Only the street's staff can assign projects."))
    reviewers = projects = None
    if payload.reviewers is not None:
        found = {u.pk: u for u in get_user_model().objects.filter(pk__in=payload.reviewers)}
        if set(payload.reviewers) - set(found):
            raise ValidationError({"reviewers": _("Only panel members can be assigned.")})
        reviewers = [found[pk] for pk in dict.fromkeys(payload.reviewers)]
    if payload.projects is not None:
        projects = _projects(review_round, dict.fromkeys(payload.projects), "projects")
    created = assignments_make(actor=request.auth, review_round=review_round, reviewers=reviewers,
                               projects=projects)
    return Status(201, [a for a in _assignment_rows(review_round, request.auth) if a.pk in {c.pk for c in created}])


@router.get("/rounds/{round_id}/assignments", auth=signed_in, response={200: list[AssignmentOut], **READ_REFUSALS},
            summary="Who scores what, and who has: progress for staff and panel; points once scoring has closed")
def list_round_assignments(request, round_id: int):
    review_round = _round_or_404(round_id)
    _require(request.auth, "reviews.view_round", review_round,
             _("Only the street's staff and the review panel can see the round's progress."))
    return _assignment_rows(review_round, request.auth)


@router.post("/rounds/{round_id}/scoring/open", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
             summary="Open the scoring (staff): reviewers are told; they score blind")
def open_scoring(request, round_id: int):
    review_round = round_open_scoring(actor=request.auth, review_round=_round_or_404(round_id))
    return _detail(review_round, request.auth)


@router.post("/rounds/{round_id}/scoring/close", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
             summary="Close the scoring (staff): the panel sees every score and the chair decides")
def close_scoring(request, round_id: int):
    review_round = round_close_scoring(actor=request.auth, review_round=_round_or_404(round_id))
    return _detail(review_round, request.auth)


# --- Reviewers ---------------------------------------------------------------------------------------------

@router.get("/assignments", auth=signed_in, response={200: list[MyAssignmentOut], 401: ErrorOut},
            summary="My assignments as a reviewer, in every round, with my own points")
def list_my_assignments(request):
    assignments = selectors.assignments_of(request.auth)
    scores = Score.objects.filter(assignment__in=[a.pk for a in assignments]).select_related("criterion")
    by_assignment: dict[int, list] = {}
    for score in scores:
        by_assignment.setdefault(score.assignment_id, []).append(score)
    for assignment in assignments:
        assignment.points = {s.criterion.code: s.points for s in by_assignment.get(assignment.pk, [])}
    return [_mine(a) for a in assignments]


def _mine(assignment: Assignment) -> dict:
    points = getattr(assignment, "points", None)
    if points is None:
        points = {s.criterion.code: s.points for s in assignment.scores.select_related("criterion")}
    return {"id": assignment.pk, "round": assignment.round, "project": assignment.project,
            "conflict": assignment.conflict, "conflict_label": assignment.get_conflict_display(),
            "conflict_note": assignment.conflict_note, "submitted_at": assignment.submitted_at,
            "points": points, "comment": assignment.comment}


@router.post("/assignments/{assignment_id}/scores", auth=signed_in, response={200: MyAssignmentOut, **REFUSALS},
             summary="Score a project on every criterion (the assigned reviewer, while the round is scoring)")
def submit_scores(request, assignment_id: int, payload: ScoresIn):
    assignment = scores_submit(actor=request.auth, assignment=_assignment_or_404(assignment_id),
                               points=payload.points, comment=payload.comment)
    return _mine(_assignment_or_404(assignment.pk))


@router.post("/assignments/{assignment_id}/conflict", auth=signed_in, response={200: MyAssignmentOut, **REFUSALS},
             summary="Declare a conflict of interest with the project (the assigned reviewer)")
def declare_conflict(request, assignment_id: int, payload: ConflictIn):
    assignment = conflict_declare(actor=request.auth, assignment=_assignment_or_404(assignment_id),
                                  note=payload.note)
    return _mine(_assignment_or_404(assignment.pk))


# --- Scores, ranking, decisions, results -----------------------------------------------------------------------

@router.get("/rounds/{round_id}/scores", auth=signed_in, response={200: ScoreSheetOut, **READ_REFUSALS},
            summary="Every reviewer's points: the panel and the street's staff, once scoring has closed")
def get_round_scores(request, round_id: int):
    review_round = _round_or_404(round_id)
    if not request.auth.has_perm("reviews.view_scores", review_round):
        if request.auth.has_perm("reviews.view_round", review_round):
            raise PermissionDenied(_("Reviewers score blind: the scores are shown once scoring has closed."))
        raise PermissionDenied(_("Only the review panel and the street's staff can see the scores."))
    criteria, rows = selectors.round_scores(review_round)
    return {"criteria": criteria, "projects": [
        {"project": project, "reviewers": [
            {"assignment": entry.assignment.pk, "reviewer": entry.assignment.reviewer,
             "conflict": entry.assignment.conflict, "submitted_at": entry.assignment.submitted_at,
             "points": {c.code: points for c, points in zip(criteria, entry.points)}, "total": entry.total,
             "comment": entry.assignment.comment}
            for entry in entries]}
        for project, entries in rows]}


@router.get("/rounds/{round_id}/ranking", auth=signed_in, response={200: RankingOut, **READ_REFUSALS},
            summary="The ranking within the street's budget (staff and panel); before scoring closes, progress only")
def get_round_ranking(request, round_id: int):
    review_round = _round_or_404(round_id)
    _require(request.auth, "reviews.view_round", review_round,
             _("Only the street's staff and the review panel can see the ranking."))
    revealed = review_round.scores_revealed
    decisions = selectors.decisions_of(review_round)
    rows = round_ranking(review_round)
    if not revealed:
        rows.sort(key=lambda row: row.project.number)     # the ranked order would give the scores away
    return {"revealed": revealed, "budget_cap": review_round.budget_cap, "rows": [{
        "rank": row.rank if revealed else None, "project": row.project, "cost": row.cost,
        "assigned": row.assigned, "submitted": row.submitted, "excluded": row.excluded,
        "panel_score": row.panel_score if revealed else None, "votes": row.votes, "vote_funded": row.vote_funded,
        "score": row.score if revealed else None, "within_cap": row.within_cap if revealed else None,
        "decision": _brief(decisions.get(row.project.pk)),
    } for row in rows]}


def _brief(decision: Decision | None):
    if decision is None:
        return None
    return {"outcome": decision.outcome, "outcome_label": decision.get_outcome_display()}


@router.post("/rounds/{round_id}/decisions", auth=signed_in, response={200: DecisionOut, **REFUSALS},
             summary="Approve, approve with conditions or reject a project, with the reason (the chair)")
def record_decision(request, round_id: int, payload: DecisionIn):
    review_round = _round_or_404(round_id)
    _require(request.auth, "reviews.decide_round", review_round, _("Only the round's chair decides."))
    project = _projects(review_round, [payload.project], "project")[0]
    return decision_record(actor=request.auth, review_round=review_round, project=project, outcome=payload.outcome,
                           reason=payload.reason, conditions=payload.conditions,
                           override_reason=payload.override_reason)


@router.post("/rounds/{round_id}/publish", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
             summary="Publish the results (the chair): approved projects go on to contracting")
def publish_round(request, round_id: int):
    review_round = round_publish(actor=request.auth, review_round=_round_or_404(round_id))
    return _detail(review_round, request.auth)


@router.get("/rounds/{round_id}/results", response={200: ResultsOut, 404: ErrorOut},
            summary="A published round's decisions with their reasons and the panel's score, and the vote")
def get_round_results(request, round_id: int):
    review_round = _round_or_404(round_id)
    if not review_round.is_published:
        raise Http404(_("The results of this round are not published yet."))
    results = selectors.round_results(review_round)
    return {"round": review_round, "approved": len(results.approved), "rejected": len(results.rejected),
            "approved_total": results.approved_total,
            "decisions": [{
                "project": d.project, "category": d.project.category, "organization": d.project.organization,
                "cost": d.cost, "outcome": d.outcome, "outcome_label": d.get_outcome_display(), "reason": d.reason,
                "conditions": d.conditions, "rank": d.rank, "score": d.score, "override_reason": d.override_reason,
                "votes": d.vote.votes if d.vote else None, "vote_funded": d.vote.funded if d.vote else None,
            } for d in results.decisions],
            "vote": _vote_result(review_round) if review_round.vote_state == VoteState.COUNTED else None}


# --- The resident vote ------------------------------------------------------------------------------------------

@router.put("/rounds/{round_id}/vote", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
            summary="Set up the resident vote: rule, how it counts, the limit on a ballot (staff, before it opens)")
def configure_vote(request, round_id: int, payload: VoteConfigIn):
    review_round = vote_configure(actor=request.auth, review_round=_round_or_404(round_id), rule=payload.rule,
                                  use=payload.use, weight=payload.weight, ballot_limit=payload.ballot_limit,
                                  ballot_limit_value=payload.ballot_limit_value)
    return _detail(review_round, request.auth)


@router.post("/rounds/{round_id}/vote/open", auth=signed_in, response={200: RoundDetailOut, **REFUSALS},
             summary="Open the ballot box (staff)")
def open_vote(request, round_id: int):
    review_round = vote_open(actor=request.auth, review_round=_round_or_404(round_id))
    return _detail(review_round, request.auth)


@router.post("/rounds/{round_id}/vote/close", auth=signed_in, response={200: VoteResultOut, **REFUSALS},
             summary="Close the ballot box and count it by the round's rule (staff)")
def close_vote(request, round_id: int):
    vote_close(actor=request.auth, review_round=_round_or_404(round_id))
    return _vote_result(_round_or_404(round_id))


@router.get("/rounds/{round_id}/vote", auth=anyone, response={200: BallotOut, **READ_REFUSALS},
            openapi_extra=OPTIONAL_AUTH,
            summary="The ballot: its projects and limit, and whether I may vote and have voted")
def get_ballot(request, round_id: int):
    user = request.auth
    review_round = _round_or_404(round_id)
    if not (review_round.vote_state in PUBLIC_VOTE_STATES
            or review_round.has_vote and user.has_perm("reviews.view_round", review_round)):
        raise Http404(_("This round has no resident vote open."))
    own = selectors.own_ballot(user, review_round)
    projects = vote_projects(review_round)
    costs = project_budget_totals(projects)
    return {"round": review_round, "vote": vote_settings(review_round),
            "projects": [{"code": p.code, "title": p.title, "category": p.category, "organization": p.organization,
                          "cost": costs.get(p.pk, Decimal("0.00"))} for p in projects],
            "signed_in": user.is_authenticated,
            "eligible": voter_verification(user, review_round.street) is not None, "voted": own is not None,
            "my_choice": sorted(p.code for p in own.projects.all()) if own else None}


@router.post("/rounds/{round_id}/vote/ballot", auth=signed_in, response={201: BallotCastOut, **REFUSALS},
             summary="Cast my ballot (a verified resident of the street, once)")
def cast_ballot(request, round_id: int, payload: BallotIn):
    review_round = _round_or_404(round_id)
    projects = _projects(review_round, dict.fromkeys(payload.projects), "projects")
    ballot = ballot_cast(voter=request.auth, review_round=review_round, projects=projects)
    return Status(201, {"round": review_round.pk, "projects": [p.code for p in projects], "cast_at": ballot.cast_at})


@router.get("/rounds/{round_id}/vote/result", response={200: VoteResultOut, 404: ErrorOut},
            summary="The counted vote: each project's votes, whether the rule funds it, and why")
def get_vote_result(request, round_id: int):
    review_round = _round_or_404(round_id)
    if review_round.vote_state != VoteState.COUNTED:
        raise Http404(_("This round's vote has not been counted."))
    return _vote_result(review_round)


PB_RESPONSE = {"200": {"description": "The vote as a Pabulib .pb file (pabulib.org): anonymous ballots.",
                       "content": {"text/plain": {"schema": {"type": "string"}}}}}


@router.get("/rounds/{round_id}/vote/export.pb", auth=anyone, response={200: None, **READ_REFUSALS},
            openapi_extra={"responses": PB_RESPONSE, **OPTIONAL_AUTH},
            summary="The vote's anonymous ballots as a Pabulib file: staff once counted, everyone once published")
def export_vote_pb(request, round_id: int):
    review_round = _round_or_404(round_id)
    if review_round.vote_state != VoteState.COUNTED:
        raise Http404(_("This round's vote has not been counted."))
    if not request.auth.has_perm("reviews.export_vote", review_round):
        raise PermissionDenied(_("The ballots are open data once the results are published; until then only the "
                                 "street's staff can download them."))
    response = HttpResponse(round_export_pb(review_round), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(review_round)}"'
    return response


PB_REQUEST = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string", "description": "The .pb file's text."}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
}}}


@router.post("/rounds/{round_id}/vote/import", auth=signed_in, response={200: ImportReportOut, **REFUSALS},
             openapi_extra=PB_REQUEST,
             summary="Add ballots counted elsewhere from a Pabulib file, all or none (staff, while the vote is open)")
def import_vote_pb(request, round_id: int):
    review_round = _round_or_404(round_id)
    upload = request.FILES.get("file") if request.content_type == "multipart/form-data" else None
    if upload is not None and upload.size > MAX_PB_BYTES:
        raise ValidationError({"file": _("The file is too large.")})
    data = upload.read() if upload is not None else request.body
    if not data.strip():
        raise ValidationError({"file": _("Send the .pb file as the request body or as the form field “file”.")})
    report = round_import_pb(actor=request.auth, review_round=review_round, text=pb_text(data))
    return {"ballots": report.ballots, "approvals": report.approvals}

