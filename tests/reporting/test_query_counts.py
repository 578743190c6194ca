"""Pages run a fixed number of SQL queries whatever the size of the partnership."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bulk import build_partnership


def review_queue_with_submissions(data):
    """Every partner's latest return is waiting for review."""
    from django.utils import timezone

    from returns.models import QuarterlyReturn

    QuarterlyReturn.objects.filter(period=data["periods"][-1]).update(
        status="submitted", submitted_at=timezone.now()
    )
    return reverse("review_queue")


PAGES = [
    ("dashboard", {}, lambda data: reverse("dashboard")),
    ("dashboard filtered", {}, lambda data: reverse("dashboard") + "?rag=red&sort=-change"),
    ("exceptions", {}, lambda data: reverse("exceptions")),
    ("csv", {}, lambda data: reverse("download_csv")),
    ("api", {}, lambda data: "/api/v1/scorecard/"),
    ("indicator", {}, lambda data: reverse("indicator_detail", args=[data["indicators"][0].code])),
    ("completeness", {}, lambda data: reverse("completeness")),
    ("review queue", {}, review_queue_with_submissions),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("name, _, make_url", PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_indicators(client, coordinator, name, _, make_url):
    counts = []
    for size in (10, 200):
        from indicators.models import Indicator
        from partners.models import Partner
        from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod

        ApprovedValue.objects.all().delete()
        QuarterlyReturn.objects.all().delete()
        ReportingPeriod.objects.all().delete()
        Indicator.objects.all().delete()
        Partner.objects.all().delete()
        data = build_partnership(indicators=size, partners=15 if size > 10 else 3, years=3)
        client.force_login(coordinator)
        url = make_url(data)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], (
        f"{name}: {counts[0]} queries with 10 indicators, {counts[1]} with 200"
    )
    assert 0 < counts[1] <= 20


def test_dashboard_query_budget(client, coordinator, django_assert_max_num_queries):
    build_partnership(indicators=200, partners=15, years=2)
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboard"))


def test_my_returns_query_count_is_fixed(client, police_lead, partnership):
    from tests import factories

    client.force_login(police_lead)
    first = count_queries(client, reverse("my_returns"))
    for label in ("2019-20 Q2", "2019-20 Q3", "2019-20 Q4"):
        factories.period(label, is_open=True)
    assert count_queries(client, reverse("my_returns")) == first


def test_return_form_query_count_is_fixed(client, police_lead, partnership, priority):
    from tests import factories

    client.force_login(police_lead)
    url = reverse("return_edit", args=["HC", "2019-20-Q1"])
    first = count_queries(client, url)
    for _ in range(10):
        factories.IndicatorFactory(owner=partnership["asb"].owner, priority=priority)
    assert count_queries(client, url) == first


@pytest.mark.django_db
def test_the_scorecard_reads_each_indicators_figures_through_the_owner_index():
    """Without the (indicator, partner) index SQLite walked every figure of the owning
    partner and sorted them all: half the dashboard's time at 200 indicators x 10 years."""
    from core.periods import FinancialQuarter
    from returns.approved import approved_window

    data = build_partnership(indicators=12, partners=3, years=2)
    last = data["periods"][-1]
    ids = [indicator.id for indicator in data["indicators"]]
    with CaptureQueriesContext(connection) as ctx:
        values, _ = approved_window(ids, FinancialQuarter(last.year, last.quarter))
    assert len(values) == 12
    (query,) = ctx.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A dozen indicators fit in a page: make the planner say which index it
            # would use at a real partnership's size.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN " + query["sql"])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "approved_by_owner" in plan
