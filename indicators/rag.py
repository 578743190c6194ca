"""The RAG engine: actual, comparison, target, RAG status, direction of travel, caution.

Plain Python with Decimals, no Django: the same rules serve the dashboard, the exports
and the meeting packs, and are tested with tables of cases. Values arrive as a mapping
from :class:`FinancialQuarter` to the approved value for that quarter (``None`` or a
missing key means no approved value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.formatting import format_movement, round_half_up
from core.periods import FinancialQuarter
from core.significance import Significance, poisson_change_significance

HUNDRED = Decimal(100)


class Measure(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    RATE = "rate"


class Polarity(StrEnum):
    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"
    MONITOR = "monitor"


class TargetType(StrEnum):
    NONE = "none"
    VALUE = "value"
    CHANGE_VS_LAST_YEAR = "change_vs_last_year"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return RAG_LABELS[self]


RAG_LABELS = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.GREY: "No data",
    Rag.NOT_RATED: "Not rated",
}


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STABLE = "stable"
    UP = "up"
    DOWN = "down"
    NO_COMPARISON = "no_comparison"
    NOT_COMPARABLE = "not_comparable"  # last year's figure was recorded another way

    @property
    def label(self) -> str:
        return DIRECTION_LABELS[self]


DIRECTION_LABELS = {
    Direction.IMPROVING: "Improving",
    Direction.WORSENING: "Worsening",
    Direction.STABLE: "Stable",
    Direction.UP: "Up",
    Direction.DOWN: "Down",
    Direction.NO_COMPARISON: "No comparison",
    Direction.NOT_COMPARABLE: "Not comparable (recording changed)",
}
NOT_COMPARABLE_TEXT = "not comparable (recording changed)"


@dataclass(frozen=True)
class IndicatorRules:
    measure: Measure
    polarity: Polarity
    tolerance_pct: Decimal = Decimal(5)
    stable_band_pct: Decimal = Decimal("1.0")
    caution_below: Decimal | None = None


@dataclass(frozen=True)
class TargetRule:
    type: TargetType = TargetType.NONE
    value: Decimal | None = None


NO_TARGET = TargetRule()


@dataclass(frozen=True, order=True)
class SeriesBreak:
    """From this quarter on, figures are not like for like with earlier ones (e.g. a
    change of counting rules)."""

    period: FinancialQuarter
    reason: str = ""


@dataclass(frozen=True)
class Assessment:
    period: FinancialQuarter
    actual: Decimal | None
    comparison: Decimal | None
    target: Decimal | None
    rag: Rag
    direction: Direction
    change_pct: Decimal | None  # unrounded; use change_pct_display to show it
    caution: bool
    caution_reason: str

    @property
    def change_pct_display(self) -> Decimal | None:
        return round_half_up(self.change_pct, 1)

    @property
    def comparable(self) -> bool:
        """False across a series break: last year's figure was recorded another way, so
        the difference is not a change (no %, no significance, no direction)."""
        return self.direction != Direction.NOT_COMPARABLE

    @property
    def change_pp(self) -> Decimal | None:
        """The change in percentage points (actual − last year), unrounded."""
        if not self.comparable or self.actual is None or self.comparison is None:
            return None
        return self.actual - self.comparison


def movement(measure: str, assessment: Assessment) -> Decimal | None:
    """The change as every surface shows it, to one place: percentage points for a
    percentage, the relative % change otherwise; None when there is none to show."""
    if measure == Measure.PERCENTAGE:
        return round_half_up(assessment.change_pp, 1)
    return round_half_up(assessment.change_pct, 1)


def change_significance(measure: str, assessment: Assessment) -> Significance | None:
    """Whether a count's change on last year is more than chance (the exact Poisson
    test); None for a percentage or a rate, across a series break, or without both
    figures."""
    if measure != Measure.COUNT or not assessment.comparable:
        return None
    return poisson_change_significance(assessment.actual, assessment.comparison)


def movement_text(measure: str, assessment: Assessment) -> str:
    """ "+1.4 pp", "+7.7%", "not comparable (recording changed)" or ""."""
    if not assessment.comparable:
        return NOT_COMPARABLE_TEXT
    return format_movement(measure, assessment.actual, assessment.comparison, assessment.change_pct)


def measure_for(
    rules: IndicatorRules,
    values: Mapping[FinancialQuarter, Decimal | None],
    period: FinancialQuarter,
) -> Decimal | None:
    """Counts are year-to-date sums; percentages and rates are the quarter's own value."""
    if rules.measure != Measure.COUNT:
        return values.get(period)
    total = Decimal(0)
    for quarter in period.quarters_to_date():
        value = values.get(quarter)
        if value is None:
            # A gap would understate the year-to-date figure, so there is no actual.
            return None
        total += value
    return total


def change_vs_last_year_pct(actual: Decimal | None, comparison: Decimal | None) -> Decimal | None:
    if actual is None or comparison is None or comparison == 0:
        return None
    # Dividing by the magnitude keeps the sign of the change meaning "went up" even for
    # a negative comparison (a net figure can be below zero).
    return (actual - comparison) / abs(comparison) * HUNDRED


def period_target(
    rules: IndicatorRules,
    target: TargetRule,
    period: FinancialQuarter,
    comparison: Decimal | None,
) -> Decimal | None:
    if target.type == TargetType.NONE or target.value is None:
        return None
    if target.type == TargetType.VALUE:
        if rules.measure == Measure.COUNT:
            return target.value * period.quarter / 4
        return target.value
    if comparison is None:
        return None
    return comparison * (1 + target.value / HUNDRED)


def rag_status(rules: IndicatorRules, actual: Decimal | None, target: Decimal | None) -> Rag:
    if actual is None:
        return Rag.GREY
    if rules.polarity == Polarity.MONITOR or target is None:
        return Rag.NOT_RATED
    tolerance = rules.tolerance_pct / HUNDRED
    if rules.polarity == Polarity.LOWER_IS_BETTER:
        if actual <= target:
            return Rag.GREEN
        if actual <= target + abs(target) * tolerance:
            return Rag.AMBER
        return Rag.RED
    if actual >= target:
        return Rag.GREEN
    if actual >= target - abs(target) * tolerance:
        return Rag.AMBER
    return Rag.RED


def red_threshold(rules: IndicatorRules, target: Decimal | None) -> Decimal | None:
    """The actual beyond which the figure is red: above it for lower-is-better, below it
    for higher-is-better (the amber band's outer edge). None when not rated."""
    if target is None or rules.polarity == Polarity.MONITOR:
        return None
    band = abs(target) * rules.tolerance_pct / HUNDRED
    return target + band if rules.polarity == Polarity.LOWER_IS_BETTER else target - band


def direction_of_travel(rules: IndicatorRules, change_pct: Decimal | None) -> Direction:
    if change_pct is None:
        return Direction.NO_COMPARISON
    if abs(change_pct) < rules.stable_band_pct:
        return Direction.STABLE
    went_up = change_pct > 0
    if rules.polarity == Polarity.MONITOR:
        return Direction.UP if went_up else Direction.DOWN
    if rules.polarity == Polarity.LOWER_IS_BETTER:
        return Direction.WORSENING if went_up else Direction.IMPROVING
    return Direction.IMPROVING if went_up else Direction.WORSENING


def caution_for(
    rules: IndicatorRules, actual: Decimal | None, comparison: Decimal | None
) -> tuple[bool, str]:
    threshold = rules.caution_below
    if threshold is None:
        return False, ""
    small = [v for v in (actual, comparison) if v is not None and v < threshold]
    if not small:
        return False, ""
    return True, f"Small numbers (below {threshold.normalize():f}): interpret with caution"


def series_break_caution(
    rules: IndicatorRules,
    breaks: Sequence[SeriesBreak],
    period: FinancialQuarter,
) -> str:
    """A comparison with last year that reaches back across a break is not like for like.
    The comparison starts at Q1 of last year for counts (year to date), at the same
    quarter last year otherwise."""
    last_year = period.same_quarter_last_year()
    first = FinancialQuarter(last_year.year, 1) if rules.measure == Measure.COUNT else last_year
    crossed = [b for b in breaks if first < b.period <= period]
    if not crossed:
        return ""
    latest = max(crossed)
    return f"Series break in {latest.period.label}: {latest.reason}"


def assess(
    rules: IndicatorRules,
    target: TargetRule,
    values: Mapping[FinancialQuarter, Decimal | None],
    period: FinancialQuarter,
    breaks: Sequence[SeriesBreak] = (),
) -> Assessment:
    actual = measure_for(rules, values, period)
    comparison = measure_for(rules, values, period.same_quarter_last_year())
    change = change_vs_last_year_pct(actual, comparison)
    period_goal = period_target(rules, target, period, comparison)
    caution, reason = caution_for(rules, actual, comparison)
    direction = direction_of_travel(rules, change)
    if breaks and actual is not None and comparison is not None:
        if break_reason := series_break_caution(rules, breaks, period):
            caution = True
            reason = f"{reason}; {break_reason}" if reason else break_reason
            change, direction = None, Direction.NOT_COMPARABLE
    return Assessment(
        period=period,
        actual=actual,
        comparison=comparison,
        target=period_goal,
        rag=rag_status(rules, actual, period_goal),
        direction=direction,
        change_pct=change,
        caution=caution,
        caution_reason=reason,
    )
