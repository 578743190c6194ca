"""Dashboard and list pages against Django admin's change list, at a real partnership's size.

Builds 200 indicators x 15 partners x 10 years x 4 quarters with real-size figures
(counts of 300 to 3,000 a quarter, so year-to-date figures in the thousands) in a
throwaway test database, then times, interleaved in the same run and process so that
machine noise falls on every page alike:

- the scorecard dashboard (/scorecard/): RAG, direction, significance and SPC;
- Django admin's change list of the same 200 indicators (list_per_page 200);
- the other list pages: exceptions, review queue, API, CSV and Excel downloads;
- a trivial login-required view (the floor: session, auth, middleware).

Then it deletes the first three years and times the dashboard again: its time must not
grow with the number of years stored (seven years still fill the 24-quarter SPC window,
so both runs do the same statistical work). It prints medians, query counts and the ratios the
goals are set in. Ratios, not absolute times, are the result: they hold across machines.

    python benchmarks/dashboard.py            # SQLite (the default DATABASE_URL)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecard python benchmarks/dashboard.py
    BENCH_PROFILE=1 python benchmarks/dashboard.py   # and where the dashboard's time goes
    BENCH_PROFILE=1 BENCH_PROFILE_PAGE="Excel download" BENCH_SORT=tottime python benchmarks/dashboard.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "11"))
YEARS = 10
FIRST_YEAR = 2010
SHORT_OFFSET = 3  # the second run keeps the last 7 years
PERIOD = "2019-20-Q4"

PAGES = {
    "dashboard": f"/scorecard/?period={PERIOD}",
    "admin change list": "/admin/indicators/indicator/",
    "exceptions": f"/scorecard/exceptions/?period={PERIOD}",
    "review queue": "/review/",
    "API scorecard": f"/api/v1/scorecard/?period={PERIOD}",
    "CSV download": f"/scorecard/download.csv?period={PERIOD}",
    "Excel download": f"/scorecard/download.xlsx?period={PERIOD}",
    "trivial view": "/benchmark/trivial/",
}


@login_required
def trivial(request):
    return HttpResponse("ok")


def query_count(client, url):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def interleaved(client, pages: dict) -> dict:
    """Median time per page, each round visiting every page once."""
    samples = {name: [] for name in pages}
    for _ in range(REPEATS):
        for name, url in pages.items():
            start = time.perf_counter()
            client.get(url)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def submitted_returns_for_review():
    from django.utils import timezone

    from returns.models import QuarterlyReturn, ReportingPeriod

    latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
    QuarterlyReturn.objects.filter(period=latest).update(
        status="submitted", submitted_at=timezone.now()
    )


def profile(client):
    import cProfile
    import pstats

    page = PAGES[os.environ.get("BENCH_PROFILE_PAGE", "dashboard")]
    client.get(page)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(page)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)


def main():
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from config import urls

    urls.urlpatterns.append(path("benchmark/trivial/", trivial))
    clear_url_caches()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from returns.models import ApprovedValue
        from tests.bulk import build_partnership

        start = time.perf_counter()
        build_partnership(indicators=200, partners=15, years=YEARS, first_year=FIRST_YEAR)
        submitted_returns_for_review()
        built = time.perf_counter() - start
        admin = get_user_model().objects.create_superuser("bench", "bench@example.test", "x" * 20)
        client = Client()
        client.force_login(admin)
        for url in PAGES.values():
            client.get(url)  # warm up caches and connections
        queries = {name: query_count(client, url) for name, url in PAGES.items()}
        if os.environ.get("BENCH_PROFILE"):
            profile(client)
        times = interleaved(client, PAGES)
        values = ApprovedValue.objects.count()
        ApprovedValue.objects.filter(period__year__lt=FIRST_YEAR + SHORT_OFFSET).delete()
        short = interleaved(
            client,
            {"dashboard": PAGES["dashboard"], "admin change list": PAGES["admin change list"]},
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    print(
        f"Data: 200 indicators x 15 partners x {YEARS} years x 4 quarters, {values:,} approved "
        f"figures, counts 300-3,000 a quarter ({vendor}), built in {built:.1f}s"
    )
    print(f"Median of {REPEATS} interleaved rounds:")
    for name in PAGES:
        print(f"  {name:18} {times[name] * 1000:8.1f} ms  {queries[name]:3d} queries")
    dash, admin_t = times["dashboard"], times["admin change list"]
    print(f"Ratio dashboard / admin change list:   {dash / admin_t:.2f}  (goal <= 1.5)")
    for name in ("exceptions", "review queue", "API scorecard", "CSV download", "Excel download"):
        print(f"Ratio {name + ' / dashboard:':32} {times[name] / dash:.2f}  (goal <= 1.5)")
    print(f"Ratio dashboard / trivial view:        {dash / times['trivial view']:.2f}")
    grown = dash / admin_t / (short["dashboard"] / short["admin change list"])
    print(
        f"Dashboard with {YEARS} years stored / with {YEARS - SHORT_OFFSET} years "
        f"(each against admin in its round): {grown:.2f}  (goal ~1.0)"
    )


if __name__ == "__main__":
    main()
