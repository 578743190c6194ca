"""Rules for entered figures (no database)."""

from decimal import Decimal as D

import pytest

from core import numbers
from indicators.rag import IndicatorRules, Measure, Polarity, Rag
from returns import validation
from returns.validation import Context, Entry, field_errors, is_outlier, submit_errors

COUNT = IndicatorRules(Measure.COUNT, Polarity.LOWER_IS_BETTER)
PCT = IndicatorRules(Measure.PERCENTAGE, Polarity.LOWER_IS_BETTER)


@pytest.mark.parametrize(
    "entry, measure, field, message",
    [
        (Entry(value=D(-1)), "count", "value", "cannot be negative"),
        (Entry(value=D("2.5")), "count", "value", "whole number"),
        (Entry(value=D("100.1")), "percentage", "value", "between 0 and 100"),
        (Entry(value=D(-0.1)), "percentage", "value", "between 0 and 100"),
        (Entry(value=D(-3)), "rate", "value", "cannot be negative"),
        (Entry(numerator=D(11), denominator=D(10)), "percentage", "numerator", "cannot be more"),
        (Entry(numerator=D(1), denominator=D(0)), "percentage", "denominator", "cannot be zero"),
        (Entry(numerator=D(-1)), "percentage", "numerator", "cannot be negative"),
        (Entry(value=D(5), not_available=True), "count", "value", "Leave the value blank"),
    ],
)
def test_field_errors(entry, measure, field, message):
    errors = field_errors(entry, measure)
    assert message in errors[field]


@pytest.mark.parametrize(
    "entry, measure",
    [
        (Entry(value=D(0)), "count"),
        (Entry(value=D(100)), "percentage"),
        (Entry(value=D(0)), "percentage"),
        (Entry(numerator=D(10), denominator=D(10), value=D(100)), "percentage"),
        (Entry(), "count"),  # a blank is fine while drafting
    ],
)
def test_valid_figures_have_no_field_errors(entry, measure):
    assert field_errors(entry, measure) == {}


def test_submit_needs_a_value_or_a_reason():
    ctx = Context(rules=COUNT)
    assert "Enter a value" in submit_errors(Entry(), ctx)["value"]
    errors = submit_errors(Entry(not_available=True), ctx)
    assert "Say why" in errors["not_available_reason"]
    assert submit_errors(Entry(not_available=True, not_available_reason="System outage"), ctx) == {}


@pytest.mark.parametrize(
    "value, last_year, band, outlier",
    [
        (D(151), D(100), D(50), True),
        (D(150), D(100), D(50), False),  # exactly on the band is not beyond it
        (D(49), D(100), D(50), True),
        (D(50), D(100), D(50), False),
        (D(10), None, D(50), False),  # nothing to compare with
        (D(10), D(0), D(50), False),  # no percentage change from zero
        (D(130), D(100), D(25), True),
    ],
)
def test_outlier_band(value, last_year, band, outlier):
    ctx = Context(rules=COUNT, outlier_band_pct=band, same_quarter_last_year=last_year)
    assert is_outlier(Entry(value=value), ctx) is outlier


def test_outlier_needs_commentary_before_submit():
    ctx = Context(rules=COUNT, same_quarter_last_year=D(100))
    errors = submit_errors(Entry(value=D(200)), ctx)
    assert "+100.0% on the same quarter last year" in errors["commentary"]
    assert submit_errors(Entry(value=D(200), commentary="New recording system"), ctx) == {}


def test_red_needs_commentary_before_submit():
    ctx = Context(rules=COUNT, rag_preview=Rag.RED)
    assert "what is being done" in submit_errors(Entry(value=D(10)), ctx)["commentary"]
    assert submit_errors(Entry(value=D(10), commentary="Extra patrols"), ctx) == {}
    assert submit_errors(Entry(value=D(10)), Context(rules=COUNT, rag_preview=Rag.AMBER)) == {}


def test_field_errors_come_before_commentary_rules():
    ctx = Context(rules=PCT, rag_preview=Rag.RED)
    assert set(submit_errors(Entry(value=D(120)), ctx)) == {"value"}


@pytest.mark.parametrize(
    "measure, numerator, denominator, rate_per, expected",
    [
        ("percentage", D(37), D(200), None, D("18.5")),
        ("rate", D(3), D(1500), 1000, D(2)),
        ("percentage", D(1), D(0), None, None),
        ("count", D(1), D(2), None, None),
        ("percentage", None, D(2), None, None),
    ],
)
def test_derived_value(measure, numerator, denominator, rate_per, expected):
    assert validation.derived_value(measure, numerator, denominator, rate_per) == expected


@pytest.mark.parametrize(
    "value, expected_value, problem",
    [
        (None, D("33.3"), False),  # filled from 1 of 3, to 1 decimal place
        (D("33.3"), D("33.3"), False),  # agrees within rounding
        (D("33.4"), D("33.4"), True),  # 0.07 away: refused
    ],
)
def test_with_derived_value(value, expected_value, problem):
    entry = validation.Entry(value=value, numerator=D(1), denominator=D(3))
    filled, message = validation.with_derived_value(entry, "percentage")
    assert filled.value == expected_value
    assert bool(message) is problem


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234", D(1234)),
        ("-3", D(-3)),
        ("14.5", D("14.5")),
        (" 7 ", D(7)),
        ("1,234.5", D("1234.5")),
    ],
)
def test_parse_figure_accepts_what_people_type(text, expected):
    assert numbers.parse_figure(text) == expected


@pytest.mark.parametrize(
    "text", ["1_000", "١٢٣", "1e3", "NaN", "Infinity", "12,34", "1.23456", "", "1,2345"]
)
def test_parse_figure_refuses_the_rest(text):
    with pytest.raises(numbers.FigureError):
        numbers.parse_figure(text)
