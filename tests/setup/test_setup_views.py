"""The coordinators' set-up area on the demo partnership: annual targets, strategies and
carry-forward, indicators with their audit trail."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.formatting import plain_number
from core.models import AuditEntry
from core.periods import FinancialQuarter
from indicators.models import Indicator, Strategy, StrategyIndicator, Target
from reporting.selectors import scorecard_rows
from returns.selectors import entry_contexts


@pytest.fixture
def coordinator_client(demo, client, coordinator):
    client.force_login(coordinator)
    return client


def _targets_url(year="2021-22"):
    return reverse("setup_targets", args=[year])


def _form_data(response):
    """The targets form as the page rendered it, ready to post back."""
    data = {}
    for form in response.context["forms"]:
        for name in form.fields:
            value = form[name].value()
            data[form[name].html_name] = "" if value is None else str(value)
    return data


# --- annual targets -------------------------------------------------------------------


def test_targets_page_lists_the_strategy_with_last_years_actual_and_target(coordinator_client):
    response = coordinator_client.get(_targets_url())
    page = response.content.decode()
    assert response.context["strategy"].name == "Safe City Strategy 2021–2026"
    codes = [row.indicator.code for row, _ in response.context["rows"]]
    assert "ASB-01" in codes and "DVVIOL-01" not in codes  # dropped by the new strategy
    asb = next(row for row, _ in response.context["rows"] if row.indicator.code == "ASB-01")
    # the demo's 2020-21 has one approved quarter only: no full-year actual yet
    assert asb.last_year_actual is None
    assert asb.last_year_target.year == 2020
    assert "No target" in page
    assert len(response.context["missing"]) == sum(
        1 for row, _ in response.context["rows"] if row.is_rated
    )


def test_last_years_actual_is_the_full_year_figure(coordinator_client):
    response = coordinator_client.get(_targets_url("2020-21"))
    asb = next(row for row, _ in response.context["rows"] if row.indicator.code == "ASB-01")
    assert asb.last_year_actual == Decimal(7881)  # 2019-20 total in the annual review


def test_copy_last_years_targets_is_a_starting_point_not_a_save(coordinator_client):
    before = Target.objects.filter(year=2021).count()
    response = coordinator_client.get(_targets_url(), {"start": "copy"})
    assert 'id="not-saved"' in response.content.decode()
    asb = next(f for _, f in response.context["rows"] if f.indicator.code == "ASB-01")
    last = Target.objects.get(indicator=asb.indicator, year=2020)
    shown = plain_number(last.value)
    assert (asb["target_type"].value(), asb["value"].value()) == (last.target_type, shown)
    assert Target.objects.filter(year=2021).count() == before


def test_set_all_to_a_change_on_last_year_fills_every_rated_indicator(coordinator_client):
    response = coordinator_client.get(_targets_url(), {"start": "change", "pct": "-3"})
    for row, form in response.context["rows"]:
        if row.is_rated:
            assert form["target_type"].value() == "change_vs_last_year"
            assert form["value"].value() == "-3"
        else:
            assert form["target_type"].value() in ("", None)


def test_saving_targets_writes_them_together_with_an_audit_entry_each(coordinator_client):
    started = coordinator_client.get(_targets_url(), {"start": "change", "pct": "-3"})
    data = _form_data(started)
    data["ASB-01-target_type"], data["ASB-01-value"] = "value", "7,500"
    response = coordinator_client.post(_targets_url(), data)
    assert response.status_code == 302
    rated = Indicator.objects.filter(places__strategy__name="Safe City Strategy 2021–2026").exclude(
        polarity="monitor"
    )
    assert Target.objects.filter(year=2021, indicator__in=rated).count() == rated.count()
    asb = Target.objects.get(indicator__code="ASB-01", year=2021)
    assert (asb.target_type, asb.value) == ("value", Decimal(7500))
    entries = AuditEntry.objects.filter(action="target_changed", field="target 2021-22")
    assert entries.count() == rated.count()
    assert entries.get(indicator__code="ASB-01").new_value == "7500"
    # the year is no longer flagged
    assert coordinator_client.get(_targets_url()).context["missing"] == []


def test_one_bad_target_saves_nothing_and_is_shown_next_to_its_field(coordinator_client):
    started = coordinator_client.get(_targets_url(), {"start": "copy"})
    data = _form_data(started)
    data["ASB-01-target_type"], data["ASB-01-value"] = "value", ""
    data["BURG-01-target_type"], data["BURG-01-value"] = "value", "lots"
    response = coordinator_client.post(_targets_url(), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the target for ASB-01" in page
    assert 'href="#id_ASB-01-value"' in page  # the error summary links to the field
    assert 'id="id_ASB-01-value-error"' in page
    assert not Target.objects.filter(year=2021).exists()


def test_an_unknown_year_is_404(coordinator_client):
    assert coordinator_client.get("/setup/targets/nonsense/").status_code == 404


def test_the_set_up_page_flags_rated_indicators_without_a_target(coordinator_client):
    response = coordinator_client.get(reverse("setup"))
    assert response.context["next_year_label"] == "2021-22"
    assert 'id="missing-targets"' in response.content.decode()


# --- strategies and carry-forward ------------------------------------------------------


def test_a_coordinator_creates_a_strategy_and_orders_its_priorities(coordinator_client):
    response = coordinator_client.post(
        reverse("setup_strategies"),
        {"name": "Safe City Strategy 2026–2031", "first_year": "2026-27", "last_year": "2030-31"},
    )
    strategy = Strategy.objects.get(name="Safe City Strategy 2026–2031")
    assert response.status_code == 302
    assert (strategy.start_year, strategy.end_year) == (2026, 2030)
    url = reverse("setup_strategy", args=[strategy.pk])
    for name in ("Serious violence", "Community cohesion"):
        coordinator_client.post(url, {"name": name})
    cohesion = strategy.priorities.get(name="Community cohesion")
    coordinator_client.post(
        reverse("setup_priority_move", args=[strategy.pk, cohesion.pk]), {"direction": "up"}
    )
    assert list(strategy.priorities.order_by("order").values_list("name", flat=True)) == [
        "Community cohesion",
        "Serious violence",
    ]


def test_a_strategy_that_ends_before_it_starts_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("setup_strategies"),
        {"name": "Backwards", "first_year": "2026-27", "last_year": "2024-25"},
    )
    assert response.status_code == 400
    assert "The last year must be 2026-27 or later" in response.content.decode()
    assert not Strategy.objects.filter(name="Backwards").exists()


def test_carry_forward_places_the_chosen_indicators_only(coordinator_client):
    new = Strategy.objects.create(name="Next", start_year=2026, end_year=2030)
    sv = new.priorities.create(name="Serious violence", order=1)
    url = reverse("setup_carry_forward", args=[new.pk])
    form = coordinator_client.get(url).context["form"]
    data = {}
    for place, _, _ in form.rows():
        code = place.indicator.code
        if code in ("VC-01", "KNIFE-01"):
            data[f"{code}-continue"] = "on"
            data[f"{code}-priority"] = str(sv.pk)
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert set(new.places.values_list("indicator__code", flat=True)) == {"VC-01", "KNIFE-01"}
    assert AuditEntry.objects.filter(action="strategy_changed", field="place").count() >= 2
    # the earlier strategy keeps its places
    assert StrategyIndicator.objects.filter(
        strategy__name="Safe City Strategy 2021–2026", indicator__code="VC-01"
    ).exists()


def test_carrying_forward_without_a_priority_is_an_error(coordinator_client):
    new = Strategy.objects.create(name="Next", start_year=2026, end_year=2030)
    new.priorities.create(name="Serious violence", order=1)
    response = coordinator_client.post(
        reverse("setup_carry_forward", args=[new.pk]), {"VC-01-continue": "on"}
    )
    assert response.status_code == 400
    assert "Choose a priority for VC-01" in response.content.decode()
    assert not new.places.exists()


# --- indicators -------------------------------------------------------------------------


def test_creating_an_indicator_places_it_in_the_newest_strategy(coordinator_client):
    from partners.models import Partner

    strategy = Strategy.objects.get(name="Safe City Strategy 2021–2026")
    priority = strategy.priorities.get(name="Violence against women and girls")
    response = coordinator_client.post(
        reverse("setup_indicator_new"),
        {
            "code": "SPIKE-01",
            "name": "Reports of drink spiking",
            "owner": Partner.objects.get(code="HC").pk,
            "measure": "count",
            "polarity": "monitor",
            "tolerance_pct": "5",
            "stable_band_pct": "1",
            "outlier_band_pct": "50",
            "priority": priority.pk,
        },
    )
    assert response.status_code == 302
    spike = Indicator.objects.get(code="SPIKE-01")
    assert spike.places.get().priority == priority
    assert AuditEntry.objects.filter(indicator=spike, comment="created").exists()


def test_editing_a_definition_records_who_changed_what(coordinator_client, coordinator):
    url = reverse("setup_indicator", args=["ASB-01"])
    form = coordinator_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["owner"] = form["owner"].value()
    data["caveats"] = "Recording practice changed in 2020."
    data["tolerance_pct"] = "7.5"
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert coordinator_client.post(url, data).status_code == 302
    changes = AuditEntry.objects.filter(
        indicator__code="ASB-01", action="definition_changed", id__gt=before
    )
    assert set(changes.values_list("field", flat=True)) == {"caveats", "tolerance_pct"}
    assert changes.get(field="tolerance_pct").old_value == "5"
    assert changes.get(field="tolerance_pct").new_value == "7.5"
    assert all(c.actor == coordinator for c in changes)
    page = coordinator_client.get(url).content.decode()
    trail = page[page.index('id="audit"') :]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in trail.split("<tr")[2:]]
    assert any(
        "Sam Carter" in row and "Indicator definition changed: ASB-01 tolerance % 5 7.5" in row
        for row in rows
    ), rows
    assert any("caveats — Recording practice changed in 2020." in row for row in rows), rows


def test_a_rate_needs_its_denominator(coordinator_client):
    url = reverse("setup_indicator", args=["ASB-01"])
    form = coordinator_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["measure"] = "rate"
    response = coordinator_client.post(url, data)
    assert response.status_code == 400
    assert "Enter the rate&#x27;s denominator" in response.content.decode()


def test_retiring_stops_the_ask_but_keeps_the_history(coordinator_client, demo):
    from partners.models import Partner

    police = Partner.objects.get(code="HC")
    period = FinancialQuarter(2020, 1)
    assert "ASB-01" in [c.indicator.code for c in entry_contexts(police, period)]
    coordinator_client.post(
        reverse("setup_indicator_retire", args=["ASB-01"]), {"action": "retire"}
    )
    assert "ASB-01" not in [c.indicator.code for c in entry_contexts(police, period)]
    old = {r.indicator.code: r for r in scorecard_rows(FinancialQuarter(2019, 4))}
    assert old["ASB-01"].assessment.actual == Decimal(7881)
    assert AuditEntry.objects.filter(
        indicator__code="ASB-01", field="active", new_value="False"
    ).exists()


def test_unticking_publishable_says_it_stays_public_until_the_next_publication(
    coordinator_client,
):
    """Found by probing: an unticked indicator stayed on /public/ with nothing said."""
    Indicator.objects.filter(code="ASB-01").update(publishable=True)
    url = reverse("setup_indicator", args=["ASB-01"])
    page = coordinator_client.get(url)
    assert "Unticking takes it off at the next publication" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "publishable"}
    data["owner"] = form["owner"].value()
    response = coordinator_client.post(url, data, follow=True)
    assert not Indicator.objects.get(code="ASB-01").publishable
    assert "stays on the public scorecard until the next publication" in response.content.decode()


def test_a_target_error_in_the_summary_names_its_indicator(coordinator_client):
    """Found by reading the errors: 'Enter a number, like 1234, 1,234 or 14.5' with no
    indicator named, on a page of 26 of them."""
    response = coordinator_client.get(_targets_url())
    data = _form_data(response)
    first = response.context["forms"][0]
    data[f"{first.prefix}-target_type"] = "value"
    data[f"{first.prefix}-value"] = "lots"
    page = coordinator_client.post(_targets_url(), data).content.decode()
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert f"{first.indicator.code} {first.indicator.name}: Enter a number" in summary
