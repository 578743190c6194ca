"""Who is expected to make a return, written once: a partner is expected for a quarter
when it is active and owns an active indicator of the strategy in force that year (a
partner whose indicators a new strategy dropped is not chased for an empty return).
The emails, the periods page, the pack's completeness and the dashboard's provisional
banner all ask here."""

from __future__ import annotations

from indicators.models import Indicator, Strategy, StrategyIndicator, strategy_in_force
from partners.models import Partner
from returns.models import ReportingPeriod


def expected_places():
    """The strategies' places whose indicator counts towards a return."""
    return StrategyIndicator.objects.filter(indicator__active=True, indicator__owner__active=True)


def expected_partners(period: ReportingPeriod | None = None):
    """For a period, the partners expected then; without one, every active partner that
    owns an active indicator."""
    if period is None:
        owners = Indicator.objects.filter(active=True).values("owner_id")
    else:
        strategy = Strategy.objects.in_force(period.year)
        owners = expected_places().filter(strategy=strategy).values("indicator__owner_id")
    return Partner.objects.active().filter(pk__in=owners)


def expected_by_period(periods: list[ReportingPeriod], strategies=None) -> dict[int, list[Partner]]:
    """``expected_partners`` for many periods at once (two queries, one if the caller
    has the strategies), by period id, each list in name order."""
    if strategies is None:  # all of them, as ``in_force`` chooses among them
        strategies = list(Strategy.objects.all())
    owners, partners = {}, {}
    for place in expected_places().select_related("indicator__owner"):
        owners.setdefault(place.strategy_id, set()).add(place.indicator.owner_id)
        partners.setdefault(place.indicator.owner_id, place.indicator.owner)
    named = sorted(partners.values(), key=lambda p: p.name)
    found = {}
    for period in periods:
        strategy = strategy_in_force(strategies, period.year)
        ids = owners.get(strategy.id, set()) if strategy else set()
        found[period.pk] = [p for p in named if p.id in ids]
    return found
