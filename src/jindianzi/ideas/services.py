"""Every change to ideas goes through these functions (views, API, import and demo alike)."""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from jindianzi.areas.models import AreaKind
from jindianzi.core.audit import audit
from jindianzi.core.errors import TransitionNotAllowed
from jindianzi.core.privacy import is_mobile_number, normalise_phone
from jindianzi.notifications.services import notify
from jindianzi.organizations.models import OrganizationKind

from .models import Channel, Idea, IdeaFollower, IdeaNote, IdeaPhoto, IdeaRevision, IdeaTransition, ProposerKind
from .photos import clean_photo, validate_photos
from .similarity.tasks import index_idea_later
from .workflow import (
    MERGE, RESUBMIT, REVISABLE_STATES, SCREENING_DECISIONS, SUBMIT, UNMERGE, WITHDRAW, IdeaState, Transition,
)

WITHDRAW_REASON_LIMIT = 200
# Which organisations may propose as which kind of proposer.
PROPOSING_KINDS = {
    ProposerKind.SELF_ORGANIZATION: {OrganizationKind.RESIDENT_SELF_ORGANIZATION},
    ProposerKind.SOCIAL_ORGANIZATION: {OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION,
                                       OrganizationKind.PROFESSIONAL_SOCIAL_ORGANIZATION,
                                       OrganizationKind.HUB_ORGANIZATION},
}
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def proposer_kind_of(organization) -> str:
    """The proposer kind an organisation proposes as (self-organisation or social organisation)."""
    for kind, organization_kinds in PROPOSING_KINDS.items():
        if organization.kind in organization_kinds:
            return kind
    raise ValidationError(_("%(org)s cannot propose ideas.") % {"org": organization.name})


def new_tracking_code() -> str:
    return "JD" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


@dataclass
class IdeaDraft:
    """What a proposer writes, whatever the channel."""

    edition: object
    community: object
    category: object
    title: str
    problem: str
    proposal: str
    beneficiaries: str
    estimated_budget: Decimal
    proposer_kind: str = ProposerKind.RESIDENT
    proposer_organization: object = None
    anonymous: bool = False
    photos: list = field(default_factory=list)


def validate_draft(draft: IdeaDraft) -> None:
    """The rules a new idea must meet on every channel; raises one ValidationError listing every problem."""
    edition = draft.edition
    if not edition.is_collecting:
        raise ValidationError(
            _("%(edition)s is not collecting ideas now (current phase: %(phase)s).")
            % {"edition": edition.name, "phase": edition.get_current_phase_display()}
        )
    _validate_text(draft)


def _validate_text(draft: IdeaDraft) -> None:
    """The rules on an idea's content, for a new idea and for every revision."""
    errors = {}
    edition = draft.edition
    community = draft.community
    if community is None or community.kind != AreaKind.COMMUNITY or not edition.district.contains(community):
        errors["community"] = _("Choose a community of %(district)s.") % {"district": edition.district.name}
    if draft.category is None or draft.category.edition_id != edition.pk:
        errors["category"] = _("Choose one of this edition's service categories.")
    for name, label, limit in (("title", _("title"), 80), ("problem", _("the problem"), 2000),
                               ("proposal", _("the proposal"), 4000), ("beneficiaries", _("who benefits"), 200)):
        value = (getattr(draft, name) or "").strip()
        if not value:
            errors[name] = _("Please fill in %(field)s.") % {"field": label}
        elif len(value) > limit:
            errors[name] = _("Too long: %(field)s may have at most %(limit)s characters.") % {
                "field": label, "limit": limit}
    budget = draft.estimated_budget
    if budget is None or budget <= 0:
        errors["estimated_budget"] = _("The estimated budget must be more than 0 yuan.")
    elif edition.max_budget_per_idea is not None and budget > edition.max_budget_per_idea:
        errors["estimated_budget"] = _("The estimated budget may be at most %(max)s yuan in this edition.") % {
            "max": f"{edition.max_budget_per_idea:,.2f}"}
    if draft.proposer_kind != ProposerKind.RESIDENT:
        org = draft.proposer_organization
        if org is None:
            errors["proposer_organization"] = _("Choose the organisation that proposes this idea.")
        elif org.kind not in PROPOSING_KINDS[draft.proposer_kind]:
            errors["proposer_organization"] = _("%(org)s is not a %(kind)s.") % {
                "org": org.name, "kind": ProposerKind(draft.proposer_kind).label}
    if draft.photos:
        try:
            validate_photos(draft.photos)
        except ValidationError as exc:
            errors["photos"] = exc.messages
    if errors:
        raise ValidationError(errors)


def _fire(idea: Idea, transition: Transition, *, actor, note: str = "", at=None) -> IdeaTransition:
    """Move the idea along a declared transition and write its history and audit records."""
    source = idea.state or ""
    if source not in transition.sources:
        raise TransitionNotAllowed(
            _("This step is not possible now: the idea's status is “%(state)s”.")
            % {"state": idea.public_state_label if source else "-"}
        )
    idea.state = transition.target
    at = at or timezone.now()
    if idea.pk is None:
        idea.save()
    else:
        idea.save(update_fields=["state"])
    step = IdeaTransition.objects.create(
        idea=idea, name=transition.name, from_state=source, to_state=transition.target,
        actor=actor if getattr(actor, "is_authenticated", False) else None, at=at, note=note,
    )
    audit(actor=actor, action=f"idea.{transition.name}", target=idea,
          before={"state": source or None}, after={"state": transition.target, "note": note})
    return step


def _save_photos(idea: Idea, uploads) -> None:
    extensions = validate_photos(uploads)
    for position, (upload, extension) in enumerate(zip(uploads, extensions)):
        photo = IdeaPhoto(idea=idea, position=position)
        photo.image.save(f"{position + 1}.{extension}", ContentFile(clean_photo(upload, extension)), save=False)
        photo.save()


def _create(draft: IdeaDraft, *, actor, channel: str, proposer, proposer_name: str, proposer_phone: str,
            entered_by, consent: bool, submitted_at=None) -> Idea:
    validate_draft(draft)
    idea = Idea(
        edition=draft.edition, community=draft.community, category=draft.category,
        tracking_code=new_tracking_code(), state="", channel=channel,
        proposer_kind=draft.proposer_kind, proposer=proposer, proposer_name=proposer_name.strip(),
        proposer_phone=proposer_phone, proposer_organization=draft.proposer_organization,
        anonymous=draft.anonymous, entered_by=entered_by, consent_recorded=consent,
        title=draft.title.strip(), problem=draft.problem.strip(), proposal=draft.proposal.strip(),
        beneficiaries=draft.beneficiaries.strip(), estimated_budget=draft.estimated_budget,
        submitted_at=submitted_at or timezone.now(),
    )
    while Idea.objects.filter(tracking_code=idea.tracking_code).exists():
        idea.tracking_code = new_tracking_code()
    _fire(idea, SUBMIT, actor=actor, at=idea.submitted_at)
    _keep_revision(idea, author=actor, at=idea.submitted_at)
    transaction.on_commit(lambda: index_idea_later(idea.pk))  # similar ideas: indexed once it is saved
    if proposer is not None:
        IdeaFollower.objects.create(idea=idea, user=proposer)
    if draft.photos:
        _save_photos(idea, draft.photos)
    return idea


def _keep_revision(idea: Idea, *, author, at, note: str = "") -> IdeaRevision:
    number = (idea.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return IdeaRevision.objects.create(
        idea=idea, number=number, author=author if getattr(author, "is_authenticated", False) else None, at=at,
        note=note, **{name: getattr(idea, name) for name in IdeaRevision.TEXT_FIELDS},
    )


def _require(actor, permission: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


@transaction.atomic
def idea_submit(*, actor, draft: IdeaDraft, submitted_at=None) -> Idea:
    """A resident (or an organisation's staff member) submits an idea online under their own account."""
    _require(actor, "ideas.submit_idea", draft.community,
             _("Please sign in with a verified account to submit an idea."))
    if draft.proposer_kind != ProposerKind.RESIDENT:
        org = draft.proposer_organization
        if org is None or not actor.has_perm("organizations.act_for_organization", org):
            raise PermissionDenied(_("You can only propose for an organisation you work for."))
    return _create(draft, actor=actor, channel=Channel.WEB, proposer=actor, proposer_name=actor.display_name,
                   proposer_phone=actor.phone, entered_by=None, consent=True, submitted_at=submitted_at)


def paper_entry_errors(*, proposer_name: str, proposer_phone: str, consent: bool) -> tuple[dict, str]:
    """What a paper form must have besides the idea: consent, the resident's name, a valid number."""
    errors = {}
    if not consent:
        errors["consent"] = _("Please confirm that the resident agreed to have the idea recorded.")
    name = (proposer_name or "").strip()
    if not name:
        errors["proposer_name"] = _("Please fill in the resident's name.")
    elif len(name) > Idea._meta.get_field("proposer_name").max_length:
        errors["proposer_name"] = _("The name is too long (at most %(limit)s characters).") % {
            "limit": Idea._meta.get_field("proposer_name").max_length}
    phone = normalise_phone(proposer_phone)
    if phone and not is_mobile_number(phone):
        errors["proposer_phone"] = _("Enter an 11-digit mobile number, or leave it empty.")
    return errors, phone


@transaction.atomic
def idea_record_on_paper(*, actor, draft: IdeaDraft, proposer_name: str, proposer_phone: str = "",
                         consent: bool, channel: str = Channel.PAPER, submitted_at=None) -> Idea:
    """A community worker records a resident's paper idea, credited to that resident."""
    _require(actor, "ideas.enter_paper_idea", draft.community,
             _("You can only record ideas for the communities you work in."))
    errors, phone = paper_entry_errors(proposer_name=proposer_name, proposer_phone=proposer_phone, consent=consent)
    if errors:
        try:
            validate_draft(draft)
        except ValidationError as exc:
            # Report the idea's own problems together with the paper ones, so nothing is fixed twice.
            errors = {**getattr(exc, "message_dict", {NON_FIELD_ERRORS: exc.messages}), **errors}
        raise ValidationError(errors)
    return _create(draft, actor=actor, channel=channel, proposer=None, proposer_name=proposer_name,
                   proposer_phone=phone, entered_by=actor, consent=True, submitted_at=submitted_at)


@transaction.atomic
def idea_withdraw(*, actor, idea: Idea, reason: str = "") -> Idea:
    """The proposer takes the idea back. It stays in history and in the public timeline."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _require(actor, "ideas.withdraw_idea", idea, _("Only the proposer can withdraw this idea."))
    reason = (reason or "").strip()
    if len(reason) > WITHDRAW_REASON_LIMIT:
        raise ValidationError({"reason": _("Please keep the reason to %(limit)s characters.")
                               % {"limit": WITHDRAW_REASON_LIMIT}})
    _fire(idea, WITHDRAW, actor=actor, note=reason)
    return idea


# --- Optimisation (优化): screening, improvement, merging ------------------------------------------

def _tell_followers(idea: Idea, subject: str, body: str = "") -> None:
    """Tell the proposer and followers, in the site's language, once the change commits."""
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        notify(users=[f.user for f in idea.followers.select_related("user")],
               subject=str(subject) % {"title": idea.title}, body=str(body),
               url=reverse("portal:idea_detail", args=[idea.tracking_code]))


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().select_related("community", "edition").get(pk=idea.pk)


@transaction.atomic
def idea_screen(*, actor, idea: Idea, decision: str, reason: str) -> Idea:
    """A screening decision by staff: ``shortlist``, ``decline`` or ``request_improvement``.

    Every decision needs a reason: a decline or a request tells the proposer in
    plain words why, and a shortlist records why the idea was chosen.
    """
    transition = SCREENING_DECISIONS.get(decision)
    if transition is None:
        raise ValidationError(_("Unknown decision."))
    idea = _locked(idea)
    _require(actor, transition.permission, idea, _("You can only screen ideas of your own area."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason; the proposer will read it.")})
    _fire(idea, transition, actor=actor, note=reason)
    with translation.override(settings.LANGUAGE_CODE):
        subjects = {
            "shortlist": _("Your idea “%(title)s” was selected for further work"),
            "decline": _("Your idea “%(title)s” is not taken forward"),
            "request_improvement": _("Please add details to your idea “%(title)s”"),
        }
        _tell_followers(idea, subjects[decision], reason)
    return idea


@transaction.atomic
def ideas_screen_bulk(*, actor, ideas, decision: str, reason: str) -> tuple[list[Idea], list[tuple[Idea, str]]]:
    """The same decision for a selection. Ideas the decision does not fit are listed with the reason, not changed."""
    done, refused = [], []
    for idea in ideas:
        try:
            with transaction.atomic():
                done.append(idea_screen(actor=actor, idea=idea, decision=decision, reason=reason))
        except (ValidationError, PermissionDenied) as exc:
            refused.append((idea, " ".join(getattr(exc, "messages", [str(exc)]))))
    return done, refused


@transaction.atomic
def idea_revise(*, actor, idea: Idea, title: str, problem: str, proposal: str, beneficiaries: str,
                estimated_budget: Decimal, note: str = "") -> IdeaRevision:
    """The proposer (or staff helping them) improves the idea (完善提升). Every version is kept."""
    idea = _locked(idea)
    _require(actor, "ideas.revise_idea", idea, _("Only the proposer or staff of the community can edit this idea."))
    if idea.state not in REVISABLE_STATES:
        raise ValidationError(_("This idea can no longer be edited: its status is “%(state)s”.")
                              % {"state": idea.public_state_label})
    draft = IdeaDraft(edition=idea.edition, community=idea.community, category=idea.category, title=title,
                      problem=problem, proposal=proposal, beneficiaries=beneficiaries,
                      estimated_budget=estimated_budget, proposer_kind=idea.proposer_kind,
                      proposer_organization=idea.proposer_organization)
    _validate_text(draft)
    changed = {name: value.strip() if isinstance(value, str) else value
               for name, value in (("title", title), ("problem", problem), ("proposal", proposal),
                                   ("beneficiaries", beneficiaries), ("estimated_budget", estimated_budget))}
    if all(getattr(idea, name) == value for name, value in changed.items()):
        raise ValidationError(_("Nothing was changed."))
    before = {name: str(getattr(idea, name)) for name in changed}
    for name, value in changed.items():
        setattr(idea, name, value)
    idea.save(update_fields=list(changed))
    revision = _keep_revision(idea, author=actor, at=timezone.now(), note=(note or "").strip()[:200])
    transaction.on_commit(lambda: index_idea_later(idea.pk))  # similar ideas: indexed from the new text
    audit(actor=actor, action="idea.revise", target=idea, before=before,
          after={**{name: str(value) for name, value in changed.items()}, "revision": revision.number})
    if idea.state == IdeaState.IMPROVEMENT_REQUESTED:
        _fire(idea, RESUBMIT, actor=actor, note=revision.note)
    return revision


@transaction.atomic
def idea_note_add(*, actor, idea: Idea, text: str) -> IdeaNote:
    """A research note (调研记录) by staff: internal, never public."""
    _require(actor, "ideas.screen_idea", idea, _("Only staff of the area can add research notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    note = IdeaNote.objects.create(idea=idea, author=actor, at=timezone.now(), text=text)
    audit(actor=actor, action="idea.note", target=idea, after={"note": note.pk})
    return note


@transaction.atomic
def idea_follow(*, actor, idea: Idea, follow: bool = True) -> bool:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to follow an idea."))
    if follow:
        IdeaFollower.objects.get_or_create(idea=idea, user=actor)
    else:
        IdeaFollower.objects.filter(idea=idea, user=actor).delete()
    return follow


@transaction.atomic
def idea_merge(*, actor, idea: Idea, project) -> Idea:
    """Put a shortlisted idea into a project. Called by the projects stage, which checks the project side."""
    idea = _locked(idea)
    _require(actor, MERGE.permission, idea, _("You can only merge ideas of your own area."))
    if idea.edition_id != project.edition_id:
        raise ValidationError(_("An idea can only join a project of its own edition."))
    _fire(idea, MERGE, actor=actor, note=str(project.pk))  # refuses first if the idea is not shortlisted
    idea.merged_into = project
    idea.save(update_fields=["merged_into"])
    _tell_followers(idea, _("Your idea “%(title)s” became part of a project"), project.title)
    return idea


@transaction.atomic
def idea_unmerge(*, actor, idea: Idea) -> Idea:
    """Take an idea back out of its project (undo a merge); the projects stage decides whether that is still allowed."""
    idea = _locked(idea)
    _require(actor, UNMERGE.permission, idea, _("You can only change ideas of your own area."))
    project_id = idea.merged_into_id
    _fire(idea, UNMERGE, actor=actor, note=str(project_id or ""))
    idea.merged_into = None
    idea.save(update_fields=["merged_into"])
    return idea
