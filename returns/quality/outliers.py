"""Is a figure unusual against its own history? DHIS2's two outlier tests, and the old
band as the fallback:

- the modified z-score of Iglewicz and Hoaglin over the last 12 quarters:
  M = 0.6745 × (x − median) ÷ MAD, an outlier when |M| > 3.5 (a MAD of 0 gives no
  reading);
- the seasonal expectation (DHIS2's predictors): the same quarter of the previous three
  years, an outlier outside their mean ± 2 standard deviations;
- where neither has enough history, the band on the same quarter last year (default
  ±50%).

History starts at the latest series break, and small counts (below the indicator's
caution threshold) never trigger. Plain Python: figures in, a reading out.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.formatting import grouped_number, round_half_up
from core.periods import FinancialQuarter

Z_WINDOW = 12
Z_LIMIT = Decimal("3.5")
Z_FACTOR = Decimal("0.6745")
SEASONAL_YEARS = 3
SEASONAL_SD = 2

MODIFIED_Z = "modified_z"
SEASONAL = "seasonal"
BAND = "band"
TEST_NAMES = {
    MODIFIED_Z: "modified z-score, last 12 quarters",
    SEASONAL: "same quarter of the last three years",
    BAND: "change on the same quarter last year",
}


@dataclass(frozen=True)
class Reading:
    test: str
    flagged: bool
    low: Decimal | None = None
    high: Decimal | None = None
    score: Decimal | None = None

    def expected(self, period: FinancialQuarter, measure: str = "count") -> str:
        """ "usually 1,850–2,240 in Q4" (the seasonal test names its quarter); counts in
        whole numbers, rates and percentages to one place."""
        if self.low is None or self.high is None:
            return ""
        places = 0 if measure == "count" else 1
        low = grouped_number(round_half_up(self.low, places), places)
        high = grouped_number(round_half_up(self.high, places), places)
        where = f" in Q{period.quarter}" if self.test == SEASONAL else ""
        return f"usually {low}–{high}{where}"


def modified_z(value: Decimal, history: Sequence[Decimal]) -> Reading | None:
    """None when there are fewer than 12 quarters or their MAD is 0."""
    if len(history) < Z_WINDOW:
        return None
    window = [Decimal(v) for v in history[-Z_WINDOW:]]
    median = Decimal(statistics.median(window))
    mad = Decimal(statistics.median([abs(v - median) for v in window]))
    if mad == 0:
        return None
    score = Z_FACTOR * (value - median) / mad
    reach = Z_LIMIT * mad / Z_FACTOR
    return Reading(
        MODIFIED_Z, abs(score) > Z_LIMIT, max(median - reach, Decimal(0)), median + reach, score
    )


def seasonal(value: Decimal, same_quarters: Sequence[Decimal]) -> Reading | None:
    """None with fewer than three earlier years' same quarter."""
    if len(same_quarters) < SEASONAL_YEARS:
        return None
    years = [Decimal(v) for v in same_quarters[-SEASONAL_YEARS:]]
    mean = Decimal(statistics.mean(years))
    sd = Decimal(statistics.stdev(years))
    low, high = mean - SEASONAL_SD * sd, mean + SEASONAL_SD * sd
    return Reading(SEASONAL, not low <= value <= high, max(low, Decimal(0)), high)


def band(value: Decimal, last_year: Decimal | None, band_pct: Decimal) -> Reading | None:
    if last_year is None or last_year == 0:
        return None
    change = (value - last_year) / abs(last_year) * 100
    reach = abs(last_year) * band_pct / 100
    return Reading(
        BAND, abs(change) > band_pct, max(last_year - reach, Decimal(0)), last_year + reach
    )


@dataclass(frozen=True)
class Check:
    """Every reading taken; ``flagged`` the ones that call the figure unusual."""

    readings: tuple[Reading, ...]
    enough_history: bool
    small: bool = False

    @property
    def flagged(self) -> list[Reading]:
        return [r for r in self.readings if r.flagged]

    @property
    def is_outlier(self) -> bool:
        return bool(self.flagged)

    def reason(self, period: FinancialQuarter, measure: str = "count") -> str:
        """ "Outlier (same quarter of the last three years): usually 1,850–2,240 in Q4"."""
        if not self.flagged:
            return ""
        first = self.flagged[0]
        return f"Outlier ({TEST_NAMES[first.test]}): {first.expected(period, measure)}"


def history_readings(
    value: Decimal,
    period: FinancialQuarter,
    history: Mapping[FinancialQuarter, Decimal | None],
    series_start: FinancialQuarter | None = None,
) -> dict[str, Reading | None]:
    """Both history tests for ``value`` (None where a test has too little history), from
    the figures before ``period`` and not before ``series_start``."""
    earlier = sorted(
        q
        for q, v in history.items()
        if v is not None and q < period and (series_start is None or q >= series_start)
    )
    recent = [history[q] for q in earlier][-Z_WINDOW:]
    same = [
        history[q] for q in earlier if q.quarter == period.quarter and q.year >= period.year - 3
    ]
    return {SEASONAL: seasonal(value, same), MODIFIED_Z: modified_z(value, recent)}


def check_figure(
    value: Decimal | None,
    period: FinancialQuarter,
    history: Mapping[FinancialQuarter, Decimal | None],
    *,
    band_pct: Decimal,
    series_start: FinancialQuarter | None = None,
    caution_below: Decimal | None = None,
) -> Check:
    """``history``: the partner's approved figures of this indicator by quarter (any
    quarters; those at or after ``period`` and before ``series_start`` are ignored)."""
    if value is None:
        return Check((), enough_history=False)
    if caution_below is not None and value < caution_below:
        return Check((), enough_history=False, small=True)
    found = history_readings(value, period, history, series_start)
    readings = [r for r in (found[SEASONAL], found[MODIFIED_Z]) if r is not None]
    if readings:
        return Check(tuple(readings), enough_history=True)
    last_year = period.same_quarter_last_year()
    in_series = series_start is None or last_year >= series_start
    fallback = band(value, history.get(last_year) if in_series else None, band_pct)
    return Check((fallback,) if fallback else (), enough_history=False)


def series_start(breaks: Sequence, period: FinancialQuarter) -> FinancialQuarter | None:
    """The latest break at or before ``period``: history before it is not like for like."""
    starts = [b.period for b in breaks if b.period <= period]
    return max(starts) if starts else None
