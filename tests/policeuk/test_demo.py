"""The demo's illustrative police.uk archive: it agrees with the police figures within
tolerance in every quarter but one, and the police lead's open return can be pre-filled."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from core.periods import FinancialQuarter
from demo import police_uk as demo_police_uk
from policeuk.models import PoliceUkMonth


def reconciled(label):
    out = io.StringIO()
    call_command(
        "police_uk_reconcile", "--period", label, "--partnership", "southampton", stdout=out
    )
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_demo_has_one_flagged_difference_in_2019_20(demo):
    assert PoliceUkMonth.objects.count() == 15  # April 2019 to June 2020
    flagged = []
    for quarter in demo_police_uk.QUARTERS[:4]:
        for row in reconciled(quarter.label):
            assert row["months"] == "3"
            if row["within_tolerance"] != "yes":
                flagged.append((row["indicator"], row["period"]))
    assert flagged == [("VC-01", "2019-20 Q3")]


def test_the_police_lead_sees_the_pre_fill_on_the_open_return(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="police.lead"))
    url = reverse("return_edit", args=["HC", FinancialQuarter(2020, 1).slug])
    page = client.get(url).content.decode()
    expected = {row["indicator"]: int(row["police_uk"]) for row in reconciled("2020-21 Q1")}
    assert f"police.uk: {expected['VC-01']:,} (Apr–Jun 2020, 3 months)" in page
    filled = client.post(url, {"police_uk": "1"}).content.decode()
    assert f'name="BURG-01-value" value="{expected["BURG-01"]}"' in filled


def test_use_police_uk_figures_reads_them_once(demo, client):
    """To fill the empty figures and then to show each beside its field: one reading."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(get_user_model().objects.get(username="police.lead"))
    url = reverse("return_edit", args=["HC", FinancialQuarter(2020, 1).slug])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {"police_uk": "1"}).status_code == 200
    read = [q["sql"] for q in queries if '"policeuk_policeukmapping"' in q["sql"]]
    assert len(read) == 1, read
