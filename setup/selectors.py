from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.periods import FinancialQuarter
from indicators import rag
from indicators.models import Indicator, Strategy, Target
from returns.approved import (
    approved_values_by_indicator,
    attach_priorities,
    indicators_for_scorecard,
)


@dataclass
class TargetSettingRow:
    """One indicator on the annual targets page: last year beside this year's target."""

    indicator: Indicator
    last_year_actual: Decimal | None
    last_year_target: object | None  # Target
    target: object | None  # Target

    @property
    def is_rated(self) -> bool:
        return self.indicator.polarity != rag.Polarity.MONITOR

    @property
    def needs_target(self) -> bool:
        """A rated indicator whose target was never set shows as "Not rated" all year
        (choosing "No target" is a decision, not an omission)."""
        return self.is_rated and self.target is None


def target_setting_rows(year: int) -> tuple[Strategy | None, list[TargetSettingRow]]:
    """The active indicators of the strategy in force for ``year`` with last year's
    full-year actual and target and this year's target (6 queries)."""

    strategy = Strategy.objects.in_force(year)
    indicators = list(indicators_for_scorecard(strategy).filter(active=True))
    attach_priorities(indicators)
    targets = {
        (t.indicator_id, t.year): t
        for t in Target.objects.filter(indicator__in=indicators, year__in=[year, year - 1])
    }
    values, _ = approved_values_by_indicator([i.id for i in indicators], [year - 1])
    year_end = FinancialQuarter(year - 1, 4)
    return strategy, [
        TargetSettingRow(
            indicator=i,
            last_year_actual=rag.measure_for(i.rules(), values.get(i.id, {}), year_end),
            last_year_target=targets.get((i.id, year - 1)),
            target=targets.get((i.id, year)),
        )
        for i in indicators
    ]
