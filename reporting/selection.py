from dataclasses import dataclass

from django.http import Http404

from core.periods import FinancialQuarter, PeriodError
from indicators.models import Strategy
from reporting.filters import ScorecardFilter
from reporting.selectors import (
    Completeness,
    ScorecardRow,
    completeness_by_period,
    latest_rated_period,
    periods_with_approved_data,
    scorecard_rows,
)
from returns.approved import indicators_for_scorecard, strategy_for
from returns.models import ReportingPeriod


@dataclass
class ScorecardSelection:
    period: FinancialQuarter | None
    periods: list[ReportingPeriod]
    filterset: ScorecardFilter
    rows: list[ScorecardRow]
    period_error: str = ""
    completeness: Completeness | None = None

    @property
    def errors(self) -> dict[str, list[str]]:
        """What in the query string was not understood, by parameter."""
        errors = dict(self.filterset.unknown_values)
        if self.period_error:
            errors["period"] = [self.period_error]
        return errors

    @property
    def has_figures(self) -> bool:
        return any(row.assessment.actual is not None for row in self.rows)

    @property
    def has_targets(self) -> bool:
        return any(row.assessment.target is not None for row in self.rows)


def select_scorecard(request) -> ScorecardSelection:
    """Period and filters from the query string → assessed rows of the strategy in force
    for the period (fixed query count). With no period asked for, the latest quarter
    whose expected returns are all approved (or, if none is, the latest with any), and
    of those the latest rated against a target (a new year's first approved figures may
    have no targets yet)."""
    periods = periods_with_approved_data()
    strategies = list(Strategy.objects.all())  # read once, for completeness and the period
    completeness = completeness_by_period(periods, strategies)
    requested = request.GET.get("period")
    period, period_error = None, ""
    if requested:
        try:
            period = FinancialQuarter.parse(requested)
        except PeriodError:
            period_error = f"‘{requested}’ is not a period like 2019-20-Q4"
    else:
        complete = [p for p in periods if completeness[p.fq].complete]
        period = latest_rated_period(complete) or latest_rated_period(periods)
    strategy = strategy_for(period, strategies)
    filterset = ScorecardFilter(
        request.GET or None,
        queryset=indicators_for_scorecard(strategy, period),
        strategy=strategy,
    )
    rows = []
    if period is not None:
        rows = filterset.filter_rows(scorecard_rows(period, filterset.qs))
    shown = completeness.get(period) if period else None
    if shown is None and period is not None:
        # a chosen quarter with nothing approved yet is the least complete of all
        chosen = ReportingPeriod.objects.for_quarter(period).first()
        shown = completeness_by_period([chosen], strategies).get(period) if chosen else None
    if shown is not None and not shown.complete:
        for row in rows:
            row.provisional = row.indicator.owner_id in shown.missing_ids
    return ScorecardSelection(period, periods, filterset, rows, period_error, shown)


def page_selection(request) -> ScorecardSelection:
    """For the pages and downloads a period that is not a period is a 404 (the API
    answers 400 instead)."""
    selection = select_scorecard(request)
    if selection.period_error:
        raise Http404(selection.period_error)
    return selection
