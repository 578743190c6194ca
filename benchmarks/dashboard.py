"""Dashboard server time against Django admin's change list and a trivial view.

Builds a large partnership (5 years x 4 quarters x 200 indicators x 15 partners) in a
throwaway test database, then times, in the same run and the same process:

- the scorecard dashboard (/scorecard/), with all its RAG and trend work;
- Django admin's change list of the same 200 indicators (list_per_page 200);
- a trivial login-required view (the floor: session, auth, middleware, template-free).

It prints median times, the two ratios and each page's query count. Ratios, not absolute
times, are the result: they hold across machines.

    python benchmarks/dashboard.py            # SQLite (the default DATABASE_URL)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecard python benchmarks/dashboard.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))


@login_required
def trivial(request):
    return HttpResponse("ok")


def timed(client, url):
    response = client.get(url)  # warm up caches and connections
    assert response.status_code == 200, (url, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), len(queries)


def main():
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from scorecard import urls

    urls.urlpatterns.append(path("benchmark/trivial/", trivial))
    clear_url_caches()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.bulk import build_partnership

        start = time.perf_counter()
        build_partnership(indicators=200, partners=15, years=5)
        built = time.perf_counter() - start
        admin = get_user_model().objects.create_superuser("bench", "bench@example.test", "x" * 20)
        client = Client()
        client.force_login(admin)

        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            client.get("/scorecard/?period=2019-20-Q4")
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get("/scorecard/?period=2019-20-Q4")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        dashboard_t, dashboard_q = timed(client, "/scorecard/?period=2019-20-Q4")
        admin_t, admin_q = timed(client, "/admin/indicators/indicator/")
        trivial_t, trivial_q = timed(client, "/benchmark/trivial/")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    print(
        f"Data: 200 indicators x 15 partners x 5 years x 4 quarters ({vendor}), built in {built:.1f}s"
    )
    print(f"Median of {REPEATS} requests each:")
    print(f"  dashboard         {dashboard_t * 1000:8.1f} ms  {dashboard_q:3d} queries")
    print(f"  admin change list {admin_t * 1000:8.1f} ms  {admin_q:3d} queries")
    print(f"  trivial view      {trivial_t * 1000:8.1f} ms  {trivial_q:3d} queries")
    print(f"Ratio dashboard / admin change list: {dashboard_t / admin_t:.2f}  (aim: <= 1.5)")
    print(f"Ratio dashboard / trivial view:      {dashboard_t / trivial_t:.2f}")


if __name__ == "__main__":
    main()
