"""Small-number suppression that arithmetic cannot undo (complementary suppression, as
statistical disclosure control requires). Plain Python over one indicator's published
figures.

A count of 1 up to below the threshold is suppressed (primary). Then every published
figure from which a suppressed one could be computed is suppressed too, until nothing
changes:

- a year-to-date total is the sum of its quarters: with any quarter suppressed the
  total goes (total − the other quarters would give it back). A total that is itself
  small has only small or zero quarters, which are suppressed already or tell nothing;
- the actual is this year's total and the comparison last year's, to the same quarter;
- a target set as a % change on last year is the comparison times a known factor: it
  goes with the comparison (and its quarterly share with it);
- the change on last year is worked out from both: it goes with either;
- the SPC reading and the chart's points are worked out from the whole series: the SPC
  reading goes with any suppressed point.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Figures:
    """One indicator's numbers as a public snapshot holds them (None: no figure)."""

    measure: str
    quarters: dict[tuple[int, int], Decimal | None]  # (year, quarter) → value
    period: tuple[int, int]  # the snapshot's quarter
    actual: Decimal | None = None  # counts: this year's total to ``period``
    comparison: Decimal | None = None  # counts: last year's total to the same quarter
    target: Decimal | None = None
    target_quarter: Decimal | None = None
    target_from_last_year: bool = False  # a % change target: comparison × factor


def quarter_cell(year: int, quarter: int) -> str:
    return f"q:{year}:{quarter}"


def _small(value: Decimal | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def suppress(figures: Figures, threshold: int) -> set[str]:
    """The names of every cell to withhold: ``actual``, ``comparison``, ``target``,
    ``target_quarter``, ``change``, ``spc``, and ``q:YEAR:QUARTER`` for quarters."""
    if figures.measure != "count":
        return set()
    year, quarter = figures.period
    hidden = {quarter_cell(*q) for q, v in figures.quarters.items() if _small(v, threshold)}
    if _small(figures.actual, threshold):
        hidden.add("actual")
    if _small(figures.comparison, threshold):
        hidden.add("comparison")
    # Each total and the quarters it sums.
    totals = {
        "actual": [quarter_cell(year, q) for q in range(1, quarter + 1)],
        "comparison": [quarter_cell(year - 1, q) for q in range(1, quarter + 1)],
    }
    for total, parts in totals.items():
        if any(p in hidden for p in parts):
            hidden.add(total)
    if figures.target_from_last_year:
        # the year's target is the comparison × a factor; the quarter's share of it, on
        # the chart, is last year's same quarter × that factor
        if "comparison" in hidden:
            hidden.update({"target", "target_quarter"})
        if quarter_cell(year - 1, quarter) in hidden:
            hidden.add("target_quarter")
    if hidden & {"actual", "comparison"}:
        hidden.add("change")
    if any(name.startswith("q:") for name in hidden) or "actual" in hidden:
        hidden.add("spc")
    return hidden
