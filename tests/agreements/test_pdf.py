"""The printable agreement: an A4 PDF in Chinese whatever the reader's language, its font embedded as a subset."""

import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jindianzi.accounts.models import Role
from jindianzi.agreements.pdf import agreement_pdf_bytes, money, percent

from ..factories import OrganizationFactory, UserFactory, staff_user
from ..factories_funds import (
    approved_projects, cooperation_framework, drawn_agreement, fresh, funds_world, kept_for_module, sign_all,
)

SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")
SPLIT_REASON = "基金会定向资助<为老服务>&助餐"


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """西屯街道's review approved two projects: 4,200 yuan, its agreement signed by every party under the seed's
    framework (60 % foundation, 40 % finance), and 6,000.01 yuan, its agreement drawn up at 70/30 (with a reason)
    and not yet signed."""
    with kept_for_module(django_db_blocker):
        world = funds_world()
        projects = approved_projects(world, ("4200.00", "6000.01"))
        framework = cooperation_framework(world.edition, world.district)
        signed, people = drawn_agreement(world, project=projects[0], framework=framework)
        signed = sign_all(signed, people)
        drawn, _people = drawn_agreement(
            world, project=projects[1], framework=framework, split_reason=SPLIT_REASON,
            split=[(framework.foundation_source, Decimal("0.70")), (framework.finance_source, Decimal("0.30"))])
        yield SimpleNamespace(world=world, signed=signed, drawn=drawn, people=people,
                              signed_pdf=agreement_pdf_bytes(signed), drawn_pdf=agreement_pdf_bytes(drawn))


@pytest.fixture
def built(_built, db):
    return fresh(_built)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts_of(data: bytes) -> list:
    """Every font the pages use, with its descendant (the CIDFont that carries the glyphs) where it has one."""
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
            fonts.extend(descendants or [font])
    return fonts


def test_is_an_a4_pdf(built):
    assert built.signed_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(built.signed_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_every_font_is_embedded_as_a_subset(built):
    fonts = fonts_of(built.signed_pdf)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
        assert SUBSET_NAME.match(font["/BaseFont"]), font["/BaseFont"]
    # Only the glyphs used travel with the document, not the 5 MB font.
    assert len(built.signed_pdf) < 150_000
    assert len(built.drawn_pdf) < 150_000


def test_reads_in_chinese_with_the_project_and_the_money(built):
    text = text_of(built.signed_pdf)
    agreement = built.signed
    assert "项目协议" in text
    assert agreement.code in text
    assert agreement.project.title in text
    assert "4200.00" in text
    # The 60/40 split of 4,200 yuan and the 40/30/30 instalments.
    for amount in ("2520.00", "1680.00", "1260.00"):
        assert amount in text
    for party in agreement.parties.all():
        assert party.name in text


def test_splits_the_money_exactly_to_the_fen(built):
    """6,000.01 yuan: the fen left over goes where the exact share lost most in rounding down."""
    text = text_of(built.drawn_pdf)
    assert "6000.01" in text
    assert "70%" in text and "30%" in text
    assert "4200.01" in text and "1800.00" in text  # the funding at 70/30
    assert "2400.01" in text  # the instalments at 40/30/30: 2,400.01 + 1,800.00 + 1,800.00
    assert SPLIT_REASON in text  # the reason, its < > & printed as written
    assert "尚未确认" in text  # nobody has confirmed the drawn agreement yet


def test_keeps_signers_phone_numbers_out(built):
    text = text_of(built.signed_pdf)
    for person in (built.people.organiser, built.people.org_staff, built.people.street_officer):
        if person.phone:
            assert person.phone not in text


def test_formats_money_and_shares():
    assert money(Decimal("4200")) == "4200.00"
    assert money(Decimal("0.50")) == "0.50"
    assert percent(Decimal("0.6000")) == "60%"
    assert percent(Decimal("0.3333")) == "33.33%"
    assert percent(Decimal("1")) == "100%"


# --- The page ------------------------------------------------------------------------------------------------

def pdf_url(agreement) -> str:
    return reverse("agreements:pdf", args=[agreement.code])


def test_visitors_are_sent_to_sign_in(built, anon_client):
    response = anon_client.get(pdf_url(built.signed))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("stranger", ["resident", "street_elsewhere", "org_staff_elsewhere"])
def test_strangers_are_refused(built, login_as, stranger):
    if stranger == "resident":
        client = login_as(UserFactory())
    elif stranger == "street_elsewhere":
        client = login_as(Role.STREET_OFFICER, area=built.world.other_street)
    else:
        client = login_as(Role.ORG_STAFF, organization=OrganizationFactory(home_area=built.world.other_community))
    assert client.get(pdf_url(built.signed)).status_code == 403


def test_an_unknown_agreement_is_not_found(built, login_as):
    client = login_as(staff_user(Role.DISTRICT_ORGANISER, area=built.world.district))
    assert client.get(reverse("agreements:pdf", args=["NO-SUCH-XY"])).status_code == 404


@pytest.mark.parametrize("who", ["organiser", "street_officer", "org_staff", "foundation_officer", "support_staff"])
def test_serves_the_parties_inline_in_chinese(built, login_as, who, django_assert_max_num_queries):
    client = login_as(getattr(built.people, who))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the agreement's language is Chinese whatever the reader's
    with django_assert_max_num_queries(25):
        response = client.get(pdf_url(built.signed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{built.signed.code}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert "项目协议" in text_of(response.content)
