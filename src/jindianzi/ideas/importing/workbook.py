"""Reading an uploaded .xlsx into a :class:`Sheet`: size and zip-bomb checks, the header row, the data rows."""

import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import COLUMNS, EXAMPLE, HEADER_KEYS, fold
from .limits import MAX_UNPACKED_BYTES, max_bytes, max_rows

# Titles rows may carry above the header row ("2018年老爷庙社区金点子汇总表").
HEADER_SEARCH_ROWS = 10


class ImportRefused(ValidationError):
    """The file as a whole cannot be read; nothing was stored."""


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
        key = HEADER_KEYS.get(fold(text)) if text else None
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
