"""Every change to projects and match offers goes through these functions (views, API, demo alike).

Integration (二次优化整合) calls the ideas stage's own services, ``idea_merge``
and ``idea_unmerge``, for each idea: the idea keeps its page, author and
revisions, and its history says which project it joined and left.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import has_role_over
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.core.money import yuan
from jindianzi.editions.models import Edition
from jindianzi.ideas.models import Idea
from jindianzi.ideas.services import idea_merge, idea_unmerge
from jindianzi.ideas.workflow import IdeaState
from jindianzi.notifications.services import notify

from .models import BudgetLine, MatchOffer, Project, ProjectTransition
from .selectors import IMPLEMENTING_KINDS, organization_staff
from .workflow import (
    ACCEPT_OFFER, ADD_IDEA, APPROVE, CONTRACT, CREATE, DECLINE_OFFER, DISSOLVE, LIVE_OFFER_STATES, MATCH, REJECT,
    REMOVE_IDEA, SUBMIT, UNMATCH, WITHDRAW_OFFER, OfferState, OfferTransition, ProjectState, Transition,
)

# The budget rule. A project stands in for the ideas merged into it, so it may spend what they could
# have spent: the edition's maximum per idea for each idea. Merging is meant to make projects better,
# not bigger, so beyond this many ideas the limit stops growing.
BUDGET_IDEAS_CAP = 3
TEXT_LIMITS = {"title": 100, "summary": 2000, "objectives": 2000, "target_groups": 500}
MESSAGE_LIMIT = 1000
BUDGET_ITEM_LIMIT = 120


# --- Small helpers ----------------------------------------------------------------------------------

def _require(actor, permission: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("edition", "edition__district", "street").get(
        pk=project.pk)


def _require_draft(project: Project) -> None:
    """Changes to a project's ideas, plan and match are possible only while it is being integrated."""
    if project.state == ProjectState.SUBMITTED:
        raise TransitionNotAllowed(
            _("The project was submitted to the street review; it can no longer be changed, "
              "and its merges can no longer be undone."))
    if project.state != ProjectState.DRAFT:
        raise TransitionNotAllowed(
            _("This step is not possible now: the project's status is “%(state)s”.")
            % {"state": project.get_state_display()})


def _fire(project: Project, transition: Transition, *, actor, idea=None, organization=None, note: str = "",
          at=None) -> ProjectTransition:
    """Move the project along a declared transition and write its history step and audit record."""
    source = project.state or ""
    if project.pk is not None and source not in transition.sources:
        _require_draft(project)
        raise TransitionNotAllowed(_("This step is not possible now: the project's status is “%(state)s”.")
                                   % {"state": project.get_state_display()})
    project.state = transition.target
    if project.pk is None:
        project.save()
        source = ""
    elif source != transition.target:
        project.save(update_fields=["state"])
    step = ProjectTransition.objects.create(
        project=project, name=transition.name, from_state=source, to_state=transition.target,
        actor=actor if getattr(actor, "is_authenticated", False) else None, at=at or timezone.now(),
        idea=idea, organization=organization, note=note,
    )
    after = {"state": transition.target}
    if idea is not None:
        after["idea"] = idea.tracking_code
    if organization is not None:
        after["organization"] = organization.pk
    if note:
        after["note"] = note
    audit(actor=actor, action=f"project.{transition.name}", target=project, before={"state": source or None},
          after=after)
    return step


def _tell(users, subject, params: dict, body="", url: str = "") -> None:
    """Notify in the site's language; e-mails leave only once the transaction commits."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(users=users, subject=str(subject) % params, body=str(body), url=url)


def _idea_label(idea: Idea) -> str:
    return f"{idea.tracking_code} “{idea.title}”"


# --- The budget rule ---------------------------------------------------------------------------------

def budget_limit(project: Project, idea_count: int | None = None) -> Decimal | None:
    """The most this project may spend, or None when the edition sets no maximum per idea."""
    per_idea = project.edition.max_budget_per_idea
    if per_idea is None:
        return None
    if idea_count is None:
        idea_count = project.ideas.count()
    return per_idea * min(max(idea_count, 1), BUDGET_IDEAS_CAP)


def budget_rule_text(project: Project, idea_count: int | None = None) -> str:
    limit = budget_limit(project, idea_count)
    if limit is None:
        return _("This edition sets no maximum budget.")
    return _("At most %(limit)s yuan: the edition's maximum of %(per_idea)s yuan per idea, for each merged idea "
             "(counted up to %(cap)s ideas).") % {
        "limit": f"{limit:,.2f}", "per_idea": f"{project.edition.max_budget_per_idea:,.2f}", "cap": BUDGET_IDEAS_CAP}


# --- Merging (二次优化整合) -----------------------------------------------------------------------

def _street_of(idea: Idea):
    return idea.community.parent


def _organises(actor, edition: Edition) -> bool:
    return has_role_over(actor, edition.district, Role.DISTRICT_ORGANISER)


def merge_problems(*, actor, ideas, edition: Edition | None = None, project: Project | None = None) -> dict:
    """Why each idea cannot be merged (into ``project``, or into a new project of ``edition``): {idea id: reason}.

    Only shortlisted ideas, of one edition, in the actor's area; a street officer
    only within one street. The merge page shows these before anything changes.
    """
    edition = project.edition if project is not None else (edition or (ideas[0].edition if ideas else None))
    problems = {}
    for idea in ideas:
        if idea.edition_id != edition.pk:
            reason = _("it belongs to another edition (%(edition)s).") % {"edition": idea.edition.name}
        elif idea.state == IdeaState.MERGED:
            code = idea.merged_into.code if idea.merged_into_id else ""
            reason = (_("it is already part of project %(code)s.") % {"code": code}
                      if project is None or idea.merged_into_id != project.pk
                      else _("it is already part of this project."))
        elif idea.state != IdeaState.SHORTLISTED:
            reason = _("its status is “%(state)s”; only shortlisted ideas can be merged.") % {
                "state": idea.get_state_display()}
        elif not actor.has_perm("ideas.merge_idea", idea):
            reason = _("it is outside your area.")
        elif project is not None and _street_of(idea).pk != project.street_id and not _organises(actor, edition):
            reason = _("it comes from another street (%(street)s); only the district organiser can merge ideas "
                       "across streets.") % {"street": _street_of(idea).name}
        else:
            continue
        problems[idea.pk] = reason
    return problems


def _problems_error(ideas, problems: dict) -> ValidationError:
    return ValidationError({"ideas": [f"{_idea_label(i)}: {problems[i.pk]}" for i in ideas if i.pk in problems]})


def _ideas_in_order(ids) -> list[Idea]:
    """The chosen ideas, locked, in the order the user gave them."""
    wanted = []
    for value in ids:
        try:
            pk = value.pk if isinstance(value, Idea) else int(value)
        except (TypeError, ValueError):
            raise ValidationError({"ideas": _("Some of the chosen ideas do not exist.")}) from None
        if pk not in wanted:
            wanted.append(pk)
    found = {idea.pk: idea for idea in Idea.objects.select_for_update(of=("self",)).select_related(
        "edition", "edition__district", "community", "community__parent", "category", "merged_into",
    ).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"ideas": _("Some of the chosen ideas do not exist.")})
    return [found[pk] for pk in wanted]


def _clean_title(title: str, errors: dict) -> str:
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Please give the project a title.")
    elif len(title) > TEXT_LIMITS["title"]:
        errors["title"] = _("The title may have at most %(limit)s characters.") % {"limit": TEXT_LIMITS["title"]}
    return title


def _next_number(edition: Edition) -> int:
    # Lock the edition row so that two merges in the same edition never pick the same number.
    list(Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk", flat=True))
    return (Project.objects.filter(edition=edition).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def projects_merge(*, actor, ideas, title: str, category=None, summary: str = "", street=None) -> Project:
    """Merge one or more shortlisted ideas of one edition into a new draft project.

    Ideas of several communities of one street are the usual case; ideas of
    several streets only for the district organiser, who picks the lead street
    (by default the street most of the ideas come from).
    """
    _require(actor, "projects.create_project", None,
             _("Only street officers and the district organiser can merge ideas into projects."))
    if not ideas:
        raise ValidationError({"ideas": _("Choose at least one idea to merge.")})
    ideas = _ideas_in_order(ideas)
    edition = ideas[0].edition
    problems = merge_problems(actor=actor, ideas=ideas, edition=edition)
    if problems:
        raise _problems_error(ideas, problems)
    streets = Counter(_street_of(idea) for idea in ideas)
    if len(streets) > 1 and not _organises(actor, edition):
        raise ValidationError({"ideas": _("These ideas come from different streets (%(streets)s); only the "
                                          "district organiser can merge ideas across streets.")
                                        % {"streets": "、".join(s.name for s in streets)}})
    errors = {}
    if street is None:
        street = streets.most_common(1)[0][0]
    elif street not in streets:
        errors["street"] = _("The lead street must be the street of one of the ideas.")
    if category is None:
        category = Counter(idea.category for idea in ideas).most_common(1)[0][0]
    elif category.edition_id != edition.pk:
        errors["category"] = _("Choose one of this edition's service categories.")
    title = _clean_title(title, errors)
    summary = (summary or "").strip()
    if len(summary) > TEXT_LIMITS["summary"]:
        errors["summary"] = _("The summary may have at most %(limit)s characters.") % {
            "limit": TEXT_LIMITS["summary"]}
    if errors:
        raise ValidationError(errors)
    if not has_role_over(actor, street, Role.STREET_OFFICER, Role.DISTRICT_ORGANISER):
        raise PermissionDenied(_("You can only create projects for your own street."))

    number = _next_number(edition)
    project = Project(
        edition=edition, street=street, number=number, code=f"{edition.slug}-{number:03d}", title=title,
        category=category, summary=summary, state="", created_by=actor, created_at=timezone.now(),
    )
    _fire(project, CREATE, actor=actor, note=title)
    for idea in ideas:
        idea_merge(actor=actor, idea=idea, project=project)
        _fire(project, ADD_IDEA, actor=actor, idea=idea, note=idea.tracking_code)
    return project


@transaction.atomic
def project_add_idea(*, actor, project: Project, idea: Idea | None = None, tracking_code: str = "") -> Idea:
    """Add a shortlisted idea to a draft project, by the idea or by its tracking code."""
    project = _locked(project)
    _require(actor, "projects.change_project", project, _("You can only change projects of your own street."))
    _require_draft(project)
    if idea is None:
        code = (tracking_code or "").strip().upper()
        idea = Idea.objects.filter(tracking_code=code).first() if code else None
        if idea is None:
            raise ValidationError({"tracking_code": _("No idea has the tracking code “%(code)s”.") % {"code": code}
                                   if code else _("Please enter the idea's tracking code.")})
    idea = _ideas_in_order([idea.pk])[0]
    problems = merge_problems(actor=actor, ideas=[idea], project=project)
    if problems:
        raise ValidationError({"tracking_code": f"{_idea_label(idea)}: {problems[idea.pk]}"})
    idea_merge(actor=actor, idea=idea, project=project)
    _fire(project, ADD_IDEA, actor=actor, idea=idea, note=idea.tracking_code)
    return idea


@transaction.atomic
def project_remove_idea(*, actor, project: Project, idea: Idea) -> Project:
    """Undo the merge of one idea: it goes back to the shortlist with its own page and history.

    Only while the project is a draft. Taking out the last idea dissolves the
    project: its live offer is withdrawn and its page says what happened.
    """
    project = _locked(project)
    _require(actor, "projects.change_project", project, _("You can only change projects of your own street."))
    _require_draft(project)
    idea = Idea.objects.select_for_update(of=("self",)).get(pk=idea.pk)
    if idea.merged_into_id != project.pk:
        raise ValidationError(_("%(idea)s is not part of this project.") % {"idea": _idea_label(idea)})
    idea_unmerge(actor=actor, idea=idea)
    _fire(project, REMOVE_IDEA, actor=actor, idea=idea, note=idea.tracking_code)
    if not Idea.objects.filter(merged_into=project).exists():
        _dissolve(project, actor=actor)
    return project


def _dissolve(project: Project, *, actor) -> None:
    for offer in MatchOffer.objects.select_for_update().filter(project=project, state__in=LIVE_OFFER_STATES):
        _close_offer(offer, WITHDRAW_OFFER, actor=actor, reason=_("The project was dissolved."))
    if project.organization_id:
        project.organization = None
        project.save(update_fields=["organization"])
    _fire(project, DISSOLVE, actor=actor)


# --- The plan and budget ----------------------------------------------------------------------------

@dataclass
class PlanDraft:
    """What the plan page sends: every field of the plan and the budget lines as (item, amount)."""

    title: str
    category: object
    summary: str = ""
    objectives: str = ""
    target_groups: str = ""
    expected_beneficiaries: int | None = None
    planned_activities: int | None = None
    starts_on: object = None
    ends_on: object = None
    budget_lines: list = None


def _clean_budget(lines, errors: dict) -> list[tuple[str, Decimal]]:
    cleaned, problems = [], []
    for number, (item, amount) in enumerate(lines or [], start=1):
        item = (item or "").strip()
        try:
            amount = yuan(amount) if amount not in (None, "") else None
        except ValueError:
            amount = None
        if not item:
            problems.append(_("Line %(n)s: please say what the money is for.") % {"n": number})
        elif len(item) > BUDGET_ITEM_LIMIT:
            problems.append(_("Line %(n)s: the item may have at most %(limit)s characters.")
                            % {"n": number, "limit": BUDGET_ITEM_LIMIT})
        if amount is None or amount <= 0:
            problems.append(_("Line %(n)s: the amount must be more than 0 yuan.") % {"n": number})
        cleaned.append((item, amount))
    if problems:
        errors["budget"] = problems
    return cleaned


@transaction.atomic
def project_plan_update(*, actor, project: Project, plan: PlanDraft) -> Project:
    """Save the project's plan and replace its budget lines; the total must stay within the budget rule."""
    project = _locked(project)
    _require(actor, "projects.edit_plan", project,
             _("Only staff of the project's street and its implementing organisation can edit the plan."))
    _require_draft(project)
    errors = {}
    values = {"title": _clean_title(plan.title, errors), "category": plan.category}
    if plan.category is None or plan.category.edition_id != project.edition_id:
        errors["category"] = _("Choose one of this edition's service categories.")
    labels = {"summary": _("The summary"), "objectives": _("The objectives"), "target_groups": _("The target groups")}
    for name, label in labels.items():
        value = (getattr(plan, name) or "").strip()
        if len(value) > TEXT_LIMITS[name]:
            errors[name] = _("%(field)s may have at most %(limit)s characters.") % {
                "field": label, "limit": TEXT_LIMITS[name]}
        values[name] = value
    for name in ("expected_beneficiaries", "planned_activities"):
        value = getattr(plan, name)
        if value is not None and value < 0:
            errors[name] = _("Enter a number of 0 or more.")
        values[name] = value
    if plan.starts_on and plan.ends_on and plan.ends_on < plan.starts_on:
        errors["ends_on"] = _("The project cannot end before it starts.")
    values["starts_on"], values["ends_on"] = plan.starts_on, plan.ends_on
    lines = _clean_budget(plan.budget_lines, errors)
    if "budget" not in errors:
        total = sum((amount for _item, amount in lines), Decimal("0.00"))
        limit = budget_limit(project)
        if limit is not None and total > limit:
            errors["budget"] = [_("The budget adds up to %(total)s yuan, more than this project may spend. "
                                  "%(rule)s") % {"total": f"{total:,.2f}", "rule": budget_rule_text(project)}]
    if errors:
        raise ValidationError(errors)

    before = {name: _plain(getattr(project, name)) for name in values}
    before["budget"] = [[line.item, str(line.amount)] for line in project.budget_lines.all()]
    for name, value in values.items():
        setattr(project, name, value)
    project.save(update_fields=list(values))
    project.budget_lines.all().delete()
    BudgetLine.objects.bulk_create([BudgetLine(project=project, position=position, item=item, amount=amount)
                                    for position, (item, amount) in enumerate(lines)])
    after = {name: _plain(value) for name, value in values.items()}
    after["budget"] = [[item, str(amount)] for item, amount in lines]
    audit(actor=actor, action="project.plan", target=project, before=before, after=after)
    return project


def _plain(value):
    if value is None or isinstance(value, (str, int)):
        return value
    return getattr(value, "pk", None) or str(value)


# --- Submitting to the street review -------------------------------------------------------------------

@dataclass(frozen=True)
class Requirement:
    label: str
    met: bool


def submission_requirements(project: Project, *, ideas=None, lines=None) -> list[Requirement]:
    """What a project needs before it goes to the street review, each met or not (the page shows the list)."""
    ideas = list(project.ideas.all()) if ideas is None else list(ideas)
    lines = list(project.budget_lines.all()) if lines is None else list(lines)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    limit = budget_limit(project, len(ideas))
    return [
        Requirement(_("At least one original idea"), bool(ideas)),
        Requirement(_("An implementing organisation has accepted"), project.organization_id is not None),
        Requirement(_("Objectives and target groups are written"),
                    bool(project.objectives.strip() and project.target_groups.strip())),
        Requirement(_("Expected beneficiaries (person-times) and number of activities are more than 0"),
                    bool(project.expected_beneficiaries and project.planned_activities)),
        Requirement(_("The schedule has a start and an end date"),
                    bool(project.starts_on and project.ends_on and project.starts_on <= project.ends_on)),
        Requirement(_("The budget has at least one line"), bool(lines)),
        Requirement(_("The budget total (%(total)s yuan) is within the limit. %(rule)s") % {
            "total": f"{total:,.2f}", "rule": budget_rule_text(project, len(ideas))},
            bool(lines) and (limit is None or total <= limit)),
    ]


@transaction.atomic
def project_submit(*, actor, project: Project) -> Project:
    """Send the project to its street's review. From now on its ideas are fixed."""
    project = _locked(project)
    _require(actor, SUBMIT.permission, project, _("Only staff of the project's street can submit it."))
    _require_draft(project)
    missing = [r.label for r in submission_requirements(project) if not r.met]
    if missing:
        raise ValidationError([_("Before submitting: %(requirement)s.") % {"requirement": label}
                               for label in missing])
    project.submitted_at = timezone.now()
    project.save(update_fields=["submitted_at"])
    _fire(project, SUBMIT, actor=actor, at=project.submitted_at)
    _tell(organization_staff(project.organization),
          gettext_lazy("The project “%(title)s” was submitted to the street review"), {"title": project.title},
          url=reverse("projects:detail", args=[project.code]))
    return project


def project_review_conclude(*, actor, project: Project, approved: bool, note: str = "", at=None) -> Project:
    """Record the street review's published outcome on the project (立项 or not), with its public note.

    Called only by the review stage when a round publishes its results, inside
    that transaction; the round has already checked that ``actor`` chairs it.
    """
    project = _locked(project)
    _fire(project, APPROVE if approved else REJECT, actor=actor, note=note, at=at)
    return project


def project_contract(*, actor, project: Project, note: str = "", at=None) -> Project:
    """Record that the project's agreement is in force. Called by the agreements stage inside its transaction."""
    project = _locked(project)
    _fire(project, CONTRACT, actor=actor, note=note, at=at)
    return project


# --- Matching (对接) -------------------------------------------------------------------------------

def _offer_allows(offer: MatchOffer, transition: OfferTransition) -> None:
    if offer.state not in transition.sources:
        raise TransitionNotAllowed(_("This offer was already answered or withdrawn (its status is “%(state)s”).")
                                   % {"state": offer.get_state_display()})


def _offer_fire(offer: MatchOffer, transition: OfferTransition, *, actor, extra: dict | None = None) -> None:
    _offer_allows(offer, transition)
    source = offer.state
    offer.state = transition.target
    audit(actor=actor, action=f"match_offer.{transition.name}", target=offer,
          before={"state": source}, after={"state": transition.target, **(extra or {})})


@transaction.atomic
def match_offer_send(*, actor, project: Project, organization, message: str = "") -> MatchOffer:
    """Offer the project to an organisation; one live offer per project at a time."""
    project = _locked(project)
    _require(actor, "projects.match_project", project, _("You can only match projects of your own street."))
    _require_draft(project)
    if organization.kind not in IMPLEMENTING_KINDS or not project.edition.district.contains(organization.home_area):
        raise ValidationError({"organization": _("%(org)s cannot implement projects of this edition.")
                               % {"org": organization.name}})
    live = project.offers.select_related("organization").filter(state__in=LIVE_OFFER_STATES).first()
    if live is not None and live.state == OfferState.OFFERED:
        raise ValidationError(_("An offer to %(org)s is waiting for an answer; withdraw it before offering the "
                                "project to another organisation.") % {"org": live.organization.name})
    if live is not None:
        raise ValidationError(_("%(org)s has already accepted this project; release it before offering the "
                                "project to another organisation.") % {"org": live.organization.name})
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ValidationError({"message": _("Please keep the message to %(limit)s characters.")
                               % {"limit": MESSAGE_LIMIT}})
    offer = MatchOffer(project=project, organization=organization, message=message, offered_by=actor,
                       offered_at=timezone.now())
    offer.state = OfferState.OFFERED
    offer.save()
    audit(actor=actor, action="match_offer.send", target=offer, before={"state": None},
          after={"state": offer.state, "project": project.code, "organization": organization.pk})
    _tell(organization_staff(organization), gettext_lazy("A project is offered to %(org)s: “%(title)s”"),
          {"org": organization.name, "title": project.title}, message,
          url=reverse("projects:offer", args=[offer.pk]))
    return offer


def _locked_offer(offer: MatchOffer) -> tuple[MatchOffer, Project]:
    project = _locked(offer.project)  # always the project first, then the offer: no deadlock
    offer = MatchOffer.objects.select_for_update().select_related("organization").get(pk=offer.pk)
    return offer, project


def _close_offer(offer: MatchOffer, transition: OfferTransition, *, actor, reason: str = "") -> None:
    _offer_fire(offer, transition, actor=actor, extra={"reason": reason} if reason else None)
    offer.withdrawn_by = actor
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["state", "withdrawn_by", "withdrawn_at"])
    _tell(organization_staff(offer.organization),
          gettext_lazy("The offer of the project “%(title)s” was withdrawn"), {"title": offer.project.title},
          reason, url=reverse("projects:offer", args=[offer.pk]))


@transaction.atomic
def match_offer_withdraw(*, actor, offer: MatchOffer, reason: str = "") -> MatchOffer:
    """Staff take back an offer, or release an organisation that accepted, while the project is a draft."""
    offer, project = _locked_offer(offer)
    _require(actor, WITHDRAW_OFFER.permission, project, _("You can only match projects of your own street."))
    _require_draft(project)
    reason = (reason or "").strip()[:MESSAGE_LIMIT]
    was_accepted = offer.state == OfferState.ACCEPTED
    _close_offer(offer, WITHDRAW_OFFER, actor=actor, reason=reason)
    if was_accepted:
        project.organization = None
        project.save(update_fields=["organization"])
        _fire(project, UNMATCH, actor=actor, organization=offer.organization)
    return offer


@transaction.atomic
def match_offer_answer(*, actor, offer: MatchOffer, accept: bool, reason: str = "") -> MatchOffer:
    """The organisation's staff accept or decline; on accept the organisation implements the project."""
    offer, project = _locked_offer(offer)
    _require(actor, ACCEPT_OFFER.permission, offer,
             _("Only staff of %(org)s can answer this offer.") % {"org": offer.organization.name})
    reason = (reason or "").strip()
    _offer_allows(offer, ACCEPT_OFFER)  # not once answered or withdrawn
    if project.state != ProjectState.DRAFT:
        raise TransitionNotAllowed(_("The project is no longer being integrated; the offer cannot be answered."))
    if not accept and not reason:
        raise ValidationError({"reason": _("Please say why you decline; the street office will read it.")})
    if len(reason) > MESSAGE_LIMIT:
        raise ValidationError({"reason": _("Please keep your reason to %(limit)s characters.")
                               % {"limit": MESSAGE_LIMIT}})
    _offer_fire(offer, ACCEPT_OFFER if accept else DECLINE_OFFER, actor=actor, extra={"reason": reason})
    offer.response_reason = reason
    offer.answered_by = actor
    offer.answered_at = timezone.now()
    offer.save(update_fields=["state", "response_reason", "answered_by", "answered_at"])
    if accept:
        project.organization = offer.organization
        project.save(update_fields=["organization"])
        _fire(project, MATCH, actor=actor, organization=offer.organization)
        subject = gettext_lazy("%(org)s accepted to implement “%(title)s”")
    else:
        subject = gettext_lazy("%(org)s declined to implement “%(title)s”")
    _tell([offer.offered_by, project.created_by], subject, {"org": offer.organization.name, "title": project.title},
          reason, url=reverse("projects:manage", args=[project.code]))
    return offer
