"""Statistical process control: is the latest quarter signal or noise?

XmR charts with the NHS England "Making Data Count" rules, computed the way
NHSRplotthedots does (moving ranges screened for outliers). Plain Python with Decimals,
no Django: the dashboard, exports, API and meeting packs all read the same result, and
the rules are tested case by case in ``tests/indicators/test_spc.py``.

The series is each quarter's own approved value (counts are *not* summed to date),
missing quarters are skipped, and the window starts at the latest series break at or
before the period and holds at most the last 24 points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from core.formatting import round_half_up
from core.periods import FinancialQuarter
from indicators.rag import (
    HUNDRED,
    IndicatorRules,
    Measure,
    Polarity,
    SeriesBreak,
    TargetRule,
    TargetType,
)

MAX_POINTS = 24
MIN_POINTS = 12
RUN_LENGTH = 7
LIMIT_FACTOR = Decimal("2.66")
SCREEN_FACTOR = Decimal("3.267")
NEAR_FACTOR = Decimal(2) / Decimal(3) * LIMIT_FACTOR


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"
    TOO_FEW_POINTS = "too_few_points"

    @property
    def label(self) -> str:
        return VARIATION_LABELS[self]

    @property
    def kind(self) -> str:
        """improvement / concern / neutral / common / none — what the icon's colour says."""
        if self == Variation.TOO_FEW_POINTS:
            return "none"
        if self == Variation.COMMON_CAUSE:
            return "common"
        return self.value.split("_")[0]

    @property
    def letter(self) -> str:
        if self.value.endswith("_high"):
            return "H"
        if self.value.endswith("_low"):
            return "L"
        return ""


VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause improvement (high)",
    Variation.IMPROVEMENT_LOW: "Special cause improvement (low)",
    Variation.CONCERN_HIGH: "Special cause concern (high)",
    Variation.CONCERN_LOW: "Special cause concern (low)",
    Variation.NEUTRAL_HIGH: "Special cause, neither better nor worse (high)",
    Variation.NEUTRAL_LOW: "Special cause, neither better nor worse (low)",
    Variation.TOO_FEW_POINTS: "Too few points to tell",
}


class Assurance(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    HIT_AND_MISS = "hit_and_miss"

    @property
    def label(self) -> str:
        return ASSURANCE_LABELS[self]

    @property
    def letter(self) -> str:
        return {"pass": "P", "fail": "F", "hit_and_miss": "?"}[self.value]


ASSURANCE_LABELS = {
    Assurance.PASS: "Will reliably meet the target",
    Assurance.FAIL: "Will not meet the target without change",
    Assurance.HIT_AND_MISS: "Will sometimes meet the target and sometimes not",
}


@dataclass(frozen=True)
class Limits:
    mean: Decimal
    lower: Decimal
    upper: Decimal
    near_lower: Decimal
    near_upper: Decimal


@dataclass(frozen=True)
class SpcResult:
    """Blank (``variation is None``) when the period itself has no approved value."""

    variation: Variation | None = None
    assurance: Assurance | None = None
    limits: Limits | None = None
    quarterly_target: Decimal | None = None
    points: tuple[tuple[FinancialQuarter, Decimal], ...] = ()
    special: tuple[bool, ...] = field(default=(), repr=False)
    reasons: tuple[frozenset, ...] = field(default=(), repr=False)

    @property
    def point_count(self) -> int | None:
        return len(self.points) if self.variation is not None else None

    @property
    def mean_display(self) -> Decimal | None:
        return round_half_up(self.limits.mean, 2) if self.limits else None

    @property
    def lower_display(self) -> Decimal | None:
        return round_half_up(self.limits.lower, 2) if self.limits else None

    @property
    def upper_display(self) -> Decimal | None:
        return round_half_up(self.limits.upper, 2) if self.limits else None


NO_RESULT = SpcResult()


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def xmr_limits(values: Sequence[Decimal]) -> Limits:
    """Mean and process limits, with moving ranges of 3.267 × their average or more
    screened out once (NHSRplotthedots' outlier screening)."""
    mean = _mean(values)
    moving_ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    amr = _mean(moving_ranges) if moving_ranges else Decimal(0)
    if amr != 0:
        kept = [mr for mr in moving_ranges if mr < SCREEN_FACTOR * amr]
        amr = _mean(kept)
    return Limits(
        mean=mean,
        lower=mean - LIMIT_FACTOR * amr,
        upper=mean + LIMIT_FACTOR * amr,
        near_lower=mean - NEAR_FACTOR * amr,
        near_upper=mean + NEAR_FACTOR * amr,
    )


def _side(value: Decimal, mean: Decimal) -> int:
    return (value > mean) - (value < mean)


def _runs(keys: Sequence[int]) -> list[bool]:
    """Marks indexes inside a run of ≥ RUN_LENGTH equal, non-zero keys."""
    flags = [False] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0 and i - start >= RUN_LENGTH:
                for j in range(start, i):
                    flags[j] = True
            start = i
    return flags


def shift_flags(values: Sequence[Decimal], mean: Decimal) -> list[bool]:
    """Rule 2: seven or more points in a row on one side of the mean."""
    return _runs([_side(v, mean) for v in values])


def trend_flags(values: Sequence[Decimal]) -> tuple[list[bool], list[bool]]:
    """Rule 3: seven or more points each strictly above (or below) the one before.
    Returns (rising, falling) flags per point."""
    n = len(values)
    rising, falling = [False] * n, [False] * n
    for flags, goes in ((rising, lambda a, b: b > a), (falling, lambda a, b: b < a)):
        start = 0
        for i in range(1, n + 1):
            if i == n or not goes(values[i - 1], values[i]):
                if i - start >= RUN_LENGTH:
                    for j in range(start, i):
                        flags[j] = True
                start = i
    return rising, falling


def two_of_three_flags(values: Sequence[Decimal], limits: Limits) -> list[bool]:
    """Rule 4: beyond a near-limit line (inside the process limits), with another such
    point among three in a row all on the same side of the mean."""

    def near(v: Decimal) -> bool:
        inside = limits.lower <= v <= limits.upper
        return inside and (v > limits.near_upper or v < limits.near_lower)

    n = len(values)
    is_near = [near(v) for v in values]
    sides = [_side(v, limits.mean) for v in values]
    flags = [False] * n
    for start in range(n - 2):
        side = sides[start]
        if side == 0 or sides[start + 1] != side or sides[start + 2] != side:
            continue
        if is_near[start] + is_near[start + 1] + is_near[start + 2] >= 2:
            for j in (start, start + 1, start + 2):
                if is_near[j]:
                    flags[j] = True
    return flags


def window_for(
    values: Mapping[FinancialQuarter, Decimal | None],
    period: FinancialQuarter,
    breaks: Sequence[SeriesBreak] = (),
) -> list[tuple[FinancialQuarter, Decimal]]:
    # Quarters compared as (year, quarter) tuples: the dataclass's own comparisons are
    # several times slower, and this runs for every indicator on every page.
    end = (period.year, period.quarter)
    start = max(
        ((b.period.year, b.period.quarter) for b in breaks if b.period <= period),
        default=(0, 0),
    )
    series = sorted(
        (
            ((q.year, q.quarter), q, v)
            for q, v in values.items()
            if v is not None and start <= (q.year, q.quarter) <= end
        ),
        key=lambda item: item[0],
    )
    return [(q, v) for _, q, v in series[-MAX_POINTS:]]


def quarterly_target(
    rules: IndicatorRules,
    target: TargetRule,
    same_quarter_last_year: Decimal | None,
) -> Decimal | None:
    """The year's target at the scale of one quarter's own value."""
    if target.type == TargetType.NONE or target.value is None:
        return None
    if target.type == TargetType.VALUE:
        return target.value / 4 if rules.measure == Measure.COUNT else target.value
    if same_quarter_last_year is None:
        return None
    return same_quarter_last_year * (1 + target.value / HUNDRED)


def assurance_for(polarity: Polarity, target: Decimal | None, limits: Limits) -> Assurance | None:
    if target is None or polarity == Polarity.MONITOR:
        return None
    above, below = target > limits.upper, target < limits.lower
    if polarity == Polarity.HIGHER_IS_BETTER:
        return Assurance.FAIL if above else Assurance.PASS if below else Assurance.HIT_AND_MISS
    return Assurance.PASS if above else Assurance.FAIL if below else Assurance.HIT_AND_MISS


# NHSRplotthedots gives a point its special-cause type in this order: outside the limits,
# then the trend (its direction is the run's slope), then two of three beyond two sigma,
# then the shift (its direction the side of the mean). A rising run that ends below the
# mean is a rising trend, not a low shift.
PRECEDENCE = ("outside_limits", "trend_up", "trend_down", "two_of_three", "shift")
RULE_NAMES = dict(zip(PRECEDENCE, ("a point outside the process limits", "a rising trend",
                  "a falling trend", "two of three points near a process limit", "a shift"), strict=True))  # fmt: skip


def deciding_rule(reasons: frozenset) -> str | None:
    """The rule that sets the icon of a point flagged by ``reasons``."""
    return next((rule for rule in PRECEDENCE if rule in reasons), None)


def icon_direction(reasons: frozenset, value: Decimal, limits: Limits) -> int:
    """1 for a high special cause, -1 for a low one, by the deciding rule."""
    rule = deciding_rule(reasons)
    if rule == "trend_up":
        return 1
    if rule == "trend_down":
        return -1
    return 1 if value > limits.mean else -1


def special_cause_icon(polarity: Polarity, side: int) -> Variation:
    """The icon for a special-cause point above (side 1) or below (side -1) the mean."""
    return _ICONS[(polarity, side)]


_ICONS = {
    (Polarity.HIGHER_IS_BETTER, 1): Variation.IMPROVEMENT_HIGH,
    (Polarity.HIGHER_IS_BETTER, -1): Variation.CONCERN_LOW,
    (Polarity.LOWER_IS_BETTER, 1): Variation.CONCERN_HIGH,
    (Polarity.LOWER_IS_BETTER, -1): Variation.IMPROVEMENT_LOW,
    (Polarity.MONITOR, 1): Variation.NEUTRAL_HIGH,
    (Polarity.MONITOR, -1): Variation.NEUTRAL_LOW,
}


def analyse(
    rules: IndicatorRules,
    target: TargetRule,
    values: Mapping[FinancialQuarter, Decimal | None],
    period: FinancialQuarter,
    breaks: Sequence[SeriesBreak] = (),
) -> SpcResult:
    """Variation and assurance for ``period`` from the indicator's quarterly values."""
    if values.get(period) is None:
        return NO_RESULT
    points = tuple(window_for(values, period, breaks))
    if len(points) < MIN_POINTS:
        return SpcResult(variation=Variation.TOO_FEW_POINTS, points=points)
    xs = [v for _, v in points]
    limits = xmr_limits(xs)
    n = len(xs)
    if all(x == xs[0] for x in xs):  # no variation at all, so nothing is special
        reasons = [frozenset()] * n
    else:
        outside = [x > limits.upper or x < limits.lower for x in xs]
        shift = shift_flags(xs, limits.mean)
        rising, falling = trend_flags(xs)
        two_of_three = two_of_three_flags(xs, limits)
        named = (
            ("outside_limits", outside),
            ("shift", shift),
            ("trend_up", rising),
            ("trend_down", falling),
            ("two_of_three", two_of_three),
        )
        reasons = [frozenset(name for name, flags in named if flags[i]) for i in range(n)]
    special = tuple(bool(r) for r in reasons)
    last = xs[-1]
    if not special[-1]:
        variation = Variation.COMMON_CAUSE
    else:
        variation = special_cause_icon(rules.polarity, icon_direction(reasons[-1], last, limits))
    same_quarter_last_year = values.get(period.same_quarter_last_year())
    goal = quarterly_target(rules, target, same_quarter_last_year)
    return SpcResult(
        variation=variation,
        assurance=assurance_for(rules.polarity, goal, limits),
        limits=limits,
        quarterly_target=goal,
        points=points,
        special=special,
        reasons=tuple(reasons),
    )


def plain_summary(result: SpcResult, places: int = 2) -> str:
    """One sentence a councillor can read; ``places`` 0 for a count (not 88.81 offences)."""

    def number(value) -> str:
        return f"{round_half_up(value, places):,}"

    if result.variation is None:
        return "There is no approved figure for this quarter, so there is no SPC reading."
    if result.variation == Variation.TOO_FEW_POINTS:
        return (
            f"Only {len(result.points)} quarters since the series began or last changed: "
            f"at least {MIN_POINTS} are needed to tell signal from noise."
        )
    mean = number(result.mean_display)
    if result.variation == Variation.COMMON_CAUSE:
        return (
            f"The latest quarter is common cause variation: within the usual range "
            f"({number(result.lower_display)} to {number(result.upper_display)}) around the average "
            f"of {mean}."
        )
    reasons = result.reasons[-1]
    deciding = deciding_rule(reasons)
    why = []
    if "outside_limits" in reasons:
        why.append("outside the process limits")
    if "shift" in reasons:
        run = _run_length_at_end([_side(v, result.limits.mean) for _, v in result.points])
        side = "above" if result.points[-1][1] > result.limits.mean else "below"
        why.append(f"{run} quarters in a row {side} the average of {mean}")
    if "trend_up" in reasons or "trend_down" in reasons:
        why.append(
            "part of a run of 7 or more quarters each "
            + ("higher" if "trend_up" in reasons else "lower")
            + " than the last"
        )
    if "two_of_three" in reasons:
        why.append("two of the last three quarters close to a process limit")
    kind = result.variation.kind
    name = {
        "improvement": "special cause improvement",
        "concern": "special cause concern",
        "neutral": "special cause variation",
    }[kind]
    decided = ""
    if len(why) > 1:
        decided = f" The icon follows {RULE_NAMES[deciding]}, the rule that takes precedence."
    return f"The latest quarter is {name}: " + "; ".join(why) + "." + decided


def _run_length_at_end(keys: Sequence[int]) -> int:
    count = 0
    for key in reversed(keys):
        if key != keys[-1] or key == 0:
            break
        count += 1
    return count
