"""police.uk street files, streamed row by row into counts.

A force-year is about 200,000 rows; nothing here holds a file in memory. Each file
(bare or inside a zip, whose directory is checked for size before anything is
unpacked) is read through a text stream, and every row either adds one to a count
keyed by month, force, crime type and where it happened (in the area, outside it, no
LSOA) or becomes a row-numbered error. One error anywhere refuses the whole import.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from policeuk.crime_types import CRIME_TYPES, HEADER, is_street_file, parse_month

SHOWN_ERRORS = 100
MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024  # the command: years of a large force
UPLOAD_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024

_TYPES = frozenset(CRIME_TYPES)
(_MONTH, _FALLS_WITHIN, _LSOA_CODE, _LSOA_NAME, _CRIME_TYPE) = (
    HEADER.index(c) for c in ("Month", "Falls within", "LSOA code", "LSOA name", "Crime type")
)


@dataclass(frozen=True)
class FileError:
    file: str
    line: int
    message: str

    def __str__(self):
        if not self.line:
            return f"{self.file}: {self.message}" if self.file else self.message
        return f"{self.file}, line {self.line}: {self.message}"


class ArchiveRefused(Exception):
    """The import changed nothing: ``errors`` holds the first ``SHOWN_ERRORS`` and
    ``total`` how many there were."""

    def __init__(self, errors: list[FileError], total: int | None = None):
        self.errors = errors[:SHOWN_ERRORS]
        self.total = len(errors) if total is None else total
        super().__init__(f"{self.total} problem(s); nothing was imported")


@dataclass
class MonthFile:
    file: str
    rows: int = 0


@dataclass
class Tally:
    """What an import found: the counts, which file held each force-month, the LSOAs
    seen (code → name) and the members of a zip that were not street files."""

    counts: Counter = field(default_factory=Counter)  # (month, force, type, location)
    months: dict[tuple[date, str], MonthFile] = field(default_factory=dict)
    seen_lsoas: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    rows: int = 0


class _Errors:
    def __init__(self):
        self.shown: list[FileError] = []
        self.total = 0

    def add(self, file: str, line: int, message: str) -> None:
        self.total += 1
        if len(self.shown) < SHOWN_ERRORS:
            self.shown.append(FileError(file, line, message))


@contextmanager
def _opened(source):
    """A path or an uploaded file, as a binary stream, without reading it."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as stream:
            yield stream
    else:
        source.seek(0)
        yield source


def _name(source) -> str:
    return Path(str(source)).name if isinstance(source, (str, Path)) else source.name


def _is_zip(name: str, stream) -> bool:
    if name.lower().endswith(".zip"):
        return True
    position = stream.tell()
    magic = stream.read(4)
    stream.seek(position)
    return magic == b"PK\x03\x04"


def street_files(sources: Iterable, *, max_uncompressed: int, errors: _Errors, tally: Tally):
    """(name, binary stream) for every street file in ``sources``, zips opened lazily."""
    for source in sources:
        name = _name(source)
        try:
            with _opened(source) as stream:
                if not _is_zip(name, stream):
                    yield name, stream
                    continue
                yield from _zip_members(name, stream, max_uncompressed, errors, tally)
        except FileNotFoundError:
            errors.add(name, 0, "no such file")


def _zip_members(name, stream, max_uncompressed, errors, tally) -> Iterator:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        errors.add(name, 1, "the file is not a readable zip")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        streets = [m for m in members if is_street_file(m.filename)]
        unpacked = sum(m.file_size for m in streets)
        if unpacked > max_uncompressed:
            errors.add(
                name,
                1,
                f"the zip unpacks to {unpacked // (1024 * 1024):,} MB of street files (at "
                f"most {max_uncompressed // (1024 * 1024):,} MB): import fewer months at a time",
            )
            return
        if not streets:
            errors.add(
                name, 1, "the zip holds no street files (named like 2020-01-force-street.csv)"
            )
            return
        tally.skipped += [m.filename for m in members if m not in streets]
        for member in streets:
            with archive.open(member) as inner:
                yield f"{name}/{member.filename}", inner


def count_file(name: str, stream, area: frozenset[str], tally: Tally, errors: _Errors) -> None:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    counts, months, seen = tally.counts, tally.months, tally.seen_lsoas
    try:
        header = next(reader, None)
        if header is None:
            errors.add(name, 1, "the file is empty")
            return
        if [c.strip() for c in header] != HEADER:
            errors.add(
                name, 1, f"the header is not police.uk's street file header ({', '.join(HEADER)})"
            )
            return
        parsed: dict[str, date] = {}
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(HEADER):
                if any(c.strip() for c in cells):
                    errors.add(name, line, f"{len(cells)} cells, not {len(HEADER)}")
                continue
            month_text, crime_type = cells[_MONTH], cells[_CRIME_TYPE]
            month = parsed.get(month_text)
            if month is None:
                try:
                    month = parsed[month_text] = parse_month(month_text)
                except ValueError as error:
                    errors.add(name, line, str(error))
                    continue
            if crime_type not in _TYPES:
                errors.add(name, line, f"Crime type '{crime_type}' is not one of police.uk's 14")
                continue
            force = cells[_FALLS_WITHIN]
            key = (month, force)
            held = months.get(key)
            if held is None:
                held = months[key] = MonthFile(name)
            elif held.file != name:
                errors.add(name, line, f"{month:%Y-%m} for {force} is in {held.file} too")
                continue
            held.rows += 1
            lsoa = cells[_LSOA_CODE]
            if not lsoa:
                location = "unlocated"
            else:
                location = "in_area" if lsoa in area else "outside"
                if lsoa not in seen:
                    seen[lsoa] = cells[_LSOA_NAME]
            counts[month, force, crime_type, location] += 1
            tally.rows += 1
    except UnicodeDecodeError:
        errors.add(name, reader.line_num + 1, "the file is not UTF-8 text")
    except csv.Error as error:
        errors.add(name, reader.line_num, f"the file cannot be read as CSV ({error})")


def tally_sources(
    sources: Iterable, area: Iterable[str], *, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES
) -> Tally:
    """Every street file in ``sources`` counted against ``area`` (LSOA codes), or
    ``ArchiveRefused`` with the row-numbered errors."""
    area = frozenset(area)
    tally, errors = Tally(), _Errors()
    found = False
    for name, stream in street_files(
        sources, max_uncompressed=max_uncompressed, errors=errors, tally=tally
    ):
        found = True
        count_file(name, stream, area, tally, errors)
    if errors.total:
        raise ArchiveRefused(errors.shown, errors.total)
    if not found or not tally.months:
        raise ArchiveRefused([FileError("", 0, "no police.uk street rows to import")])
    return tally
