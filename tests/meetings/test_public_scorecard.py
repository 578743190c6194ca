"""The published scorecard: public, cached, safe — no commentary, no unpublished
indicator, no names, no small counts."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from meetings import publishing
from meetings.models import Meeting, PublishedScorecard
from meetings.packs import meeting_pack_issue
from returns import services
from tests import factories

COMMENTARY = "Festival weekend: PC Jane Doe's patrol logged 98765 calls"


@pytest.fixture
def published(db, partnership, police, coordinator):
    """Police counts where 2018-19 Q1 had 3 incidents of a small-number indicator,
    ASB published with commentary, and repeat victims unpublished."""
    asb, pct = partnership["asb"], partnership["pct"]
    small = factories.IndicatorFactory(
        code="MSL-01", name="Modern slavery referrals", owner=police, priority=asb.priority
    )
    Indicator.objects.filter(code__in=["ASB-01", "MSL-01"]).update(publishable=True)
    Indicator.objects.filter(code="ASB-01").update(public_note="Call 101 to report ASB.")
    services.quarterly_return_import(
        partner=police,
        period=factories.period("2018-19 Q2"),
        entries=[services.ValueEntry(indicator_id=small.id, value=Decimal(3))],
        by=None,
        approve=True,
    )
    services.quarterly_return_import(
        partner=police,
        period=partnership["period"],
        entries=[
            services.ValueEntry(indicator_id=asb.id, value=Decimal(90), commentary=COMMENTARY),
            services.ValueEntry(indicator_id=pct.id, value=Decimal(16)),
            services.ValueEntry(indicator_id=small.id, value=Decimal(2)),
        ],
        by=None,
        approve=True,
    )
    meeting = Meeting.objects.create(
        title="SCP July", date=date(2019, 7, 20), period=partnership["period"]
    )
    pack = meeting_pack_issue(meeting=meeting, by=coordinator)
    return publishing.scorecard_publish(pack=pack, by=coordinator)


@pytest.mark.parametrize(
    ("value", "measure", "small"),
    [
        (1, "count", True),
        (4, "count", True),
        ("4.0000", "count", True),
        (0, "count", False),
        (5, "count", False),
        ("", "count", False),
        (3, "percentage", False),
        (2, "rate", False),
    ],
)
def test_which_values_are_suppressed(value, measure, small, settings):
    settings.PUBLIC_SUPPRESS_BELOW = 5
    assert publishing.is_small(value, measure) is small


def test_the_threshold_is_configurable(settings):
    settings.PUBLIC_SUPPRESS_BELOW = 10
    assert publishing.is_small(7, "count")
    assert publishing.fewer_than() == "fewer than 10"


def test_public_page_needs_no_sign_in_and_shows_published_figures(client, published):
    response = client.get(reverse("public_scorecard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ASB incidents" in page and "Call 101 to report ASB." in page
    assert "Open Government Licence" in page
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert "OFFICIAL" not in page  # the internal marking stays on internal pages


def test_public_page_and_downloads_never_leak(client, published):
    page = client.get(reverse("public_scorecard")).content.decode()
    csv_text = client.get(reverse("public_scorecard_csv")).content.decode()
    json_text = client.get(reverse("public_scorecard_json")).content.decode()
    for body in (page, csv_text, json_text):
        assert COMMENTARY not in body and "98765" not in body and "Jane Doe" not in body
        assert "Repeat victims" not in body and "REPEAT-01" not in body  # unpublished
        assert "coordinator" not in body  # no names of people
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert rows["MSL-01"]["actual"] == ""  # suppressed: blank, and the column says why
    assert rows["MSL-01"]["suppressed"] == "yes"
    assert rows["MSL-01"]["suppressed_reason"].startswith("actual withheld: counts fewer than 5")
    assert rows["ASB-01"]["suppressed"] == "no"
    assert rows["MSL-01"]["change_vs_last_year_pct"] == ""  # derived from a small count
    assert rows["ASB-01"]["actual"] == "90"
    assert float(rows["ASB-01"]["change_vs_last_year_pct"]) == -10.0  # a number, not text
    data = json.loads(json_text)
    small = next(i for i in data["indicators"] if i["indicator"] == "MSL-01")
    assert small["actual_suppressed"] is True
    assert small["actual"] is None and small["actual_display"] == "fewer than 5"
    assert small["suppressed"] is True
    assert small["caution"] is (rows["MSL-01"]["caution"] == "yes")  # a boolean here
    asb = next(i for i in data["indicators"] if i["indicator"] == "ASB-01")
    assert asb["actual"] == 90 and asb["change_vs_last_year_pct"] == -10.0
    assert asb["suppressed"] is False
    assert all(p["value"] is None for p in small["history"] if p["suppressed"])
    assert {p["suppressed"] for p in small["history"]} == {True}
    assert ">2<" not in page.split("Modern slavery referrals", 1)[1].split("</section>")[0]


def test_csv_header_is_the_first_line_with_the_public_columns(client, published):
    text = client.get(reverse("public_scorecard_csv")).content.decode()
    assert text.splitlines()[0] == ",".join(publishing.PUBLIC_COLUMNS)
    assert "commentary" not in text.splitlines()[0]


def test_a_visit_reads_the_cache_and_writes_nothing(client, published):
    client.get(reverse("public_scorecard"))  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public_scorecard"))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    # With a per-process cache, one query: which publication is the latest (so another
    # process's publishing is seen at once). With a shared cache, none (below).
    [version] = [q["sql"] for q in queries]
    assert "scorecard_publishedscorecard" in version and "snapshot" not in version


def test_publishing_again_replaces_what_the_public_sees(
    client, published, coordinator, django_capture_on_commit_callbacks
):
    assert "Call 101" in client.get(reverse("public_scorecard")).content.decode()
    Indicator.objects.filter(code="ASB-01").update(publishable=False)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.scorecard_publish(pack=published.pack, by=coordinator)
    assert PublishedScorecard.objects.count() == 2
    assert "ASB incidents" not in client.get(reverse("public_scorecard")).content.decode()


def test_nothing_published_is_a_404_page(client, db):
    response = client.get(reverse("public_scorecard"))
    assert response.status_code == 404
    assert "has not been published yet" in response.content.decode()
    assert client.get(reverse("public_scorecard_csv")).status_code == 404


def test_robots_may_read_the_public_scorecard_only(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /public/" in text and "Disallow: /" in text


def test_only_coordinators_publish(client, published, member):
    pack = published.pack
    client.force_login(member)
    url = reverse("pack_publish", args=[pack.meeting.pk, pack.version])
    assert client.post(url).status_code == 403
    assert PublishedScorecard.objects.count() == 1


def test_the_public_page_is_served_from_a_shared_redis_cache(client, published, settings):
    """With CACHE_URL pointing at Redis (as in production), every web process shares the
    cached page: a visit after the first reads Redis only, never the database."""
    import os

    from django.core.cache import cache

    location = os.environ.get("CACHE_TEST_URL", "redis://127.0.0.1:6379/14")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    cache.clear()
    first = client.get(reverse("public_scorecard")).content
    page_key = f"{publishing.PAGE_CACHE_KEY}:{published.partnership_id}:"
    assert cache.get(page_key) == first.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("public_scorecard"))
    assert again.content == first and len(queries) == 0
    cache.clear()


def test_public_csv_stays_numeric_with_a_suppressed_figure_in_it(client, published):
    import pandas

    frame = pandas.read_csv(io.BytesIO(client.get(reverse("public_scorecard_csv")).content))
    assert frame["suppressed"].tolist().count("yes") >= 1  # MSL-01's 2 is in the file
    for column in ("actual", "target", "change_vs_last_year_pct", "comparison"):
        assert pandas.api.types.is_numeric_dtype(frame[column]), column
    assert frame.loc[frame["indicator"] == "MSL-01", "actual"].isna().all()


def test_internal_and_public_csv_agree_on_shared_columns(client, published, member):
    public = {
        r["indicator"]: r
        for r in csv.DictReader(
            io.StringIO(client.get(reverse("public_scorecard_csv")).content.decode())
        )
    }
    client.force_login(member)
    internal = client.get(reverse("download_csv"), {"period": "2019-20-Q1"}).content.decode(
        "utf-8-sig"
    )
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(internal))}
    shared = [c for c in publishing.PUBLIC_COLUMNS if c in next(iter(rows.values()))]
    assert {"owner", "change_vs_last_year_pct", "target"} <= set(shared)
    for column in shared:
        if column in ("actual", "comparison", "public_note"):
            continue
        assert public["ASB-01"][column] == rows["ASB-01"][column], column


def test_csv_on_the_web_metadata_describes_and_validates_the_csv(client, published, tmp_path):
    """The dictionary beside the CSV, read by a CSVW implementation (cldf's csvw), which
    parses every cell of the served CSV by the datatypes it declares."""
    import csvw

    page = client.get(reverse("public_scorecard"))
    csv_response = client.get(reverse("public_scorecard_csv"))
    meta_url = reverse("public_scorecard_csv_metadata")
    for response in (page, csv_response):
        assert response["Link"] == f'<{meta_url}>; rel="describedby"; type="application/csvm+json"'
    assert f'href="{meta_url}"' in page.content.decode()
    response = client.get(meta_url)
    assert response["Content-Type"] == "application/csvm+json"
    metadata = response.json()
    names = [c["name"] for c in metadata["tableSchema"]["columns"]]
    assert names == publishing.PUBLIC_COLUMNS
    assert all(
        c["titles"] and c["dc:description"] and c["datatype"]
        for c in metadata["tableSchema"]["columns"]
    )
    assert metadata["dc:license"]["@id"].startswith("https://www.nationalarchives.gov.uk/")
    assert metadata["dc:publisher"]["schema:name"] == "Southampton Safe City Partnership"
    assert metadata["dc:modified"]["@type"] == "xsd:date"

    (tmp_path / "scorecard.csv").write_bytes(csv_response.content)
    (tmp_path / "scorecard.csv-metadata.json").write_text(
        json.dumps({**metadata, "url": "scorecard.csv"})
    )
    table = csvw.Table.from_file(tmp_path / "scorecard.csv-metadata.json")
    rows = list(table.iterdicts(strict=True))
    small = next(r for r in rows if r["indicator"] == "MSL-01")
    assert small["actual"] is None and small["suppressed"] is True
    asb = next(r for r in rows if r["indicator"] == "ASB-01")
    assert asb["actual"] == Decimal(90) and asb["caution"] is False


def test_csvw_validation_catches_a_cell_that_breaks_its_datatype(client, published, tmp_path):
    import csvw

    metadata = client.get(reverse("public_scorecard_csv_metadata")).json()
    text = client.get(reverse("public_scorecard_csv")).content.decode()
    broken = text.replace(",no,", ",perhaps,", 1)  # caution must be yes or no
    (tmp_path / "scorecard.csv").write_text(broken)
    (tmp_path / "m.json").write_text(json.dumps({**metadata, "url": "scorecard.csv"}))
    table = csvw.Table.from_file(tmp_path / "m.json")
    with pytest.raises(ValueError):
        list(table.iterdicts(strict=True))


@pytest.mark.django_db(transaction=True)
def test_publishing_in_another_process_is_seen_at_once(client, partnership, police, coordinator):
    """Found by probing: right after publishing a new period, other web processes kept
    serving the previous snapshot from their own cache. Here this process caches the
    page, a second process publishes, and this process shows the new publication."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    meeting = Meeting.objects.create(
        title="SCP July", date=date(2019, 7, 20), period=partnership["period"]
    )
    Indicator.objects.filter(code="ASB-01").update(publishable=True)
    pack = meeting_pack_issue(meeting=meeting, by=coordinator)
    publishing.scorecard_publish(pack=pack, by=coordinator)
    before = client.get(reverse("public_scorecard")).content.decode()
    assert "Call 101" not in before
    Indicator.objects.filter(code="ASB-01").update(public_note="Call 101 to report ASB.")
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings_dict['NAME']}"
    else:
        url = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
            f"{settings_dict['NAME']}"
        )
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from meetings.models import MeetingPack; from meetings import publishing;"
        "from core.tenancy import scoped_to;"
        f"scope = scoped_to({pack.partnership_id}); scope.__enter__();"
        f"publishing.scorecard_publish(pack=MeetingPack.objects.get(pk={pack.pk}),"
        f" by=get_user_model().objects.get(pk={coordinator.pk}))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=root, env=env, check=True, timeout=120)
    assert PublishedScorecard.objects.count() == 2
    assert "Call 101" in client.get(reverse("public_scorecard")).content.decode()


def test_a_small_quarter_cannot_be_worked_back_from_the_published_year_to_date(
    client, partnership, police, coordinator
):
    """Found by probing: MDS-01 2019-20 Q3 was 3, shown as 'fewer than 5', but the
    published year to date (74) less Q1 (40) and Q2 (31) gave it back."""
    asb = partnership["asb"]
    small = factories.IndicatorFactory(
        code="MDS-01", name="Modern slavery offences", owner=police, priority=asb.priority
    )
    Indicator.objects.filter(code="MDS-01").update(publishable=True)
    for quarter, value in ((1, 40), (2, 31), (3, 3)):
        services.quarterly_return_import(
            partner=police,
            period=factories.period(f"2019-20 Q{quarter}"),
            entries=[services.ValueEntry(indicator_id=small.id, value=Decimal(value))],
            by=None,
            approve=True,
        )
    meeting = Meeting.objects.create(
        title="SCP January", date=date(2020, 1, 20), period=factories.period("2019-20 Q3")
    )
    pack = meeting_pack_issue(meeting=meeting, by=coordinator)
    publishing.scorecard_publish(pack=pack, by=coordinator)
    data = client.get(reverse("public_scorecard_json")).json()
    [entry] = [i for i in data["indicators"] if i["indicator"] == "MDS-01"]
    assert entry["actual"] is None and entry["actual_suppressed"] is True
    assert entry["actual_display"] == publishing.WITHHELD  # 74 is not small itself
    history = {p["period"]: p for p in entry["history"]}
    assert history["2019-20 Q3"]["value"] is None
    assert history["2019-20 Q1"]["value"] == 40  # the others stay
    page = client.get(reverse("public_scorecard")).content.decode()
    assert ">74<" not in page and "74 " not in page.split("Modern slavery offences", 1)[1][:4000]


def test_building_the_public_snapshot_runs_a_fixed_number_of_queries(published):
    """The partnership (its name heads the page), the indicators and their targets, in
    three queries however many are published (the suppression rules read each one's
    target rule)."""
    with CaptureQueriesContext(connection) as queries:
        publishing.public_snapshot(published.pack)
    assert len(queries) == 3
