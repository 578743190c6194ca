"""The RAG engine's rules, one table of cases per rule (no database)."""

import ast
import pathlib
from decimal import Decimal as D

import pytest

from core import formatting
from core.periods import FinancialQuarter as FQ
from indicators import rag
from indicators.rag import Direction, IndicatorRules, Measure, Polarity, Rag, TargetRule, TargetType

COUNT_LOWER = IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER)
COUNT_HIGHER = IndicatorRules(Measure.COUNT, Polarity.HIGHER_IS_BETTER)
PCT_LOWER = IndicatorRules(Measure.PERCENTAGE, Polarity.LOWER_IS_BETTER)
MONITOR = IndicatorRules(Measure.COUNT, Polarity.MONITOR)


def year(y, *values):
    return {FQ(y, q): (None if v is None else D(v)) for q, v in enumerate(values, start=1)}


def test_rag_module_has_no_django_import():
    for module in ("indicators/rag.py", "core/periods.py", "core/formatting.py", "core/numbers.py"):
        tree = ast.parse(pathlib.Path(module).read_text())
        imported = [
            getattr(node, "module", None) or node.names[0].name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
        ]
        assert not [m for m in imported if m and m.startswith("django")], module


# --- actual -----------------------------------------------------------------


@pytest.mark.parametrize(
    "values, period, expected",
    [
        (year(2019, "10", "20", "30", "40"), FQ(2019, 4), D(100)),
        (year(2019, "10", "20", "30", "40"), FQ(2019, 2), D(30)),
        (year(2019, "10"), FQ(2019, 1), D(10)),
        (year(2019, "10", None, "30"), FQ(2019, 3), None),  # gap: no actual
        (year(2019, "10", "20"), FQ(2019, 3), None),  # quarter not yet reported
        ({FQ(2019, 2): D(5)}, FQ(2019, 2), None),  # Q1 missing
        (year(2019, "0", "0"), FQ(2019, 2), D(0)),
    ],
)
def test_count_actual_is_year_to_date_sum(values, period, expected):
    assert rag.measure_for(COUNT_LOWER, values, period) == expected


def test_percentage_actual_is_the_quarters_own_value():
    values = year(2019, "14.1", "14.3", "14.4", "14.5")
    assert rag.measure_for(PCT_LOWER, values, FQ(2019, 3)) == D("14.4")
    assert rag.measure_for(PCT_LOWER, {FQ(2019, 3): D("14.4")}, FQ(2019, 3)) == D("14.4")
    assert rag.measure_for(PCT_LOWER, values, FQ(2020, 1)) is None


# --- change vs last year ------------------------------------------------------


@pytest.mark.parametrize(
    "actual, comparison, expected",
    [
        (D(7881), D(7765), D(116) / D(7765) * 100),
        (D(2615), D(2647), D(-32) / D(2647) * 100),
        (D(10), D(0), None),  # comparison of zero: blank change
        (None, D(10), None),
        (D(10), None, None),
        (D(-5), D(-10), D(50)),  # negative comparison: the figure went up by half
    ],
)
def test_change_vs_last_year(actual, comparison, expected):
    assert rag.change_vs_last_year_pct(actual, comparison) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("2.25"), D("2.3")),
        (D("-2.25"), D("-2.3")),
        (D("1.449999"), D("1.4")),
        (D("1.45"), D("1.5")),
        (None, None),
    ],
)
def test_display_rounding_is_half_up(value, expected):
    assert formatting.round_half_up(value, 1) == expected


# --- target for the period ------------------------------------------------------


@pytest.mark.parametrize(
    "rules, target, period, comparison, expected",
    [
        (COUNT_LOWER, TargetRule(TargetType.VALUE, D(400)), FQ(2019, 1), None, D(100)),
        (COUNT_LOWER, TargetRule(TargetType.VALUE, D(400)), FQ(2019, 3), None, D(300)),
        (COUNT_LOWER, TargetRule(TargetType.VALUE, D(400)), FQ(2019, 4), None, D(400)),
        (PCT_LOWER, TargetRule(TargetType.VALUE, D(18)), FQ(2019, 2), None, D(18)),
        (
            COUNT_LOWER,
            TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-2)),
            FQ(2019, 4),
            D(7765),
            D("7609.70"),
        ),
        (
            COUNT_LOWER,
            TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(5)),
            FQ(2019, 4),
            D(100),
            D(105),
        ),
        (COUNT_LOWER, TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-2)), FQ(2019, 4), None, None),
        (COUNT_LOWER, TargetRule(TargetType.NONE, None), FQ(2019, 4), D(100), None),
        (COUNT_LOWER, rag.NO_TARGET, FQ(2019, 4), D(100), None),
        (COUNT_LOWER, TargetRule(TargetType.VALUE, D(0)), FQ(2019, 2), None, D(0)),
    ],
)
def test_period_target(rules, target, period, comparison, expected):
    assert rag.period_target(rules, target, period, comparison) == expected


# --- RAG ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rules, actual, target, expected",
    [
        (COUNT_LOWER, None, D(100), Rag.GREY),
        (COUNT_LOWER, None, None, Rag.GREY),
        (MONITOR, D(50), D(100), Rag.NOT_RATED),
        (COUNT_LOWER, D(50), None, Rag.NOT_RATED),
        # lower is better, tolerance 5%
        (COUNT_LOWER, D(100), D(100), Rag.GREEN),  # on target
        (COUNT_LOWER, D("99.99"), D(100), Rag.GREEN),
        (COUNT_LOWER, D("100.01"), D(100), Rag.AMBER),
        (COUNT_LOWER, D(105), D(100), Rag.AMBER),  # exactly on the amber edge
        (COUNT_LOWER, D("105.0001"), D(100), Rag.RED),
        (COUNT_LOWER, D("7881"), D("7609.70"), Rag.AMBER),
        # higher is better, mirrored
        (COUNT_HIGHER, D(100), D(100), Rag.GREEN),
        (COUNT_HIGHER, D(95), D(100), Rag.AMBER),  # exactly on the amber edge
        (COUNT_HIGHER, D("94.9999"), D(100), Rag.RED),
        (COUNT_HIGHER, D(120), D(100), Rag.GREEN),
        # target of zero
        (COUNT_LOWER, D(0), D(0), Rag.GREEN),
        (COUNT_LOWER, D(1), D(0), Rag.RED),
        (COUNT_HIGHER, D(0), D(0), Rag.GREEN),
    ],
)
def test_rag_status(rules, actual, target, expected):
    assert rag.rag_status(rules, actual, target) == expected


def test_band_edges_are_exact_with_decimals():
    # 0.1 + 0.2 in floats is 0.30000000000000004 and would fall outside the band.
    rules = IndicatorRules(Measure.PERCENTAGE, Polarity.LOWER_IS_BETTER, tolerance_pct=D(10))
    assert rag.rag_status(rules, D("0.33"), D("0.3")) == Rag.AMBER
    assert rag.rag_status(rules, D("0.1") + D("0.2"), D("0.3")) == Rag.GREEN


def test_custom_tolerance():
    rules = IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER, tolerance_pct=D(0))
    assert rag.rag_status(rules, D("100.01"), D(100)) == Rag.RED


# --- direction of travel ----------------------------------------------------------


@pytest.mark.parametrize(
    "rules, change, expected",
    [
        (COUNT_LOWER, None, Direction.NO_COMPARISON),
        (COUNT_LOWER, D("0.99"), Direction.STABLE),
        (COUNT_LOWER, D("-0.99"), Direction.STABLE),
        (COUNT_LOWER, D("1.0"), Direction.WORSENING),  # the band is "less than 1%"
        (COUNT_LOWER, D("-1.0"), Direction.IMPROVING),
        (COUNT_HIGHER, D(5), Direction.IMPROVING),
        (COUNT_HIGHER, D(-5), Direction.WORSENING),
        (MONITOR, D(8), Direction.UP),
        (MONITOR, D(-8), Direction.DOWN),
        (MONITOR, D("0.5"), Direction.STABLE),
        (
            IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER, stable_band_pct=D(5)),
            D(4),
            Direction.STABLE,
        ),
    ],
)
def test_direction_of_travel(rules, change, expected):
    assert rag.direction_of_travel(rules, change) == expected


# --- caution ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "caution_below, actual, comparison, expected",
    [
        (None, D(3), D(2), False),
        (D(50), D(36), D(31), True),  # modern slavery: small numbers
        (D(50), D(60), D(31), True),  # the comparison alone is small
        (D(50), D(36), None, True),
        (D(50), D(50), D(50), False),  # at the threshold is not below it
        (D(50), None, None, False),
    ],
)
def test_caution(caution_below, actual, comparison, expected):
    rules = IndicatorRules(Measure.COUNT, Polarity.MONITOR, caution_below=caution_below)
    flagged, reason = rag.caution_for(rules, actual, comparison)
    assert flagged is expected
    assert ("interpret with caution" in reason) is expected


# --- the whole assessment -------------------------------------------------------------


def test_assess_annual_review_asb():
    values = {**year(2018, 1864, 2019, 2019, 1863), **year(2019, 1891, 2049, 2049, 1892)}
    target = TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-2))
    result = rag.assess(COUNT_LOWER, target, values, FQ(2019, 4))
    assert result.actual == D(7881)
    assert result.comparison == D(7765)
    assert result.change_pct_display == D("1.5")
    assert result.target == D("7609.70")
    assert result.rag == Rag.AMBER
    assert result.direction == Direction.WORSENING
    assert result.caution is False


def test_assess_with_missing_quarter_is_grey_and_has_no_comparison():
    values = {**year(2018, 1, 1, 1, 1), **year(2019, 1, None, 1, 1)}
    result = rag.assess(COUNT_LOWER, TargetRule(TargetType.VALUE, D(10)), values, FQ(2019, 4))
    assert result.actual is None
    assert result.rag == Rag.GREY
    assert result.direction == Direction.NO_COMPARISON
    assert result.change_pct is None
    assert result.change_pct_display is None


def test_assess_zero_comparison_gives_blank_change():
    values = {**year(2018, 0, 0, 0, 0), **year(2019, 1, 0, 0, 0)}
    result = rag.assess(MONITOR, rag.NO_TARGET, values, FQ(2019, 4))
    assert result.change_pct is None
    assert result.direction == Direction.NO_COMPARISON
    assert result.rag == Rag.NOT_RATED


def test_assess_change_target_without_last_year_is_not_rated():
    values = year(2019, 5, 5, 5, 5)
    target = TargetRule(TargetType.CHANGE_VS_LAST_YEAR, D(-2))
    result = rag.assess(COUNT_LOWER, target, values, FQ(2019, 4))
    assert result.rag == Rag.NOT_RATED
    assert result.target is None


def test_labels_for_people():
    assert Rag.GREY.label == "No data"
    assert Rag.NOT_RATED.label == "Not rated"
    assert Direction.NO_COMPARISON.label == "No comparison"


@pytest.mark.parametrize(
    "rules, target, expected",
    [
        (COUNT_LOWER, D(100), D(105)),  # amber up to 5% above, red beyond
        (COUNT_HIGHER, D(100), D(95)),
        (PCT_LOWER, D(18), D("18.9")),
        (MONITOR, D(100), None),
        (COUNT_LOWER, None, None),
        (IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER, tolerance_pct=D(0)), D(10), D(10)),
    ],
)
def test_red_threshold(rules, target, expected):
    assert rag.red_threshold(rules, target) == expected
    if expected is not None and rules.polarity == Polarity.LOWER_IS_BETTER:
        assert rag.rag_status(rules, expected, target) != Rag.RED
        assert rag.rag_status(rules, expected + D("0.01"), target) == Rag.RED


def _change(actual, comparison, direction=Direction.WORSENING):
    return rag.Assessment(
        period=FQ(2019, 4),
        actual=None if actual is None else D(actual),
        comparison=None if comparison is None else D(comparison),
        target=None,
        rag=Rag.NOT_RATED,
        direction=direction,
        change_pct=None,
        caution=False,
        caution_reason="",
    )


@pytest.mark.parametrize(
    ("measure", "assessment", "label"),
    [
        (Measure.COUNT, _change(1000, 850), "significant"),
        (Measure.COUNT, _change(36, 31), "not significant"),
        (Measure.PERCENTAGE, _change(1000, 850), None),  # a share is not a Poisson count
        (Measure.RATE, _change(1000, 850), None),
        (Measure.COUNT, _change(1000, 850, Direction.NOT_COMPARABLE), None),  # a series break
        (Measure.COUNT, _change(1000, None, Direction.NO_COMPARISON), None),
    ],
)
def test_a_changes_significance_is_for_comparable_counts_only(measure, assessment, label):
    found = rag.change_significance(measure, assessment)
    assert (found.label if found else None) == label
