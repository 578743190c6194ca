from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from core.periods import FinancialQuarter, PeriodError, parse_financial_year
from core.tenancy import require_partnership_id
from indicators import rag
from indicators import services as indicator_services
from indicators.models import Indicator, Priority, Strategy, StrategyIndicator, Target
from partners.models import Partner
from returns.imports.reader import (
    CODE_PATTERN,
    ImportFailed,
    RowError,
    Table,
    missing_columns,
    optional_decimal,
    row_error,
)

PARTNER_COLUMNS = ["code", "name"]


INDICATOR_COLUMNS = [
    "code",
    "name",
    "priority",
    "owner",
    "measure",
    "polarity",
    "target_type",
    "target",
    "tolerance_pct",
    "caution_below",
    "stable_band_pct",
    "strategy",
    "year",
]


INDICATOR_OPTIONAL = [
    "description",
    "data_source",
    "caveats",
    "rate_per",
    "rate_denominator_label",
    "outlier_band_pct",
]


def import_partners(table: Table) -> dict:
    errors = missing_columns(table, PARTNER_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    seen: dict[str, int] = {}
    clean = []
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        code, name = row["code"], row["name"]
        problems = []
        if not code or not CODE_PATTERN.match(code):
            problems.append(f"code '{code}' must be letters, digits, - or _")
        if not name:
            problems.append("name is required")
        if code in seen:
            problems.append(f"duplicate of line {seen[code]}")
        seen.setdefault(code, line)
        errors += [RowError(line, p) for p in problems]
        clean.append((code, name))
    if errors:
        raise ImportFailed(errors)
    created = 0
    pid = require_partnership_id()
    with transaction.atomic():
        for code, name in clean:
            # Agencies are shared: a code another partnership already uses is that
            # agency (Hampshire Constabulary), which joins this partnership too. Its
            # name is changed only where no other partnership shows it.
            partner = Partner.objects.across_partnerships().filter(code=code).first()
            if partner is None:
                Partner.objects.create(code=code, name=name)
                created += 1
                continue
            partner.join(pid)
            shared = partner.partnership_links.exclude(partnership_id=pid).exists()
            if partner.name != name and not shared:
                partner.name = name
                partner.save(update_fields=["name"])
    return {"rows": len(clean), "created": created, "updated": len(clean) - created}


@dataclass
class IndicatorRow:
    line: int
    code: str
    fields: dict
    priority: str
    strategy: str
    year: int
    target_type: str
    target: Decimal | None


def _choice(value, enum, column, default=None):
    if value == "" and default is not None:
        return default
    allowed = [m.value for m in enum]
    if value not in allowed:
        raise ValueError(f"{column} '{value}' must be one of {', '.join(allowed)}")
    return value


def _parse_indicator_row(line, row, partners) -> IndicatorRow:
    problems = []

    def attempt(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError as error:
            problems.append(str(error))
            return None

    code = row["code"]
    if not code or not CODE_PATTERN.match(code):
        problems.append(f"code '{code}' must be letters, digits, - or _")
    if not row["name"]:
        problems.append("name is required")
    if not row["priority"]:
        problems.append("priority is required")
    if not row["strategy"]:
        problems.append("strategy is required")
    owner = partners.get(row["owner"])
    if owner is None:
        problems.append(f"owner '{row['owner']}' is not a known partner code")
    measure = attempt(_choice, row["measure"], rag.Measure, "measure", default="count")
    polarity = attempt(
        _choice, row["polarity"], rag.Polarity, "polarity", default="lower_is_better"
    )
    target_type = attempt(
        _choice, row["target_type"], rag.TargetType, "target_type", default="none"
    )
    target = attempt(optional_decimal, row, "target")
    if (
        target_type in ("value", "change_vs_last_year")
        and target is None
        and "target" not in " ".join(problems)
    ):
        problems.append(f"target is required when target_type is {target_type}")
    tolerance = attempt(optional_decimal, row, "tolerance_pct", Decimal(5))
    caution_below = attempt(optional_decimal, row, "caution_below")
    stable_band = attempt(optional_decimal, row, "stable_band_pct", Decimal("1.0"))
    outlier_band = attempt(optional_decimal, row, "outlier_band_pct", Decimal(50))
    for column, number in [
        ("tolerance_pct", tolerance),
        ("stable_band_pct", stable_band),
        ("caution_below", caution_below),
        ("outlier_band_pct", outlier_band),
    ]:
        if number is not None and number < 0:
            problems.append(f"{column} cannot be negative")
    rate_per = None
    if row.get("rate_per"):
        rate_per = attempt(optional_decimal, row, "rate_per")
        if rate_per is not None and (rate_per <= 0 or rate_per != rate_per.to_integral()):
            problems.append("rate_per must be a whole number above 0, e.g. 1000")
    year = attempt(parse_financial_year, row["year"]) if row["year"] else None
    if not row["year"]:
        problems.append("year is required, e.g. 2019-20")
    if problems:
        raise ValueError("; ".join(problems))
    return IndicatorRow(
        line=line,
        code=code,
        fields={
            "name": row["name"],
            "owner": owner,
            "measure": measure,
            "polarity": polarity,
            "tolerance_pct": tolerance,
            "caution_below": caution_below,
            "stable_band_pct": stable_band,
            "outlier_band_pct": outlier_band,
            "description": row.get("description", ""),
            "data_source": row.get("data_source", ""),
            "caveats": row.get("caveats", ""),
            "rate_per": int(rate_per) if rate_per else None,
            "rate_denominator_label": row.get("rate_denominator_label", ""),
        },
        priority=row["priority"],
        strategy=row["strategy"],
        year=year,
        target_type=target_type,
        target=target,
    )


def import_indicators(table: Table) -> dict:
    errors = missing_columns(table, INDICATOR_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    partners = {p.code: p for p in Partner.objects.all()}
    seen: dict[tuple, int] = {}
    parsed: list[IndicatorRow] = []
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        key = (row["code"], row["year"])
        if key in seen:
            errors.append(RowError(line, f"duplicate of line {seen[key]} (same code and year)"))
            continue
        seen[key] = line
        try:
            parsed.append(_parse_indicator_row(line, row, partners))
        except ValueError as error:
            errors.append(RowError(line, str(error)))
    if errors:
        raise ImportFailed(errors)
    created = 0
    with transaction.atomic():
        for item in parsed:
            strategy = _strategy_covering(item.strategy, item.year)
            priority = _priority(strategy, item.priority)
            indicator, was_created = Indicator.objects.update_or_create(
                code=item.code, defaults=item.fields
            )
            created += was_created
            # Its place in this strategy only: a row for a new strategy carries the
            # indicator forward and leaves its place in earlier strategies alone.
            StrategyIndicator.objects.update_or_create(
                strategy=strategy, indicator=indicator, defaults={"priority": priority}
            )
            Target.objects.update_or_create(
                indicator=indicator,
                year=item.year,
                defaults={
                    "target_type": item.target_type,
                    "value": item.target if item.target_type != "none" else None,
                },
            )
    codes = {item.code for item in parsed}
    return {"rows": len(parsed), "indicators": len(codes), "created": created}


def _strategy_covering(name, year) -> Strategy:
    strategy, _ = Strategy.objects.get_or_create(
        name=name, defaults={"start_year": year, "end_year": year}
    )
    if not strategy.start_year <= year <= strategy.end_year:
        strategy.start_year = min(strategy.start_year, year)
        strategy.end_year = max(strategy.end_year, year)
        strategy.save(update_fields=["start_year", "end_year"])
    return strategy


def _priority(strategy, name) -> Priority:
    priority = Priority.objects.filter(strategy=strategy, name=name).first()
    if priority is None:
        order = strategy.priorities.count() + 1
        priority = Priority.objects.create(strategy=strategy, name=name, order=order)
    return priority


SERIES_BREAK_COLUMNS = ["indicator", "period", "reason"]


REASON_MAX = 300


def import_series_breaks(table: Table, *, by=None) -> dict:
    """``indicator,period,reason``: from that quarter on the figures are a new series.
    Re-importing the same file changes nothing; a new reason replaces the old one."""
    errors = missing_columns(table, SERIES_BREAK_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    indicators = {i.code: i for i in Indicator.objects.all()}
    seen: dict[tuple, int] = {}
    parsed = []
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        problems = []
        indicator = indicators.get(row["indicator"])
        if indicator is None:
            problems.append(f"no indicator with code '{row['indicator']}'")
        try:
            period = FinancialQuarter.parse(row["period"])
        except PeriodError as error:
            period = None
            problems.append(str(error))
        reason = row["reason"]
        if not reason:
            problems.append("reason is required")
        elif len(reason) > REASON_MAX:
            problems.append(f"reason is longer than {REASON_MAX} characters")
        key = (row["indicator"], period)
        if period is not None and key in seen:
            problems.append(f"duplicate of line {seen[key]} (same indicator and period)")
        seen.setdefault(key, line)
        errors += [RowError(line, p) for p in problems]
        if not problems:
            parsed.append((indicator, period, reason))
    if errors:
        raise ImportFailed(errors)
    changed = 0
    with transaction.atomic():
        for indicator, period, reason in parsed:
            _, was_changed = indicator_services.series_break_set(
                indicator=indicator, period=period, reason=reason, by=by
            )
            changed += was_changed
    return {"rows": len(parsed), "changed": changed}
