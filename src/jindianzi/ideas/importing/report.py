"""The review of one file: every row checked, the likely duplicates, and each problem as a sentence."""

from django.utils.translation import gettext as _

from .columns import COLUMN_BY_KEY
from .duplicates import find_duplicates
from .rows import Lookups, Row, check_row
from .workbook import Sheet


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
