from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from core.periods import FinancialQuarter, PeriodError, default_deadline
from indicators.models import Indicator
from partners.models import Partner
from returns import services
from returns.imports.reader import (
    ImportFailed,
    RowError,
    Table,
    missing_columns,
    parse_decimal,
    row_error,
)
from returns.models import QuarterlyReturn, ReportingPeriod
from returns.validation import (
    COMMENTARY_MAX,
    Entry,
    field_errors,
    value_problem,
    with_derived_value,
)

RETURN_COLUMNS = ["partner", "indicator", "period", "value", "commentary"]


@dataclass(frozen=True)
class ReturnRow:
    line: int
    partner: Partner
    indicator: Indicator
    period: FinancialQuarter
    value: Decimal
    commentary: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def validate_returns(
    table: Table, *, approve: bool = False, only_partner=None, only_period=None
) -> list[ReturnRow]:
    """Check every row; raise ImportFailed listing all bad rows. ``only_partner`` and
    ``only_period`` limit a lead's upload to their own return; rows for any other
    partner are refused without saying whether that partner's indicator exists."""
    errors = missing_columns(table, RETURN_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    partners = {p.code: p for p in Partner.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    statuses = {
        (r.partner.code, r.period.fq): r.status
        for r in QuarterlyReturn.objects.select_related("partner", "period")
    }
    seen: dict[tuple, int] = {}
    clean = []
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        problems = []
        partner = partners.get(row["partner"])
        if only_partner is not None and row["partner"] != only_partner.code:
            problems.append(f"partner must be {only_partner.code} (your own agency)")
            partner = None
        elif partner is None:
            problems.append(f"partner '{row['partner']}' is not a known partner code")
        indicator = indicators.get(row["indicator"])
        if indicator is None:
            if only_partner is None or partner is not None:
                problems.append(f"indicator '{row['indicator']}' is not a known indicator code")
        elif partner is not None and indicator.owner_id != partner.id:
            problems.append(f"indicator {indicator.code} is not owned by {partner.code}")
        try:
            period = FinancialQuarter.parse(row["period"])
        except PeriodError as error:
            problems.append(str(error))
            period = None
        if period is not None and only_period is not None and period != only_period:
            problems.append(f"period must be {only_period.label} (this return)")
        value = None
        ratio = {}
        for column in ("numerator", "denominator"):  # optional columns, as on the form
            if row.get(column, ""):
                try:
                    ratio[column] = parse_decimal(row[column], column)
                except ValueError as error:
                    problems.append(str(error))
        if row["value"] != "":
            try:
                value = parse_decimal(row["value"], "value")
            except ValueError as error:
                problems.append(str(error))
        if indicator is not None and len(ratio) == 2:
            entry = Entry(value=value, **ratio)
            ratio_problems = field_errors(entry, indicator.measure)
            problems += [m for k, m in ratio_problems.items() if k != "value"]
            if not ratio_problems:
                entry, problem = with_derived_value(entry, indicator.measure, indicator.rate_per)
                value = entry.value
                if problem:
                    problems.append(problem[0].lower() + problem[1:])
        if value is None and row["value"] == "":
            problems.append("value is required (or a numerator and denominator)")
        if value is not None and indicator is not None and partner is not None:
            if problem := value_problem(value, indicator.measure):
                problems.append(problem)
        if len(row.get("commentary", "")) > COMMENTARY_MAX:
            problems.append(f"commentary is longer than {COMMENTARY_MAX:,} characters")
        key = (row["partner"], row["indicator"], period)
        if period is not None and key in seen:
            problems.append(f"duplicate of line {seen[key]}")
        elif period is not None:
            seen[key] = line
        if partner and period and not approve:
            status = statuses.get((partner.code, period))
            if status in (QuarterlyReturn.Status.APPROVED, QuarterlyReturn.Status.SUBMITTED):
                problems.append(f"the {partner.code} return for {period.label} is {status}")
        # Named where the uploader may know it: a lead's upload never names another
        # agency's indicator.
        mine = indicator is not None and (
            only_partner is None or indicator.owner_id == only_partner.id
        )
        named = f"{indicator.code} ({indicator.name}): " if mine else ""
        errors += [RowError(line, named + p) for p in problems]
        if not problems:
            clean.append(
                ReturnRow(
                    line,
                    partner,
                    indicator,
                    period,
                    value,
                    row.get("commentary", ""),
                    ratio.get("numerator"),
                    ratio.get("denominator"),
                )
            )
    if errors:
        raise ImportFailed(errors)
    return clean


def import_returns(table: Table, *, approve: bool = False, by=None) -> dict:
    clean = validate_returns(table, approve=approve)
    groups: dict[tuple, list] = {}
    for row in clean:
        groups.setdefault((row.partner, row.period), []).append(
            services.ValueEntry(
                indicator_id=row.indicator.id,
                value=row.value,
                commentary=row.commentary,
                numerator=row.numerator,
                denominator=row.denominator,
            )
        )
    with transaction.atomic():
        for (partner, fq), entries in groups.items():
            period = reporting_period_for(fq)
            services.quarterly_return_import(
                partner=partner, period=period, entries=entries, by=by, approve=approve
            )
    return {"rows": len(clean), "returns": len(groups)}


def reporting_period_for(fq: FinancialQuarter) -> ReportingPeriod:
    period, _ = ReportingPeriod.objects.get_or_create(
        year=fq.year,
        quarter=fq.quarter,
        defaults={
            "deadline": default_deadline(fq, settings.SCORECARD_DEADLINE_WORKING_DAYS),
        },
    )
    return period
