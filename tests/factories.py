"""Factories that build data through the same services users call."""

from decimal import Decimal

import factory

from jindianzi.accounts.models import Role
from jindianzi.accounts.services import role_grant, user_register
from jindianzi.areas.models import Area, AreaKind
from jindianzi.areas.services import area_create
from jindianzi.editions.models import Edition, PhaseKind
from jindianzi.editions.services import edition_advance_phase, edition_create
from jindianzi.ideas.models import Idea
from jindianzi.ideas.services import IdeaDraft, idea_record_on_paper, idea_submit
from jindianzi.organizations.models import Organization, OrganizationKind
from jindianzi.organizations.services import organization_create

PASSWORD = "jdz-test-pass-2026"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"区域{n}")
    kind = AreaKind.DISTRICT
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return area_create(**kwargs)


class DistrictFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"红山区{n}")
    kind = AreaKind.DISTRICT


class StreetFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"西屯街道{n}")
    kind = AreaKind.STREET
    parent = factory.SubFactory(DistrictFactory)


class CommunityFactory(AreaFactory):
    name = factory.Sequence(lambda n: f"老爷庙社区{n}")
    kind = AreaKind.COMMUNITY
    parent = factory.SubFactory(StreetFactory)


class UserFactory(factory.Factory):
    """A verified resident account; pass ``login`` for a phone number or e-mail."""

    class Meta:
        model = dict

    login = factory.Sequence(lambda n: f"139{n:08d}")
    password = PASSWORD
    display_name = factory.Sequence(lambda n: f"居民{n}")
    verified = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_register(**kwargs)

    _build = _create


def staff_user(role: Role, *, area=None, organization=None, **kwargs):
    user = UserFactory(**kwargs)
    role_grant(user=user, role=role, area=area, organization=organization)
    return user


class OrganizationFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"社区社会组织{n}")
    kind = OrganizationKind.COMMUNITY_SOCIAL_ORGANIZATION
    home_area = factory.SubFactory(CommunityFactory)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organization_create(**kwargs)

    _build = _create


class EditionFactory(factory.Factory):
    """An edition; collecting ideas by default (``collecting=False`` leaves it in preparation)."""

    class Meta:
        model = dict

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}届社区金点子提案大赛")
    slug = factory.Sequence(lambda n: f"edition-{n}")
    max_budget_per_idea = Decimal("50000.00")
    collecting = True

    @classmethod
    def _create(cls, model_class, collecting=True, **kwargs):
        edition = edition_create(**kwargs)
        if collecting:
            edition = edition_advance_phase(actor=None, edition=edition, expected_phase=PhaseKind.DRAFT)
        return edition

    _build = _create


def draft_for(edition: Edition, community: Area, **overrides) -> IdeaDraft:
    values = dict(
        edition=edition, community=community, category=edition.categories.get(code="elderly"),
        title="为独居老人建立每日问候队", problem="老爷庙社区独居老人多，子女不在身边，出现意外无人知晓。",
        proposal="组织低龄老人和志愿者结对，每天上门或电话问候一次，发现情况及时联系社区。",
        beneficiaries="社区60岁以上独居老人约80人", estimated_budget=Decimal("12000.00"),
    )
    values.update(overrides)
    return IdeaDraft(**values)


def submit_idea(*, edition: Edition, community: Area, proposer=None, **overrides) -> Idea:
    proposer = proposer or UserFactory()
    return idea_submit(actor=proposer, draft=draft_for(edition, community, **overrides))


def paper_idea(*, edition: Edition, community: Area, worker, proposer_name="王秀兰",
               proposer_phone="13812345678", **overrides) -> Idea:
    return idea_record_on_paper(actor=worker, draft=draft_for(edition, community, **overrides),
                                proposer_name=proposer_name, proposer_phone=proposer_phone, consent=True)


# --- Uploads for idea photos (appended by the behaviour tests) ---------------------------------

def image_bytes(fmt: str = "JPEG", size=(16, 12), color=(200, 120, 40)) -> bytes:
    """A real, small image made with Pillow, as a phone camera would send it."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def photo_upload(name: str = "photo.jpg", fmt: str = "JPEG", content: bytes | None = None):
    """An uploaded file as the browser sends it; pass ``content`` for something that is not an image."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "image/jpeg")
    return SimpleUploadedFile(name, image_bytes(fmt) if content is None else content, content_type=content_type)


# --- Optimisation (appended by the screening tests) ----------------------------------------------

def screened_idea(*, decision: str, actor, idea=None, reason: str = "", **submit_kwargs) -> Idea:
    """An idea after a screening decision by ``actor``, made through ``idea_screen`` as staff do it."""
    from jindianzi.ideas.services import idea_screen

    idea = idea or submit_idea(**submit_kwargs)
    reasons = {"shortlist": "需求真实，方案可行。", "decline": "该想法超出社区服务范围。",
               "request_improvement": "请补充服务人数和场地安排。"}
    return idea_screen(actor=actor, idea=idea, decision=decision, reason=reason or reasons[decision])


def shortlisted_idea(*, actor, **kwargs) -> Idea:
    return screened_idea(decision="shortlist", actor=actor, **kwargs)


# --- Projects (appended by the projects stage) ---------------------------------------------------

def merged_project(*, ideas=None, actor=None, edition=None, community=None, n_ideas: int = 2,
                   title: str = "社区老人关爱行动", **merge_kwargs):
    """A draft project made by ``projects_merge`` from shortlisted ideas, as a street officer does it.

    Pass ``ideas`` (shortlisted already), or ``edition`` and ``community`` to shortlist ``n_ideas`` new ones.
    """
    from jindianzi.projects.services import projects_merge

    if ideas is None:
        screener = staff_user(Role.COMMUNITY_WORKER, area=community)
        ideas = [shortlisted_idea(actor=screener, edition=edition, community=community, title=f"独居老人问候队{n}")
                 for n in range(1, n_ideas + 1)]
    actor = actor or staff_user(Role.STREET_OFFICER, area=ideas[0].community.parent)
    return projects_merge(actor=actor, ideas=ideas, title=title, **merge_kwargs)


def plan_for(project, **overrides):
    """A complete plan for ``project`` whose budget (4,200 yuan) is within the rule."""
    import datetime

    from jindianzi.projects.services import PlanDraft

    values = dict(
        title=project.title, category=project.category, summary="把两个社区的问候队合成一个项目。",
        objectives="让独居老人每天有人问候，意外能及时发现。", target_groups="老爷庙社区和花园社区的独居老人",
        expected_beneficiaries=2400, planned_activities=48,
        starts_on=datetime.date(2017, 6, 1), ends_on=datetime.date(2017, 12, 31),
        budget_lines=[("问候卡与宣传物料", Decimal("1200.00")), ("志愿者交通和餐补", Decimal("3000.00"))],
    )
    values.update(overrides)
    return PlanDraft(**values)


def match_project(project, *, actor, organization=None, org_staff=None):
    """Offer ``project`` to an organisation (a new one of its first idea's community by default) and accept."""
    from jindianzi.projects.services import match_offer_answer, match_offer_send

    organization = organization or OrganizationFactory(home_area=project.ideas.first().community)
    org_staff = org_staff or staff_user(Role.ORG_STAFF, organization=organization)
    offer = match_offer_send(actor=actor, project=project, organization=organization, message="请贵组织承接。")
    return match_offer_answer(actor=org_staff, offer=offer, accept=True)


class ProjectFactory(factory.Factory):
    """A project built through the services: ``ProjectFactory(edition=..., community=...)`` gives a draft of two
    shortlisted ideas; ``ready=True`` also matches an organisation and writes a plan, so it can be submitted."""

    class Meta:
        model = dict

    @classmethod
    def _create(cls, model_class, ready=False, **kwargs):
        from jindianzi.projects.services import project_plan_update

        project = merged_project(**kwargs)
        if ready:
            actor = project.created_by
            match_project(project, actor=actor)
            project = project_plan_update(actor=actor, project=project, plan=plan_for(project))
        project.refresh_from_db()
        return project

    _build = _create


# --- Reviews (appended by the review stage) ------------------------------------------------------

def approval_edition(world_or_edition, *, actor=None) -> Edition:
    """Move an edition (or ``world.edition``) on to the approval phase (立项) through ``edition_advance_phase``.

    Ideas are only submitted while an edition collects, so make the projects first, then call this.
    The edition object given (or ``world.edition``) is refreshed in place, and returned.
    """
    from jindianzi.editions.models import PHASE_ORDER

    edition = getattr(world_or_edition, "edition", world_or_edition)
    edition.refresh_from_db()
    if PHASE_ORDER.index(edition.current_phase) > PHASE_ORDER.index(PhaseKind.APPROVAL):
        raise ValueError(f"{edition} is already past the approval phase ({edition.current_phase}).")
    while edition.current_phase != PhaseKind.APPROVAL:
        edition_advance_phase(actor=actor, edition=edition, expected_phase=edition.current_phase)
        edition.refresh_from_db()
    return edition


def submitted_project(*, edition=None, community=None, ideas=None, actor=None, cost=None, organization=None,
                      org_staff=None, n_ideas: int = 1, title: str = "社区老人关爱行动"):
    """A project submitted to its street's review: ``ProjectFactory(ready=True)`` then ``project_submit``.

    ``cost`` (yuan) replaces the plan's budget (4,200 yuan) by one line of that amount;
    ``organization``/``org_staff`` choose the implementing organisation (and its staff who accept).
    The edition must still be collecting when new ideas are made (pass ``ideas`` otherwise).
    """
    from jindianzi.projects.services import project_plan_update, project_submit

    kwargs = dict(ideas=ideas, actor=actor, edition=edition, community=community, n_ideas=n_ideas, title=title)
    if organization is None and org_staff is None:
        project = ProjectFactory(ready=True, **kwargs)
    else:
        project = merged_project(**kwargs)
        match_project(project, actor=project.created_by, organization=organization, org_staff=org_staff)
        project = project_plan_update(actor=project.created_by, project=project, plan=plan_for(project))
    if cost is not None:
        project = project_plan_update(actor=project.created_by, project=project,
                                      plan=plan_for(project, budget_lines=[("项目经费", Decimal(cost))]))
    project = project_submit(actor=project.created_by, project=project)
    project.refresh_from_db()
    return project


class ReviewRoundFactory(factory.Factory):
    """A street's review round made by ``round_create``: a street officer of ``street`` chairs it.

    The edition must be in the approval phase (see ``approval_edition``). Pass ``chair`` (an officer of
    the street), ``budget_cap`` (100,000 yuan by default) or ``aggregation``.
    """

    class Meta:
        model = dict

    budget_cap = Decimal("100000.00")

    @classmethod
    def _create(cls, model_class, *, edition, street, chair=None, actor=None, **kwargs):
        from jindianzi.reviews.services import round_create

        chair = chair or actor or staff_user(Role.STREET_OFFICER, area=street, display_name="刘主任")
        return round_create(actor=actor or chair, edition=edition, street=street, chair=chair, **kwargs)

    _build = _create


def review_round(*, edition, street, **kwargs):
    """``ReviewRoundFactory(...)`` as a function."""
    return ReviewRoundFactory(edition=edition, street=street, **kwargs)


def score_points(review_round, value) -> dict:
    """Points for every criterion of the round's rubric: ``value`` for each, or ``{code: points}``."""
    from jindianzi.reviews.models import Criterion

    codes = Criterion.objects.filter(edition_id=review_round.edition_id).values_list("code", flat=True)
    return dict(value) if isinstance(value, dict) else {code: value for code in codes}


def scored_round(review_round, scores: dict, *, reviewers=None, actor=None, close: bool = True):
    """Experts score the round's projects, then the scoring closes (unless ``close=False``); all through the services.

    ``scores`` maps each project to one entry per reviewer: a whole number given on every criterion,
    a ``{criterion code: points}`` dict, or ``None`` for a reviewer who does not score it. Reviewers are new
    expert reviewers added to the panel (or ``reviewers``, panel members already); only they are assigned.
    Returns the round, fresh, with the reviewers in order as ``round.reviewers``.
    """
    from jindianzi.reviews.models import Assignment, PanelMember
    from jindianzi.reviews.services import (
        assignments_make, panel_add, round_close_scoring, round_open_scoring, scores_submit,
    )
    from jindianzi.reviews.workflow import PanelRole

    actor = actor or review_round.chair
    count = max((len(entries) for entries in scores.values()), default=1)
    if reviewers is None:
        reviewers = [staff_user(Role.EXPERT, display_name=f"专家{n}") for n in range(1, count + 1)]
    reviewers = list(reviewers)
    for reviewer in reviewers:
        if not PanelMember.objects.filter(round=review_round, user=reviewer).exists():
            panel_add(actor=actor, review_round=review_round, user=reviewer, role=PanelRole.EXPERT)
    assignments_make(actor=actor, review_round=review_round, reviewers=reviewers, projects=list(scores))
    review_round = round_open_scoring(actor=actor, review_round=review_round)
    for project, entries in scores.items():
        for reviewer, value in zip(reviewers, entries):
            if value is None:
                continue
            assignment = Assignment.objects.get(round=review_round, project=project, reviewer=reviewer)
            scores_submit(actor=reviewer, assignment=assignment, points=score_points(review_round, value))
    if close:
        review_round = round_close_scoring(actor=actor, review_round=review_round)
    review_round.refresh_from_db()
    review_round.reviewers = reviewers
    return review_round
