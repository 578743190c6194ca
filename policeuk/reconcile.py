"""A submitted figure against police.uk's, and whether they agree within tolerance.

Plain Python (no Django). police.uk's figure for a quarter is the sum of the mapped
crime types in the partnership's LSOAs over the quarter's three months; a quarter with
fewer months imported is shown, never called "within tolerance".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.formatting import round_half_up

DEFAULT_TOLERANCE_PCT = Decimal("5")
MONTHS_IN_QUARTER = 3


@dataclass(frozen=True)
class Reconciliation:
    submitted: Decimal | None
    police_uk: int | None  # None when none of the quarter's months is imported
    months: int
    unlocated: int
    tolerance_pct: Decimal

    @property
    def difference(self) -> Decimal | None:
        if self.submitted is None or self.police_uk is None:
            return None
        return self.submitted - self.police_uk

    @property
    def difference_pct(self) -> Decimal | None:
        """difference ÷ police.uk × 100, rounded half-up to 1 dp; none when police.uk is 0."""
        if self.difference is None or not self.police_uk:
            return None
        return round_half_up(self.difference / Decimal(self.police_uk) * 100, 1)

    @property
    def complete(self) -> bool:
        return self.months >= MONTHS_IN_QUARTER

    @property
    def within_tolerance(self) -> bool | None:
        """True or False when there is something to judge; None otherwise. An incomplete
        quarter is never within tolerance (two months cannot agree with three), nor
        outside it: it is not judged."""
        if self.difference is None or not self.complete:
            return None
        if self.police_uk == 0:
            return self.difference == 0
        return abs(self.difference_pct) <= self.tolerance_pct

    @property
    def outside_tolerance(self) -> bool:
        return self.within_tolerance is False


def reconcile(
    *,
    submitted: Decimal | None,
    police_uk: int | None,
    months: int,
    unlocated: int = 0,
    tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT,
) -> Reconciliation:
    return Reconciliation(
        submitted=submitted,
        police_uk=police_uk if months else None,
        months=months,
        unlocated=unlocated,
        tolerance_pct=tolerance_pct,
    )
