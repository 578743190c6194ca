"""Many partnerships in one installation: is one partnership's work flat in the number
of partnerships?

Builds, in a throwaway test database, one partnership of 100 indicators x 10 partners
x 10 years x 4 quarters at real magnitudes (counts of 300 to 3,000 a quarter) and times
its pages alone; then adds 49 more of the same shape (50 in all, sharing their ten
agencies, every one sharing one count indicator for the funnel plot, each with its
residents) and times the same pages again, interleaved in one process so machine noise
falls on every page alike. It prints medians, query counts and the ratios:

- the dashboard with 50 partnerships / the dashboard alone (goal <= 1.1);
- the dashboard / Django admin's change list of the same 100 indicators (goal <= 1.5);
- the indicator page with the funnel over 50 partnerships / an indicator page without
  it (goal <= 1.5);
- the operator's overview of all 50 / the dashboard (goal <= 1.5).

    python benchmarks/partnerships.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecard python benchmarks/partnerships.py
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

from dashboard import query_count  # noqa: E402  (benchmarks/dashboard.py, beside this)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))
PARTNERSHIPS = int(os.environ.get("BENCH_PARTNERSHIPS", "50"))
INDICATORS, PARTNERS, YEARS, FIRST_YEAR = 100, 10, 10, 2010
PERIOD = "2019-20-Q4"
SHARED = "BULK-0000"  # a count (bulk indicators cycle count, percentage, rate)
UNSHARED = "BULK-0003"  # a count too, not shared

PAGES = {
    "dashboard": f"/scorecard/?period={PERIOD}",
    "admin change list": "/admin/indicators/indicator/",
    "indicator with funnel": f"/scorecard/indicators/{SHARED}/",
    "indicator without": f"/scorecard/indicators/{UNSHARED}/",
    "operator overview": "/hosting/",
}


def analyze():
    """As autovacuum would have by the time anyone looks: fresh planner statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def sql_ms(client, url):
    spent = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - start)

    with connection.execute_wrapper(timed):
        client.get(url)
    return sum(spent) * 1000


def interleaved(client, pages):
    samples = {name: [] for name in pages}
    for _ in range(REPEATS):
        for name, url in pages.items():
            start = time.perf_counter()
            client.get(url)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def add_partnership(n):
    from core.tenancy import scoped_to
    from indicators.models import Indicator
    from partnerships.models import Partnership, Population
    from tests.bulk import build_partnership

    partnership = Partnership.objects.create(
        slug=f"csp-{n:02d}", name=f"Community Safety Partnership {n:02d}", short_name=f"CSP {n:02d}"
    )
    Population.objects.bulk_create(
        Population(partnership=partnership, year=FIRST_YEAR + y, residents=90_000 + 7_919 * n)
        for y in range(YEARS)
    )
    with scoped_to(partnership):
        build_partnership(
            indicators=INDICATORS, partners=PARTNERS, years=YEARS, first_year=FIRST_YEAR
        )
        Indicator.objects.filter(code=SHARED).update(share_with_peers=True)
    return partnership


OWNED = [
    "scorecard.ApprovedValue",
    "scorecard.ReturnValue",
    "scorecard.QuarterlyReturn",
    "indicators.Target",
    "indicators.StrategyIndicator",
    "indicators.Indicator",
    "indicators.Priority",
    "indicators.Strategy",
    "scorecard.ReportingPeriod",
    "core.AuditEntry",
]


def leave_only_the_first():
    """Back to one partnership (raw deletes, children first), so the alone figure is
    taken again after the machine has done the same work: noise drifts over a run."""
    from django.apps import apps

    from partnerships.models import Partnership, PartnershipPartner, Population

    first = Partnership.objects.order_by("pk").first()
    for label in OWNED:
        model = apps.get_model(label)
        rest = model.objects.across_partnerships().exclude(partnership=first)
        rest._raw_delete(rest.db)
    for model in (PartnershipPartner, Population):
        rest = model.objects.exclude(partnership=first)
        rest._raw_delete(rest.db)
    rest = Partnership.objects.exclude(pk=first.pk)
    rest._raw_delete(rest.db)


def main():
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from returns.models import ApprovedValue

        start = time.perf_counter()
        add_partnership(0)
        built_one = time.perf_counter() - start
        analyze()
        # A superuser: admin's change list, the operator's overview, and (as the
        # oldest partnership) the first partnership's pages.
        admin = get_user_model().objects.create_superuser("bench", "bench@example.test", "x" * 20)
        client = Client()
        client.force_login(admin)
        one = {k: v for k, v in PAGES.items() if k != "indicator with funnel"}
        for url in one.values():
            client.get(url)
        alone_queries = {name: query_count(client, url) for name, url in one.items()}
        alone = interleaved(client, one)
        alone_sql = sql_ms(client, PAGES["dashboard"])

        start = time.perf_counter()
        for n in range(1, PARTNERSHIPS):
            add_partnership(n)
        built_rest = time.perf_counter() - start
        analyze()
        for url in PAGES.values():
            client.get(url)
        many_queries = {name: query_count(client, url) for name, url in PAGES.items()}
        many = interleaved(client, PAGES)
        many_sql = sql_ms(client, PAGES["dashboard"])
        values = ApprovedValue.objects.across_partnerships().count()
        leave_only_the_first()
        analyze()
        for url in one.values():
            client.get(url)
        again = interleaved(client, one)
        # The first partnership's dashboard again, in the same round as alone's admin
        # list: the flat-ness ratio is taken against admin in each round.
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(
        f"Data: {PARTNERSHIPS} partnerships x {INDICATORS} indicators x {PARTNERS} partners x "
        f"{YEARS} years x 4 quarters, {values:,} approved figures ({connection.vendor}); "
        f"one built in {built_one:.1f}s, the other {PARTNERSHIPS - 1} in {built_rest:.1f}s"
    )
    print(f"Median of {REPEATS} interleaved rounds (one partnership alone | with {PARTNERSHIPS}):")
    for name in PAGES:
        a = (
            f"{alone[name] * 1000:8.1f} ms {alone_queries[name]:3d} q"
            if name in alone
            else " " * 18
        )
        print(f"  {name:22} {a} | {many[name] * 1000:8.1f} ms {many_queries[name]:3d} q")
    print(
        f"  alone again, after:     dashboard {again['dashboard'] * 1000:.1f} ms, admin "
        f"{again['admin change list'] * 1000:.1f} ms"
    )
    before_after = (alone["dashboard"] + again["dashboard"]) / 2
    flat = many["dashboard"] / before_after
    admin_alone = (alone["admin change list"] + again["admin change list"]) / 2
    flat_admin = flat / (many["admin change list"] / admin_alone)
    print(
        f"Ratio dashboard with {PARTNERSHIPS} / alone (mean of before and after): "
        f"{flat:.2f}  (goal <= 1.1)"
    )
    print(f"  the same, each against admin in its round:     {flat_admin:.2f}")
    print(
        "Ratio dashboard / admin change list:            "
        f"{many['dashboard'] / many['admin change list']:.2f}  (goal <= 1.5)"
    )
    print(
        f"Ratio indicator with funnel ({PARTNERSHIPS}) / without:     "
        f"{many['indicator with funnel'] / many['indicator without']:.2f}  (goal <= 1.5)"
    )
    print(
        f"Ratio operator overview ({PARTNERSHIPS}) / dashboard:       "
        f"{many['operator overview'] / many['dashboard']:.2f}  (goal <= 1.5)"
    )
    print(
        f"Dashboard's time in SQL: {alone_sql:.1f} ms alone, {many_sql:.1f} ms with {PARTNERSHIPS}"
    )
    same = all(alone_queries[n] == many_queries[n] for n in alone_queries)
    print(f"Query counts the same alone and with {PARTNERSHIPS}: {same}")


if __name__ == "__main__":
    main()
