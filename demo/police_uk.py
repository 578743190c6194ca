"""An illustrative police.uk archive for the demo's area, in police.uk's own format.

Not police.uk's data: generated (with a fixed seed) so its sums agree with the demo's
police figures within the 5% tolerance in every quarter but one (violent crime in
2019-20 Q3, 9% below what was submitted), and so Apr–Jun 2020 has figures for the
police lead's open return to pre-fill. The streets, LSOA codes and coordinates are
made up; the LSOA names follow the "Southampton 001A" pattern the area choice reads.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.periods import FinancialQuarter
from demo import data as demo
from policeuk.crime_types import HEADER, months_of_quarter

FORCE = "Hampshire Constabulary"
FORCE_SLUG = "hampshire"
MAPPING = {
    "ASB-01": ["Anti-social behaviour"],
    "VC-01": ["Violence and sexual offences"],
    "BURG-01": ["Burglary"],
    "DRUG-01": ["Drugs"],
}
QUARTERS = [FinancialQuarter(2019, q) for q in (1, 2, 3, 4)] + [FinancialQuarter(2020, 1)]
# police.uk's figure as a share of the submitted one; the one flagged quarter is 0.91
AGREEMENT = {("VC-01", FinancialQuarter(2019, 3)): Decimal("0.91")}
# Apr–Jun 2020 (no return yet): the first lockdown's fall on the same quarter a year before
LOCKDOWN = {"ASB-01": 1.25, "VC-01": 0.86, "BURG-01": 0.72, "DRUG-01": 1.1}
OTHER_TYPES = {"Shoplifting": 260, "Vehicle crime": 170, "Criminal damage and arson": 240}
AREA_SIZE = 148
STREETS = ["Portswood Road", "Shirley High Street", "Above Bar Street", "Bitterne Road",
           "Millbrook Road", "Woolston Road", "Bevois Valley Road", "Oxford Street"]  # fmt: skip


def area() -> list[tuple[str, str]]:
    """The demo's LSOAs (illustrative codes), as ``import_csv lsoas`` reads them."""
    return [
        (f"E0101{7139 + n:04d}", f"Southampton {n + 1:03d}{'ABCD'[n % 4]}")
        for n in range(AREA_SIZE)
    ]


def _neighbours() -> list[tuple[str, str]]:
    return [(f"E0102{2600 + n:04d}", f"Eastleigh {n + 1:03d}{'ABC'[n % 3]}") for n in range(30)]


def _submitted(code: str) -> dict[FinancialQuarter, int]:
    spec = next(s for s in demo.INDICATORS if s["code"] == code)
    values = demo.quarterly_values(spec)
    return {
        FinancialQuarter(y, q + 1): int(v) for y, vs in values.items() for q, v in enumerate(vs)
    }


def quarter_totals(rng: random.Random) -> dict[tuple[str, FinancialQuarter], int]:
    """police.uk's in-area total for each mapped indicator and quarter."""
    totals = {}
    for code in MAPPING:
        submitted = _submitted(code)
        for fq in QUARTERS:
            if fq in submitted:
                share = AGREEMENT.get((code, fq), Decimal(str(round(rng.uniform(0.975, 1.02), 3))))
                totals[code, fq] = int(submitted[fq] * share)
            else:
                totals[code, fq] = int(submitted[fq.same_quarter_last_year()] * LOCKDOWN[code])
    return totals


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.uniform(0.9, 1.1) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def _row(rng, month: date, crime_type: str, lsoa: tuple[str, str] | None) -> list[str]:
    asb = crime_type == "Anti-social behaviour"
    crime_id = "" if asb else f"{rng.getrandbits(256):064x}"
    if lsoa is None:
        place = ["", "", "No location"]
        code = name = ""
    else:
        place = [f"{-1.40 + rng.uniform(-0.04, 0.04):.6f}", f"{50.91 + rng.uniform(-0.03, 0.03):.6f}",
                 f"On or near {rng.choice(STREETS)}"]  # fmt: skip
        code, name = lsoa
    outcome = "" if asb else rng.choice(["Under investigation", "Unable to prosecute suspect",
                                         "Investigation complete; no suspect identified"])  # fmt: skip
    return [crime_id, f"{month:%Y-%m}", FORCE, FORCE, *place, code, name, crime_type, outcome, ""]


def month_files(seed: int = 2020):
    """(name inside the zip, CSV text) for each month, as police.uk's archive lays it out."""
    rng = random.Random(seed)
    totals = quarter_totals(rng)
    lsoas, outside = area(), _neighbours()
    by_month: dict[date, list[list[str]]] = {}
    for (code, fq), total in totals.items():
        months = months_of_quarter(fq.start)
        for month, count in zip(months, _split(total, 3, rng), strict=True):
            rows = by_month.setdefault(month, [])
            for crime_type in MAPPING[code]:
                rows += [_row(rng, month, crime_type, rng.choice(lsoas)) for _ in range(count)]
                rows += [
                    _row(rng, month, crime_type, rng.choice(outside)) for _ in range(count // 40)
                ]
                rows += [_row(rng, month, crime_type, None) for _ in range(count // 100)]
    for month, rows in by_month.items():
        for crime_type, count in OTHER_TYPES.items():
            rows += [
                _row(rng, month, crime_type, rng.choice(lsoas + outside)) for _ in range(count)
            ]
    for month in sorted(by_month):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(sorted(by_month[month], key=lambda r: r[9]))
        yield f"{month:%Y-%m}/{month:%Y-%m}-{FORCE_SLUG}-street.csv", buffer.getvalue()


def write_archive(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in month_files():
            archive.writestr(name, text)
    return path
