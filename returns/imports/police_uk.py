"""``import_csv lsoas FILE`` (columns ``lsoa_code,lsoa_name``: the partnership's area,
replaced by the file) and ``import_csv police_uk_mapping FILE`` (columns
``indicator,crime_type``, optional ``tolerance_pct``: the crime types each named count
indicator counts, replaced for the indicators the file names). Both all or nothing,
with row-numbered errors, and idempotent."""

from __future__ import annotations

import re
from decimal import Decimal

from indicators.models import Indicator
from policeuk import services
from policeuk.crime_types import CRIME_TYPES
from returns.imports.reader import (
    ImportFailed,
    RowError,
    Table,
    missing_columns,
    parse_decimal,
    row_error,
)

LSOA_COLUMNS = ["lsoa_code", "lsoa_name"]
MAPPING_COLUMNS = ["indicator", "crime_type"]
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


def import_lsoas(table: Table, *, by=None) -> dict:
    errors = missing_columns(table, LSOA_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    seen: dict[str, int] = {}
    lsoas = []
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        code, name = row["lsoa_code"].upper(), row["lsoa_name"]
        if not _LSOA_CODE.match(code):
            errors.append(
                RowError(line, f"lsoa_code '{row['lsoa_code']}' is not an LSOA code like E01017139")
            )
        elif code in seen:
            errors.append(RowError(line, f"lsoa_code {code} is on line {seen[code]} too"))
        elif len(name) > 100:
            errors.append(RowError(line, "lsoa_name is longer than 100 characters"))
        seen.setdefault(code, line)
        lsoas.append((code, name))
    if not errors and not lsoas:
        errors.append(RowError(2, "the file lists no LSOAs"))
    if errors:
        raise ImportFailed(errors)
    return services.area_add(lsoas=lsoas, by=by, replace=True)


def import_police_uk_mapping(table: Table, *, by=None) -> dict:
    errors = missing_columns(table, MAPPING_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    indicators = {i.code: i for i in Indicator.objects.all()}
    types: dict[str, list[str]] = {}
    tolerances: dict[str, Decimal] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in table.rows:
        if error := row_error(line, row):
            errors.append(error)
            continue
        code, crime_type = row["indicator"], row["crime_type"]
        indicator = indicators.get(code)
        problems = []
        if indicator is None:
            problems.append(f"indicator '{code}' is not one of this partnership's indicators")
        elif indicator.measure != Indicator.Measure.COUNT:
            problems.append(
                f"indicator {code} ({indicator.name}) is a {indicator.get_measure_display().lower()}"
                ": only counts can be compared with police.uk's crimes"
            )
        if crime_type not in CRIME_TYPES:
            problems.append(
                f"crime_type '{crime_type}' is not one of police.uk's 14 ({', '.join(CRIME_TYPES)})"
            )
        if (code, crime_type) in seen:
            problems.append(f"the same as line {seen[code, crime_type]}")
        seen.setdefault((code, crime_type), line)
        if text := row.get("tolerance_pct", ""):
            try:
                tolerance = parse_decimal(text, "tolerance_pct")
                if not 0 <= tolerance <= 100:
                    raise ValueError(f"tolerance_pct '{text}' must be between 0 and 100")
                tolerances[code] = tolerance
            except ValueError as error:
                problems.append(str(error))
        errors += [RowError(line, p) for p in problems]
        if not problems:
            types.setdefault(code, []).append(crime_type)
    if errors:
        raise ImportFailed(errors)
    changed = services.mapping_save(
        choices=[
            services.MappingChoice(indicators[code], chosen, tolerances.get(code))
            for code, chosen in types.items()
        ],
        by=by,
    )
    return {"indicators": len(types), "changed": changed}
