"""The printable agreement (项目协议) as a PDF, always in Chinese, the agreement's official language.

The words are English msgids (context "agreement document") rendered under
``zh-hans``. The text is set in WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0),
installed from PyPI with the ``paperang-p2-fonts-cjk`` package; only the
glyphs a document uses are embedded (subsets of a few tens of kilobytes), so
it prints the same on any machine and nothing is fetched at run time.

The font is read once per process (about 0.4 s); each document then takes a few
hundredths of a second.
"""

import functools
import io
from decimal import Decimal
from html import escape
from importlib.resources import files

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jindianzi.funds.split import split_exact

from .models import Agreement

FONT = "WenQuanYiMicroHei"
FONT_FILE = files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
MARGIN = 20 * mm
GREY = colors.Color(0.92, 0.92, 0.92)


@functools.cache
def _font() -> str:
    """Register the font once per process; every document embeds its own subset of it."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


def money(amount: Decimal) -> str:
    """Yuan as a Decimal string with two places: ``4200.00``."""
    return f"{amount:.2f}"


def percent(share: Decimal) -> str:
    """A share as a percentage without trailing zeros: 0.6000 → ``60%``, 0.3333 → ``33.33%``."""
    return f"{(share * 100).normalize():f}%"


def _date(value) -> str:
    return formats.date_format(timezone.localdate(value), "DATE_FORMAT") if value else "—"


def _words() -> dict[str, str]:
    """The document's words in the active language."""
    return {
        "title": pgettext("agreement document", "Project agreement"),
        "number": pgettext("agreement document", "Agreement number: %(code)s"),
        "footer": pgettext("agreement document", "Agreement %(code)s · page %(page)s of %(pages)s"),
        "project": _("Project"),
        "project_code": pgettext("agreement document", "Project code"),
        "edition": _("Edition"),
        "framework": pgettext("agreement document", "Cooperation framework"),
        "framework_text": pgettext("agreement document", "The five-party cooperation agreement of %(edition)s"),
        "agreed": pgettext("agreement document", "Agreed amount (yuan)"),
        "state": pgettext("agreement document", "State"),
        "drawn_up": pgettext("agreement document", "Drawn up on"),
        "in_force": pgettext("agreement document", "In force since"),
        "parties": pgettext("agreement document", "1. The parties"),
        "role": pgettext("agreement document", "Role"),
        "party": pgettext("agreement document", "Party"),
        "signed_on": pgettext("agreement document", "Confirmed on"),
        "not_signed": pgettext("agreement document", "Not yet confirmed"),
        "budget": pgettext("agreement document", "2. Budget"),
        "no": pgettext("agreement document", "No."),
        "item": _("Item"),
        "amount": _("Amount (yuan)"),
        "total": _("Total"),
        "funding": pgettext("agreement document", "3. Funding"),
        "source": pgettext("agreement document", "Funding source"),
        "share": pgettext("agreement document", "Share"),
        "split_rule": pgettext("agreement document",
                               "Each source pays its share of the agreed amount to the fen: the shares are rounded "
                               "down to the fen and the fen left over go to the sources that lost most in rounding "
                               "(largest remainder), so the amounts add up to the agreed amount. The instalments "
                               "are divided the same way."),
        "split_reason": pgettext("agreement document", "Why the split differs from the edition's: %(reason)s"),
        "instalments": pgettext("agreement document", "4. Instalments"),
        "milestone": pgettext("agreement document", "Milestone"),
        "reached": pgettext("agreement document", "Milestone reached on"),
        "signatures": pgettext("agreement document", "5. Signatures and seals"),
        "sign_here": pgettext("agreement document",
                              "Each party signs and affixes its seal below. The dates on which the parties confirmed "
                              "the agreement in their own accounts are listed under 1."),
        "signature": pgettext("agreement document", "Signature of the representative: ________________"),
        "seal": pgettext("agreement document", "(seal)"),
        "date": pgettext("agreement document", "Date: ________ (year) ____ (month) ____ (day)"),
    }


def _styles(font: str) -> dict[str, ParagraphStyle]:
    # wordWrap="CJK" breaks lines between any two characters (keeping 、。） off the start of a line).
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontSize=20, leading=28, alignment=TA_CENTER),
        "number": ParagraphStyle("number", body, fontSize=11, alignment=TA_CENTER, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", body, fontSize=13, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm,
                                  keepWithNext=1),
        "note": ParagraphStyle("note", body, fontSize=9, leading=13, spaceBefore=1.5 * mm),
        "cell": ParagraphStyle("cell", body, fontSize=10, leading=14),
        "right": ParagraphStyle("right", body, fontSize=10, leading=14, alignment=TA_RIGHT),
        "centre": ParagraphStyle("centre", body, fontSize=10, leading=14, alignment=TA_CENTER),
    }


class _Document:
    """The story of one document: paragraphs and tables in the agreement's font."""

    def __init__(self, font: str):
        self.font, self.styles, self.story = font, _styles(font), []
        # Tables set their cells' font even where the cells are paragraphs: Helvetica unless told.
        self.table_font = [("FONT", (0, 0), (-1, -1), font)]

    def text(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(str(text), quote=False), self.styles[style])

    def add(self, text: str, style: str = "body") -> None:
        self.story.append(self.text(text, style))

    def table(self, rows: list[list[str]], widths: tuple, align: tuple, *, headings: bool = True,
              total: list[str] | None = None) -> None:
        """A table over the text width; its first row is its headings (repeated on each page) unless told not."""
        rows = rows + ([total] if total else [])
        width = A4[0] - 2 * MARGIN
        cells = [[self.text(value, style) for value, style in zip(row, align)] for row in rows]
        style = [*self.table_font, ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
        if headings:
            style.append(("BACKGROUND", (0, 0), (-1, 0), GREY))
        if total:
            style.append(("BACKGROUND", (0, -1), (-1, -1), GREY))
        self.story.append(Table(cells, colWidths=[width * w / sum(widths) for w in widths],
                                repeatRows=1 if headings else 0, style=TableStyle(style)))


def _numbered_canvas(font: str, footer: str, code: str):
    """A canvas that writes "page n of N" at the foot of each page once it knows N."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 9)
                self.setFillGray(0.35)
                self.drawCentredString(A4[0] / 2, 12 * mm, footer % {
                    "code": code, "page": number, "pages": len(self._pages)})
                super().showPage()
            super().save()

    return NumberedCanvas


def _load(agreement: Agreement):
    agreement = Agreement.objects.select_related("project", "edition").get(pk=agreement.pk)
    return (agreement, list(agreement.parties.all()), list(agreement.lines.all()),
            list(agreement.shares.select_related("source__organization")), list(agreement.instalments.all()))


def agreement_pdf_bytes(agreement: Agreement) -> bytes:
    """The agreement as a printable A4 PDF in Chinese, with the font it needs embedded."""
    agreement, parties, lines, shares, instalments = _load(agreement)
    with translation.override("zh-hans"):
        return _render(agreement, parties, lines, shares, instalments, _words(), _font())


def _render(agreement, parties, lines, shares, instalments, w, font) -> bytes:
    project, edition = agreement.project, agreement.edition
    doc = _Document(font)
    doc.add(w["title"], "title")
    doc.add(w["number"] % {"code": agreement.code}, "number")
    doc.table([
        [w["project"], project.title],
        [w["project_code"], project.code],
        [w["edition"], edition.name],
        [w["framework"], w["framework_text"] % {"edition": edition.name}],
        [w["agreed"], money(agreement.total)],
        [w["state"], agreement.get_state_display()],
        [w["drawn_up"], _date(agreement.created_at)],
        [w["in_force"], _date(agreement.activated_at)],
    ], widths=(1, 3), align=("cell", "cell"), headings=False)

    # Each party and the date it confirmed; not the person who confirmed for it, whose phone is private.
    doc.add(w["parties"], "heading")
    doc.table([[w["role"], w["party"], w["signed_on"]]]
              + [[p.get_role_display(), p.name, _date(p.signed_at) if p.has_signed else w["not_signed"]]
                 for p in parties],
              widths=(3, 4, 1.7), align=("cell", "cell", "centre"))

    doc.add(w["budget"], "heading")
    doc.table([[w["no"], w["item"], w["amount"]]]
              + [[str(n), line.item, money(line.amount)] for n, line in enumerate(lines, start=1)],
              widths=(0.6, 4, 1.6), align=("centre", "cell", "right"),
              total=["", w["total"], money(sum((line.amount for line in lines), Decimal("0.00")))])

    doc.add(w["funding"], "heading")
    amounts = split_exact(agreement.total, [(share.pk, share.share) for share in shares])
    doc.table([[w["source"], w["share"], w["amount"]]]
              + [[share.source.organization.name, percent(share.share), money(amounts[share.pk])]
                 for share in shares],
              widths=(4, 1, 1.6), align=("cell", "right", "right"),
              total=[w["total"], percent(sum((s.share for s in shares), Decimal(0))), money(agreement.total)])
    doc.add(w["split_rule"], "note")
    if agreement.split_reason:
        doc.add(w["split_reason"] % {"reason": agreement.split_reason}, "note")

    doc.add(w["instalments"], "heading")
    doc.table([[w["no"], w["milestone"], w["amount"], w["reached"]]]
              + [[str(n), i.get_milestone_display(), money(i.amount), _date(i.reached_at)]
                 for n, i in enumerate(instalments, start=1)],
              widths=(0.6, 3.4, 1.6, 1.8), align=("centre", "cell", "right", "centre"),
              total=["", w["total"], money(sum((i.amount for i in instalments), Decimal("0.00"))), ""])

    doc.add(w["signatures"], "heading")
    doc.add(w["sign_here"], "note")
    for party in parties:
        doc.story.append(KeepTogether([
            Spacer(1, 5 * mm), doc.text(f"{party.get_role_display()}：{party.name}"),
            Table([[doc.text(w["signature"]), doc.text(w["seal"])]], colWidths=[110 * mm, None],
                  style=TableStyle([*doc.table_font, ("LEFTPADDING", (0, 0), (-1, -1), 0)])),
            doc.text(w["date"]),
        ]))

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"{w['title']} {agreement.code}", subject=project.title, author="Jindianzi", creator="Jindianzi",
        lang="zh-CN", initialFontName=font)
    template.build(doc.story, canvasmaker=_numbered_canvas(font, w["footer"], agreement.code))
    return buffer.getvalue()
