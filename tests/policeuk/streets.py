"""Street files in police.uk's real format, for the tests: every column, blank crime
IDs for anti-social behaviour, blank coordinates and LSOA for a crime not placed."""

from __future__ import annotations

import csv
import io
import zipfile

from policeuk.crime_types import HEADER

IN_AREA = ("E01017139", "Southampton 001A")
IN_AREA_2 = ("E01017140", "Southampton 001B")
OUTSIDE = ("E01022600", "Eastleigh 001A")
FORCE = "Hampshire Constabulary"


def crime(month: str, crime_type: str, lsoa=IN_AREA, *, number: int = 0, force: str = FORCE):
    asb = crime_type == "Anti-social behaviour"
    crime_id = "" if asb else f"{number:064x}"
    if lsoa is None:
        place, code, name = ["", "", "No location"], "", ""
    else:
        place, (code, name) = ["-1.404", "50.909", "On or near Portswood Road"], lsoa
    outcome = "" if asb else "Under investigation"
    return [crime_id, month, force, force, *place, code, name, crime_type, outcome, ""]


def street_csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def many(month, crime_type, count, lsoa=IN_AREA):
    return [crime(month, crime_type, lsoa, number=n) for n in range(count)]


def write_month(folder, month: str, rows, force_slug="hampshire"):
    path = folder / f"{month}-{force_slug}-street.csv"
    path.write_bytes(street_csv(rows))
    return path


def write_zip(path, months: dict[str, list], extra: dict[str, bytes] | None = None):
    """A zip laid out as police.uk's: a folder per month, with an outcomes file beside."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for month, rows in months.items():
            archive.writestr(f"{month}/{month}-hampshire-street.csv", street_csv(rows))
            archive.writestr(f"{month}/{month}-hampshire-outcomes.csv", b"Crime ID,Month\r\n")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return path
