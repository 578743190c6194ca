"""Outliers against a figure's own history (returns.quality.outliers), hand-worked."""

from decimal import Decimal

import pytest

from core.periods import FinancialQuarter as FQ
from indicators.rag import SeriesBreak
from returns.quality import outliers

D = Decimal
# Twelve quarters: median 12, absolute deviations 2,0,1,1,0,1,2,0,1,1,0,0 → MAD 1.
TWELVE = [D(v) for v in (10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 12)]


@pytest.mark.parametrize(
    "value, flagged, score",
    [
        (D(18), True, D("4.047")),  # 0.6745 × 6 / 1
        (D(17), False, D("3.3725")),  # 0.6745 × 5 / 1
        (D(6), True, D("-4.047")),
        (D(12), False, D(0)),
    ],
)
def test_modified_z_score(value, flagged, score):
    reading = outliers.modified_z(value, TWELVE)
    assert reading.flagged is flagged
    assert reading.score.quantize(D("0.0001")) == score.quantize(D("0.0001"))
    # the range it allows: 12 ± 3.5 × 1 / 0.6745
    assert reading.low.quantize(D("0.01")) == D("6.81")
    assert reading.high.quantize(D("0.01")) == D("17.19")


def test_modified_z_needs_twelve_quarters_and_some_spread():
    assert outliers.modified_z(D(18), TWELVE[1:]) is None
    assert outliers.modified_z(D(99), [D(5)] * 12) is None  # MAD 0: no reading


@pytest.mark.parametrize("value, flagged", [(D(131), True), (D(130), False), (D(89), True)])
def test_seasonal_expectation(value, flagged):
    # mean 110, standard deviation 10: 90 to 130
    reading = outliers.seasonal(value, [D(100), D(110), D(120)])
    assert (reading.flagged, reading.low, reading.high) == (flagged, D(90), D(130))


def test_seasonal_needs_three_years():
    assert outliers.seasonal(D(500), [D(100), D(110)]) is None


def history(start_year, values):
    """Consecutive quarters from Q1 of ``start_year``."""
    fq = FQ(start_year, 1)
    found = {}
    for value in values:
        found[fq] = D(value)
        fq = fq.next()
    return found


def test_check_uses_both_tests_with_enough_history_and_names_the_range():
    # 2016-17 to 2018-19: Q4s are 100, 110, 120; the other quarters steady around 110.
    past = history(2016, [108, 112, 110, 100, 109, 111, 112, 110, 110, 108, 111, 120])
    check = outliers.check_figure(D(150), FQ(2019, 4), past, band_pct=D(50))
    assert check.enough_history
    assert [r.test for r in check.readings] == ["seasonal", "modified_z"]
    assert check.is_outlier
    assert check.reason(FQ(2019, 4)) == (
        "Outlier (same quarter of the last three years): usually 90–130 in Q4"
    )


def test_an_ordinary_move_on_last_year_can_still_be_extraordinary_against_three_years():
    # Q4s 100, 102, 104; 2018-19 Q4 was 104 and 2019-20 Q4 is 112: +7.7% on last year
    # (well inside ±50%) but outside 102 ± 4.
    past = history(2016, [100, 101, 99, 100, 100, 102, 101, 102, 103, 101, 102, 104])
    check = outliers.check_figure(D(112), FQ(2019, 4), past, band_pct=D(50))
    assert "seasonal" in [r.test for r in check.flagged]
    assert not outliers.band(D(112), D(104), D(50)).flagged


def test_too_little_history_falls_back_to_the_band():
    past = history(2018, [100, 100, 100, 100])
    check = outliers.check_figure(D(160), FQ(2019, 4), past, band_pct=D(50))
    assert not check.enough_history
    assert [r.test for r in check.readings] == ["band"]
    assert check.is_outlier
    assert not outliers.check_figure(D(140), FQ(2019, 4), past, band_pct=D(50)).is_outlier


def test_history_starts_at_the_latest_series_break():
    past = history(2016, [108, 112, 110, 100, 109, 111, 112, 110, 110, 108, 111, 120])
    start = outliers.series_start(
        [SeriesBreak(FQ(2017, 1), "old"), SeriesBreak(FQ(2019, 1), "new rules")], FQ(2019, 4)
    )
    assert start == FQ(2019, 1)
    check = outliers.check_figure(D(150), FQ(2019, 4), past, band_pct=D(50), series_start=start)
    # nothing from before 2019-20 Q1 counts, and last year is across the break: no reading
    assert not check.enough_history and not check.readings and not check.is_outlier


def test_small_counts_never_trigger():
    past = history(2016, [1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1])
    check = outliers.check_figure(D(4), FQ(2019, 4), past, band_pct=D(50), caution_below=D(10))
    assert check.small and not check.is_outlier


def test_no_figure_no_reading():
    assert not outliers.check_figure(None, FQ(2019, 4), {}, band_pct=D(50)).readings
