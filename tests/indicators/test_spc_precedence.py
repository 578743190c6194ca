"""The latest point's icon takes its direction from the rule NHSRplotthedots gives
precedence to: outside the limits, then the trend (its slope), then two of three, then
the shift (its side of the mean). Every combination of a run rising or falling, ending
above or below the mean, for the three polarities."""

from decimal import Decimal

import pytest

from core.periods import FinancialQuarter
from indicators import spc
from indicators.rag import IndicatorRules, Measure, Polarity, TargetRule
from indicators.spc import Variation

SERIES = {
    # a rising run of 7 that ends below the mean: a trend (up) and a shift (below)
    ("rising", "below"): [30, 31, 30, 31, 30, 31, 20, 21, 22, 23, 24, 25, 26],
    # a rising run of 7 above the mean: trend and shift agree
    ("rising", "above"): [20, 19, 20, 19, 20, 19, 24, 25, 26, 27, 28, 29, 30],
    # a falling run of 7 that ends above the mean: a trend (down) and a shift (above)
    ("falling", "above"): [20, 19, 20, 19, 20, 19, 30, 29, 28, 27, 26, 25, 24],
    ("falling", "below"): [30, 31, 30, 31, 30, 31, 26, 25, 24, 23, 22, 21, 20],
}
ICON = {
    ("rising", Polarity.HIGHER_IS_BETTER): Variation.IMPROVEMENT_HIGH,
    ("rising", Polarity.LOWER_IS_BETTER): Variation.CONCERN_HIGH,
    ("rising", Polarity.MONITOR): Variation.NEUTRAL_HIGH,
    ("falling", Polarity.HIGHER_IS_BETTER): Variation.CONCERN_LOW,
    ("falling", Polarity.LOWER_IS_BETTER): Variation.IMPROVEMENT_LOW,
    ("falling", Polarity.MONITOR): Variation.NEUTRAL_LOW,
}


def values(series):
    fq, found = FinancialQuarter(2016, 1), {}
    for value in series:
        found[fq] = Decimal(value)
        last, fq = fq, fq.next()
    return found, last


CASES = [
    (slope, side, polarity)
    for slope, side in SERIES
    for polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.MONITOR)
]


@pytest.mark.parametrize("slope, side, polarity", CASES)
def test_a_trend_sets_the_icon_whichever_side_of_the_mean_it_ends(slope, side, polarity):
    found, last = values(SERIES[(slope, side)])
    result = spc.analyse(IndicatorRules(Measure.COUNT, polarity), TargetRule(), found, last)
    reasons = result.reasons[-1]
    # the series is what it says: the last point is in the run and on that side
    assert ("trend_up" if slope == "rising" else "trend_down") in reasons
    assert "shift" in reasons
    assert (found[last] > result.limits.mean) == (side == "above")
    disagree = (slope, side) in (("rising", "below"), ("falling", "above"))
    if disagree:  # the trend and the shift point opposite ways: the trend decides
        assert "outside_limits" not in reasons
        assert spc.deciding_rule(reasons) == ("trend_up" if slope == "rising" else "trend_down")
    assert result.variation == ICON[(slope, polarity)]


@pytest.mark.parametrize("slope, side", [("rising", "below"), ("falling", "above")])
def test_the_summary_names_the_rule_that_set_the_icon(slope, side):
    found, last = values(SERIES[(slope, side)])
    result = spc.analyse(
        IndicatorRules(Measure.COUNT, Polarity.HIGHER_IS_BETTER), TargetRule(), found, last
    )
    summary = spc.plain_summary(result)
    trend = "a rising trend" if slope == "rising" else "a falling trend"
    assert f"The icon follows {trend}, the rule that takes precedence." in summary
    word = "improvement" if slope == "rising" else "concern"
    assert summary.startswith(f"The latest quarter is special cause {word}")


@pytest.mark.parametrize(
    "reasons, value, direction",
    [
        (frozenset({"outside_limits", "trend_down"}), Decimal(40), 1),  # the limits first
        (frozenset({"outside_limits"}), Decimal(1), -1),
        (frozenset({"trend_up", "shift"}), Decimal(1), 1),
        (frozenset({"trend_down", "two_of_three"}), Decimal(40), -1),
        (frozenset({"two_of_three", "shift"}), Decimal(1), -1),  # side of the mean
        (frozenset({"shift"}), Decimal(40), 1),
    ],
)
def test_precedence(reasons, value, direction):
    limits = spc.Limits(Decimal(20), Decimal(10), Decimal(30), Decimal(13), Decimal(27))
    assert spc.icon_direction(reasons, value, limits) == direction
