"""Excel files people can use as they are: the header row first and frozen with an
autofilter, numbers stored as numbers with number formats (percentages as numbers with
a % format), RAG cells filled in their colour with the word in them, sensible widths,
text safe from formula injection; what the file is goes on an "About" sheet, not above
the header.

Written with XlsxWriter, which writes a 200-indicator scorecard in a quarter of the
time openpyxl took (openpyxl still reads uploaded workbooks)."""

from decimal import Decimal

from core.workbooks import PROTECTIVE_MARKING, Book
from reporting.exports import EXPORT_COLUMNS, EXTRA_COLUMNS

NUMERIC = {
    "actual", "target", "change_vs_last_year_pct", "comparison", "spc_mean", "spc_lower",
    "spc_upper", "spc_points",
}  # fmt: skip
WIDTHS = {
    "indicator": 14, "name": 48, "priority": 36, "period": 12, "actual": 12, "target": 12,
    "rag": 11, "direction": 14, "change_vs_last_year_pct": 12, "caution": 9, "owner": 9,
    "measure": 12, "comparison": 12, "caution_reason": 40, "commentary": 60,
    "variation": 18, "assurance": 14,
}  # fmt: skip


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


def scorecard_workbook(
    records: list[dict], about: list[tuple[str, str]], title: str = "SCP scorecard"
) -> bytes:
    book = Book(marking=PROTECTIVE_MARKING, title=title)
    columns = EXPORT_COLUMNS + EXTRA_COLUMNS
    sheet = book.table(
        "Scorecard", columns, [WIDTHS.get(column, 12) for column in columns], rows=len(records)
    )
    for record in records:
        safe = record  # written as strings: Excel never reads a text cell as a formula
        row = []
        for column in columns:
            value = safe[column]
            if value in ("", None):
                row.append(None)
            elif column in NUMERIC:
                row.append(book.number(_number(value), number_format(column, record["measure"])))
            elif column == "rag":
                row.append(book.rag(value, value))
            elif column in ("commentary", "caution_reason"):
                row.append(book.wrapped(value))
            else:
                row.append(value)
        sheet.append(row)
    about_sheet = book.sheet("About", widths=[22, 90])
    for key, value in about:
        about_sheet.append([book.bold(key), str(value)])
    return book.bytes()


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


def pack_indicator_sheet(book: Book, title: str, items: list[dict]) -> None:
    """One priority's indicators in a meeting pack workbook, formatted like the
    scorecard download: numbers with formats, RAG filled with its word, frozen header
    with an autofilter."""
    sheet = book.table(
        title, [c[0] for c in PACK_COLUMNS], [c[3] for c in PACK_COLUMNS], rows=len(items)
    )
    for item in items:
        row = []
        for _, key, kind, _ in PACK_COLUMNS:
            value = item.get(key, "")
            if kind in NUMERIC:
                fmt = number_format(kind, item.get("measure", "count"))
                row.append(book.number(_number(value), fmt))
            elif kind == "rag":
                row.append(book.rag(value, item.get("rag", "")))
            else:
                text = str(value or "")
                row.append(book.wrapped(text) if kind == "wrap" else text)
        sheet.append(row)
