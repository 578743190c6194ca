"""The rule that compares a submitted figure with police.uk's (plain Python)."""

from datetime import date
from decimal import Decimal

import pytest

from policeuk.crime_types import is_street_file, month_range_label, months_of_quarter, parse_month
from policeuk.reconcile import reconcile


@pytest.mark.parametrize(
    ("submitted", "police_uk", "difference", "pct", "within"),
    [
        ("1050", 1000, "50", "5.0", True),  # on the tolerance: within
        ("1051", 1000, "51", "5.1", False),
        ("949", 1000, "-51", "-5.1", False),
        ("401", 400, "1", "0.3", True),  # 0.25 rounds half-up, not to even (0.2)
        ("399", 400, "-1", "-0.3", True),  # and away from zero below
        ("1000", 1000, "0", "0.0", True),
        ("3", 0, "3", None, False),  # police.uk 0: no percentage; any difference is out
        ("0", 0, "0", None, True),
    ],
)
def test_difference_and_tolerance(submitted, police_uk, difference, pct, within):
    result = reconcile(submitted=Decimal(submitted), police_uk=police_uk, months=3)
    assert result.difference == Decimal(difference)
    assert result.difference_pct == (None if pct is None else Decimal(pct))
    assert result.within_tolerance is within


def test_a_quarter_with_fewer_than_three_months_is_never_within_tolerance():
    result = reconcile(submitted=Decimal(1000), police_uk=1000, months=2)
    assert result.difference == 0
    assert result.within_tolerance is None and not result.complete
    assert not result.outside_tolerance  # shown, not judged


def test_nothing_to_judge_without_a_submitted_figure_or_any_month():
    assert reconcile(submitted=None, police_uk=900, months=3).within_tolerance is None
    nothing = reconcile(submitted=Decimal(5), police_uk=0, months=0)
    assert nothing.police_uk is None and nothing.difference is None


def test_a_tolerance_of_its_own():
    result = reconcile(submitted=Decimal(1080), police_uk=1000, months=3, tolerance_pct=Decimal(10))
    assert result.within_tolerance is True


@pytest.mark.parametrize("text", ["2020-1", "2020-13", "20-01", "Jan 2020", "2020-01-01", ""])
def test_a_month_must_be_written_yyyy_mm(text):
    with pytest.raises(ValueError, match="is not a month like 2020-01"):
        parse_month(text)


def test_months_of_a_quarter_and_their_label():
    months = months_of_quarter(date(2020, 1, 1))
    assert months == [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)]
    assert month_range_label(months) == "Jan–Mar 2020"
    assert month_range_label(months_of_quarter(date(2019, 12, 1))) == "Dec 2019–Feb 2020"


@pytest.mark.parametrize(
    ("name", "street"),
    [
        ("2020-01/2020-01-hampshire-street.csv", True),
        ("2020-01-city-of-london-street.csv", True),
        ("2020-01/2020-01-hampshire-outcomes.csv", False),
        ("2020-01/2020-01-hampshire-stop-and-search.csv", False),
    ],
)
def test_only_street_files_in_a_zip_are_crimes(name, street):
    assert is_street_file(name) is street
