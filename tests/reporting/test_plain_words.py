"""Exception reasons in a resident's words (plain Python)."""

import pytest

from indicators.spc import Variation
from reporting import exceptions, plain_words


@pytest.mark.parametrize(
    ("reason", "plain"),
    [
        (exceptions.RED, "worse than its target"),
        (exceptions.WORSENING, "worse than a year before, two quarters running"),
        (
            "Outlier (same quarter of the last three years): usually 61–133 in Q4",
            "unusual for it: usually 61–133 in Q4",
        ),
        (
            Variation.CONCERN_HIGH.label,
            "higher than usual, which is worse — unlikely to be chance",
        ),
        (Variation.CONCERN_LOW.label, "lower than usual, which is worse — unlikely to be chance"),
        ("Something new", "Something new"),  # a reason it does not know is kept, not lost
    ],
)
def test_reason(reason, plain):
    assert plain_words.reason(reason) == plain


def test_every_variation_has_plain_words():
    assert set(plain_words.VARIATION) == {v.value for v in Variation}
