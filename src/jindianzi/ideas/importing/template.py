"""The .xlsx template a worker downloads and fills in."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMN_BY_KEY, COLUMNS, EXAMPLE
from .communities import CommunityIndex
from .limits import max_rows

DATA_SHEET = "金点子"
OPTIONS_SHEET = "选项"
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
