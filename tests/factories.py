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
