"""Excel files (openpyxl) people can use as they are: the header row first and frozen
with an autofilter, numbers stored as numbers with number formats (percentages as
numbers with a % format), RAG cells filled in their colour with the word in them,
sensible widths, text safe from formula injection; what the file is goes on an
"About" sheet, not above the header."""

import io
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scorecard.exports import EXPORT_COLUMNS, EXTRA_COLUMNS, safe_for_spreadsheet
from scorecard.formatting import escape_formula

NUMERIC = {
    "actual", "target", "change_vs_last_year_pct", "comparison", "spc_mean", "spc_lower",
    "spc_upper", "spc_points",
}  # fmt: skip
RAG_FILLS = {
    "red": ("D4351C", "FFFFFF"),
    "amber": ("FFDD00", "0B0C0C"),
    "green": ("00703C", "FFFFFF"),
    "grey": ("505A5F", "FFFFFF"),
    "not_rated": ("F3F2F1", "0B0C0C"),
}
WIDTHS = {
    "indicator": 14, "name": 48, "priority": 36, "period": 12, "actual": 12, "target": 12,
    "rag": 11, "direction": 14, "change_vs_last_year_pct": 12, "caution": 9, "owner": 9,
    "measure": 12, "comparison": 12, "caution_reason": 40, "commentary": 60,
    "variation": 18, "assurance": 14,
}  # fmt: skip
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def number_format(column: str, measure: str) -> str:
    if column in ("change_vs_last_year_pct",):
        return "0.0"  # a change in % (or percentage points): the number as shown on screen
    if column == "spc_points":
        return "0"
    if column.startswith("spc_"):
        return "#,##0.00"
    if measure == "percentage":
        return "0.0"
    if measure == "rate":
        return "#,##0.0"
    return "#,##0" if column != "target" else "#,##0.0"


def _number(text):
    return Decimal(text) if text not in ("", None) else None


def scorecard_workbook(records: list[dict], about: list[tuple[str, str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Scorecard")
    columns = EXPORT_COLUMNS + EXTRA_COLUMNS
    for n, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = WIDTHS.get(column, 12)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(records) + 1}"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    fills = {
        rag: (PatternFill("solid", fgColor=bg), Font(bold=True, color=fg))
        for rag, (bg, fg) in RAG_FILLS.items()
    }
    styles: dict[tuple, object] = {}

    def styled(value, key, **style):
        """A cell whose style is set up once per kind and shared: setting a style on
        every cell looks it up in the workbook each time (a third of the file's time)."""
        cell = WriteOnlyCell(sheet, value=value)
        if key not in styles:
            for name, setting in style.items():
                setattr(cell, name, setting)
            styles[key] = cell._style
        else:
            cell._style = copy(styles[key])
        return cell

    for record in records:
        safe = safe_for_spreadsheet(record)
        row = []
        for column in columns:
            value = safe[column]
            if column in NUMERIC:
                fmt = number_format(column, record["measure"])
                cell = styled(_number(value), ("number", fmt), number_format=fmt)
            elif column == "rag" and value in fills:
                fill, font = fills[value]
                cell = styled(value, ("rag", value), fill=fill, font=font)
            elif column in ("commentary", "caution_reason") and value:
                cell = styled(value, ("wrap",), alignment=WRAP)
            else:
                cell = value  # plain cells need no style object
            row.append(cell)
        sheet.append(row)
    about_sheet = book.create_sheet("About")
    about_sheet.column_dimensions["A"].width = 22
    about_sheet.column_dimensions["B"].width = 90
    for key, value in about:
        label = WriteOnlyCell(about_sheet, value=escape_formula(key))
        label.font = HEADER_FONT
        about_sheet.append([label, escape_formula(str(value))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def return_template_workbook(columns: list[str], rows: list[list]) -> bytes:
    """The upload template: the header and one row per indicator to fill in."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in rows:
        sheet.append([escape_formula(str(cell)) for cell in row])
    for n, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = 48 if column == "name" else 14
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
