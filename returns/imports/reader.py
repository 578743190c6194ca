"""Loading partners, indicators and returns from CSV or Excel files.

Every row is checked before anything is written; one bad row fails the whole file,
and the caller runs the write in one transaction, so a failed import changes nothing.
Re-importing the same file updates rows in place (idempotent).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from core.numbers import FigureError, parse_figure

CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad row(s); nothing was imported")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict]]  # (line number in the file, {column: text})


# Files are checked before they are parsed and read lazily up to these caps, so a
# hostile file is refused in well under a second without being loaded. A return has a
# few dozen rows; import_csv loads years of history, so its cap is larger.
MAX_ROWS = 100_000
UPLOAD_MAX_ROWS = 1_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 10_000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # an .xlsx's parts, unpacked
UPLOAD_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024


def read_table(
    source,
    filename: str = "",
    *,
    max_rows: int = MAX_ROWS,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
) -> Table:
    """Read a CSV or .xlsx file (path or binary file object) into text cells."""
    name = filename or str(source)
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(source, max_rows=max_rows, max_uncompressed=max_uncompressed)
    if isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(1, "the file is not UTF-8 text (save it as CSV UTF-8)")]
        ) from None
    if (nul := text.find("\x00")) >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ImportFailed([RowError(line, "contains a NUL character: is this a CSV text file?")])
    return _table_from_lines(_csv_lines(text), max_rows=max_rows)


def _csv_lines(text):
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        # e.g. a cell over the parser's 128 KB limit, often a stray opening quote that
        # swallowed the rest of the file
        raise ImportFailed(
            [RowError(reader.line_num, f"the file cannot be read as CSV ({error})")]
        ) from None


def _table_from_lines(lines, *, max_rows: int) -> Table:
    """Header and rows from (line number, cells) pairs, checking the caps as it goes."""
    columns = None
    rows = []
    errors = []
    for count, (number, cells) in enumerate(lines, start=1):
        if count > max_rows + 1:
            raise ImportFailed(
                [RowError(number, f"the file has more than {max_rows:,} rows; split it up")]
            )
        if len(cells) > MAX_COLUMNS:
            raise ImportFailed(
                [RowError(number, f"{len(cells)} columns: at most {MAX_COLUMNS} are read")]
            )
        if columns is None:
            columns = [c.strip().lower() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        if long := [c for c in cells if len(c) > MAX_CELL_CHARS]:
            errors.append(
                RowError(
                    number,
                    f"a cell of {len(long[0]):,} characters (at most {MAX_CELL_CHARS:,}; "
                    "a stray quote mark can make one cell of the rest of the file)",
                )
            )
            continue
        if len(cells) > len(columns):
            rows.append((number, {"__error__": f"{len(cells)} cells but {len(columns)} columns"}))
            continue
        rows.append(
            (
                number,
                {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)},
            )
        )
    if columns is None:
        raise ImportFailed([RowError(1, "the file is empty")])
    if errors:
        raise ImportFailed(errors)
    return Table(columns, rows)


def _check_archive(source, max_uncompressed: int):
    """An .xlsx is a zip: a few hundred KB can unpack to gigabytes of XML. Refuse it
    from the archive's directory, before anything is unpacked."""

    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailed([RowError(1, "the file is not a readable .xlsx workbook")]) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if unpacked > max_uncompressed:
        raise ImportFailed(
            [
                RowError(
                    1,
                    f"the workbook unpacks to {unpacked // (1024 * 1024):,} MB (at most "
                    f"{max_uncompressed // (1024 * 1024)} MB): save only the rows you need",
                )
            ]
        )


def _read_xlsx(source, *, max_rows: int, max_uncompressed: int) -> Table:
    _check_archive(source, max_uncompressed)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise ImportFailed([RowError(1, "the file is not a readable .xlsx workbook")]) from None
    try:
        sheet = book.worksheets[0]
        # The file's own <dimension> may understate (or wildly overstate) its size; read
        # the rows that are there, lazily, and let the row cap decide.
        sheet.reset_dimensions()
        lines = (
            (number, ["" if c is None else _cell_text(c) for c in cells])
            for number, cells in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
            )
        )
        table = _table_from_lines(lines, max_rows=max_rows)
    finally:
        book.close()
    if table.columns and not any(table.columns):
        raise ImportFailed([RowError(1, "the workbook is empty")])
    return table


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def missing_columns(table: Table, required: list[str]) -> list[RowError]:
    missing = [c for c in required if c not in table.columns]
    if missing:
        return [RowError(1, f"missing column(s): {', '.join(missing)}")]
    return []


def parse_decimal(text: str, column: str) -> Decimal:
    """The form's number rules (``validation.parse_figure``), with the column named."""
    try:
        return parse_figure(text)
    except FigureError as error:
        if str(error).startswith("Enter a number,"):
            raise ValueError(f"{column} '{text}' is not a number") from None
        raise ValueError(f"{column} '{text}': {str(error)[0].lower()}{str(error)[1:]}") from None


def optional_decimal(row, column, default=None):
    text = row.get(column, "")
    return default if text == "" else parse_decimal(text, column)


def row_error(line, row):
    if "__error__" in row:
        return RowError(line, row["__error__"])
    return None


# --- partners ---------------------------------------------------------------


# --- indicators -------------------------------------------------------------


# --- series breaks ------------------------------------------------------------


# --- returns ----------------------------------------------------------------
