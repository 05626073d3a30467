"""Every idea transition, and every rule that refuses one, through the service functions."""

import io
import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from jindianzi.accounts.models import Role
from jindianzi.accounts.services import user_register
from jindianzi.core.audit import records_for
from jindianzi.core.models import AuditRecord
from jindianzi.editions.models import PhaseKind
from jindianzi.editions.services import edition_advance_phase
from jindianzi.ideas.models import Channel, Idea, IdeaPhoto, ProposerKind
from jindianzi.ideas.selectors import idea_by_code
from jindianzi.ideas.services import TRACKING_ALPHABET, idea_record_on_paper, idea_submit, idea_withdraw

from ..factories import (
    PASSWORD, CommunityFactory, EditionFactory, OrganizationFactory, UserFactory, draft_for, image_bytes,
    paper_idea, photo_upload, staff_user, submit_idea,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def resident():
    return UserFactory(login="13812345678", display_name="李明")


@pytest.fixture
def worker(world):
    return staff_user(Role.COMMUNITY_WORKER, area=world.community)


@pytest.fixture
def nothing_created(settings):
    """Call it after a refusal: no idea, no photo record, no file, no idea audit record."""

    def check():
        assert not Idea.objects.exists()
        assert not IdeaPhoto.objects.exists()
        media = Path(settings.MEDIA_ROOT)
        assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
        assert not AuditRecord.objects.filter(target_type="ideas.idea").exists()

    return check


def history(idea):
    return [(step.name, step.from_state, step.to_state, step.actor) for step in idea.transitions.all()]


def audit_trail(idea):
    return [(record.action, record.actor) for record in records_for(idea)]


def message_of(error: ValidationError, field=None) -> str:
    if field is not None:
        return " ".join(error.message_dict[field])
    return " ".join(error.messages)


# --- submit (web) --------------------------------------------------------------------------------

def test_submitting_online_creates_a_submitted_idea_with_one_history_step_and_one_audit_record(world, resident):
    idea = idea_submit(actor=resident, draft=draft_for(world.edition, world.community))

    idea = Idea.objects.get(pk=idea.pk)
    assert idea.state == "submitted"
    assert idea.channel == Channel.WEB
    assert idea.proposer == resident and idea.proposer_name == "李明"
    assert idea.entered_by is None
    assert history(idea) == [("submit", "", "submitted", resident)]
    assert audit_trail(idea) == [("idea.submit", resident)]


def test_a_tracking_code_can_be_read_aloud_without_confusing_letters_and_digits(world, resident):
    codes = {submit_idea(edition=world.edition, community=world.community, proposer=resident).tracking_code
             for _ in range(5)}

    assert len(codes) == 5
    for code in codes:
        assert code.startswith("JD") and len(code) == 10
        assert set(code[2:]) <= set(TRACKING_ALPHABET)
        assert not set(code[2:]) & set("0O1I")


def test_an_organisation_proposes_through_its_staff_and_is_named_publicly(world):
    org = OrganizationFactory(name="老爷庙社区志愿者协会", home_area=world.community)
    staff = staff_user(Role.ORG_STAFF, organization=org)

    idea = idea_submit(actor=staff, draft=draft_for(
        world.edition, world.community, proposer_kind=ProposerKind.SOCIAL_ORGANIZATION, proposer_organization=org))

    assert idea.proposer_organization == org
    assert idea.public_proposer_name == "老爷庙社区志愿者协会"


def test_proposing_for_an_organisation_one_does_not_work_for_is_refused(world, resident, nothing_created):
    org = OrganizationFactory(home_area=world.community)

    with pytest.raises(PermissionDenied):
        idea_submit(actor=resident, draft=draft_for(
            world.edition, world.community, proposer_kind=ProposerKind.SOCIAL_ORGANIZATION,
            proposer_organization=org))
    nothing_created()


def test_an_unverified_account_cannot_submit(world, nothing_created):
    unverified = user_register(login="13912340000", password=PASSWORD)

    with pytest.raises(PermissionDenied) as refused:
        idea_submit(actor=unverified, draft=draft_for(world.edition, world.community))

    assert "verified account" in str(refused.value)
    nothing_created()


def test_a_visitor_without_an_account_cannot_submit(world, nothing_created):
    with pytest.raises(PermissionDenied):
        idea_submit(actor=AnonymousUser(), draft=draft_for(world.edition, world.community))
    nothing_created()


def test_missing_text_is_refused_with_every_problem_named(world, resident, nothing_created):
    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, title="  ", problem=""))

    assert set(refused.value.message_dict) == {"title", "problem"}
    assert "Please fill in title." in message_of(refused.value, "title")
    nothing_created()


# --- edition rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("phase, label", [
    (PhaseKind.DRAFT, "In preparation"),
    (PhaseKind.OPTIMISATION, "Optimisation"),
])
def test_submission_outside_the_collection_phase_is_refused_naming_the_phase(world, resident, worker,
                                                                               nothing_created, phase, label):
    edition = EditionFactory(district=world.district, collecting=False, name="第二届金点子大赛")
    while edition.current_phase != phase:
        edition = edition_advance_phase(actor=None, edition=edition)

    with pytest.raises(ValidationError) as web:
        idea_submit(actor=resident, draft=draft_for(edition, world.community))
    with pytest.raises(ValidationError) as paper:
        paper_idea(edition=edition, community=world.community, worker=worker)

    for refused in (web, paper):
        assert "第二届金点子大赛 is not collecting ideas now" in message_of(refused.value)
        assert label in message_of(refused.value)
    nothing_created()


@pytest.mark.parametrize("budget, message", [
    (Decimal("50000.01"), "at most 50,000.00 yuan"),
    (Decimal("0"), "more than 0 yuan"),
    (Decimal("-100"), "more than 0 yuan"),
])
def test_a_budget_above_the_edition_maximum_or_not_above_zero_is_refused(world, resident, nothing_created,
                                                                         budget, message):
    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, estimated_budget=budget))

    assert message in message_of(refused.value, "estimated_budget")
    nothing_created()


def test_a_budget_of_exactly_the_maximum_is_accepted(world, resident):
    idea = idea_submit(actor=resident, draft=draft_for(world.edition, world.community,
                                                       estimated_budget=Decimal("50000.00")))

    assert Idea.objects.get(pk=idea.pk).estimated_budget == Decimal("50000.00")


def test_a_community_outside_the_edition_district_is_refused(world, resident, nothing_created):
    elsewhere = CommunityFactory(name="松山区某社区")

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, elsewhere))

    assert world.district.name in message_of(refused.value, "community")
    nothing_created()


def test_a_street_is_not_a_community(world, resident, nothing_created):
    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.street))

    assert "community" in refused.value.message_dict
    nothing_created()


def test_a_category_of_another_edition_is_refused(world, resident, nothing_created):
    other = EditionFactory(district=world.district)

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community,
                                                    category=other.categories.get(code="elderly")))

    assert "this edition's service categories" in message_of(refused.value, "category")
    nothing_created()


# --- photos --------------------------------------------------------------------------------------

def test_real_jpeg_and_png_photos_are_kept_with_the_idea(world, resident, settings):
    draft = draft_for(world.edition, world.community,
                      photos=[photo_upload("门口.jpg", "JPEG"), photo_upload("楼道.png", "PNG")])

    idea = idea_submit(actor=resident, draft=draft)

    photos = list(idea.photos.all())
    assert [Path(p.image.name).suffix for p in photos] == [".jpg", ".png"]
    for photo in photos:
        stored = Path(settings.MEDIA_ROOT) / photo.image.name
        assert stored.is_file() and stored.stat().st_size > 0
        assert idea.tracking_code in photo.image.name


def test_a_png_sent_with_a_jpg_name_is_stored_as_what_it_really_is(world, resident):
    idea = idea_submit(actor=resident, draft=draft_for(
        world.edition, world.community, photos=[photo_upload("photo.jpg", "PNG")]))

    assert idea.photos.get().image.name.endswith(".png")


def test_a_text_file_renamed_jpg_is_refused(world, resident, nothing_created):
    fake = photo_upload("照片.jpg", content="这不是照片，是一段文字。".encode())

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=[fake]))

    assert "照片.jpg is not a photo we can read" in message_of(refused.value, "photos")
    nothing_created()


def test_an_image_of_another_type_is_refused(world, resident, nothing_created):
    gif = photo_upload("动图.gif", content=image_bytes("GIF"))

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=[gif]))

    assert "must be a JPEG, PNG or WebP image" in message_of(refused.value, "photos")
    nothing_created()


def test_a_photo_over_the_size_limit_is_refused(world, resident, settings, nothing_created):
    settings.JINDIANZI_PHOTO_MAX_BYTES = 200
    big = photo_upload("big.jpg", "JPEG")
    assert big.size > 200

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=[big]))

    assert "big.jpg is too large" in message_of(refused.value, "photos")
    nothing_created()


def test_more_photos_than_allowed_are_refused(world, resident, settings, nothing_created):
    settings.JINDIANZI_PHOTOS_PER_IDEA = 2
    photos = [photo_upload(f"{n}.jpg") for n in range(3)]

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=photos))

    assert "At most 2 photos per idea." in message_of(refused.value, "photos")
    nothing_created()


def _png_header_claiming(width, height) -> bytes:
    """65 bytes that say "I am a 20000 x 20000 picture": what a decompression bomb looks like."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def test_a_tiny_file_claiming_a_gigantic_picture_is_refused_with_a_message(world, resident, nothing_created):
    bomb = photo_upload("bomb.png", "PNG", content=_png_header_claiming(20000, 20000))

    with pytest.raises(ValidationError) as refused:
        idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=[bomb]))

    assert "bomb.png" in message_of(refused.value, "photos")
    nothing_created()


def _jpeg_taken_at(latitude, longitude) -> bytes:
    """A phone photo whose EXIF says where it was taken (as most phones record by default)."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: latitude, 3: "E", 4: longitude}  # the GPS block
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 90, 90)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_published_photo_does_not_tell_where_it_was_taken(world, resident, settings):
    photo = photo_upload("楼道.jpg", content=_jpeg_taken_at((42.0, 16.0, 30.0), (118.0, 57.0, 12.0)))

    idea = idea_submit(actor=resident, draft=draft_for(world.edition, world.community, photos=[photo],
                                                       anonymous=True))

    with Image.open(Path(settings.MEDIA_ROOT) / idea.photos.get().image.name) as stored:
        assert not stored.getexif().get_ifd(0x8825)


# --- withdraw ------------------------------------------------------------------------------------

def test_the_proposer_withdraws_a_submitted_idea_and_it_stays_in_history(world, resident):
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)

    idea_withdraw(actor=resident, idea=idea, reason="  已经找到别的办法  ")

    idea = Idea.objects.get(pk=idea.pk)
    assert idea.state == "withdrawn"
    assert history(idea) == [("submit", "", "submitted", resident), ("withdraw", "submitted", "withdrawn", resident)]
    assert idea.transitions.last().note == "已经找到别的办法"
    assert audit_trail(idea) == [("idea.submit", resident), ("idea.withdraw", resident)]
    timeline = [step.public_label for step in idea_by_code(idea.tracking_code).transitions.all()]
    assert timeline == ["Received, waiting to be looked at", "Withdrawn by the proposer"]


def test_withdrawing_twice_is_refused_and_changes_nothing(world, resident):
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)
    idea_withdraw(actor=resident, idea=idea)

    with pytest.raises(ValidationError) as refused:
        idea_withdraw(actor=resident, idea=idea)

    assert "Withdrawn by the proposer" in message_of(refused.value) and "not possible" in message_of(refused.value)
    assert Idea.objects.get(pk=idea.pk).state == "withdrawn"
    assert idea.transitions.count() == 2
    assert len(audit_trail(idea)) == 2


@pytest.mark.parametrize("who", ["another resident", "worker of the community", "street officer",
                                 "district organiser", "visitor"])
def test_nobody_else_may_withdraw_a_residents_online_idea(world, resident, who):
    idea = submit_idea(edition=world.edition, community=world.community, proposer=resident)
    actor = {
        "another resident": lambda: UserFactory(),
        "worker of the community": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.community),
        "street officer": lambda: staff_user(Role.STREET_OFFICER, area=world.street),
        "district organiser": lambda: staff_user(Role.DISTRICT_ORGANISER, area=world.district),
        "visitor": AnonymousUser,
    }[who]()

    with pytest.raises(PermissionDenied):
        idea_withdraw(actor=actor, idea=idea)

    assert Idea.objects.get(pk=idea.pk).state == "submitted"
    assert idea.transitions.count() == 1
    assert len(audit_trail(idea)) == 1


# --- paper ideas ---------------------------------------------------------------------------------

def test_a_paper_idea_is_credited_to_the_named_resident_and_records_who_typed_it(world, worker):
    idea = idea_record_on_paper(actor=worker, draft=draft_for(world.edition, world.community),
                                proposer_name=" 王秀兰 ", proposer_phone="138 1234 5678", consent=True)

    idea = Idea.objects.get(pk=idea.pk)
    assert idea.channel == Channel.PAPER
    assert idea.proposer is None
    assert idea.proposer_name == "王秀兰"
    assert idea.proposer_phone == "13812345678"
    assert idea.entered_by == worker
    assert idea.consent_recorded
    assert history(idea) == [("submit", "", "submitted", worker)]
    assert audit_trail(idea) == [("idea.submit", worker)]


def test_a_paper_idea_without_the_residents_consent_is_refused(world, worker, nothing_created):
    with pytest.raises(ValidationError) as refused:
        idea_record_on_paper(actor=worker, draft=draft_for(world.edition, world.community),
                             proposer_name="王秀兰", consent=False)

    assert "agreed to have the idea recorded" in message_of(refused.value, "consent")
    nothing_created()


def test_missing_consent_and_a_bad_budget_are_reported_together(world, worker, nothing_created):
    with pytest.raises(ValidationError) as refused:
        idea_record_on_paper(actor=worker, draft=draft_for(world.edition, world.community,
                                                           estimated_budget=Decimal("999999")),
                             proposer_name="", consent=False)

    assert set(refused.value.message_dict) == {"consent", "proposer_name", "estimated_budget"}
    nothing_created()


def test_a_paper_idea_with_a_wrong_phone_number_is_refused(world, worker, nothing_created):
    with pytest.raises(ValidationError) as refused:
        idea_record_on_paper(actor=worker, draft=draft_for(world.edition, world.community),
                             proposer_name="王秀兰", proposer_phone="8888888", consent=True)

    assert "11-digit mobile number" in message_of(refused.value, "proposer_phone")
    nothing_created()


@pytest.mark.parametrize("who", ["worker of the neighbouring community", "worker of another street",
                                 "street officer", "resident"])
def test_only_a_worker_of_the_community_records_its_paper_ideas(world, nothing_created, who):
    actor = {
        "worker of the neighbouring community": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.neighbour),
        "worker of another street": lambda: staff_user(Role.COMMUNITY_WORKER, area=world.other_community),
        "street officer": lambda: staff_user(Role.STREET_OFFICER, area=world.street),
        "resident": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied) as refused:
        paper_idea(edition=world.edition, community=world.community, worker=actor)

    assert "communities you work in" in str(refused.value)
    nothing_created()


def test_the_community_worker_may_withdraw_a_paper_idea_of_their_community(world, worker):
    idea = paper_idea(edition=world.edition, community=world.community, worker=worker)
    colleague = staff_user(Role.COMMUNITY_WORKER, area=world.community)

    idea_withdraw(actor=colleague, idea=idea, reason="居民电话要求撤回")

    idea = Idea.objects.get(pk=idea.pk)
    assert idea.state == "withdrawn"
    assert history(idea)[-1] == ("withdraw", "submitted", "withdrawn", colleague)
    assert audit_trail(idea)[-1] == ("idea.withdraw", colleague)


def test_a_worker_of_another_community_may_not_withdraw_a_paper_idea(world, worker):
    idea = paper_idea(edition=world.edition, community=world.community, worker=worker)
    elsewhere = staff_user(Role.COMMUNITY_WORKER, area=world.neighbour)

    with pytest.raises(PermissionDenied):
        idea_withdraw(actor=elsewhere, idea=idea)

    assert Idea.objects.get(pk=idea.pk).state == "submitted"
    assert len(audit_trail(idea)) == 1
