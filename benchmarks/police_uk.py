"""A force-year of police.uk street files: import time and peak memory.

Writes 12 monthly street files the size of Hampshire's (about 16,700 rows a month,
200,000 in the year, every column, blank IDs for anti-social behaviour, ~2% without an
LSOA) over 1,100 LSOAs, 150 of them the partnership's area, and zips them as police.uk
does. Then, in a fresh process each (so the figures are the import's, not this
script's), it runs ``manage.py import_police_uk`` on the zip and on the 12 CSVs, three
times each (the second and third replace the months: the re-import path), and prints
the median seconds, the peak resident memory, and each as a ratio of the goal
(15 s, 200 MB). A bare ``manage.py check`` gives the process's baseline memory.

    python benchmarks/police_uk.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecard_bench python benchmarks/police_uk.py
"""

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policeuk.crime_types import CRIME_TYPES, HEADER  # noqa: E402  (plain Python)

ROWS_A_MONTH = int(os.environ.get("BENCH_ROWS_A_MONTH", "16700"))
LSOAS, AREA = 1100, 150
WEIGHTS = [30, 2, 6, 9, 3, 2, 7, 1, 8, 1, 5, 2, 7, 17]  # roughly Hampshire's mix
GOAL_SECONDS, GOAL_MB = 15, 200
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def lsoas():
    places = ["Southampton"] * AREA + ["Portsmouth"] * 400 + ["Winchester"] * 550
    return [
        (f"E0101{n:04d}", f"{name} {n % 300:03d}{'ABCD'[n % 4]}") for n, name in enumerate(places)
    ]


def write_month(folder: Path, month: str, rng: random.Random) -> Path:
    path = folder / f"{month}-hampshire-street.csv"
    areas = lsoas()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(ROWS_A_MONTH):
            crime_type = rng.choices(CRIME_TYPES, WEIGHTS)[0]
            asb = crime_type == "Anti-social behaviour"
            unplaced = rng.random() < 0.02
            code, name = ("", "") if unplaced else rng.choice(areas)
            writer.writerow(
                [
                    "" if asb else f"{rng.getrandbits(256):064x}",
                    month,
                    "Hampshire Constabulary",
                    "Hampshire Constabulary",
                    "" if unplaced else f"{-1.3 + rng.random() / 5:.6f}",
                    "" if unplaced else f"{50.9 + rng.random() / 5:.6f}",
                    "No location" if unplaced else f"On or near Street {n % 900}",
                    code,
                    name,
                    crime_type,
                    "" if asb else "Investigation complete; no suspect identified",
                    "",
                ]
            )
    return path


def manage(env, *args):
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return seconds, result.stdout


def peak_mb_of(env, *args) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process running the command."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main():
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rng = random.Random(2020)
        months = [
            f"{y}-{m:02d}"
            for y, m in [(2019, m) for m in range(4, 13)] + [(2020, m) for m in (1, 2, 3)]
        ]
        files = [write_month(folder, month, rng) for month in months]
        archive = folder / "hampshire-2019-20.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for path in files:
                zipped.write(path, f"{path.name[:7]}/{path.name}")
        rows = ROWS_A_MONTH * len(files)
        unpacked = sum(p.stat().st_size for p in files) / 1024 / 1024
        print(f"{len(files)} files, {rows:,} rows, {unpacked:.0f} MB unpacked, "
              f"zip {archive.stat().st_size / 1024 / 1024:.1f} MB")  # fmt: skip

        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"
        )
        manage(env, "migrate", "-v0")
        area = folder / "area.csv"
        area.write_text("lsoa_code,lsoa_name\n" + "".join(f"{c},{n}\n" for c, n in lsoas()[:AREA]))
        manage(env, "import_csv", "lsoas", str(area))
        _, baseline = peak_mb_of(env, "check")
        print(f"baseline process (manage.py check): {baseline:.0f} MB")
        for label, paths in (("zip", [str(archive)]), ("12 CSVs", [str(p) for p in files])):
            runs = [peak_mb_of(env, "import_police_uk", *paths) for _ in range(REPEATS)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(
                f"import {label}: median {seconds:.1f} s (range {min(r[0] for r in runs):.1f}"
                f"–{max(r[0] for r in runs):.1f}), peak {peak:.0f} MB; "
                f"ratio to goal: time {seconds / GOAL_SECONDS:.2f}, memory {peak / GOAL_MB:.2f}"
            )


if __name__ == "__main__":
    main()
