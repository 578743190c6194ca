from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.models import AuditEntry
from core.periods import FinancialQuarter
from indicators import rag
from indicators.models import Indicator, Strategy, strategy_in_force
from partners.roles import Role
from partnerships.models import PartnershipPartner
from partnerships.resolution import memberships
from policeuk import selectors as police_uk_figures
from returns.approved import (
    approved_values_by_indicator,
    attach_priorities,
    indicators_for_scorecard,
    strategy_for,
)
from returns.models import QuarterlyReturn, ReportingPeriod, ValidationRule
from returns.quality import checks as quality
from returns.quality import outliers, reconciliation
from returns.validation import Context


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
        return Context(
            rules=self.indicator.rules(),
            outlier_band_pct=self.indicator.outlier_band_pct,
            same_quarter_last_year=self.same_quarter_last_year,
            rag_preview=self.preview(period, value).rag if value is not None else None,
            outlier=self.outlier_check(period, value),
            period=period,
        )

    def outlier_check(self, period: FinancialQuarter, value: Decimal | None) -> outliers.Check:
        indicator = self.indicator
        return outliers.check_figure(
            value,
            period,
            self.approved_values,
            band_pct=indicator.outlier_band_pct,
            series_start=outliers.series_start(indicator.series_breaks(), period),
            caution_below=indicator.caution_below,
        )


def entry_contexts(partner, period: FinancialQuarter) -> list[EntryContext]:
    """The partner's indicators on the scorecard of ``period`` (the strategy in force
    then) with last quarter's and last year's approved values (6 queries)."""
    indicators = list(
        indicators_for_scorecard(strategy_for(period), period)
        .filter(owner=partner)
        .prefetch_related("targets", "breaks")
    )
    attach_priorities(indicators)
    # Four years: the outlier tests read the last 12 quarters and the same quarter of
    # the last three years.
    years = set(range(period.year - outliers.SEASONAL_YEARS, period.year + 1))
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


@dataclass
class ReviewLine:
    indicator: Indicator
    value: object  # ReturnValue or None
    last_year: Decimal | None
    preview: rag.Assessment
    outlier: bool
    outlier_reason: str = ""
    rule_violations: list = field(default_factory=list)
    police_uk: reconciliation.PoliceUkCheck | None = None


def review_lines(
    quarterly_return, contexts=None, rule_set=None, police_uk=None
) -> list[ReviewLine]:
    """Each figure of the return with what the reviewer checks it against. The queue
    passes what it loaded for every return at once (``rule_set``; ``police_uk``, a
    ``PoliceUkSource``)."""
    fq = quarterly_return.period.fq
    contexts = contexts if contexts is not None else entry_contexts(quarterly_return.partner, fq)
    stored = {v.indicator_id: v for v in quarterly_return.values.all()}
    lines = []
    for context in contexts:
        row = stored.get(context.indicator.id)
        value = None if row is None or row.not_available else row.value
        # The same reading validation_context() gives the submit rules, taken once.
        check = context.outlier_check(fq, value)
        lines.append(
            ReviewLine(
                indicator=context.indicator,
                value=row,
                last_year=context.same_quarter_last_year,
                preview=context.preview(fq, value),
                outlier=check.is_outlier,
                outlier_reason=check.reason(fq, context.indicator.measure),
            )
        )
    figures = {
        line.indicator.code: (line.value.value if line.value is not None else None)
        for line in lines
    }
    bulk = {}
    if rule_set is not None:  # the queue: everything the checks need is loaded already
        bulk = {
            "rule_set": rule_set,
            "owned": {c.indicator.code for c in contexts},
            "last_year": {c.indicator.code: c.same_quarter_last_year for c in contexts},
        }
    broken = quality.violations_by_code(
        quality.partner_rule_checks(quarterly_return.partner, fq, figures, **bulk)
    )
    checks = reconciliation.checks_for(
        {line.indicator.id: line.value.value if line.value else None for line in lines},
        fq,
        police_uk,
    )
    for line in lines:
        line.rule_violations = broken.get(line.indicator.code, [])
        line.police_uk = checks.get(line.indicator.id)
    return lines


def review_queue():
    """Submitted returns, oldest submission first, each with its lines (fixed queries)."""

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
        .select_related("police_uk")
        .prefetch_related("targets", "breaks", "places__priority")
        .order_by("code")
    )
    years = set()
    for r in returns:
        fq = r.period.fq
        years |= set(range(fq.year - outliers.SEASONAL_YEARS, fq.year + 1))
    rule_set = list(ValidationRule.objects.all())
    values, _ = approved_values_by_indicator([i.id for i in indicators], years)
    found = {i.id: i.police_uk for i in indicators if getattr(i, "police_uk", None)}
    police_uk = reconciliation.PoliceUkSource(
        found, police_uk_figures.quarter_figures(found, list({r.period.fq for r in returns}))
    )
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
        items.append((r, review_lines(r, contexts, rule_set, police_uk)))
    return items


def return_history(quarterly_return):
    if quarterly_return is None:
        return []
    return list(
        AuditEntry.objects.filter(quarterly_return=quarterly_return)
        .select_related("actor", "indicator")
        .order_by("-at", "-id")[:200]
    )


@dataclass
class PartnershipReturns:
    partnership: object
    partners: list
    slots: list[ReturnSlot]


def lead_returns_everywhere(user, today) -> list[PartnershipReturns]:
    """A lead's returns in every partnership they lead for, grouped by partnership, in
    three queries however many partnerships: an analyst serving three partnerships
    enters them in one sitting. Read across partnerships deliberately, limited to the
    partnerships where the person holds the lead role and the agencies they lead."""
    partnerships = {
        m.partnership_id: m.partnership for m in memberships(user) if m.role == Role.PARTNER_LEAD
    }
    links = list(
        PartnershipPartner.objects.filter(
            partnership_id__in=partnerships, partner__leads=user
        ).select_related("partner")
    )
    periods = list(
        ReportingPeriod.objects.across_partnerships()
        .filter(partnership_id__in=partnerships)
        .order_by("-year", "-quarter")
    )
    chosen: dict[int, list] = {}
    for pid in partnerships:
        own = [p for p in periods if p.partnership_id == pid]
        chosen[pid] = [p for p in own if p.is_open] + [p for p in own if not p.is_open][
            :RECENT_PERIODS
        ]
    existing = {
        (r.partner_id, r.period_id): r
        for r in QuarterlyReturn.objects.across_partnerships().filter(
            period__in=[p for ps in chosen.values() for p in ps],
            partner__in={link.partner_id for link in links},
        )
    }
    groups = []
    for pid, partnership in sorted(partnerships.items(), key=lambda item: item[1].name):
        partners = sorted(
            (link.partner for link in links if link.partnership_id == pid), key=lambda p: p.name
        )
        if not partners:
            continue
        slots = [
            ReturnSlot(partner, period, existing.get((partner.id, period.id)), today)
            for period in chosen[pid]
            for partner in partners
        ]
        groups.append(PartnershipReturns(partnership, partners, slots))
    return groups
