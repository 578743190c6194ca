import io
from datetime import date
from decimal import Decimal

import xlsxwriter

RAG_FILLS = {
    "red": ("#D4351C", "#FFFFFF"),
    "amber": ("#FFDD00", "#0B0C0C"),
    "green": ("#00703C", "#FFFFFF"),
    "grey": ("#505A5F", "#FFFFFF"),
    "not_rated": ("#F3F2F1", "#0B0C0C"),
}


PROTECTIVE_MARKING = "OFFICIAL – SENSITIVE"


class Book:
    """A workbook built in memory. Formats are made once per kind and shared, and every
    string is written as a string: never read as a formula or a link, whatever a
    partner typed."""

    def __init__(self, *, marking: str = "", title: str = ""):
        """``marking``: a protective marking printed at the top and bottom of every
        sheet (the partnership's workbooks are OFFICIAL – SENSITIVE on paper too)."""
        self.marking = marking
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._formats: dict[tuple, object] = {}
        if title:
            self.workbook.set_properties({"title": title})

    def format(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    # Styled cells: (value, format) pairs for Table.append.
    def bold(self, value, size: int | None = None):
        return (value, self.format(bold=True, **({"font_size": size} if size else {})))

    def number(self, value, fmt: str):
        return (value, self.format(num_format=fmt)) if value is not None else None

    def date(self, value, fmt: str = "d mmm yyyy"):
        return self.number(value, fmt)  # a date is a number with a date format

    def rag(self, value, rag: str):
        """The RAG word in its colour; plain text for an unknown status."""
        if rag not in RAG_FILLS:
            return value
        background, colour = RAG_FILLS[rag]
        return (value, self.format(bold=True, pattern=1, bg_color=background, font_color=colour))

    def wrapped(self, value):
        return (value, self.format(text_wrap=True, valign="top")) if value else value

    def table(self, title: str, headings, widths, *, rows: int):
        """A sheet of a bold header row, frozen with the first column, an autofilter
        over ``rows`` rows beneath it, and the column widths."""
        table = self.sheet(title, widths, frozen_rows=1, frozen_columns=1)
        table.sheet.autofilter(0, 0, rows, len(headings) - 1)
        table.sheet.repeat_rows(0)  # the header row on every printed page
        table.append([self.bold(heading) for heading in headings])
        return table

    def sheet(self, title: str, widths=(), *, frozen_rows: int = 0, frozen_columns: int = 0):
        sheet = self.workbook.add_worksheet(title)
        # Printed as people read them: landscape A4, the columns fitted to the width.
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        if self.marking:
            sheet.set_header(f"&C{self.marking}")
            sheet.set_footer(f"&L{self.marking}&RPage &P of &N")
        for n, width in enumerate(widths):
            sheet.set_column(n, n, width)
        if frozen_rows or frozen_columns:
            sheet.freeze_panes(frozen_rows, frozen_columns)
        return Table(sheet)

    def bytes(self) -> bytes:
        self.workbook.close()
        return self._buffer.getvalue()


class Table:
    """Rows appended one after another; a cell is a value, a (value, format) pair from
    Book, or None for no cell at all."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 0

    def append(self, cells=()) -> None:
        for column, cell in enumerate(cells):
            if cell is None:
                continue
            value, fmt = cell if isinstance(cell, tuple) else (cell, None)
            write(self.sheet, self.row, column, value, fmt)
        self.row += 1


def write(sheet, row: int, column: int, value, fmt=None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        sheet.write_number(row, column, float(value), fmt)
    elif isinstance(value, date):  # and datetimes
        sheet.write_datetime(row, column, value, fmt)
    else:
        sheet.write_string(row, column, str(value), fmt)


def return_template_workbook(columns: list[str], rows: list[list]) -> bytes:
    """The upload template: the header and one row per indicator to fill in."""
    book = Book()
    widths = [48 if column == "name" else 14 for column in columns]
    sheet = book.sheet("Return", widths, frozen_rows=1)
    sheet.append([book.bold(column) for column in columns])
    for row in rows:
        sheet.append([str(cell) for cell in row])
    return book.bytes()


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
