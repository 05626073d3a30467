"""Importing paper ideas from an Excel workbook (.xlsx).

A community worker downloads the template (:func:`build_template`), types the
paper forms into it, uploads it (:func:`idea_import_upload`), reviews every
problem row by row, and then imports nothing (:func:`idea_import_discard`) or
the valid rows (:func:`idea_import_commit`).

The rules an idea must meet live in ``services.py`` and are not repeated here:
each row is checked by calling :func:`idea_record_on_paper` inside a savepoint
that is always rolled back, so the review lists exactly what the real import
would refuse. This module adds only what belongs to spreadsheets: reading
cells, finding communities, categories and organisations by name, and
spotting likely duplicates before anything is imported.
"""

import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from jindianzi.accounts.models import Role
from jindianzi.accounts.selectors import areas_where
from jindianzi.areas.models import Area
from jindianzi.areas.selectors import communities_of
from jindianzi.core.audit import audit
from jindianzi.core.money import MAX_DIGITS, yuan
from jindianzi.core.privacy import normalise_phone
from jindianzi.editions.selectors import editions_collecting
from jindianzi.organizations.models import Organization

from .models import Channel, Idea, IdeaImport, ImportStatus, ProposerKind
from .selectors import communities_recorded_by
from .services import IdeaDraft, idea_record_on_paper
from .workflow import COLLECTED_STATES

# Limits that keep one upload a few seconds of work. Settings may lower or raise them.
DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A small .xlsx can unpack to gigabytes (a "zip bomb"); refuse before openpyxl reads it.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
# Titles rows may carry above the header row ("2018年老爷庙社区金点子汇总表").
HEADER_SEARCH_ROWS = 10
# Character-bigram Jaccard similarity from which two titles of the same proposer count as one idea.
# "修缮3号楼楼道" / "修缮5号楼楼道" score 0.50 (two ideas); a title with one word added or
# changed scores 0.75 and more.
SIMILAR_TITLE = 0.6

DATA_SHEET = "金点子"
OPTIONS_SHEET = "选项"


def max_rows() -> int:
    return getattr(settings, "JINDIANZI_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_bytes() -> int:
    return getattr(settings, "JINDIANZI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class ImportRefused(ValidationError):
    """The file as a whole cannot be read; nothing was stored."""


class ImportOutdated(ValidationError):
    """The data changed between review and import; the worker must look again."""


# --- The columns -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str  # the IdeaDraft / idea_record_on_paper argument the column fills
    header: str  # as the template writes it: Chinese, like the paper form
    aliases: tuple[str, ...]  # also accepted, so that a file can be prepared in English
    width: int
    required: bool = True


COLUMNS = (
    Column("community", "社区", ("community",), 16),
    Column("category", "服务类别", ("category", "service category"), 18),
    Column("title", "标题", ("title",), 30),
    Column("problem", "存在的问题", ("problem", "the problem", "问题"), 40),
    Column("proposal", "建议方案", ("proposal", "the proposal", "方案"), 40),
    Column("beneficiaries", "受益人群", ("beneficiaries", "who benefits"), 24),
    Column("estimated_budget", "预估预算（元）", ("estimated budget", "estimated budget (yuan)", "budget",
                                               "预估预算", "预算"), 15),
    Column("proposer_name", "提案人姓名", ("proposer name", "name", "proposer", "姓名", "提案人"), 12),
    Column("proposer_phone", "联系电话", ("phone", "mobile", "mobile number", "proposer phone", "手机号"), 15,
           required=False),
    Column("proposer_kind", "提案人类型", ("proposer type", "proposer kind"), 14, required=False),
    Column("proposer_organization", "提案组织", ("organisation", "organization", "proposing organisation",
                                             "proposing organization"), 24, required=False),
    Column("anonymous", "是否匿名", ("anonymous", "匿名"), 10, required=False),
    Column("consent", "已征得本人同意", ("consent", "consented", "本人同意"), 14),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "同意"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "不同意"}
# The paper form's words for who proposes; the template offers exactly these.
KIND_WORDS = {
    **{kind.value: kind for kind in ProposerKind},
    "居民": ProposerKind.RESIDENT,
    "社区自组织": ProposerKind.SELF_ORGANIZATION,
    "社区社会组织": ProposerKind.SOCIAL_ORGANIZATION,
    "resident": ProposerKind.RESIDENT,
    "self-organisation": ProposerKind.SELF_ORGANIZATION,
    "self-organization": ProposerKind.SELF_ORGANIZATION,
    "community self-organisation": ProposerKind.SELF_ORGANIZATION,
    "community self-organization": ProposerKind.SELF_ORGANIZATION,
    "social organisation": ProposerKind.SOCIAL_ORGANIZATION,
    "social organization": ProposerKind.SOCIAL_ORGANIZATION,
    "community social organisation": ProposerKind.SOCIAL_ORGANIZATION,
    "community social organization": ProposerKind.SOCIAL_ORGANIZATION,
}

# The template's example row. A row equal to it is an example left in place, not an idea.
EXAMPLE = {
    "title": "（示例）为独居老人建立每日问候队",
    "problem": "社区独居老人多，子女不在身边，出现意外无人知晓。",
    "proposal": "组织低龄老人和志愿者结对，每天上门或电话问候一次，发现情况及时联系社区。",
    "beneficiaries": "社区60岁以上独居老人约80人",
    "estimated_budget": 12000,
    "proposer_name": "王秀兰",
    "proposer_phone": "13800138000",
    "proposer_kind": "居民",
    "proposer_organization": "",
    "anonymous": "否",
    "consent": "是",
}


def _key(text: str) -> str:
    """Fold what people vary (width, case, spaces, separators) so names and headers compare equal."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_*·・/|-—")


HEADER_KEYS = {_key(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)}


# --- Reading the workbook ----------------------------------------------------------------------

@dataclass
class Sheet:
    """What the workbook says, as text: the header of each known column and the data rows."""

    headers: dict[str, str]  # column key -> header text as written in the file
    rows: list[dict]  # {"row": Excel row number, "cells": {column key: text}}
    example_row: int | None = None

    def to_json(self) -> str:
        return json.dumps({"headers": self.headers, "rows": self.rows, "example_row": self.example_row},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Sheet":
        data = json.loads(text)
        return cls(headers=data["headers"], rows=data["rows"], example_row=data.get("example_row"))


def cell_text(value) -> str:
    """A cell as the text the person typed.

    openpyxl gives numbers as int or float. A float goes through ``repr`` (the
    shortest text that reads back as the same float), so 1200.5 stays "1200.5"
    and becomes 1200.50 yuan; a whole float (a phone number Excel wrote in
    exponent form) loses its ".0".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def read_sheet(upload) -> Sheet:
    """Read the first sheet with a header row; raise ImportRefused with a clear reason otherwise."""
    workbook = _open_workbook(upload)
    try:
        for worksheet in workbook.worksheets:
            # Some programs write a wrong size into the file; read every row that is there.
            worksheet.reset_dimensions()
            sheet = _read_worksheet(worksheet)
            if sheet is not None:
                return sheet
    finally:
        workbook.close()
    raise ImportRefused(
        _("No header row found. The first row must name the columns as the template does: %(columns)s.")
        % {"columns": "、".join(c.header for c in COLUMNS if c.required)}
    )


def _open_workbook(upload):
    name = getattr(upload, "name", "") or _("the file")
    size = upload.size
    if size > max_bytes():
        raise ImportRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{size / 2**20:.1f}", "limit": f"{max_bytes() / 2**20:.0f}"}
        )
    not_a_workbook = ImportRefused(
        _("%(name)s is not an Excel workbook (.xlsx). In Excel or WPS choose “Save as”, pick the type "
          "“Excel workbook (*.xlsx)”, and upload that file.") % {"name": name}
    )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise not_a_workbook
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportRefused(_("The workbook is too large once unpacked. Split it into smaller files."))
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        # A damaged or foreign zip (an .ods, a .docx) fails in many ways inside openpyxl;
        # for the person uploading it they all mean the same thing.
        raise not_a_workbook from None


def _read_worksheet(worksheet) -> Sheet | None:
    rows = worksheet.iter_rows(values_only=True)
    headers, columns = None, None
    for number, values in enumerate(rows, start=1):
        if headers is None:
            if number > HEADER_SEARCH_ROWS:
                return None
            found = _header_columns(values)
            if len(found) >= 3:
                headers, columns = _check_headers(found)
                data = []
            continue
        cells = {key: cell_text(values[index]) if index < len(values) else "" for key, index in columns.items()}
        if any(cells.values()):
            if len(data) > max_rows() + 1:  # enough to tell "too many", even with the example row left in
                break
            data.append({"row": number, "cells": cells})
    if headers is None:
        return None
    return _sheet_without_example(headers, data)


def _header_columns(values) -> list[tuple[str, int, str]]:
    found = []
    for index, value in enumerate(values or ()):
        text = cell_text(value)
        key = HEADER_KEYS.get(_key(text)) if text else None
        if key:
            found.append((key, index, text))
    return found


def _check_headers(found) -> tuple[dict[str, str], dict[str, int]]:
    headers, columns = {}, {}
    for key, index, text in found:
        if key in columns:
            raise ImportRefused(_("The column %(column)s appears twice. Keep one of them.") % {"column": text})
        headers[key], columns[key] = text, index
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise ImportRefused(
            _("These columns are missing: %(columns)s. Download the template to see every column.")
            % {"columns": "、".join(missing)}
        )
    return headers, columns


def _sheet_without_example(headers, data) -> Sheet:
    example_row = None
    if data and all(data[0]["cells"].get(k, "") == EXAMPLE[k] for k in ("title", "problem", "proposal")):
        example_row = data.pop(0)["row"]
    if not data:
        raise ImportRefused(_("There are no ideas under the header row. Type one idea per row, then upload again."))
    if len(data) > max_rows():
        raise ImportRefused(
            _("The file has more than %(limit)s ideas. Split it into files of at most %(limit)s rows each.")
            % {"limit": max_rows()}
        )
    return Sheet(headers=headers, rows=data, example_row=example_row)


# --- Parsing one row ---------------------------------------------------------------------------

class CellError(Exception):
    """A cell that cannot be read as what its column needs; the message is for the worker."""


class CommunityIndex:
    """The communities of an edition's district by the names a file may use for them."""

    def __init__(self, edition):
        self.district = edition.district
        self.communities = list(communities_of(edition.district))
        self.by_name, self.by_full_name = {}, {}
        for community in self.communities:
            self.by_name.setdefault(_key(community.name), []).append(community)
            self.by_full_name[_key(community.parent.name + community.name)] = community

    def label(self, community) -> str:
        """The name to write in a file: the street is added only where two communities share a name."""
        if len(self.by_name.get(_key(community.name), [])) > 1:
            return f"{community.parent.name}·{community.name}"
        return community.name

    def find(self, text: str):
        """The community a cell names ("老爷庙社区", or "西屯街道·花园社区" where names repeat)."""
        district = self.district.name
        if not text:
            raise CellError(_("Write the name of a community of %(district)s.") % {"district": district})
        key = _key(text)
        if key in self.by_full_name:
            return self.by_full_name[key]
        matches = self.by_name.get(key, [])
        if not matches:
            raise CellError(_("There is no community called %(name)s in %(district)s.")
                            % {"name": text, "district": district})
        if len(matches) > 1:
            raise CellError(_("Several communities are called %(name)s; write the street too, for example "
                              "%(example)s.") % {"name": text, "example": self.label(matches[0])})
        return matches[0]


@dataclass
class Lookups:
    """What rows are read against: the edition, the worker, and the names a file may use."""

    edition: object
    actor: object
    communities: CommunityIndex | None = None
    categories: dict = field(default_factory=dict)  # folded name or code -> category
    organizations: dict = field(default_factory=dict)  # name -> organisation
    stand_in: object = None  # a community the actor may record for; see _rule_errors

    @classmethod
    def build(cls, *, edition, actor, sheet: "Sheet") -> "Lookups":
        lookups = cls(edition=edition, actor=actor, communities=CommunityIndex(edition))
        for category in edition.categories.all():
            for name in (category.name_zh, category.name_en, category.code):
                lookups.categories[_key(name)] = category
        names = {row["cells"].get("proposer_organization", "") for row in sheet.rows} - {""}
        lookups.organizations = {o.name: o for o in Organization.objects.filter(name__in=names)}
        lookups.stand_in = next((c for c in lookups.communities.communities if _may_record_for(actor, c)), None)
        return lookups


def _may_record_for(actor, community) -> bool:
    return actor.has_perm("ideas.enter_paper_idea", community)


def _community(lookups: Lookups, text: str):
    community = lookups.communities.find(text)
    if not _may_record_for(lookups.actor, community):
        raise CellError(_("%(name)s is not a community you work in; you can only import ideas of your own "
                          "communities.") % {"name": text})
    return community


def _category(lookups: Lookups, text: str):
    category = lookups.categories.get(_key(text)) if text else None
    if category is None:
        names = "、".join(c.label for c in lookups.edition.categories.all())
        raise CellError(_("Write one of this edition's service categories: %(names)s.") % {"names": names})
    return category


def _amount(lookups: Lookups, text: str):
    if not text:
        return None  # the service says what an empty budget means
    try:
        amount = yuan(text)
    except ValueError:
        raise CellError(_("Not an amount of money. Write a number of yuan, such as 1200 or 1200.50.")) from None
    if amount.copy_abs() >= Decimal(10) ** (MAX_DIGITS - 2):
        raise CellError(_("This amount is far too large."))
    return amount


def _yes_no(lookups: Lookups, text: str) -> bool:
    word = _key(text)
    if word in YES_WORDS:
        return True
    if not word or word in NO_WORDS:
        return False
    raise CellError(_("Write 是 (yes) or 否 (no)."))


def _proposer_kind(lookups: Lookups, text: str) -> str:
    if not text:
        return ProposerKind.RESIDENT
    kind = KIND_WORDS.get(unicodedata.normalize("NFKC", text).casefold().strip())
    if kind is None:
        raise CellError(_("Write 居民, 社区自组织 or 社区社会组织."))
    return kind


def _organization(lookups: Lookups, text: str):
    if not text:
        return None
    organization = lookups.organizations.get(text)
    if organization is None:
        raise CellError(_("No organisation called %(name)s is registered on the platform.") % {"name": text})
    return organization


def _proposer_name(lookups: Lookups, text: str) -> str:
    # The service checks that a name is there; the column's size is the database's limit.
    limit = Idea._meta.get_field("proposer_name").max_length
    if len(text) > limit:
        raise CellError(_("The name is too long (at most %(limit)s characters).") % {"limit": limit})
    return text


def _text(lookups: Lookups, text: str) -> str:
    return text


PARSERS = {
    "community": (_community, None),
    "category": (_category, None),
    "estimated_budget": (_amount, None),
    "proposer_name": (_proposer_name, ""),
    "proposer_kind": (_proposer_kind, ProposerKind.RESIDENT),
    "proposer_organization": (_organization, None),
    "anonymous": (_yes_no, False),
    "consent": (_yes_no, False),
}


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (column key or None, reason)

    @property
    def valid(self) -> bool:
        return not self.problems


def parse_row(lookups: Lookups, number: int, cells: dict) -> tuple[Row, set[str]]:
    """Read each cell; a cell that cannot be read gets a neutral value and a problem."""
    row, unreadable = Row(number=number), set()
    for column in COLUMNS:
        parse, fallback = PARSERS.get(column.key, (_text, ""))
        try:
            row.values[column.key] = parse(lookups, cells.get(column.key, ""))
        except CellError as exc:
            row.values[column.key] = fallback
            row.problems.append((column.key, str(exc)))
            unreadable.add(column.key)
    return row, unreadable


def _draft(lookups: Lookups, row: Row, community) -> IdeaDraft:
    values = row.values
    return IdeaDraft(
        edition=lookups.edition, community=community, category=values["category"], title=values["title"],
        problem=values["problem"], proposal=values["proposal"], beneficiaries=values["beneficiaries"],
        estimated_budget=values["estimated_budget"], proposer_kind=values["proposer_kind"],
        proposer_organization=values["proposer_organization"], anonymous=values["anonymous"],
    )


def _record(lookups: Lookups, row: Row, community=None) -> Idea:
    values = row.values
    return idea_record_on_paper(
        actor=lookups.actor, draft=_draft(lookups, row, community or values["community"]),
        proposer_name=values["proposer_name"], proposer_phone=values["proposer_phone"],
        consent=values["consent"], channel=Channel.IMPORT,
    )


class _RolledBack(Exception):
    pass


def _rule_errors(lookups: Lookups, row: Row, unreadable: set[str]) -> dict:
    """What the service says about the row: record it for real inside a savepoint, then roll back.

    When the row's own community cannot be used, a community the worker may
    record for stands in, so that the worker still learns everything else that
    is wrong with the row in one go.
    """
    community = lookups.stand_in if "community" in unreadable else row.values["community"]
    try:
        with transaction.atomic():
            _record(lookups, row, community)
            raise _RolledBack
    except _RolledBack:
        return {}
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return {(None if key == NON_FIELD_ERRORS else key): messages
                    for key, messages in exc.message_dict.items()}
        return {None: exc.messages}
    except PermissionDenied as exc:
        return {"community": [str(exc)]}
    except DataError:
        # The database refused a value the rules let through; say so rather than fail the whole file.
        return {None: [_("A value in this row is too long or too large to be stored.")]}


def check_row(lookups: Lookups, number: int, cells: dict) -> Row:
    row, unreadable = parse_row(lookups, number, cells)
    for key, messages in _rule_errors(lookups, row, unreadable).items():
        if key not in unreadable:
            row.problems.extend((key, message) for message in messages)
    return row


# --- Likely duplicates -------------------------------------------------------------------------

def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in unicodedata.normalize("NFKC", text or "").casefold() if ch.isalnum()]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:])}


def title_similarity(first: str, second: str) -> float:
    """Jaccard similarity of character bigrams: works on Chinese, which has no spaces between words."""
    a, b = _bigrams(first), _bigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _proposer(name: str, phone: str) -> tuple[str, str]:
    # Two entries without a phone number count as one proposer when the names agree.
    return (name or "").strip(), normalise_phone(phone)


def find_duplicates(edition, rows: list[Row]) -> list[dict]:
    """Valid rows that look like an idea already in the edition, or like an earlier row of the file."""
    names = {row.values["proposer_name"].strip() for row in rows}
    existing = {}
    for idea in Idea.objects.filter(edition=edition, proposer_name__in=names, state__in=COLLECTED_STATES).only(
            "tracking_code", "title", "proposer_name", "proposer_phone"):
        existing.setdefault(_proposer(idea.proposer_name, idea.proposer_phone), []).append(idea)
    earlier, flagged = {}, []
    for row in rows:
        who, title = _proposer(row.values["proposer_name"], row.values["proposer_phone"]), row.values["title"]
        match = _best_match(title, existing.get(who, []), lambda idea: idea.title)
        if match:
            idea, score = match
            flagged.append({"row": row.number, "title": title, "like_code": idea.tracking_code,
                            "like_title": idea.title, "similarity": round(score, 2)})
        else:
            match = _best_match(title, earlier.get(who, []), lambda other: other.values["title"])
            if match:
                other, score = match
                flagged.append({"row": row.number, "title": title, "like_row": other.number,
                                "like_title": other.values["title"], "similarity": round(score, 2)})
        earlier.setdefault(who, []).append(row)
    return flagged


def _best_match(title: str, candidates, title_of):
    scored = [(candidate, title_similarity(title, title_of(candidate))) for candidate in candidates]
    scored = [pair for pair in scored if pair[1] >= SIMILAR_TITLE]
    return max(scored, key=lambda pair: pair[1]) if scored else None


# --- The report --------------------------------------------------------------------------------

def check_sheet(*, actor, edition, sheet: Sheet) -> tuple[dict[int, Row], dict]:
    """Check every row; return the rows by number and the report the review page shows."""
    lookups = Lookups.build(edition=edition, actor=actor, sheet=sheet)
    rows = {raw["row"]: check_row(lookups, raw["row"], raw["cells"]) for raw in sheet.rows}
    valid = [row for row in rows.values() if row.valid]

    def header(key):
        if key is None:
            return ""
        return sheet.headers.get(key) or (COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else key)

    report = {
        "total": len(rows),
        "valid": [row.number for row in valid],
        "invalid": [row.number for row in rows.values() if not row.valid],
        "problems": [{"row": row.number, "column": header(key), "reason": reason}
                     for row in rows.values() for key, reason in row.problems],
        "duplicates": find_duplicates(edition, valid),
        "communities": sorted({row.values["community"].pk for row in rows.values() if row.values["community"]}),
        "example_row": sheet.example_row,
    }
    return rows, report


def rows_to_import(report: dict, *, skip_duplicates: bool = True) -> list[int]:
    flagged = {d["row"] for d in report["duplicates"]} if skip_duplicates else set()
    return [number for number in report["valid"] if number not in flagged]


def problem_line(problem: dict) -> str:
    """One problem as a sentence: "第5行，预估预算（元）：不是金额"."""
    if problem["column"]:
        return _("Row %(row)s, %(column)s: %(reason)s") % problem
    return _("Row %(row)s: %(reason)s") % problem


def duplicate_line(duplicate: dict) -> str:
    if duplicate.get("like_code"):
        return _("Row %(row)s “%(title)s” looks like idea %(like_code)s “%(like_title)s” of the same proposer.") \
            % duplicate
    return _("Row %(row)s “%(title)s” looks like row %(like_row)s “%(like_title)s” of the same proposer.") \
        % duplicate


# --- Changes: upload, commit, discard ----------------------------------------------------------

def _require_importer(actor) -> None:
    if actor is None or not actor.has_perm("ideas.import_ideas"):
        raise PermissionDenied(_("Only community workers can import ideas."))


@transaction.atomic
def idea_import_upload(*, actor, edition, upload) -> IdeaImport:
    """Read and check an uploaded workbook and keep it for review. Imports nothing yet.

    ``upload`` is a file object with ``name`` and ``size`` (a Django upload, or
    ``django.core.files.File`` around an open file). A file that cannot be read
    raises ImportRefused and stores nothing.
    """
    _require_importer(actor)
    sheet = read_sheet(upload)
    _rows, report = check_sheet(actor=actor, edition=edition, sheet=sheet)
    record = IdeaImport.objects.create(
        edition=edition, uploaded_by=actor, original_filename=_file_name(upload),
        rows_sealed=sheet.to_json(), report=report,
    )
    audit(actor=actor, action="idea_import.upload", target=record,
          after={"file": record.original_filename, "rows": report["total"], "invalid": len(report["invalid"]),
                 "duplicates": len(report["duplicates"])})
    return record


def _file_name(upload) -> str:
    name = str(getattr(upload, "name", "") or "upload.xlsx").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:255]


def _decision_lock(actor, record: IdeaImport) -> IdeaImport:
    """The import, locked so that a second click waits for the first and then finds it decided."""
    record = IdeaImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PENDING:
        raise ValidationError(_("This file was already dealt with (%(status)s); nothing more was imported.")
                              % {"status": record.get_status_display()})
    if actor is None or not actor.has_perm("ideas.decide_import", record):
        raise PermissionDenied(_("Only the person who uploaded this file can decide what to import."))
    return record


def idea_import_commit(*, actor, record: IdeaImport, skip_duplicates: bool = True) -> list[Idea]:
    """Import the valid rows (without the likely duplicates unless asked), all or nothing.

    The rows are checked again first. If the result differs from what the worker
    reviewed (someone imported the same ideas meanwhile, the collection closed),
    nothing is imported, the report is updated and ImportOutdated is raised.
    """
    with transaction.atomic():
        record = _decision_lock(actor, record)
        reviewed = rows_to_import(record.report, skip_duplicates=skip_duplicates)
        rows, report = check_sheet(actor=actor, edition=record.edition, sheet=Sheet.from_json(record.rows_sealed))
        outdated = rows_to_import(report, skip_duplicates=skip_duplicates) != reviewed
        if outdated:
            record.report = report
            record.save(update_fields=["report"])
        else:
            if not reviewed:
                raise ValidationError(_("There are no valid rows to import."))
            ideas = _commit_rows(actor, record, rows, reviewed, report)
    if outdated:
        raise ImportOutdated(_("Something changed since you looked at this file. Nothing was imported; "
                               "please check the rows again."))
    return ideas


def _commit_rows(actor, record: IdeaImport, rows: dict[int, Row], numbers: list[int], report: dict) -> list[Idea]:
    lookups = Lookups(edition=record.edition, actor=actor)
    ideas = [_record(lookups, rows[number]) for number in numbers]
    report["created"] = [{"row": n, "code": idea.tracking_code, "title": idea.title}
                         for n, idea in zip(numbers, ideas)]
    report["skipped"] = [n for n in report["valid"] if n not in set(numbers)]
    # The residents' details now live in the ideas; the upload need not keep a copy.
    record.report, record.rows_sealed = report, ""
    record.status, record.committed_at = ImportStatus.COMMITTED, timezone.now()
    record.save(update_fields=["report", "rows_sealed", "status", "committed_at"])
    audit(actor=actor, action="idea_import.commit", target=record,
          after={"created": [c["code"] for c in report["created"]], "skipped": report["skipped"]})
    return ideas


@transaction.atomic
def idea_import_discard(*, actor, record: IdeaImport) -> IdeaImport:
    """Import nothing from this file, and forget the residents' details it held."""
    record = _decision_lock(actor, record)
    record.status, record.committed_at, record.rows_sealed = ImportStatus.DISCARDED, timezone.now(), ""
    record.save(update_fields=["status", "committed_at", "rows_sealed"])
    audit(actor=actor, action="idea_import.discard", target=record, after={"status": record.status})
    return record


# --- Reads -------------------------------------------------------------------------------------

def imports_of(user):
    return IdeaImport.objects.filter(uploaded_by=user).select_related("edition")


def editions_for_import(user) -> list:
    """Editions collecting ideas in a district where the user works as a community worker, newest first."""
    areas = areas_where(user, Role.COMMUNITY_WORKER)
    return [edition for edition in editions_collecting()
            if any(edition.district.contains(area) for area in areas)]


def communities_for_import(user, edition) -> list:
    return list(communities_recorded_by(user).filter(path__startswith=edition.district.path))


# --- The template ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="F6EFE7")


def build_template(*, edition, communities) -> bytes:
    """The .xlsx a worker fills in: Chinese headers, one example row, and the valid names on a second sheet."""
    index = CommunityIndex(edition)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    options = workbook.create_sheet(OPTIONS_SHEET)
    names = {
        "community": [index.label(c) for c in communities],
        "category": [c.name_zh for c in edition.categories.all()],
        "proposer_kind": ["居民", "社区自组织", "社区社会组织"],
        "anonymous": ["是", "否"],
    }
    _write_options(options, names)
    _write_headers(sheet)
    sheet.append([_example_value(column.key, names) for column in COLUMNS])
    _add_validations(sheet, names)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_headers(sheet) -> None:
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B3261E" if column.required else "1D1B1A")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.key == "proposer_phone":
            dimension.number_format = "@"  # typed as text, so Excel keeps all eleven digits
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30


def _write_options(options, names: dict) -> None:
    for index, key in enumerate(("community", "category", "proposer_kind", "anonymous"), start=1):
        options.cell(row=1, column=index, value=COLUMN_BY_KEY[key].header).font = Font(bold=True)
        options.column_dimensions[get_column_letter(index)].width = 24
        for offset, name in enumerate(names[key], start=2):
            options.cell(row=offset, column=index, value=name)
    options.freeze_panes = "A2"


def _example_value(key: str, names: dict):
    if key in ("community", "category"):
        return names[key][0] if names[key] else ""
    return EXAMPLE[key]


def _add_validations(sheet, names: dict) -> None:
    last = max_rows() + 1
    option_column = {"community": "A", "category": "B", "proposer_kind": "C", "anonymous": "D"}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.key in option_column and names.get(column.key):
            source = option_column[column.key]
            formula = f"{quote_sheetname(OPTIONS_SHEET)}!${source}$2:${source}${len(names[column.key]) + 1}"
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                        errorTitle=column.header, error="请从下拉列表中选择。")
        elif column.key == "consent":
            formula = f"{quote_sheetname(OPTIONS_SHEET)}!$D$2:$D$3"
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                        errorTitle=column.header, error="请填写“是”或“否”。")
        elif column.key == "estimated_budget":
            validation = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                                        showErrorMessage=True, errorTitle=column.header,
                                        error="请填写大于0的金额（元）。")
        else:
            continue
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
