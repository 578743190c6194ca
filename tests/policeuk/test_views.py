"""police.uk where people meet it: beside the lead's figures (with a pre-fill that
never overwrites and a commentary required outside tolerance), in the review queue
and on the return's page, on the indicator page, and in set-up (coordinators only).
Another partnership's people never see our counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.periods import FinancialQuarter
from core.tenancy import scoped_to
from partners.roles import Role
from policeuk import services
from policeuk.models import Lsoa, PoliceUkCount, PoliceUkMapping
from returns.imports import reporting_period_for
from returns.models import QuarterlyReturn
from tests import factories
from tests.policeuk.streets import IN_AREA, OUTSIDE, many, street_csv, write_month, write_zip

RETURN = reverse("return_edit", args=["HC", "2019-20-Q4"])


@pytest.fixture
def police_uk(partnership, police, coordinator, tmp_path):
    """The area; ASB-01 mapped; Jan–Mar 2020 imported (ASB 400 + 300 + 300 = 1,000 in
    the area); 2019-20 Q4 open for the police lead."""
    services.area_add(lsoas=[IN_AREA])
    services.mapping_save(
        choices=[services.MappingChoice(partnership["asb"], ["Anti-social behaviour"])]
    )
    files = [
        write_month(
            tmp_path,
            month,
            many(month, "Anti-social behaviour", n) + many(month, "Burglary", 5, OUTSIDE),
        )
        for month, n in (("2020-01", 400), ("2020-02", 300), ("2020-03", 300))
    ]
    services.police_uk_import(sources=files, by=coordinator)
    period = reporting_period_for(FinancialQuarter(2019, 4))
    period.is_open = True
    period.deadline = timezone.localdate() + timedelta(days=10)
    period.save()
    return period


@pytest.fixture
def lead(client, police_lead):
    client.force_login(police_lead)
    return client


def figures(asb="", asb_commentary="", pct="16", action="save"):
    return {
        "ASB-01-value": asb,
        "ASB-01-commentary": asb_commentary,
        "REPEAT-01-value": pct,
        "REPEAT-01-commentary": "",
        "REPEAT-01-numerator": "",
        "REPEAT-01-denominator": "",
        action: "1",
    }


def test_the_lead_sees_police_uk_beside_the_mapped_figure(lead, police_uk):
    page = lead.get(RETURN).content.decode()
    assert "police.uk: 1,000 (Jan–Mar 2020, 3 months)" in page
    assert 'id="ASB-01-police-uk"' in page and 'id="REPEAT-01-police-uk"' not in page
    assert "Use police.uk figures" in page


def test_use_police_uk_fills_only_empty_mapped_figures_and_saves_nothing(lead, police_uk):
    page = lead.post(RETURN, figures(action="police_uk")).content.decode()
    assert 'name="ASB-01-value" value="1000"' in page
    assert "1 empty figure was filled from police.uk (ASB-01)" in page
    assert 'name="REPEAT-01-value" value="16"' in page  # what was typed stays
    assert not QuarterlyReturn.objects.filter(period=police_uk).exists()  # nothing saved


def test_use_police_uk_never_overwrites_a_typed_figure(lead, police_uk):
    page = lead.post(RETURN, figures(asb="987", action="police_uk")).content.decode()
    assert 'name="ASB-01-value" value="987"' in page
    assert 'value="1000"' not in page
    assert "No figure was filled" in page


def test_a_figure_outside_tolerance_needs_a_commentary_to_submit(lead, police_uk):
    response = lead.post(RETURN, figures(asb="1100", action="submit"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This figure is 10.0% above police.uk&#x27;s 1,000 for Jan–Mar 2020" in page
    assert not QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SUBMITTED).exists()
    lead.post(
        RETURN, figures(asb="1100", asb_commentary="Includes Op Fortress reports", action="submit")
    )
    assert QuarterlyReturn.objects.get(period=police_uk).status == QuarterlyReturn.Status.SUBMITTED


def test_a_figure_within_tolerance_submits_without_a_commentary(lead, police_uk):
    lead.post(RETURN, figures(asb="1040", action="submit"))
    assert QuarterlyReturn.objects.get(period=police_uk).status == QuarterlyReturn.Status.SUBMITTED


def test_the_review_queue_and_page_show_the_difference_and_flag(
    lead, client, police_uk, coordinator
):
    lead.post(RETURN, figures(asb="1100", asb_commentary="Explained", action="submit"))
    client.force_login(coordinator)
    for url in (reverse("review_queue"), reverse("review_return", args=["HC", "2019-20-Q4"])):
        page = client.get(url).content.decode()
        assert "+10.0% (+100) against police.uk" in page, url
        assert "Differs from police.uk" in page, url


def test_a_figure_within_tolerance_is_not_flagged_in_the_queue(
    lead, client, police_uk, coordinator
):
    lead.post(RETURN, figures(asb="1010", action="submit"))
    client.force_login(coordinator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "+1.0% (+10) against police.uk" in page and "Differs from police.uk" not in page


def test_the_review_queue_runs_a_fixed_number_of_queries(
    lead, client, police_uk, coordinator, fire_lead
):
    lead.post(RETURN, figures(asb="1100", asb_commentary="x", action="submit"))
    client.force_login(coordinator)
    client.get(reverse("review_queue"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review_queue"))
    fire = client.__class__()
    fire.force_login(fire_lead)
    fire.post(
        reverse("return_edit", args=["HFRS", "2019-20-Q4"]),
        {"ARSON-01-value": "4", "ARSON-01-commentary": "", "submit": "1"},
    )
    assert QuarterlyReturn.objects.filter(status="submitted").count() == 2
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("review_queue")).content.decode()
    assert "Differs from police.uk" in page
    assert len(two.captured_queries) == len(one.captured_queries)


def test_the_indicator_page_shows_police_uk_beside_the_approved_series(
    client, member, police_uk, partnership, police
):
    from returns import services as return_services

    return_services.quarterly_return_import(
        partner=police,
        period=police_uk,
        entries=[
            return_services.ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(1080))
        ],
        by=None,
        approve=True,
    )
    client.force_login(member)
    page = client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    assert 'id="chart-police-uk"' in page and 'id="police-uk-table"' in page
    assert "+8.0%" in page  # 1,080 against 1,000
    assert (
        "1 quarter compared with police.uk&#x27;s Anti-social behaviour: 1 outside (2019-20 Q4)"
        in page
    )
    assert "March 2020: imported" in page


def test_only_coordinators_may_upload(lead, police_uk, tmp_path):
    upload = SimpleUploadedFile(
        "2020-04-hampshire-street.csv", street_csv(many("2020-04", "Drugs", 3))
    )
    response = lead.post(reverse("setup_police_uk_upload"), {"files": upload})
    assert response.status_code == 403
    assert not PoliceUkCount.objects.filter(month="2020-04-01").exists()


def test_a_coordinator_uploads_a_zip_and_sees_the_months(client, coordinator, police_uk, tmp_path):
    archive = write_zip(
        tmp_path / "april.zip", {"2020-04": many("2020-04", "Anti-social behaviour", 12)}
    )
    client.force_login(coordinator)
    with archive.open("rb") as handle:
        response = client.post(reverse("setup_police_uk_upload"), {"files": handle}, follow=True)
    page = response.content.decode()
    assert "Imported 12 police.uk rows for 1 month (2020-04 to 2020-04)" in page
    assert "April 2020" in page
    assert PoliceUkCount.objects.get(month="2020-04-01", location="in_area").count == 12


def test_a_bad_upload_shows_row_numbered_errors_and_changes_nothing(client, coordinator, police_uk):
    bad = street_csv(many("2020-04", "Anti-social behaviour", 2) + many("2020-4", "Burglary", 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("setup_police_uk_upload"),
        {"files": SimpleUploadedFile("2020-04-hampshire-street.csv", bad)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 1 problem in the files" in page
    assert "2020-04-hampshire-street.csv, line 4: Month &#x27;2020-4&#x27; is not a month" in page
    assert not PoliceUkCount.objects.filter(month="2020-04-01").exists()


def test_an_upload_past_the_size_limit_is_refused(client, coordinator, police_uk, settings):
    settings.SCORECARD_POLICE_UK_UPLOAD_MAX_BYTES = 1024
    big = street_csv(many("2020-04", "Burglary", 100))
    client.force_login(coordinator)
    response = client.post(
        reverse("setup_police_uk_upload"),
        {"files": SimpleUploadedFile("2020-04-x-street.csv", big)},
    )
    assert response.status_code == 400
    assert "The file must be smaller than 1\xa0KB" in response.content.decode()


def test_the_area_by_local_authority_is_shown_then_saved_on_confirmation(
    client, coordinator, police_uk
):
    client.force_login(coordinator)
    url = reverse("setup_police_uk_area")
    preview = client.get(url, {"local_authority": "Eastleigh"}).content.decode()
    assert "Make the area 1 LSOAs in Eastleigh?" in preview and OUTSIDE[0] in preview
    assert list(Lsoa.objects.values_list("code", flat=True)) == [IN_AREA[0]]  # not yet
    client.post(url, {"local_authority": "Eastleigh"})
    assert list(Lsoa.objects.values_list("code", flat=True)) == [OUTSIDE[0]]
    page = client.get(reverse("setup_police_uk")).content.decode()
    assert "Area changed since" in page  # the months were counted for the old area


def test_an_unknown_local_authority_is_an_error_beside_the_field(client, coordinator, police_uk):
    client.force_login(coordinator)
    response = client.get(reverse("setup_police_uk_area"), {"local_authority": "Atlantis"})
    assert response.status_code == 400
    assert "No LSOA named like “Atlantis 001A”" in response.content.decode()


def test_the_mapping_is_edited_on_the_indicator_set_up_page(
    client, coordinator, police_uk, partnership
):
    client.force_login(coordinator)
    page = client.get(reverse("setup_indicator", args=["ASB-01"])).content.decode()
    assert "Compare with police.uk" in page
    assert re.search(r'value="Anti-social behaviour"\s+checked', page)
    assert not re.search(r'value="Public order"\s+checked', page)
    client.post(
        reverse("setup_indicator_police_uk", args=["ASB-01"]),
        {
            "police_uk-crime_types": ["Anti-social behaviour", "Public order"],
            "police_uk-tolerance_pct": "7.5",
        },
    )
    mapping = PoliceUkMapping.objects.get(indicator=partnership["asb"])
    assert mapping.crime_types == ["Anti-social behaviour", "Public order"]
    assert mapping.tolerance == Decimal("7.5")
    percentage = client.get(reverse("setup_indicator", args=["REPEAT-01"])).content.decode()
    assert "Compare with police.uk" not in percentage  # only counts


def test_another_partnerships_people_never_see_our_counts(client, police_uk, police):
    other = factories.PartnershipFactory(slug="eastleigh", name="Eastleigh CSP", short_name="ECSP")
    with scoped_to(other):
        police.join(other)
        factories.IndicatorFactory(code="ASB-01", name="Eastleigh ASB", owner=police)
        coordinator = factories.UserFactory(
            username="b.coord", role=Role.COORDINATOR, is_staff=True
        )
        assert not PoliceUkCount.objects.exists()
    client.force_login(coordinator)
    page = client.get(reverse("setup_police_uk")).content.decode()
    assert "Nothing imported yet" in page and "March 2020" not in page
    assert "1,000" not in client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
