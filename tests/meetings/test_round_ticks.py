"""The pack's charts put their axis ticks at round numbers (plain Python)."""

import pytest

from meetings.charts import round_ticks


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 94, [0, 20, 40, 60, 80, 100]),
        (0, 2254, [0, 500, 1000, 1500, 2000, 2500]),
        (0, 19.6, [0, 5, 10, 15, 20]),
        (1684.44, 2300, [1600, 1800, 2000, 2200, 2400]),
        (0, 7, [0, 2, 4, 6, 8]),
        (-12, 40, [-20, 0, 20, 40]),
        (5, 5, [5, 6]),  # one value still has an axis with two ends
    ],
)
def test_round_ticks(low, high, ticks):
    assert round_ticks(low, high) == ticks
