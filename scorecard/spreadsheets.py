"""Excel files (openpyxl): numbers are stored as numbers, text is formula-injection safe."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from scorecard.exports import EXPORT_COLUMNS, EXTRA_COLUMNS, safe_for_spreadsheet
from scorecard.formatting import escape_formula

NUMERIC = {"actual", "target", "change_vs_last_year_pct", "comparison"}


def _cell(key, value):
    if key in NUMERIC and value != "":
        return Decimal(value)
    return value


def scorecard_workbook(records: list[dict], preamble: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Scorecard"
    for line in preamble:
        sheet.append([escape_formula(str(c)) for c in line])
    columns = EXPORT_COLUMNS + EXTRA_COLUMNS
    sheet.append(columns)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for record in records:
        safe = safe_for_spreadsheet(record)
        sheet.append([_cell(c, safe[c]) for c in columns])
    sheet.freeze_panes = sheet.cell(row=len(preamble) + 2, column=1)
    for column, width in zip("ABCDEFGHIJ", [14, 50, 40, 12, 12, 12, 10, 14, 12, 8], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
