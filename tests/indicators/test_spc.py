"""Statistical process control (XmR, Making Data Count rules), rule by rule. The series
in each case were worked out by hand; the comments give the mean and limits."""

import ast
import pathlib
from decimal import Decimal as D

import pytest

from core.periods import FinancialQuarter as FQ
from indicators import rag, spc
from indicators.rag import IndicatorRules, Measure, Polarity, SeriesBreak, TargetRule, TargetType
from indicators.spc import Assurance, Limits, Variation

LOWER = IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER)
HIGHER = IndicatorRules(Measure.COUNT, Polarity.HIGHER_IS_BETTER)
MONITOR = IndicatorRules(Measure.COUNT, Polarity.MONITOR)
START = FQ(2014, 1)


def series(*values, start=START):
    """Consecutive quarters from ``start``; ``None`` leaves a quarter out."""
    out, quarter = {}, start
    for v in values:
        if v is not None:
            out[quarter] = D(str(v))
        quarter = quarter.next()
    return out


def last(values):
    return max(values)


def run(values, rules=LOWER, target=rag.NO_TARGET, breaks=()):
    return spc.analyse(rules, target, values, last(values), breaks)


# Rule 1 alone. High: mean 160/12 = 13.33, amr 56/11, upper 26.87; 30 is outside.
OUTSIDE_HIGH = series(10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 30)
# Low: mean 242/12 = 20.17; the 18 moving range is screened out, amr 4, lower 9.53.
OUTSIDE_LOW = series(20, 24, 20, 24, 20, 24, 20, 24, 20, 24, 20, 2)
# Rule 2 alone: mean 85/12 = 7.08; the last 7 points are above it, none near a limit.
SHIFT = series(4, 6, 4, 6, 6, 8, 9, 8, 8, 9, 8, 9)
# The same, with one point of the run exactly on the mean (84/12 = 7): no run of 7.
SHIFT_BROKEN_BY_MEAN = series(4, 6, 4, 6, 6, 8, 9, 8, 7, 9, 8, 9)
# Rule 3 alone: 10..17 rises 7 times; mean 14 (the 14 sits on it, so no shift).
TREND = series(10, 20, 10, 20, 10, 11, 12, 13, 14, 15, 16, 17)
# The same with two equal neighbours (13, 13): two rises of 4, no trend.
TREND_BROKEN_BY_EQUAL = series(10, 20, 10, 20, 10, 11, 12, 13, 13, 15, 16, 17)
# A falling trend whose last point is exactly on the mean (144/12 = 12).
TREND_ON_MEAN = series(5, 7, 5, 5, 5, 20, 19, 18, 17, 16, 15, 12)
# Rule 4 alone: mean 253/24 = 10.54, amr 55/23, near 14.78, upper 16.90: 16 and 16 are
# beyond the near line inside the limits, with 12 between them on the same side.
BASE = [9, 11] * 10 + [9]
TWO_OF_THREE = series(*BASE, 16, 12, 16)
# The middle point is below the mean: the three are not on one side.
TWO_OF_THREE_SPLIT = series(*BASE, 16, 9, 16)
# A point outside the limits (30) does not count towards the two.
TWO_OF_THREE_WITH_OUTSIDE = series(*BASE, 30, 12, 16)
# Screening: two moving ranges of 30 are dropped (≥ 3.267 × 90/11), so amr is 30/9 and
# 24 is outside the upper limit 23.20; unscreened, the limit would be 36.1.
SCREENED = series(10, 12, 10, 12, 10, 40, 10, 12, 10, 12, 10, 24)


def test_spc_module_has_no_django_import():
    tree = ast.parse(pathlib.Path("indicators/spc.py").read_text())
    imported = [
        getattr(node, "module", None) or node.names[0].name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert not [m for m in imported if m and m.startswith("django")]


@pytest.mark.parametrize(
    "values, rules, expected, reason",
    [
        (OUTSIDE_HIGH, LOWER, Variation.CONCERN_HIGH, {"outside_limits"}),
        (OUTSIDE_HIGH, HIGHER, Variation.IMPROVEMENT_HIGH, {"outside_limits"}),
        (OUTSIDE_HIGH, MONITOR, Variation.NEUTRAL_HIGH, {"outside_limits"}),
        (OUTSIDE_LOW, LOWER, Variation.IMPROVEMENT_LOW, {"outside_limits"}),
        (OUTSIDE_LOW, HIGHER, Variation.CONCERN_LOW, {"outside_limits"}),
        (OUTSIDE_LOW, MONITOR, Variation.NEUTRAL_LOW, {"outside_limits"}),
        (SHIFT, LOWER, Variation.CONCERN_HIGH, {"shift"}),
        (SHIFT_BROKEN_BY_MEAN, LOWER, Variation.COMMON_CAUSE, set()),
        (TREND, HIGHER, Variation.IMPROVEMENT_HIGH, {"trend_up"}),
        (TREND_BROKEN_BY_EQUAL, HIGHER, Variation.COMMON_CAUSE, set()),
        (TREND_ON_MEAN, LOWER, Variation.IMPROVEMENT_LOW, {"trend_down"}),
        (TREND_ON_MEAN, HIGHER, Variation.CONCERN_LOW, {"trend_down"}),
        (TWO_OF_THREE, LOWER, Variation.CONCERN_HIGH, {"two_of_three"}),
        (TWO_OF_THREE_SPLIT, LOWER, Variation.COMMON_CAUSE, set()),
        (TWO_OF_THREE_WITH_OUTSIDE, LOWER, Variation.COMMON_CAUSE, set()),
        (SCREENED, LOWER, Variation.CONCERN_HIGH, {"outside_limits"}),
    ],
)
def test_each_rule_flags_the_latest_point(values, rules, expected, reason):
    result = run(values, rules)
    assert result.variation == expected
    assert set(result.reasons[-1]) == reason


def test_limits_are_screened_once_and_rounded_half_up_for_display():
    result = run(SCREENED)
    # mean 172/12; amr 30/9 after dropping the two 30s
    assert result.limits.mean == D(172) / 12
    assert result.limits.upper == D(172) / 12 + D("2.66") * (D(30) / 9)
    assert (result.mean_display, result.lower_display, result.upper_display) == (
        D("14.33"),
        D("5.47"),
        D("23.20"),
    )


def test_near_limit_lines_are_two_thirds_of_the_way_to_the_limits():
    limits = spc.xmr_limits([D(9), D(11)] * 6)
    amr = D(2)
    assert limits.near_upper == limits.mean + D(2) / D(3) * D("2.66") * amr
    assert limits.near_lower == limits.mean - D(2) / D(3) * D("2.66") * amr


def test_rounding_is_half_up_away_from_zero():
    result = spc.SpcResult(
        variation=Variation.COMMON_CAUSE,
        limits=Limits(D("2.345"), D("-1.125"), D("5.675"), D(0), D(0)),
    )
    assert (result.mean_display, result.lower_display, result.upper_display) == (
        D("2.35"),
        D("-1.13"),
        D("5.68"),
    )


def test_every_point_equal_is_common_cause_with_limits_on_the_mean():
    result = run(series(*[100] * 12))
    assert result.variation == Variation.COMMON_CAUSE
    assert result.limits.lower == result.limits.upper == result.limits.mean == D(100)


def test_a_jump_after_a_flat_series_is_special_cause_once_screening_leaves_no_range():
    # The single moving range of 95 is screened out, so the limits close on the mean.
    result = run(series(*[5] * 11, 100))
    assert result.variation == Variation.CONCERN_HIGH


def test_shift_flags_every_point_of_the_run():
    result = run(SHIFT)
    assert [("shift" in r) for r in result.reasons] == [False] * 5 + [True] * 7
    # The first and third points (4, 4) are beyond the lower near line, two of three
    # below the mean: rule 4 marks them, so they are special too.
    assert result.special == (True, False, True, False, False) + (True,) * 7


def test_fewer_than_twelve_points_is_too_few():
    result = run(series(*range(1, 12)), target=TargetRule(TargetType.VALUE, D(10)))
    assert result.variation == Variation.TOO_FEW_POINTS
    assert result.point_count == 11
    assert (result.assurance, result.limits, result.mean_display) == (None, None, None)


def test_no_value_for_the_period_leaves_everything_blank():
    values = series(*range(1, 20))
    result = spc.analyse(LOWER, rag.NO_TARGET, values, last(values).next(), ())
    assert result.variation is None
    assert result.point_count is None
    assert result.limits is None


def test_the_window_holds_at_most_24_points():
    values = series(*range(1, 31))
    result = run(values)
    assert result.point_count == 24
    assert result.points[0] == (FQ(2014, 1).next().next().next().next().next().next(), D(7))


def test_missing_quarters_are_skipped_and_runs_continue_across_them():
    # TREND with a quarter missing inside the rise: still a trend of 8 points.
    values = series(10, 20, 10, 20, 10, 11, 12, None, 13, 14, 15, 16, 17)
    result = run(values, HIGHER)
    assert result.point_count == 12
    assert result.variation == Variation.IMPROVEMENT_HIGH
    assert "trend_up" in result.reasons[-1]


def test_the_window_starts_at_the_latest_break_at_or_before_the_period():
    values = series(*range(1, 16))
    quarters = sorted(values)
    breaks = [SeriesBreak(quarters[2], "old"), SeriesBreak(quarters[4], "rules changed")]
    result = run(values, breaks=breaks)
    assert result.variation == Variation.TOO_FEW_POINTS
    assert result.point_count == 11  # the break quarter itself is included
    assert result.points[0][0] == quarters[4]


def test_a_break_after_the_period_is_ignored():
    values = series(*range(1, 16))
    future = SeriesBreak(last(values).next(), "later")
    assert run(values, breaks=[future]).point_count == 15


def test_runs_never_reach_back_across_a_break():
    values = series(9, 8, 9, 8, 9, 8, 8, 9, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6)
    # Without a break the last ten points are all below the mean of 6.56: a shift.
    assert run(values).variation == Variation.IMPROVEMENT_LOW
    quarters = sorted(values)
    with_break = run(values, breaks=[SeriesBreak(quarters[6], "recording changed")])
    assert with_break.point_count == 12
    assert with_break.variation == Variation.COMMON_CAUSE


# --- assurance ---------------------------------------------------------------

LIMITS = Limits(D(10), D(5), D(15), D("6.67"), D("13.33"))


@pytest.mark.parametrize(
    "polarity, target, expected",
    [
        (Polarity.HIGHER_IS_BETTER, D(16), Assurance.FAIL),
        (Polarity.HIGHER_IS_BETTER, D(4), Assurance.PASS),
        (Polarity.HIGHER_IS_BETTER, D(10), Assurance.HIT_AND_MISS),
        (Polarity.HIGHER_IS_BETTER, D(15), Assurance.HIT_AND_MISS),
        (Polarity.HIGHER_IS_BETTER, D(5), Assurance.HIT_AND_MISS),
        (Polarity.LOWER_IS_BETTER, D(16), Assurance.PASS),
        (Polarity.LOWER_IS_BETTER, D(4), Assurance.FAIL),
        (Polarity.LOWER_IS_BETTER, D(10), Assurance.HIT_AND_MISS),
        (Polarity.MONITOR, D(16), None),
        (Polarity.LOWER_IS_BETTER, None, None),
    ],
)
def test_assurance_compares_the_target_with_the_limits(polarity, target, expected):
    assert spc.assurance_for(polarity, target, LIMITS) == expected


@pytest.mark.parametrize(
    "rules, target, last_year, expected",
    [
        (LOWER, TargetRule(TargetType.VALUE, D(410)), None, D("102.5")),
        (
            IndicatorRules(Measure.PERCENTAGE, Polarity.HIGHER_IS_BETTER),
            TargetRule(TargetType.VALUE, D(60)),
            None,
            D(60),
        ),
        (
            IndicatorRules(Measure.RATE, Polarity.LOWER_IS_BETTER),
            TargetRule(TargetType.VALUE, D("4.5")),
            None,
            D("4.5"),
        ),
        (LOWER, TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-10)), D(200), D(180)),
        (LOWER, TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-10)), None, None),
        (LOWER, rag.NO_TARGET, D(200), None),
    ],
)
def test_quarterly_target(rules, target, last_year, expected):
    assert spc.quarterly_target(rules, target, last_year) == expected


@pytest.mark.parametrize(
    "rules, annual, expected",
    [
        (LOWER, D(480), Assurance.PASS),  # 120 a quarter, above the flat 100
        (LOWER, D(360), Assurance.FAIL),  # 90 a quarter, below it
        (LOWER, D(400), Assurance.HIT_AND_MISS),  # exactly on the limits
        (HIGHER, D(480), Assurance.FAIL),
        (HIGHER, D(360), Assurance.PASS),
        (MONITOR, D(480), None),
    ],
)
def test_assurance_from_an_annual_count_target(rules, annual, expected):
    result = run(series(*[100] * 12), rules, TargetRule(TargetType.VALUE, annual))
    assert result.assurance == expected


def test_change_target_uses_the_same_quarter_last_years_own_value():
    values = series(*[100] * 11, 100)
    values[last(values).same_quarter_last_year()] = D(80)  # 80 × 1.5 = 120 > 100
    result = run(values, LOWER, TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(50)))
    assert result.quarterly_target == D(120)
    assert result.assurance == Assurance.PASS


def test_change_target_with_no_value_last_year_gives_no_assurance():
    values = series(*[100] * 12)
    del values[last(values).same_quarter_last_year()]
    values[FQ(2010, 1)] = D(100)  # keep 12 points
    result = run(values, LOWER, TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(50)))
    assert result.variation == Variation.COMMON_CAUSE
    assert result.assurance is None


def test_summary_names_the_run_and_the_average():
    text = spc.plain_summary(run(SHIFT))
    assert text == (
        "The latest quarter is special cause concern: 7 quarters in a row above the "
        "average of 7.08."
    )


# --- series breaks and year-on-year caution ------------------------------------


def quarters(year, *values):
    return {FQ(year, q): D(v) for q, v in enumerate(values, start=1)}


COUNTS = quarters(2018, 100, 100, 100, 100) | quarters(2019, 100, 100)
PCT_RULES = IndicatorRules(Measure.PERCENTAGE, Polarity.LOWER_IS_BETTER)


@pytest.mark.parametrize(
    "rules, break_at, expected",
    [
        (LOWER, FQ(2018, 1), ""),  # counts compare from Q1 last year: not after it
        (LOWER, FQ(2018, 2), "Series break in 2018-19 Q2: rules changed"),
        (LOWER, FQ(2019, 2), "Series break in 2019-20 Q2: rules changed"),
        (LOWER, FQ(2019, 3), ""),  # after the period
        (PCT_RULES, FQ(2018, 2), ""),  # percentages compare with the same quarter
        (PCT_RULES, FQ(2018, 3), "Series break in 2018-19 Q3: rules changed"),
    ],
)
def test_a_comparison_across_a_break_is_a_caution(rules, break_at, expected):
    result = rag.assess(
        rules, rag.NO_TARGET, COUNTS, FQ(2019, 2), [SeriesBreak(break_at, "rules changed")]
    )
    assert result.caution == bool(expected)
    assert result.caution_reason == expected


def test_the_latest_break_is_named_beside_the_small_number_caution():
    rules = IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER, caution_below=D(1000))
    breaks = [SeriesBreak(FQ(2018, 3), "first"), SeriesBreak(FQ(2019, 1), "second")]
    result = rag.assess(rules, rag.NO_TARGET, COUNTS, FQ(2019, 2), breaks)
    assert result.caution_reason == (
        "Small numbers (below 1000): interpret with caution; Series break in 2019-20 Q1: second"
    )


def test_no_break_caution_without_a_comparison():
    values = quarters(2019, 100, 100)
    result = rag.assess(LOWER, rag.NO_TARGET, values, FQ(2019, 2), [SeriesBreak(FQ(2019, 1))])
    assert result.caution is False
