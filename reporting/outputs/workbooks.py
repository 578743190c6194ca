"""Excel files people can use as they are: the header row first and frozen with an
autofilter, numbers stored as numbers with number formats (percentages as numbers with
a % format), RAG cells filled in their colour with the word in them, sensible widths,
text safe from formula injection; what the file is goes on an "About" sheet, not above
the header.

Written with XlsxWriter, which writes a 200-indicator scorecard in a quarter of the
time openpyxl took (openpyxl still reads uploaded workbooks)."""

from decimal import Decimal

from core.workbooks import PROTECTIVE_MARKING, Book
from indicators import rag
from reporting.outputs.exports import REASONS_SEPARATOR, csv_cell

NUMERIC = {"actual", "target"}  # the pack sheet's number columns


def _number(text):
    return Decimal(text) if text not in ("", None) else None


CHANGE_FORMATS = {
    # the change as the page writes it: "+1.4 pp" for a percentage, "+7.7%" otherwise,
    # still a number (the quoted % is text: Excel does not multiply by 100)
    "percentage": '+0.0" pp";-0.0" pp";0.0" pp"',
    "other": '+0.0"%";-0.0"%";0.0"%"',
}


def change_format(measure: str) -> str:
    return CHANGE_FORMATS["percentage" if measure == "percentage" else "other"]


def display_format(measure: str) -> str:
    """As the pages show figures: a count's target and SPC figures in whole numbers
    (the cell keeps the exact value), a rate or percentage to its one place."""
    if measure == "count":
        return "#,##0"
    return "0.0" if measure == "percentage" else "#,##0.0"


# (heading, width, the value for a row, kind: "number" | "change" | "rag" | "wrap" | "text")
DASHBOARD_COLUMNS = [
    ("Indicator", 12, lambda r: r.indicator.code, "text"),
    ("Name", 45, lambda r: r.indicator.name, "text"),
    ("Priority", 34, lambda r: r.priority.name if r.priority else "", "text"),
    ("Owner", 30, lambda r: r.indicator.owner.name, "text"),
    ("Unit", 22, lambda r: r.indicator.unit_label, "text"),
    ("Actual", 12, lambda r: r.assessment.actual, "number"),
    ("Target", 12, lambda r: r.assessment.target, "number"),
    ("RAG", 11, lambda r: r.assessment.rag, "rag"),
    ("Direction", 16, lambda r: r.assessment.direction.label, "text"),
    ("Change on last year", 14, lambda r: rag.movement(r.indicator.measure, r.assessment), "change"),
    ("Significance", 16, lambda r: _significance(r), "text"),
    ("Same quarter last year", 14, lambda r: r.assessment.comparison, "number"),
    ("Needs attention", 40, lambda r: REASONS_SEPARATOR.join(r.exception_reasons), "wrap"),
    ("Caution", 30, lambda r: r.assessment.caution_reason, "wrap"),
    ("Variation (SPC)", 30, lambda r: r.spc.variation.label if r.spc.variation else "", "text"),
    ("Assurance (SPC)", 30, lambda r: r.spc.assurance.label if r.spc.assurance else "", "text"),
    ("SPC average", 12, lambda r: r.spc.mean_display, "number"),
    ("SPC lower limit", 12, lambda r: r.spc.lower_display, "number"),
    ("SPC upper limit", 12, lambda r: r.spc.upper_display, "number"),
    ("Commentary", 60, lambda r: r.commentary, "wrap"),
]  # fmt: skip


def _significance(row) -> str:
    found = rag.change_significance(row.indicator.measure, row.assessment)
    return found.label.capitalize() if found else ""


def scorecard_workbook(rows, about: list[tuple[str, str]], title: str = "SCP scorecard") -> bytes:
    """The dashboard's download in the dashboard's words and units: headings as on the
    page, RAG and SPC readings as words, each change as the page shows it (the CSV keeps
    the machine contract)."""
    book = Book(marking=PROTECTIVE_MARKING, title=title)
    sheet = book.table(
        "Scorecard",
        [c[0] for c in DASHBOARD_COLUMNS],
        [c[1] for c in DASHBOARD_COLUMNS],
        rows=len(rows),
    )
    for row in rows:
        measure = row.indicator.measure
        cells = []
        for _, _, value_of, kind in DASHBOARD_COLUMNS:
            value = value_of(row)
            if value in ("", None):
                cells.append(None)
            elif kind == "number":
                cells.append(book.number(value, display_format(measure)))
            elif kind == "change":
                cells.append(book.number(value, change_format(measure)))
            elif kind == "rag":
                cells.append(book.rag(value.label, value.value))
            elif kind == "wrap":
                cells.append(book.wrapped(value))
            else:
                cells.append(value)
        sheet.append(cells)
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
    ("Change on last year", "change_shown", "change", 14),
    ("Significance", "significance", "text", 16),
    ("Variation", "variation_label", "text", 30),
    ("Assurance", "assurance_label", "text", 30),
    ("Needs attention", "exception_reasons", "wrap", 40),
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
            if kind == "change":
                row.append(book.number(_shown_change(item), change_format(item.get("measure"))))
            elif kind in NUMERIC:
                fmt = display_format(item.get("measure", "count"))
                row.append(book.number(_number(value), fmt))
            elif kind == "rag":
                row.append(book.rag(value, item.get("rag", "")))
            else:
                text = str(csv_cell(value) or "")
                row.append(book.wrapped(text) if kind == "wrap" else text)
        sheet.append(row)


def _shown_change(item: dict):
    """The change as the pack's page shows it; a pack issued before ``change_shown``
    was kept works it out from its own figures the same way."""
    if "change_shown" in item:
        return _number(item["change_shown"])
    if item.get("measure") == "percentage":
        actual, comparison = _number(item.get("actual")), _number(item.get("comparison"))
        return None if actual is None or comparison is None else actual - comparison
    return _number(item.get("change_pct"))
