"""Is a year-on-year change in a count more than chance? Plain Python.

Counts of crimes are modelled as Poisson. Conditional on the total a + b, the count this
year is Binomial(a + b, 1/2) when the underlying rate has not changed, so the exact
two-sided test of the rate ratio is a two-sided binomial test (the "exact Poisson test"
statisticians use for comparing two counts). Small numbers rarely give significant
changes, which is the point: "+16.1% on 31 → 36" is not evidence of a real rise.

Binomial(n, 1/2) is symmetric, so the outcomes no more likely than k are those at least
as far from n/2, and the p-value is twice the lower tail up to min(k, n − k). The tail
comes from SciPy's binomial CDF (the regularised incomplete beta function), which takes
the same time for 31 → 36 as for 48,000 → 50,000; summing the probabilities one outcome
at a time took 56 ms for the latter, and the dashboard does it for every count.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHA = 0.05


@dataclass(frozen=True)
class Significance:
    p_value: float
    significant: bool

    @property
    def label(self) -> str:
        return "significant" if self.significant else "not significant"


def binomial_two_sided_p(k: int, n: int) -> float:
    """Exact two-sided p-value of k successes in n trials with p = 1/2: the total
    probability of outcomes no more likely than the one observed (as R's binom.test)."""
    if n == 0 or 2 * k == n:
        return 1.0
    # Imported here, not with the module: SciPy (and NumPy under it) is ~50 MB of a
    # process, and the celery worker that renders meeting packs never tests a change.
    from scipy.special import bdtr

    tail = min(k, n - k)
    return min(1.0, 2.0 * float(bdtr(tail, n, 0.5)))


def poisson_change_significance(current, previous, alpha: float = ALPHA) -> Significance | None:
    """None when the test does not apply (missing, negative or non-whole counts)."""
    if current is None or previous is None:
        return None
    if current < 0 or previous < 0 or current != int(current) or previous != int(previous):
        return None
    a, b = int(current), int(previous)
    p = binomial_two_sided_p(a, a + b)
    return Significance(p_value=p, significant=p < alpha)
