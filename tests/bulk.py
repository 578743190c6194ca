"""Builds a partnership of any size quickly (bulk inserts), for query-count tests and
the benchmarks, with the magnitudes of a real partnership: counts of hundreds to
thousands a quarter (so year-to-date figures in the thousands), percentages between 0
and 100, rates per 1,000. Small toy values would hide slow paths that grow with the
size of the counts."""

from decimal import Decimal

from django.utils import timezone

from core.periods import FinancialQuarter, default_deadline
from core.tenancy import require_partnership_id
from indicators.models import Indicator, Priority, Strategy, StrategyIndicator, Target
from partners.models import Partner
from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod


def quarter_value(measure: str, n: int, k: int) -> Decimal:
    """A deterministic figure for indicator n in its k-th quarter, with seasonal wobble
    and a slow drift, at a realistic size for its measure."""
    wobble = (n * 7 + k * 3) % 50
    if measure == "count":
        base = 300 + (n * 97) % 2700  # 300 to 3,000 a quarter
        return Decimal(base + base * wobble // 250 + k * (n % 5))
    if measure == "percentage":
        return Decimal(20 + (n % 60)) + Decimal(wobble) / 10
    return Decimal(30 + n % 40) + Decimal(wobble) / 20  # a rate per 1,000


def annual_target(measure: str, n: int) -> Decimal:
    if measure == "count":
        base = 300 + (n * 97) % 2700
        return Decimal(base * 4 + base * 4 // 10)
    if measure == "percentage":
        return Decimal(22 + (n % 60))
    return Decimal(32 + n % 40)


def build_partnership(*, indicators: int, partners: int, years: int, first_year: int = 2015):
    strategy, _ = Strategy.objects.get_or_create(
        name="Bulk strategy",
        defaults={"start_year": first_year, "end_year": first_year + years - 1},
    )
    priorities = [
        Priority.objects.get_or_create(
            strategy=strategy, name=f"Priority {n}", defaults={"order": n}
        )[0]
        for n in range(1, 6)
    ]
    # Agencies are shared between partnerships: a code already made is that agency.
    codes = [f"B{n:02d}" for n in range(partners)]
    known = {p.code: p for p in Partner.objects.across_partnerships().filter(code__in=codes)}
    Partner.objects.bulk_create(
        [Partner(code=c, name=f"Agency {c[1:]}") for c in codes if c not in known]
    )
    for agency in known.values():
        agency.join(require_partnership_id())
    agencies = list(Partner.objects.filter(code__in=codes).order_by("code"))
    measures = ["count", "percentage", "rate"]
    polarities = ["lower_is_better", "higher_is_better", "monitor"]
    items = Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"BULK-{n:04d}",
                name=f"Bulk indicator {n}",
                owner=agencies[n % len(agencies)],
                measure=measures[n % 3],
                rate_per=1000 if n % 3 == 2 else None,
                polarity=polarities[n % 3],
                caution_below=Decimal(20) if n % 7 == 0 else None,
            )
            for n in range(indicators)
        ]
    )
    StrategyIndicator.objects.bulk_create(
        StrategyIndicator(strategy=strategy, priority=priorities[n % len(priorities)], indicator=i)
        for n, i in enumerate(items)
    )
    quarters = [FinancialQuarter(first_year + y, q) for y in range(years) for q in range(1, 5)]
    periods = ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(year=fq.year, quarter=fq.quarter, deadline=default_deadline(fq))
            for fq in quarters
        ]
    )
    Target.objects.bulk_create(
        [
            Target(
                indicator=i,
                year=first_year + y,
                target_type="value",
                value=annual_target(i.measure, n),
            )
            for n, i in enumerate(items)
            for y in range(years)
        ]
    )
    returns = QuarterlyReturn.objects.bulk_create(
        [QuarterlyReturn(partner=a, period=p, status="approved") for a in agencies for p in periods]
    )
    return_of = {(r.partner_id, r.period_id): r for r in returns}
    now = timezone.now()
    ApprovedValue.objects.bulk_create(
        [
            ApprovedValue(
                indicator=i,
                period=p,
                partner_id=i.owner_id,
                quarterly_return=return_of[(i.owner_id, p.id)],
                value=quarter_value(i.measure, n, k),
                commentary="Bulk figure" if k % 4 == 3 else "",
                approved_at=now,
            )
            for n, i in enumerate(items)
            for k, p in enumerate(periods)
        ],
        batch_size=2000,
    )
    return {"indicators": items, "partners": agencies, "periods": periods}
