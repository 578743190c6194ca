"""What a police.uk street-level file is: its header and its 14 crime types.

Plain Python (no Django): the importer checks files with it and the mapping checks a
coordinator's choice of types against it.
"""

from __future__ import annotations

import re
from datetime import date

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]

CRIME_TYPES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_STREET_FILE = re.compile(r"(?:^|/)(\d{4}-\d{2})-([a-z0-9-]+)-street\.csv$")


def parse_month(text: str) -> date:
    """``"2020-01"`` → 1 January 2020; anything else is a ``ValueError``."""
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Month '{text}' is not a month like 2020-01")
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def is_street_file(name: str) -> bool:
    """A zip from police.uk also holds outcomes and stop-and-search files: only the
    street files (``2020-01-hampshire-street.csv``) are crimes and ASB."""
    return bool(_STREET_FILE.search(name.replace("\\", "/")))


def months_of_quarter(start: date) -> list[date]:
    """The three calendar months from ``start`` (a quarter's first day)."""
    months = []
    year, month = start.year, start.month
    for _ in range(3):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_range_label(months: list[date]) -> str:
    """``Jan–Mar 2020``; ``Dec 2019–Feb 2020`` across a calendar year."""
    first, last = months[0], months[-1]
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}" if first != last else f"{first:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"
