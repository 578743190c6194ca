"""Loading partners, indicators and returns from CSV or Excel files.

Every row is checked before anything is written; one bad row fails the whole file,
and the caller runs the write in one transaction, so a failed import changes nothing.
Re-importing the same file updates rows in place (idempotent).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators import rag
from indicators.models import Indicator, Priority, Strategy, StrategyIndicator, Target
from partners.models import Partner
from scorecard import services
from scorecard.models import QuarterlyReturn, ReportingPeriod
from scorecard.periods import FinancialQuarter, PeriodError, default_deadline, parse_financial_year
from scorecard.validation import (
    COMMENTARY_MAX,
    Entry,
    FigureError,
    field_errors,
    parse_figure,
    value_problem,
    with_derived_value,
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
RETURN_COLUMNS = ["partner", "indicator", "period", "value", "commentary"]
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad row(s); nothing was imported")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict]]  # (line number in the file, {column: text})


# Files are checked before they are parsed and read lazily up to these caps, so a
# hostile file is refused in well under a second without being loaded. A return has a
# few dozen rows; import_csv loads years of history, so its cap is larger.
MAX_ROWS = 100_000
UPLOAD_MAX_ROWS = 1_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 10_000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # an .xlsx's parts, unpacked
UPLOAD_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024


def read_table(
    source,
    filename: str = "",
    *,
    max_rows: int = MAX_ROWS,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
) -> Table:
    """Read a CSV or .xlsx file (path or binary file object) into text cells."""
    name = filename or str(source)
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(source, max_rows=max_rows, max_uncompressed=max_uncompressed)
    if isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(1, "the file is not UTF-8 text (save it as CSV UTF-8)")]
        ) from None
    if (nul := text.find("\x00")) >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ImportFailed([RowError(line, "contains a NUL character: is this a CSV text file?")])
    return _table_from_lines(_csv_lines(text), max_rows=max_rows)


def _csv_lines(text):
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        # e.g. a cell over the parser's 128 KB limit, often a stray opening quote that
        # swallowed the rest of the file
        raise ImportFailed(
            [RowError(reader.line_num, f"the file cannot be read as CSV ({error})")]
        ) from None


def _table_from_lines(lines, *, max_rows: int) -> Table:
    """Header and rows from (line number, cells) pairs, checking the caps as it goes."""
    columns = None
    rows = []
    errors = []
    for count, (number, cells) in enumerate(lines, start=1):
        if count > max_rows + 1:
            raise ImportFailed(
                [RowError(number, f"the file has more than {max_rows:,} rows; split it up")]
            )
        if len(cells) > MAX_COLUMNS:
            raise ImportFailed(
                [RowError(number, f"{len(cells)} columns: at most {MAX_COLUMNS} are read")]
            )
        if columns is None:
            columns = [c.strip().lower() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        if long := [c for c in cells if len(c) > MAX_CELL_CHARS]:
            errors.append(
                RowError(
                    number,
                    f"a cell of {len(long[0]):,} characters (at most {MAX_CELL_CHARS:,}; "
                    "a stray quote mark can make one cell of the rest of the file)",
                )
            )
            continue
        if len(cells) > len(columns):
            rows.append((number, {"__error__": f"{len(cells)} cells but {len(columns)} columns"}))
            continue
        rows.append(
            (
                number,
                {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)},
            )
        )
    if columns is None:
        raise ImportFailed([RowError(1, "the file is empty")])
    if errors:
        raise ImportFailed(errors)
    return Table(columns, rows)


def _check_archive(source, max_uncompressed: int):
    """An .xlsx is a zip: a few hundred KB can unpack to gigabytes of XML. Refuse it
    from the archive's directory, before anything is unpacked."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailed([RowError(1, "the file is not a readable .xlsx workbook")]) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if unpacked > max_uncompressed:
        raise ImportFailed(
            [
                RowError(
                    1,
                    f"the workbook unpacks to {unpacked // (1024 * 1024):,} MB (at most "
                    f"{max_uncompressed // (1024 * 1024)} MB): save only the rows you need",
                )
            ]
        )


def _read_xlsx(source, *, max_rows: int, max_uncompressed: int) -> Table:
    from openpyxl import load_workbook

    _check_archive(source, max_uncompressed)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise ImportFailed([RowError(1, "the file is not a readable .xlsx workbook")]) from None
    try:
        sheet = book.worksheets[0]
        # The file's own <dimension> may understate (or wildly overstate) its size; read
        # the rows that are there, lazily, and let the row cap decide.
        sheet.reset_dimensions()
        lines = (
            (number, ["" if c is None else _cell_text(c) for c in cells])
            for number, cells in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
            )
        )
        table = _table_from_lines(lines, max_rows=max_rows)
    finally:
        book.close()
    if table.columns and not any(table.columns):
        raise ImportFailed([RowError(1, "the workbook is empty")])
    return table


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _missing_columns(table: Table, required: list[str]) -> list[RowError]:
    missing = [c for c in required if c not in table.columns]
    if missing:
        return [RowError(1, f"missing column(s): {', '.join(missing)}")]
    return []


def parse_decimal(text: str, column: str) -> Decimal:
    """The form's number rules (``validation.parse_figure``), with the column named."""
    try:
        return parse_figure(text)
    except FigureError as error:
        if str(error).startswith("Enter a number,"):
            raise ValueError(f"{column} '{text}' is not a number") from None
        raise ValueError(f"{column} '{text}': {str(error)[0].lower()}{str(error)[1:]}") from None


def _optional_decimal(row, column, default=None):
    text = row.get(column, "")
    return default if text == "" else parse_decimal(text, column)


def _row_error(line, row):
    if "__error__" in row:
        return RowError(line, row["__error__"])
    return None


# --- partners ---------------------------------------------------------------


def import_partners(table: Table) -> dict:
    errors = _missing_columns(table, PARTNER_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    seen: dict[str, int] = {}
    clean = []
    for line, row in table.rows:
        if error := _row_error(line, row):
            errors.append(error)
            continue
        code, name = row["code"], row["name"]
        problems = []
        if not code or not _CODE.match(code):
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
    with transaction.atomic():
        for code, name in clean:
            _, was_created = Partner.objects.update_or_create(code=code, defaults={"name": name})
            created += was_created
    return {"rows": len(clean), "created": created, "updated": len(clean) - created}


# --- indicators -------------------------------------------------------------


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
    if not code or not _CODE.match(code):
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
    target = attempt(_optional_decimal, row, "target")
    if (
        target_type in ("value", "change_vs_last_year")
        and target is None
        and "target" not in " ".join(problems)
    ):
        problems.append(f"target is required when target_type is {target_type}")
    tolerance = attempt(_optional_decimal, row, "tolerance_pct", Decimal(5))
    caution_below = attempt(_optional_decimal, row, "caution_below")
    stable_band = attempt(_optional_decimal, row, "stable_band_pct", Decimal("1.0"))
    outlier_band = attempt(_optional_decimal, row, "outlier_band_pct", Decimal(50))
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
        rate_per = attempt(_optional_decimal, row, "rate_per")
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
    errors = _missing_columns(table, INDICATOR_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    partners = {p.code: p for p in Partner.objects.all()}
    seen: dict[tuple, int] = {}
    parsed: list[IndicatorRow] = []
    for line, row in table.rows:
        if error := _row_error(line, row):
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


# --- series breaks ------------------------------------------------------------

SERIES_BREAK_COLUMNS = ["indicator", "period", "reason"]
REASON_MAX = 300


def import_series_breaks(table: Table, *, by=None) -> dict:
    """``indicator,period,reason``: from that quarter on the figures are a new series.
    Re-importing the same file changes nothing; a new reason replaces the old one."""
    errors = _missing_columns(table, SERIES_BREAK_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    indicators = {i.code: i for i in Indicator.objects.all()}
    seen: dict[tuple, int] = {}
    parsed = []
    for line, row in table.rows:
        if error := _row_error(line, row):
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
            _, was_changed = services.series_break_set(
                indicator=indicator, period=period, reason=reason, by=by
            )
            changed += was_changed
    return {"rows": len(parsed), "changed": changed}


# --- returns ----------------------------------------------------------------


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
    errors = _missing_columns(table, RETURN_COLUMNS)
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
        if error := _row_error(line, row):
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
        errors += [RowError(line, p) for p in problems]
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
