"""Every change to a street's review round goes through these functions (views, API and demo alike).

The resident vote's changes are in ``voting.py``; the ranking is computed in
``ranking.py``. A published round moves its projects on by calling the
projects stage's own service, ``project_review_conclude``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import has_role_over, organizations_where
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.core.money import MAX_DIGITS, yuan
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.ideas.models import Idea
from jindianzi.notifications.services import notify
from jindianzi.projects.models import Project
from jindianzi.projects.selectors import organization_staff, project_budget_totals
from jindianzi.projects.services import Requirement, project_review_conclude
from jindianzi.projects.workflow import ProjectState

from .models import MAX_POINTS, Assignment, Criterion, Decision, PanelMember, ReviewRound, RoundTransition, Score
from .ranking import round_projects, round_ranking
from .workflow import (
    APPROVING_OUTCOMES, CLOSE_SCORING, EDITABLE_STATES, OPEN_SCORING, PUBLISH, Aggregation, Conflict, Outcome,
    PanelRole, RoundState, Transition, VoteState,
)

# The rubric a new edition starts with (立项评审标准): code, Chinese, English, weight, guidance.
DEFAULT_CRITERIA = (
    ("need", "需求迫切", "Need", 25, gettext_lazy("Does it answer a real, pressing need of the community?")),
    ("feasibility", "可行性", "Feasibility", 25,
     gettext_lazy("Can the organisation do it with the people, places and time it has?")),
    ("budget", "预算合理", "Budget reasonableness", 20, gettext_lazy("Is each budget line needed and priced fairly?")),
    ("sustainability", "可持续性", "Sustainability", 15,
     gettext_lazy("Will something last when the money is spent?")),
    ("participation", "居民参与", "Resident participation", 15,
     gettext_lazy("Do residents take part in running it, not only receive it?")),
)
TEXT_LIMIT = 2000
# The largest amount the money columns hold (14 digits, 2 after the point); beyond it the database refuses.
CAP_LIMIT = Decimal(10) ** (MAX_DIGITS - 2)


# --- Small helpers ----------------------------------------------------------------------------------

def _require(actor, permission: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def _locked(review_round: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update().select_related("edition", "street").get(pk=review_round.pk)


def _state_refusal(review_round: ReviewRound) -> TransitionNotAllowed:
    return TransitionNotAllowed(_("This is not possible now: the round's status is “%(state)s”.")
                                % {"state": review_round.get_state_display()})


def _require_state(review_round: ReviewRound, *states: str) -> None:
    if review_round.state not in states:
        raise _state_refusal(review_round)


def _fire(review_round: ReviewRound, transition: Transition, *, actor, at=None, extra: dict | None = None) -> None:
    source = review_round.state
    if source not in transition.sources:
        raise _state_refusal(review_round)
    review_round.state = transition.target
    review_round.save(update_fields=["state"])
    RoundTransition.objects.create(round=review_round, name=transition.name, from_state=source,
                                   to_state=transition.target, actor=_account(actor), at=at or timezone.now())
    audit(actor=actor, action=f"review_round.{transition.name}", target=review_round, before={"state": source},
          after={"state": transition.target, **(extra or {})})


def _account(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _tell(users, subject, params: dict, url: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(users=users, subject=str(subject) % params, url=url)


def _text(value: str, label: str, errors: dict, key: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[key] = _("Please write %(what)s.") % {"what": label}
    elif len(value) > TEXT_LIMIT:
        errors[key] = _("%(what)s is too long (at most %(limit)d characters).") % {"what": label,
                                                                                    "limit": TEXT_LIMIT}
    return value


# --- The rubric (评审标准) ---------------------------------------------------------------------------

def rubric_ensure(edition: Edition) -> list[Criterion]:
    """The edition's criteria; the default rubric is written the first time a round needs one."""
    criteria = list(Criterion.objects.filter(edition=edition))
    if not criteria:
        criteria = Criterion.objects.bulk_create([
            Criterion(edition=edition, code=code, name_zh=zh, name_en=en, weight=weight, guidance=str(guidance),
                      position=position)
            for position, (code, zh, en, weight, guidance) in enumerate(DEFAULT_CRITERIA)])
    return criteria


@dataclass(frozen=True)
class CriterionDraft:
    name_zh: str
    name_en: str
    weight: int
    guidance: str = ""


@transaction.atomic
def rubric_set(*, actor, edition: Edition, criteria: list[CriterionDraft]) -> list[Criterion]:
    """Replace the edition's rubric. Only before any reviewer has scored under it."""
    if actor is None or not has_role_over(actor, edition.district, Role.DISTRICT_ORGANISER):
        raise PermissionDenied(_("Only the district organiser sets the review rubric."))
    if Score.objects.filter(criterion__edition=edition).exists():
        raise TransitionNotAllowed(_("Reviewers have already scored with this rubric; it can no longer change."))
    problems = []
    if not criteria:
        problems.append(_("The rubric needs at least one criterion."))
    for number, draft in enumerate(criteria, start=1):
        if not draft.name_zh.strip() or not draft.name_en.strip():
            problems.append(_("Criterion %(number)d needs a Chinese and an English name.") % {"number": number})
        if not 1 <= int(draft.weight) <= 100:
            problems.append(_("The weight of criterion %(number)d must be from 1 to 100.") % {"number": number})
    if problems:
        raise ValidationError(problems)
    before = [(c.name_zh, c.weight) for c in Criterion.objects.filter(edition=edition)]
    Criterion.objects.filter(edition=edition).delete()
    created = Criterion.objects.bulk_create([
        Criterion(edition=edition, code=f"c{position + 1}", name_zh=d.name_zh.strip(), name_en=d.name_en.strip(),
                  weight=int(d.weight), guidance=d.guidance.strip()[:200], position=position)
        for position, d in enumerate(criteria)])
    audit(actor=actor, action="review_rubric.set", target=edition, before={"criteria": before},
          after={"criteria": [(c.name_zh, c.weight) for c in created]})
    return created


# --- Rounds -------------------------------------------------------------------------------------------

def _cap(value, errors: dict) -> Decimal | None:
    try:
        cap = yuan(value)
    except (ValueError, TypeError, ArithmeticError):  # ArithmeticError: "1e30" cannot be quantised to the fen
        errors["budget_cap"] = _("Please give the street's budget as an amount in yuan, such as 80000.")
        return None
    if cap < 0:
        errors["budget_cap"] = _("The street's budget cannot be negative.")
    elif cap >= CAP_LIMIT:
        errors["budget_cap"] = _("This amount is far too large.")
    return cap


@transaction.atomic
def round_create(*, actor, edition: Edition, street, budget_cap, chair=None,
                 aggregation: str = Aggregation.MEAN, scoring_ends_on=None) -> ReviewRound:
    """Open a street's review round for an edition; whoever creates it chairs it unless another officer is named."""
    _require(actor, "reviews.create_round", None, _("Only street officers and the district organiser hold reviews."))
    if street is None or street.kind not in ("street", "town") or not street.path.startswith(edition.district.path):
        raise ValidationError({"street": _("Choose a street or town of the edition's district.")})
    if not has_role_over(actor, street, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER):
        raise PermissionDenied(_("You can only hold the review of your own street."))
    if edition.current_phase != PhaseKind.APPROVAL:
        raise TransitionNotAllowed(_("Reviews are held in the approval phase; the edition is in “%(phase)s”.")
                                   % {"phase": edition.get_current_phase_display()})
    errors: dict = {}
    cap = _cap(budget_cap, errors)
    chair = chair or actor
    if not has_role_over(chair, street, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER):
        errors["chair"] = _("The chair must be an officer of this street or the district organiser.")
    if aggregation not in Aggregation.values:
        errors["aggregation"] = _("Choose how the scores are combined.")
    if ReviewRound.objects.filter(edition=edition, street=street).exists():
        errors["street"] = _("This street already has its review round in this edition.")
    if errors:
        raise ValidationError(errors)
    rubric_ensure(edition)
    review_round = ReviewRound.objects.create(
        edition=edition, street=street, chair=chair, budget_cap=cap, aggregation=aggregation,
        scoring_ends_on=scoring_ends_on, created_by=actor)
    RoundTransition.objects.create(round=review_round, name="create", to_state=RoundState.SETUP,
                                   actor=_account(actor), at=review_round.created_at)
    audit(actor=actor, action="review_round.create", target=review_round, after={
        "street": street.name, "budget_cap": str(cap), "chair": chair.pk, "aggregation": aggregation})
    PanelMember.objects.get_or_create(round=review_round, user=chair, defaults={"role": PanelRole.OFFICER})
    return review_round


@transaction.atomic
def round_update(*, actor, review_round: ReviewRound, budget_cap=None, aggregation: str | None = None,
                 scoring_ends_on=None) -> ReviewRound:
    """Change the street's budget, the way scores are combined or the scoring deadline before publication."""
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can change the round."))
    _require_state(review_round, RoundState.SETUP, RoundState.SCORING, RoundState.CLOSED)
    errors: dict = {}
    before = {"budget_cap": str(review_round.budget_cap), "aggregation": review_round.aggregation}
    if budget_cap is not None:
        cap = _cap(budget_cap, errors)
        if cap is not None and not errors:
            approved = _approved_total(review_round)
            if cap < approved:
                errors["budget_cap"] = _("Projects worth %(total)s yuan are already approved; the budget cannot "
                                         "be lower.") % {"total": f"{approved:,.2f}"}
            review_round.budget_cap = cap
    if aggregation is not None:
        if aggregation not in Aggregation.values:
            errors["aggregation"] = _("Choose how the scores are combined.")
        review_round.aggregation = aggregation
    if errors:
        raise ValidationError(errors)
    if scoring_ends_on is not None:
        review_round.scoring_ends_on = scoring_ends_on
    review_round.save(update_fields=["budget_cap", "aggregation", "scoring_ends_on"])
    audit(actor=actor, action="review_round.update", target=review_round, before=before,
          after={"budget_cap": str(review_round.budget_cap), "aggregation": review_round.aggregation})
    return review_round


# --- The panel ----------------------------------------------------------------------------------------

@transaction.atomic
def panel_add(*, actor, review_round: ReviewRound, user, role: str) -> PanelMember:
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can choose the panel."))
    _require_state(review_round, *EDITABLE_STATES)
    if role not in PanelRole.values:
        raise ValidationError({"role": _("Choose how this person sits on the panel.")})
    if role == PanelRole.OFFICER and not has_role_over(user, review_round.street, Role.STREET_OFFICER,
                                                       Role.DISTRICT_ORGANISER):
        raise ValidationError({"role": _("%(name)s is not an officer of this street.") % {"name": user}})
    if PanelMember.objects.filter(round=review_round, user=user).exists():
        raise ValidationError({"user": _("%(name)s is already on the panel.") % {"name": user}})
    member = PanelMember.objects.create(round=review_round, user=user, role=role)
    audit(actor=actor, action="review_round.panel_add", target=review_round, after={"user": user.pk, "role": role})
    _tell([user], gettext_lazy("You are on the review panel of %(round)s"), {"round": str(review_round)},
          url=reverse("reviews:round", args=[review_round.pk]))
    return member


@transaction.atomic
def panel_remove(*, actor, member: PanelMember) -> None:
    review_round = _locked(member.round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can choose the panel."))
    _require_state(review_round, *EDITABLE_STATES)
    if member.user_id == review_round.chair_id:
        raise ValidationError(_("The chair stays on the panel."))
    scored = Assignment.objects.filter(round=review_round, reviewer=member.user, submitted_at__isnull=False)
    if scored.exists():
        raise ValidationError(_("%(name)s has already given scores; a reviewer who has scored stays on the panel.")
                              % {"name": member.user})
    Assignment.objects.filter(round=review_round, reviewer=member.user).delete()
    audit(actor=actor, action="review_round.panel_remove", target=review_round, before={"user": member.user_id})
    member.delete()


# --- Assignments and conflicts of interest --------------------------------------------------------------

def automatic_conflict(reviewer, project: Project, *, proposer_projects: set[int] | None = None,
                       organizations: set[int] | None = None) -> str:
    """The conflict that excludes a reviewer from a project without being declared, or "" for none."""
    if organizations is None:
        organizations = {o.pk for o in organizations_where(reviewer, Role.ORG_STAFF)}
    if project.organization_id in organizations:
        return Conflict.IMPLEMENTER
    if proposer_projects is None:
        proposed = Idea.objects.filter(merged_into=project, proposer=reviewer).exists()
    else:
        proposed = project.pk in proposer_projects
    return Conflict.PROPOSER if proposed else Conflict.NONE


@transaction.atomic
def assignments_make(*, actor, review_round: ReviewRound, reviewers=None, projects=None) -> list[Assignment]:
    """Assign projects to reviewers: by default every project of the round to every panel member.

    A reviewer who works for a project's implementing organisation, or who
    proposed one of its ideas, is assigned but excluded at once, so the chair
    sees the conflict instead of a silent gap.
    """
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can assign projects."))
    _require_state(review_round, *EDITABLE_STATES)
    panel = {m.user_id: m.user for m in PanelMember.objects.filter(round=review_round).select_related("user")}
    reviewers = list(panel.values()) if reviewers is None else list(reviewers)
    outsiders = [r for r in reviewers if r.pk not in panel]
    if outsiders:
        raise ValidationError(_("Only panel members can be assigned: %(names)s.")
                              % {"names": "、".join(str(r) for r in outsiders)})
    eligible = {p.pk: p for p in round_projects(review_round).filter(state=ProjectState.SUBMITTED)}
    projects = list(eligible.values()) if projects is None else list(projects)
    strangers = [p for p in projects if p.pk not in eligible]
    if strangers:
        raise ValidationError(_("These projects are not waiting for this street's review: %(codes)s.")
                              % {"codes": ", ".join(p.code for p in strangers)})
    existing = set(Assignment.objects.filter(round=review_round).values_list("project_id", "reviewer_id"))
    created = []
    for reviewer in reviewers:
        organizations = {o.pk for o in organizations_where(reviewer, Role.ORG_STAFF)}
        proposed = set(Idea.objects.filter(merged_into__in=[p.pk for p in projects], proposer=reviewer)
                       .values_list("merged_into_id", flat=True))
        for project in projects:
            if (project.pk, reviewer.pk) in existing:
                continue
            conflict = automatic_conflict(reviewer, project, proposer_projects=proposed, organizations=organizations)
            created.append(Assignment(round=review_round, project=project, reviewer=reviewer, conflict=conflict))
    Assignment.objects.bulk_create(created)
    audit(actor=actor, action="review_round.assign", target=review_round, after={
        "assignments": len(created), "excluded": sum(1 for a in created if a.is_excluded)})
    return created


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment) -> None:
    review_round = _locked(assignment.round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can assign projects."))
    _require_state(review_round, *EDITABLE_STATES)
    if assignment.is_submitted:
        raise ValidationError(_("This reviewer has already scored the project; the assignment stays."))
    audit(actor=actor, action="review_round.unassign", target=review_round,
          before={"project": assignment.project.code, "reviewer": assignment.reviewer_id})
    assignment.delete()


@transaction.atomic
def conflict_declare(*, actor, assignment: Assignment, note: str) -> Assignment:
    """A reviewer declares a conflict of interest with a project: their scores of it no longer count."""
    assignment = Assignment.objects.select_for_update().select_related("round", "project").get(pk=assignment.pk)
    _require(actor, "reviews.declare_conflict", assignment, _("Only the assigned reviewer can declare this."))
    _require_state(assignment.round, *EDITABLE_STATES)
    errors: dict = {}
    note = _text(note, _("what the conflict is"), errors, "note", required=True)
    if errors:
        raise ValidationError(errors)
    before = assignment.conflict
    assignment.conflict, assignment.conflict_note = Conflict.DECLARED, note
    assignment.save(update_fields=["conflict", "conflict_note"])
    audit(actor=actor, action="review_assignment.declare_conflict", target=assignment,
          before={"conflict": before}, after={"conflict": Conflict.DECLARED, "note": note})
    return assignment


# --- Scoring (blind) ------------------------------------------------------------------------------------

@transaction.atomic
def scores_submit(*, actor, assignment: Assignment, points: dict, comment: str = "", at=None) -> Assignment:
    """Record a reviewer's points on every criterion, and their comment. They can change them until scoring closes."""
    assignment = Assignment.objects.select_for_update().select_related("round", "project").get(pk=assignment.pk)
    _require(actor, "reviews.score_assignment", assignment, _("Only the assigned reviewer can score this project."))
    if assignment.round.state != RoundState.SCORING:
        raise TransitionNotAllowed(_("Scores can be given only while the round is scoring; it is “%(state)s”.")
                                   % {"state": assignment.round.get_state_display()})
    if assignment.is_excluded:
        raise TransitionNotAllowed(_("You have a conflict of interest with this project and do not score it."))
    criteria = list(Criterion.objects.filter(edition_id=assignment.round.edition_id))
    errors: dict = {}
    clean: dict[int, int] = {}
    for criterion in criteria:
        raw = points.get(criterion.pk, points.get(str(criterion.pk), points.get(criterion.code)))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= MAX_POINTS:
            errors[f"criterion_{criterion.pk}"] = _("Give “%(criterion)s” a whole number of points from 0 to "
                                                    "%(max)d.") % {"criterion": criterion.label, "max": MAX_POINTS}
        clean[criterion.pk] = value
    comment = _text(comment, _("the comment"), errors, "comment")
    if errors:
        raise ValidationError(errors)
    before = {s.criterion_id: s.points for s in assignment.scores.all()}
    Score.objects.filter(assignment=assignment).delete()
    Score.objects.bulk_create([Score(assignment=assignment, criterion_id=pk, points=value)
                               for pk, value in clean.items()])
    assignment.comment, assignment.submitted_at = comment, at or timezone.now()
    assignment.save(update_fields=["comment", "submitted_at"])
    audit(actor=actor, action="review_assignment.score", target=assignment,
          before={"points": before} if before else None, after={"points": clean, "comment": comment})
    return assignment


@transaction.atomic
def round_open_scoring(*, actor, review_round: ReviewRound, at=None) -> ReviewRound:
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can open the scoring."))
    if review_round.state == RoundState.CLOSED and Decision.objects.filter(round=review_round).exists():
        raise TransitionNotAllowed(_("Decisions have been taken; scoring cannot open again."))
    if not Assignment.objects.filter(round=review_round, conflict=Conflict.NONE).exists():
        raise ValidationError(_("Assign the projects to the panel before opening the scoring."))
    _fire(review_round, OPEN_SCORING, actor=actor, at=at)
    reviewers = {a.reviewer for a in Assignment.objects.filter(round=review_round, conflict=Conflict.NONE,
                                                                submitted_at__isnull=True).select_related("reviewer")}
    _tell(reviewers, gettext_lazy("Projects are waiting for your scores in %(round)s"), {"round": str(review_round)},
          url=reverse("reviews:my_assignments"))
    return review_round


@transaction.atomic
def round_close_scoring(*, actor, review_round: ReviewRound, at=None) -> ReviewRound:
    """End the scoring: from now on the panel sees every score and the chair decides."""
    review_round = _locked(review_round)
    _require(actor, "reviews.manage_round", review_round, _("Only the street's staff can close the scoring."))
    unscored = [r for r in round_ranking(review_round) if r.project.state == ProjectState.SUBMITTED and not r.submitted]
    if review_round.state == RoundState.SCORING and unscored:
        raise ValidationError(_("No reviewer has scored these projects yet: %(codes)s.")
                              % {"codes": ", ".join(r.project.code for r in unscored)})
    review_round.scoring_closed_at = at or timezone.now()
    review_round.save(update_fields=["scoring_closed_at"])
    _fire(review_round, CLOSE_SCORING, actor=actor, at=at)
    return review_round


# --- Decisions and publication -----------------------------------------------------------------------------

def _approved_total(review_round: ReviewRound, *, excluding: Project | None = None, costs: dict | None = None
                    ) -> Decimal:
    """What the round's approved projects cost together (``costs``: project id → cost, if already at hand)."""
    decided = list(Decision.objects.filter(round=review_round, outcome__in=APPROVING_OUTCOMES)
                   .exclude(project=excluding).values_list("project_id", flat=True))
    if costs is None:
        costs = project_budget_totals(Project.objects.filter(pk__in=decided))
    return sum((costs.get(pk, Decimal(0)) for pk in decided), Decimal("0.00"))


@transaction.atomic
def decision_record(*, actor, review_round: ReviewRound, project: Project, outcome: str, reason: str,
                    conditions: str = "", override_reason: str = "", at=None) -> Decision:
    """The chair approves, approves with conditions or rejects one project, always with a reason.

    A decision against the ranking's advice (approving a project outside the
    street's budget line, or rejecting one within it) needs a written reason
    of its own, kept with the decision. Approvals can never add up to more
    than the street's budget.
    """
    review_round = _locked(review_round)
    _require(actor, "reviews.decide_round", review_round, _("Only the round's chair decides."))
    if review_round.state != RoundState.CLOSED:
        raise TransitionNotAllowed(
            _("Decisions are taken after scoring closes and before the results are published; the round is "
              "“%(state)s”.") % {"state": review_round.get_state_display()})
    ranking = {r.project.pk: r for r in round_ranking(review_round)}
    row = ranking.get(project.pk)
    if row is None or row.project.state != ProjectState.SUBMITTED:
        raise ValidationError(_("This project is not waiting for this street's decision."))
    errors: dict = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose approve, approve with conditions or reject.")
    reason = _text(reason, _("the reason"), errors, "reason", required=True)
    conditions = _text(conditions, _("the conditions"), errors, "conditions",
                       required=outcome == Outcome.APPROVE_WITH_CONDITIONS)
    if outcome != Outcome.APPROVE_WITH_CONDITIONS:
        conditions = ""
    approves = outcome in APPROVING_OUTCOMES
    departs = approves != row.within_cap
    override_reason = _text(override_reason, _("why you depart from the ranking"), errors, "override_reason",
                            required=departs) if departs else ""
    if approves and not errors:
        total = _approved_total(review_round, excluding=project,
                                costs={pk: r.cost for pk, r in ranking.items()}) + row.cost
        if total > review_round.budget_cap:
            errors["outcome"] = _("Approving it would bring the approved projects to %(total)s yuan, over the "
                                  "street's budget of %(cap)s yuan.") % {"total": f"{total:,.2f}",
                                                                         "cap": f"{review_round.budget_cap:,.2f}"}
    if errors:
        raise ValidationError(errors)
    previous = Decision.objects.filter(project=project).first()
    before = {"outcome": previous.outcome, "reason": previous.reason} if previous else None
    values = dict(round=review_round, outcome=outcome, reason=reason, conditions=conditions, rank=row.rank,
                  score=row.score, within_cap=row.within_cap, override_reason=override_reason, decided_by=actor,
                  decided_at=at or timezone.now())
    decision, _created = Decision.objects.update_or_create(project=project, defaults=values)
    audit(actor=actor, action="review_decision.record", target=decision, before=before, after={
        "project": project.code, "outcome": outcome, "reason": reason, "conditions": conditions, "rank": row.rank,
        "within_cap": row.within_cap, "override_reason": override_reason})
    return decision


def publish_checks(review_round: ReviewRound) -> list[Requirement]:
    waiting = round_projects(review_round).filter(state=ProjectState.SUBMITTED)
    undecided = waiting.exclude(review_decision__round=review_round).count()
    vote_pending = review_round.vote_state in (VoteState.READY, VoteState.OPEN)
    return [
        Requirement(_("Scoring is closed"), review_round.state == RoundState.CLOSED),
        Requirement(_("Every project has a decision (%(count)d without one)") % {"count": undecided},
                     undecided == 0),
        Requirement(_("The resident vote is closed and counted"), not vote_pending),
    ]


@transaction.atomic
def round_publish(*, actor, review_round: ReviewRound, at=None) -> ReviewRound:
    """Publish the results: approved projects go on to contracting; every proposer and organisation is told why."""
    review_round = _locked(review_round)
    _require(actor, "reviews.decide_round", review_round, _("Only the round's chair publishes the results."))
    missing = [c.label for c in publish_checks(review_round) if not c.met]
    if missing:
        raise ValidationError([_("Before publishing: %(requirement)s.") % {"requirement": m} for m in missing])
    at = at or timezone.now()
    decisions = list(Decision.objects.filter(round=review_round).select_related("project", "project__organization"))
    for decision in decisions:
        note = decision.reason if not decision.conditions else f"{decision.reason}\n{decision.conditions}"
        project_review_conclude(actor=actor, project=decision.project, approved=decision.approves, note=note, at=at)
    review_round.published_at = at
    review_round.save(update_fields=["published_at"])
    _fire(review_round, PUBLISH, actor=actor, at=at, extra={
        "approved": sum(1 for d in decisions if d.approves), "rejected": sum(1 for d in decisions if not d.approves)})
    _announce(decisions)
    return review_round


def _announce(decisions: list[Decision]) -> None:
    proposers: dict[int, set] = {}
    for idea in Idea.objects.filter(merged_into__in=[d.project_id for d in decisions], proposer__isnull=False) \
            .select_related("proposer"):
        proposers.setdefault(idea.merged_into_id, set()).add(idea.proposer)
    for decision in decisions:
        project = decision.project
        people = proposers.get(project.pk, set()) | set(organization_staff(project.organization))
        subject = (gettext_lazy("Approved by the street review: “%(title)s”") if decision.approves
                   else gettext_lazy("Not approved by the street review: “%(title)s” (the reason is on its page)"))
        _tell(people, subject, {"title": project.title}, url=reverse("projects:detail", args=[project.code]))
