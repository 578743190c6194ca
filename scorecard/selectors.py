"""Read queries for the scorecard. Each function runs a fixed number of queries, however
many indicators, partners and years there are, and then computes RAG in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from indicators import rag, spc
from indicators.models import Indicator, Priority, Strategy, strategy_in_force
from scorecard.models import ApprovedValue, ReportingPeriod
from scorecard.periods import FinancialQuarter


@dataclass
class ScorecardRow:
    indicator: Indicator
    assessment: rag.Assessment
    commentary: str = ""
    previous: rag.Assessment | None = None  # the quarter before, for "worsening twice"
    values: dict = field(default_factory=dict, repr=False)
    spc: spc.SpcResult = spc.NO_RESULT
    # Where a row is not from one strategy's scorecard (an indicator's history), the
    # priority it reported under in that period's strategy.
    priority_override: Priority | None = None

    @property
    def priority(self) -> Priority | None:
        return self.priority_override or self.indicator.priority

    @property
    def is_special_cause_concern(self) -> bool:
        return self.spc.variation is not None and self.spc.variation.kind == "concern"

    @property
    def worsening_two_periods(self) -> bool:
        return (
            self.assessment.direction == rag.Direction.WORSENING
            and self.previous is not None
            and self.previous.direction == rag.Direction.WORSENING
        )

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reasons)

    @property
    def exception_reasons(self) -> list[str]:
        reasons = []
        if self.assessment.rag == rag.Rag.RED:
            reasons.append("Red against target")
        if self.worsening_two_periods:
            reasons.append("Worsening two periods running")
        if self.is_special_cause_concern:
            reasons.append(self.spc.variation.label)
        return reasons


def strategy_for(period: FinancialQuarter | None) -> Strategy | None:
    """The strategy in force for ``period`` (the newest strategy when there is none)."""
    if period is None:
        return Strategy.objects.order_by("-start_year", "-id").first()
    return Strategy.objects.in_force(period.year)


def indicators_for_scorecard(strategy: Strategy | None, period: FinancialQuarter | None = None):
    """Exactly the indicators of ``strategy``, in its priority order, each annotated with
    the priority it reports under there (``attach_priorities`` turns that into the
    object). A retired indicator stays on the periods of its last year with figures.
    Targets and series breaks are loaded by ``scorecard_rows`` for the years the period
    needs, not prefetched for all years."""
    if strategy is None:
        return Indicator.objects.none()
    in_use = Q(active=True)
    if period is not None:
        in_use |= Exists(
            ApprovedValue.objects.filter(indicator=OuterRef("pk"), period__year=period.year)
        )
    return (
        Indicator.objects.filter(in_use, places__strategy=strategy)
        .annotate(placed_priority_id=F("places__priority_id"))
        .select_related("owner")
        .order_by("places__priority__order", "places__priority__name", "code")
    )


def attach_priorities(indicators) -> None:
    """Gives each indicator of an ``indicators_for_scorecard`` list its priority object
    (1 query)."""
    priorities = Priority.objects.in_bulk({i.placed_priority_id for i in indicators})
    for indicator in indicators:
        indicator.use_priority(priorities[indicator.placed_priority_id])


def attach_rules(indicators, indicator_ids, years) -> None:
    """Targets for ``years`` and every series break, attached to each indicator (two
    queries). ``indicator_ids`` may be a subquery: a list of 200 ids as parameters costs
    Django more to prepare than the query takes to run."""
    from indicators.models import SeriesBreak, Target

    targets: dict[int, dict] = defaultdict(dict)
    for indicator_id, year, kind, value in Target.objects.filter(
        indicator_id__in=indicator_ids, year__in=sorted(years)
    ).values_list("indicator_id", "year", "target_type", "value"):
        targets[indicator_id][year] = rag.TargetRule(type=rag.TargetType(kind), value=value)
    breaks: dict[int, list] = defaultdict(list)
    for indicator_id, year, quarter, reason in (
        SeriesBreak.objects.filter(indicator_id__in=indicator_ids)
        .order_by("year", "quarter")
        .values_list("indicator_id", "year", "quarter", "reason")
    ):
        breaks[indicator_id].append(rag.SeriesBreak(FinancialQuarter(year, quarter), reason))
    for indicator in indicators:
        indicator.use_rules(targets=targets.get(indicator.id, {}), breaks=breaks[indicator.id])


def _by_indicator(rows) -> tuple[dict, dict]:
    """(indicator, year, quarter, value, commentary) rows → {indicator_id: {quarter:
    value}} and the same for commentary, one FinancialQuarter object per quarter."""
    values: dict[int, dict] = defaultdict(dict)
    commentary: dict[int, dict] = defaultdict(dict)
    quarters: dict[tuple, FinancialQuarter] = {}
    for indicator_id, year, quarter, value, text in rows:
        fq = quarters.get((year, quarter))
        if fq is None:
            fq = quarters[(year, quarter)] = FinancialQuarter(year, quarter)
        values[indicator_id][fq] = value
        commentary[indicator_id][fq] = text
    return values, commentary


def approved_values_by_indicator(indicator_ids, years) -> tuple[dict, dict]:
    """{indicator_id: {FinancialQuarter: value}} and the matching commentary, for the
    given financial years. Only figures supplied by the indicator's owner count."""
    rows = (
        ApprovedValue.objects.filter(
            indicator_id__in=indicator_ids,
            period__year__in=years,
            partner_id=F("indicator__owner_id"),
        )
        .values_list("indicator_id", "period__year", "period__quarter", "value", "commentary")
        .order_by()
    )
    return _by_indicator(rows)


def approved_window(indicator_ids, period: FinancialQuarter, points: int = spc.MAX_POINTS):
    """The latest ``points`` approved values of each indicator up to ``period``, and their
    commentary, in one query whatever the number of years stored. They hold everything
    the RAG rules need as well (this year and last year to date, for this quarter and the
    one before) because those quarters are the most recent eight."""
    rows = (
        ApprovedValue.objects.filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__quarter__lte=period.quarter),
            indicator_id__in=indicator_ids,
            partner_id=F("indicator__owner_id"),
        )
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period__year").desc(), F("period__quarter").desc()],
            )
        )
        .filter(recency__lte=points)
        .values_list("indicator_id", "period__year", "period__quarter", "value", "commentary")
        .order_by()
    )
    return _by_indicator(rows)


def assess_row(indicator, period: FinancialQuarter, values: dict, commentary: str = ""):
    rules = indicator.rules()
    breaks = indicator.series_breaks()
    target = indicator.target_rule_for(period.year)
    previous_quarter = period.previous()
    return ScorecardRow(
        indicator=indicator,
        assessment=rag.assess(rules, target, values, period, breaks),
        previous=rag.assess(
            rules,
            indicator.target_rule_for(previous_quarter.year),
            values,
            previous_quarter,
            breaks,
        ),
        commentary=commentary,
        values=values,
        spc=spc.analyse(rules, target, values, period, breaks),
    )


def scorecard_rows(period: FinancialQuarter, indicators=None) -> list[ScorecardRow]:
    """Every indicator's assessment and SPC reading for ``period``: by default the
    indicators of the strategy in force then (6 queries in all, whatever the number of
    indicators and years stored)."""
    if indicators is None:
        indicators = indicators_for_scorecard(strategy_for(period), period)
    queryset = indicators
    indicators = list(queryset)
    attach_priorities(indicators)
    ids = queryset.values("id")
    attach_rules(indicators, ids, {period.year, period.previous().year})
    values, commentary = approved_window(ids, period)
    return [
        assess_row(
            indicator,
            period,
            values.get(indicator.id, {}),
            commentary.get(indicator.id, {}).get(period, ""),
        )
        for indicator in indicators
    ]


def latest_period_with_approved_data() -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(approved_values__isnull=False)
        .order_by("-year", "-quarter")
        .first()
    )


def latest_rated_period(periods: list[ReportingPeriod]) -> FinancialQuarter | None:
    """The newest of ``periods`` in a financial year that has targets (1 query), else the
    newest of them."""
    from indicators.models import Target

    if not periods:
        return None
    years = set(
        Target.objects.exclude(target_type="none")
        .filter(year__in={p.year for p in periods})
        .values_list("year", flat=True)
        .distinct()
    )
    rated = next((p for p in periods if p.year in years), periods[0])
    return rated.fq


def periods_with_approved_data() -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(approved_values__isnull=False)
        .distinct()
        .order_by("-year", "-quarter")
    )


RAG_SUMMARY_ORDER = [rag.Rag.RED, rag.Rag.AMBER, rag.Rag.GREEN, rag.Rag.GREY, rag.Rag.NOT_RATED]


def rag_summary_by_priority(rows: list[ScorecardRow]) -> list[dict]:
    """[{priority, counts: {Rag: n}, total}] in priority order, plus an 'All' line."""
    by_priority: dict = {}
    for row in rows:
        priority = row.priority
        entry = by_priority.setdefault(
            priority.id, {"priority": priority, "counts": dict.fromkeys(RAG_SUMMARY_ORDER, 0)}
        )
        entry["counts"][row.assessment.rag] += 1
    summary = list(by_priority.values())
    for entry in summary:
        entry["cells"] = [entry["counts"][r] for r in RAG_SUMMARY_ORDER]
        entry["total"] = sum(entry["cells"])
        # the stacked bar: one labelled segment per RAG status present
        entry["segments"] = [
            {"rag": r.value, "label": r.label, "count": entry["counts"][r]}
            for r in RAG_SUMMARY_ORDER
            if entry["counts"][r]
        ]
    return summary


@dataclass
class HistoryPoint:
    period: FinancialQuarter
    value: Decimal | None
    commentary: str
    approved_by: str
    approved_at: object
    assessment: rag.Assessment
    spc: spc.SpcResult = spc.NO_RESULT


def indicator_for_page(code: str):
    """One indicator with its targets, breaks and places in strategies; its priority is
    the one in its latest strategy."""
    indicator = (
        Indicator.objects.select_related("owner")
        .prefetch_related("targets", "breaks", "places__priority__strategy")
        .get(code=code)
    )
    place = indicator.latest_place()
    if place is not None:
        indicator.use_priority(place.priority)
    return indicator


def indicator_history(indicator) -> list[HistoryPoint]:
    """Every approved quarter of one indicator, oldest first, each assessed (1 query)."""
    approved = list(
        ApprovedValue.objects.filter(indicator=indicator, partner_id=indicator.owner_id)
        .select_related("period", "approved_by")
        .order_by("period__year", "period__quarter")
    )
    values = {a.period.fq: a.value for a in approved}
    rules = indicator.rules()
    breaks = indicator.series_breaks()
    points = []
    for a in approved:
        fq = a.period.fq
        target = indicator.target_rule_for(fq.year)
        points.append(
            HistoryPoint(
                period=fq,
                value=a.value,
                commentary=a.commentary,
                approved_by=(a.approved_by.get_full_name() or a.approved_by.username)
                if a.approved_by
                else "Imported",
                approved_at=a.approved_at,
                assessment=rag.assess(rules, target, values, fq, breaks),
                spc=spc.analyse(rules, target, values, fq, breaks),
            )
        )
    return points


@dataclass
class EntryContext:
    """What a lead sees beside an input, and what the submit rules need."""

    indicator: Indicator
    last_quarter: Decimal | None
    same_quarter_last_year: Decimal | None
    approved_values: dict  # {FinancialQuarter: value}, for the RAG preview

    def preview(self, period: FinancialQuarter, value: Decimal | None) -> rag.Assessment:
        values = dict(self.approved_values)
        values[period] = value
        return rag.assess(
            self.indicator.rules(), self.indicator.target_rule_for(period.year), values, period
        )

    def target_guide(self, period: FinancialQuarter) -> dict | None:
        """This year's target and, in terms of this quarter's own figure, the value at
        which the scorecard turns red, so a lead knows before submitting."""
        indicator = self.indicator
        rules = indicator.rules()
        rule = indicator.target_rule_for(period.year)
        if rule.type == rag.TargetType.NONE or rules.polarity == rag.Polarity.MONITOR:
            return None
        comparison = rag.measure_for(rules, self.approved_values, period.same_quarter_last_year())
        target = rag.period_target(rules, rule, period, comparison)
        threshold = rag.red_threshold(rules, target)
        if threshold is not None and rules.measure == rag.Measure.COUNT:
            earlier = [self.approved_values.get(q) for q in period.quarters_to_date()[:-1]]
            threshold = None if None in earlier else threshold - sum(earlier, Decimal(0))
        return {
            "rule": rule,
            "period_target": target,
            "red_threshold": threshold,
            "red_word": "above" if rules.polarity == rag.Polarity.LOWER_IS_BETTER else "below",
        }

    def validation_context(self, period: FinancialQuarter, value: Decimal | None):
        from scorecard.validation import Context

        return Context(
            rules=self.indicator.rules(),
            outlier_band_pct=self.indicator.outlier_band_pct,
            same_quarter_last_year=self.same_quarter_last_year,
            rag_preview=self.preview(period, value).rag if value is not None else None,
        )


def entry_contexts(partner, period: FinancialQuarter) -> list[EntryContext]:
    """The partner's indicators on the scorecard of ``period`` (the strategy in force
    then) with last quarter's and last year's approved values (6 queries)."""
    indicators = list(
        indicators_for_scorecard(strategy_for(period), period)
        .filter(owner=partner)
        .prefetch_related("targets")
    )
    attach_priorities(indicators)
    years = {period.year, period.year - 1, period.previous().year}
    values, _ = approved_values_by_indicator([i.id for i in indicators], years)
    return [
        EntryContext(
            indicator=indicator,
            last_quarter=values.get(indicator.id, {}).get(period.previous()),
            same_quarter_last_year=values.get(indicator.id, {}).get(
                period.same_quarter_last_year()
            ),
            approved_values=values.get(indicator.id, {}),
        )
        for indicator in indicators
    ]


# --- returns ----------------------------------------------------------------------

RECENT_PERIODS = 6
OVERDUE_IN_DAYS = 28  # beyond four weeks, say since when rather than how many days


@dataclass
class ReturnSlot:
    """A return that is expected of a partner for a period, started or not."""

    partner: object
    period: ReportingPeriod
    quarterly_return: object | None
    today: object

    @property
    def status_key(self) -> str:
        return self.quarterly_return.status if self.quarterly_return else "not_started"

    @property
    def status_label(self) -> str:
        if self.quarterly_return is None:
            return "Not started"
        return self.quarterly_return.get_status_display()

    @property
    def days_left(self) -> int:
        return (self.period.deadline - self.today).days

    @property
    def is_done(self) -> bool:
        return self.status_key in ("submitted", "approved")

    @property
    def is_overdue(self) -> bool:
        """A correction is never overdue: the return was in on time once already."""
        return not self.is_done and self.status_key != "reopened" and self.days_left < 0

    @property
    def deadline_text(self) -> str:
        """'12 days left', 'Due today', '3 days overdue' and, past a few weeks, 'Overdue
        since 28 July 2020' ('2,312 days overdue' says nothing useful)."""
        if self.status_key == "reopened":
            return "Correction requested"
        days = self.days_left
        if days > 1:
            return f"{days} days left"
        if days == 1:
            return "1 day left"
        if days == 0:
            return "Due today"
        if days == -1:
            return "1 day overdue"
        if days >= -OVERDUE_IN_DAYS:
            return f"{-days} days overdue"
        deadline = self.period.deadline
        return f"Overdue since {deadline.day} {deadline:%B %Y}"

    @property
    def timeliness(self) -> str:
        """on_time / late / missing / due (not yet at the deadline) / imported."""
        r = self.quarterly_return
        if r is not None and r.submitted_at is not None:
            return "on_time" if r.submitted_on_time() else "late"
        if r is not None and r.status in ("approved", "reopened"):
            return "imported"  # loaded as history, never submitted through the app
        return "missing" if self.days_left < 0 else "due"


def return_slots(partners, periods, today) -> list[ReturnSlot]:
    from scorecard.models import QuarterlyReturn

    partners, periods = list(partners), list(periods)
    existing = {
        (r.partner_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            partner__in=partners, period__in=periods
        ).select_related("partner", "period")
    }
    return [
        ReturnSlot(partner, period, existing.get((partner.id, period.id)), today)
        for period in periods
        for partner in partners
    ]


def periods_for_my_returns():
    """Open periods first, then the most recent closed ones."""
    open_periods = list(ReportingPeriod.objects.filter(is_open=True).order_by("-year", "-quarter"))
    recent = list(
        ReportingPeriod.objects.filter(is_open=False).order_by("-year", "-quarter")[:RECENT_PERIODS]
    )
    return open_periods + recent


@dataclass
class ReviewLine:
    indicator: Indicator
    value: object  # ReturnValue or None
    last_year: Decimal | None
    preview: rag.Assessment
    outlier: bool


def review_lines(quarterly_return, contexts=None) -> list[ReviewLine]:
    from scorecard.validation import Entry, is_outlier

    fq = quarterly_return.period.fq
    contexts = contexts if contexts is not None else entry_contexts(quarterly_return.partner, fq)
    stored = {v.indicator_id: v for v in quarterly_return.values.all()}
    lines = []
    for context in contexts:
        row = stored.get(context.indicator.id)
        value = None if row is None or row.not_available else row.value
        lines.append(
            ReviewLine(
                indicator=context.indicator,
                value=row,
                last_year=context.same_quarter_last_year,
                preview=context.preview(fq, value),
                outlier=is_outlier(Entry(value=value), context.validation_context(fq, value)),
            )
        )
    return lines


def review_queue():
    """Submitted returns, oldest submission first, each with its lines (fixed queries)."""
    from scorecard.models import QuarterlyReturn

    returns = list(
        QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SUBMITTED)
        .select_related("partner", "period", "submitted_by")
        .prefetch_related("values")
        .order_by("submitted_at", "id")
    )
    if not returns:
        return []
    partner_ids = {r.partner_id for r in returns}
    strategies = list(Strategy.objects.all())
    indicators = list(
        Indicator.objects.filter(owner_id__in=partner_ids)
        .prefetch_related("targets", "places__priority")
        .order_by("code")
    )
    years = set()
    for r in returns:
        fq = r.period.fq
        years |= {fq.year, fq.year - 1, fq.previous().year}
    values, _ = approved_values_by_indicator([i.id for i in indicators], years)
    items = []
    for r in returns:
        fq = r.period.fq
        strategy = strategy_in_force(strategies, fq.year)
        strategy_id = strategy.id if strategy else None
        entered = {v.indicator_id for v in r.values.all()}
        asked = []
        for i in indicators:
            place = next((p for p in i.places.all() if p.strategy_id == strategy_id), None)
            if i.owner_id == r.partner_id and place and (i.active or i.id in entered):
                asked.append((place.priority.order, i.code, i))
        contexts = [
            EntryContext(
                indicator=i,
                last_quarter=values.get(i.id, {}).get(fq.previous()),
                same_quarter_last_year=values.get(i.id, {}).get(fq.same_quarter_last_year()),
                approved_values=values.get(i.id, {}),
            )
            for _, _, i in sorted(asked, key=lambda a: a[:2])
        ]
        items.append((r, review_lines(r, contexts)))
    return items


# --- annual targets (set-up) ---------------------------------------------------------


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
    from indicators.models import Target

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
