from decimal import Decimal as D

import pytest

from core.formatting import (
    escape_formula,
    fixed_places,
    format_change,
    format_movement,
    format_value,
    plain_number,
)


@pytest.mark.parametrize(
    "value, measure, rate_per, expected",
    [
        (D("7881.0000"), "count", None, "7,881"),
        (D("14.5000"), "percentage", None, "14.5%"),
        (D("3.2"), "rate", 1000, "3.2 per 1,000"),
        (D("398"), "rate", 100000, "398 per 100,000"),
        (D("1234567.25"), "count", None, "1,234,567.25"),
        (D("-1200"), "count", None, "-1,200"),
        (None, "count", None, ""),
        (D("0"), "count", None, "0"),
    ],
)
def test_format_value(value, measure, rate_per, expected):
    assert format_value(value, measure, rate_per) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("1.4938"), "+1.5%"),
        (D("-1.2089"), "-1.2%"),
        (D("0"), "0.0%"),
        (None, ""),
        (D("8"), "+8.0%"),
    ],
)
def test_format_change(value, expected):
    assert format_change(value) == expected


def test_plain_and_fixed_numbers():
    assert plain_number(D("7800.0000")) == "7800"
    assert plain_number(D("7609.700"), 2) == "7609.7"
    assert plain_number(None) == ""
    assert fixed_places(D("8"), 1) == "8.0"
    assert fixed_places(D("-0.04"), 1) == "0.0"  # no "minus nothing"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@x", "'@x"),
        ("Arson", "Arson"),
        ("", ""),
    ],
)
def test_escape_formula(text, expected):
    assert escape_formula(text) == expected


@pytest.mark.parametrize(
    ("measure", "actual", "comparison", "change_pct", "expected"),
    [
        ("percentage", D("19.6"), D("18.2"), D("7.69"), "+1.4 pp"),
        ("percentage", D("26.5"), D("27"), D("-1.85"), "-0.5 pp"),
        ("percentage", D("14"), D("14"), D("0"), "0.0 pp"),
        ("percentage", D("14"), None, None, ""),
        ("count", D("2615"), D("2647"), D("-1.21"), "-1.2%"),
        ("rate", D("398"), D("352"), D("13.07"), "+13.1%"),
    ],
)
def test_a_change_in_a_percentage_is_in_percentage_points(
    measure, actual, comparison, change_pct, expected
):
    assert format_movement(measure, actual, comparison, change_pct) == expected
