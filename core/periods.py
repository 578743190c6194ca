"""UK financial-year quarters, written the partnership's way: ``2019-20 Q3``.

Plain Python (no Django): the RAG engine, the importers and the views all share it.
A financial year runs April to March and is named by both calendar years; Q1 is
April–June and Q4 is January–March of the second calendar year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*[- ]?\s*[Qq]\s*(\d)\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*$")


class PeriodError(ValueError):
    """A period or financial year that is not written as the partnership writes it."""


def parse_financial_year(text: str) -> int:
    """``"2019-20"`` → 2019 (the calendar year in which the financial year starts)."""
    match = _YEAR_RE.match(str(text))
    if not match:
        raise PeriodError(f"'{text}' is not a financial year like 2019-20")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise PeriodError(f"'{text}' is not a financial year: {end:02d} does not follow {start}")
    return start


def financial_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    year: int  # the calendar year in which the financial year starts: 2019 for 2019-20
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"quarter must be 1 to 4, not {self.quarter}")
        if not 1900 <= self.year <= 2999:
            raise PeriodError(f"{self.year} is not a plausible financial year")

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Accepts ``2019-20 Q3`` and the URL form ``2019-20-Q3``."""
        match = _PERIOD_RE.match(str(text))
        if not match:
            raise PeriodError(f"'{text}' is not a period like 2019-20 Q3")
        year = parse_financial_year(f"{match.group(1)}-{match.group(2)}")
        quarter = int(match.group(3))
        if quarter not in (1, 2, 3, 4):
            raise PeriodError(f"'{text}' is not a period: quarter must be Q1 to Q4")
        return cls(year, quarter)

    @classmethod
    def containing(cls, day: date) -> FinancialQuarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def financial_year(self) -> str:
        return financial_year_label(self.year)

    @property
    def label(self) -> str:
        return f"{self.financial_year} Q{self.quarter}"

    @property
    def slug(self) -> str:
        return f"{self.financial_year}-Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        calendar_year = self.year + 1 if self.quarter == 4 else self.year
        return date(calendar_year, _QUARTER_START_MONTH[self.quarter], 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> FinancialQuarter:
        if self.quarter == 4:
            return FinancialQuarter(self.year + 1, 1)
        return FinancialQuarter(self.year, self.quarter + 1)

    def previous(self) -> FinancialQuarter:
        if self.quarter == 1:
            return FinancialQuarter(self.year - 1, 4)
        return FinancialQuarter(self.year, self.quarter - 1)

    def same_quarter_last_year(self) -> FinancialQuarter:
        return FinancialQuarter(self.year - 1, self.quarter)

    def quarters_to_date(self) -> list[FinancialQuarter]:
        """Q1 up to and including this quarter, in order."""
        return [FinancialQuarter(self.year, q) for q in range(1, self.quarter + 1)]


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date ``days`` working days (Mon–Fri, not a holiday) after ``start``."""
    skip = set(holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in skip:
            remaining -= 1
    return current


def default_deadline(
    period: FinancialQuarter, working_days: int = 20, holidays: Iterable[date] = ()
) -> date:
    """Returns are due a set number of working days after the quarter ends."""
    return add_working_days(period.end, working_days, holidays)
