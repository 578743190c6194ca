"""Excel files (openpyxl) people can use as they are: the header row first and frozen
with an autofilter, numbers stored as numbers with number formats (percentages as
numbers with a % format), RAG cells filled in their colour with the word in them,
sensible widths, text safe from formula injection; what the file is goes on an
"About" sheet, not above the header."""

import io
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
RAG_STYLES = {
    rag: {"fill": PatternFill("solid", fgColor=bg), "font": Font(bold=True, color=fg)}
    for rag, (bg, fg) in RAG_FILLS.items()
}


class StyledCells:
    """Write-only cells whose style is set up once per kind and then shared: setting a
    style on every cell looks it up in the workbook each time (a third of a file's
    time at 200 indicators)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles: dict[tuple, object] = {}

    def cell(self, value, key: tuple, **style):
        cell = WriteOnlyCell(self.sheet, value=value)
        if key not in self.styles:
            for name, setting in style.items():
                setattr(cell, name, setting)
            self.styles[key] = cell._style
        else:
            # Shared, not copied: a write-only cell is serialised once and never changed.
            cell._style = self.styles[key]
        return cell

    def number(self, value, fmt: str):
        return self.cell(value, ("number", fmt), number_format=fmt)

    def rag(self, value, rag: str):
        """The RAG word in its colour; plain text for an unknown status."""
        if rag not in RAG_STYLES:
            return value
        return self.cell(value, ("rag", rag), **RAG_STYLES[rag])

    def wrapped(self, value):
        return self.cell(value, ("wrap",), alignment=WRAP) if value else value


def header(sheet, headings, widths) -> None:
    """The column widths and a bold header row, frozen (with the first column)."""
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "B2"
    cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = HEADER_FONT
        cells.append(cell)
    sheet.append(cells)


def autofilter(sheet, columns: int, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


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
    autofilter(sheet, len(columns), len(records))
    header(sheet, columns, [WIDTHS.get(column, 12) for column in columns])
    cells = StyledCells(sheet)
    for record in records:
        safe = safe_for_spreadsheet(record)
        row = []
        for column in columns:
            value = safe[column]
            if value in ("", None):
                row.append(None)  # a blank writes no cell at all (a third of them)
            elif column in NUMERIC:
                row.append(cells.number(_number(value), number_format(column, record["measure"])))
            elif column == "rag":
                row.append(cells.rag(value, value))
            elif column in ("commentary", "caution_reason"):
                row.append(cells.wrapped(value))
            else:
                row.append(value)  # plain cells need no style object
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


def sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet name: whole words within Excel's 31 characters, without the
    characters Excel forbids, and unique in the workbook."""
    words = "".join(" " if c in "[]:*?/\\" else c for c in name).split()
    title = ""
    for word in words:
        candidate = f"{title} {word}".strip()
        if len(candidate) > 31:
            break
        title = candidate
    title = title or (words[0][:31] if words else "Sheet")
    unique, n = title, 2
    while unique.lower() in {u.lower() for u in used}:
        suffix = f" {n}"
        unique = title[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(unique)
    return unique


PACK_COLUMNS = [
    # (heading, snapshot key, kind, width); a number's kind is the export column whose
    # number format it takes
    ("Indicator", "code", "text", 12),
    ("Name", "name", "text", 45),
    ("Owner", "owner", "text", 30),
    ("Actual", "actual", "actual", 12),
    ("Target", "target", "target", 12),
    ("RAG", "rag_label", "rag", 11),
    ("Direction", "direction_label", "text", 14),
    ("Change on last year", "change_pct", "change_vs_last_year_pct", 12),
    ("Significance", "significance", "text", 16),
    ("Variation", "variation_label", "text", 30),
    ("Assurance", "assurance_label", "text", 30),
    ("Caution", "caution_reason", "wrap", 30),
    ("Commentary", "commentary", "wrap", 60),
]


def pack_indicator_sheet(book, title: str, items: list[dict]) -> None:
    """One priority's indicators in a meeting pack workbook, formatted like the
    scorecard download: numbers with formats, RAG filled with its word, frozen header
    with an autofilter."""
    sheet = book.create_sheet(title)
    autofilter(sheet, len(PACK_COLUMNS), len(items))
    header(sheet, [c[0] for c in PACK_COLUMNS], [c[3] for c in PACK_COLUMNS])
    cells = StyledCells(sheet)
    for item in items:
        row = []
        for _, key, kind, _ in PACK_COLUMNS:
            value = item.get(key, "")
            if kind in NUMERIC:
                fmt = number_format(kind, item.get("measure", "count"))
                row.append(cells.number(_number(value), fmt))
            elif kind == "rag":
                row.append(cells.rag(value, item.get("rag", "")))
            else:
                text = escape_formula(str(value or ""))
                row.append(cells.wrapped(text) if kind == "wrap" else text)
        sheet.append(row)
