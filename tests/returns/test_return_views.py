"""The partner lead's screens, from the outside (Django test client)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEntry
from returns import periods as period_services
from returns.models import QuarterlyReturn, ReturnValue


def url(name, partner="HC", period="2019-20-Q1"):
    return reverse(name, args=[partner, period])


def form_data(asb="90", pct="16", submit=False, **extra):
    data = {
        "ASB-01-value": asb,
        "ASB-01-commentary": "",
        "REPEAT-01-value": pct,
        "REPEAT-01-commentary": "",
        "REPEAT-01-numerator": "",
        "REPEAT-01-denominator": "",
    }
    data.update(extra)
    data["submit" if submit else "save"] = "1"
    return data


def current_return():
    return QuarterlyReturn.objects.get(period__year=2019, period__quarter=1)


def current_values():
    return ReturnValue.objects.filter(quarterly_return__period__year=2019)


def current_value(code):
    return current_values().get(indicator__code=code)


@pytest.fixture
def lead_client(client, police_lead, partnership):
    client.force_login(police_lead)
    return client


# --- my returns -----------------------------------------------------------------------


def test_lead_lands_on_my_returns_with_status_and_deadline(lead_client, partnership):
    response = lead_client.get("/", follow=True)
    assert response.request["PATH_INFO"] == reverse("my_returns")
    page = response.content.decode()
    assert "Hampshire Constabulary" in page
    assert "2019-20 Q1" in page
    assert "Not started" in page
    assert "10 days left" in page


def test_my_returns_shows_only_own_partners(lead_client, partnership):
    page = lead_client.get(reverse("my_returns")).content.decode()
    assert "Hampshire Fire" not in page


def test_my_returns_shows_overdue(lead_client, partnership):
    from datetime import timedelta

    from django.utils import timezone

    period = partnership["period"]
    period.deadline = timezone.localdate() - timedelta(days=3)
    period.save()
    assert "3 days overdue" in lead_client.get(reverse("my_returns")).content.decode()


def test_long_overdue_says_since_when(lead_client, partnership):
    from datetime import date

    period = partnership["period"]
    period.deadline = date(2020, 7, 28)
    period.save()
    page = lead_client.get(reverse("my_returns")).content.decode()
    assert "Overdue since 28 July 2020" in page
    assert "days overdue" not in page


# --- the form -----------------------------------------------------------------------------


def test_form_shows_definition_unit_and_previous_values(lead_client, partnership):
    page = lead_client.get(url("return_edit")).content.decode()
    assert "ASB incidents" in page
    assert "Value (number)" in page
    assert "Value (%)" in page
    assert "Same quarter last year (2018-19 Q1): <strong>100</strong>" in page


def test_save_draft_then_submit(lead_client, partnership):
    response = lead_client.post(url("return_edit"), form_data())
    assert response.status_code == 302
    qr = current_return()
    assert qr.status == "draft"
    assert current_value("ASB-01").value == Decimal(90)

    response = lead_client.post(url("return_edit"), form_data(submit=True), follow=True)
    assert "was submitted" in response.content.decode()
    qr.refresh_from_db()
    assert qr.status == "submitted"


@pytest.mark.parametrize(
    "data, field_id, message",
    [
        (form_data(asb="ninety"), "id_ASB-01-value", "Enter a number"),
        (form_data(asb="-5"), "id_ASB-01-value", "A count cannot be negative"),
        (form_data(pct="101"), "id_REPEAT-01-value", "Enter a percentage between 0 and 100"),
        (
            form_data(**{"REPEAT-01-numerator": "11", "REPEAT-01-denominator": "10"}),
            "id_REPEAT-01-numerator",
            "The numerator cannot be more than the denominator",
        ),
    ],
)
def test_bad_input_errors_next_to_field_and_in_summary_and_keeps_input(
    lead_client, partnership, data, field_id, message
):
    response = lead_client.post(url("return_edit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#{field_id}"' in page  # error summary links to the field
    assert "govuk-error-message" in page and message in page
    assert 'value="' + data["ASB-01-value"] + '"' in page  # nothing typed is lost
    # The draft keeps every valid field; the bad one is not stored.
    code, field = field_id.removeprefix("id_").rsplit("-", 1)
    bad = current_values().filter(indicator__code=code).first()
    assert bad is None or getattr(bad, field) is None
    good_code = "REPEAT-01" if code == "ASB-01" else "ASB-01"
    assert current_value(good_code).value is not None
    assert "need" in page and "correcting" in page


def test_save_as_draft_keeps_the_valid_fields_of_a_form_with_a_typo(lead_client, partnership):
    data = form_data(asb="ninety", pct="16", **{"ASB-01-commentary": "Festival weekend"})
    response = lead_client.post(url("return_edit"), data)
    assert response.status_code == 400
    assert current_value("REPEAT-01").value == 16
    asb = current_value("ASB-01")
    assert asb.value is None and asb.commentary == "Festival weekend"
    assert "Your other figures were saved as a draft" in response.content.decode()


def test_submit_requires_every_value(lead_client, partnership):
    response = lead_client.post(url("return_edit"), form_data(pct="", submit=True))
    assert response.status_code == 400
    assert "Enter a value, or tick" in response.content.decode()
    assert not QuarterlyReturn.objects.filter(status="submitted").exists()


def test_outlier_needs_commentary_on_submit(lead_client, partnership):
    # 2018-19 Q1 was 17%; 30% is +76% (beyond the ±50% band).
    response = lead_client.post(url("return_edit"), form_data(pct="30", submit=True))
    assert response.status_code == 400
    assert "add a commentary explaining it" in response.content.decode()
    ok = form_data(pct="30", submit=True, **{"REPEAT-01-commentary": "New recording rules"})
    assert lead_client.post(url("return_edit"), ok).status_code == 302
    assert current_return().status == "submitted"


def test_red_needs_commentary_on_submit(lead_client, partnership):
    # Target 400 a year → 100 for Q1; 140 is red (and +40%, within the outlier band).
    response = lead_client.post(url("return_edit"), form_data(asb="140", submit=True))
    assert response.status_code == 400
    assert "red against target: say what is being done" in response.content.decode()


def test_draft_save_does_not_apply_submit_rules(lead_client, partnership):
    response = lead_client.post(url("return_edit"), form_data(asb="140", pct=""))
    assert response.status_code == 302


def test_not_available_with_reason(lead_client, partnership):
    data = form_data(
        pct="",
        submit=True,
        **{
            "REPEAT-01-not_available": "on",
            "REPEAT-01-not_available_reason": "Data system migration",
        },
    )
    assert lead_client.post(url("return_edit"), data).status_code == 302
    value = current_value("REPEAT-01")
    assert value.not_available and value.not_available_reason == "Data system migration"


def test_returned_return_shows_the_coordinators_comment(lead_client, partnership, coordinator):
    from returns import services

    lead_client.post(url("return_edit"), form_data(submit=True))
    qr = current_return()
    services.quarterly_return_send_back(
        quarterly_return=qr, by=coordinator, comment="ASB looks low"
    )
    page = lead_client.get(url("return_edit")).content.decode()
    assert "Returned for changes" in page
    assert "ASB looks low" in page
    assert lead_client.post(url("return_edit"), form_data(asb="95", submit=True)).status_code == 302
    qr.refresh_from_db()
    assert qr.status == "submitted"


def test_submitted_return_is_read_only(lead_client, partnership):
    lead_client.post(url("return_edit"), form_data(submit=True))
    page = lead_client.get(url("return_edit")).content.decode()
    assert "waiting for the Stronger Communities team" in page
    assert 'name="submit"' not in page
    assert lead_client.post(url("return_edit"), form_data(asb="1")).status_code == 403


def test_return_page_shows_its_history(lead_client, partnership):
    lead_client.post(url("return_edit"), form_data())
    lead_client.post(url("return_edit"), form_data(asb="91"))
    page = lead_client.get(url("return_edit")).content.decode()
    assert "Value changed: ASB-01" in page
    assert AuditEntry.objects.filter(field="value", old_value="90", new_value="91").exists()


# --- permissions from the outside ----------------------------------------------------------


def test_other_agencys_lead_gets_404_and_no_data(client, fire_lead, partnership, police_lead):
    client.force_login(police_lead)
    client.post(url("return_edit"), form_data(asb="12345"))
    client.force_login(fire_lead)
    for name in ("return_edit", "return_upload"):
        response = client.get(url(name))
        assert response.status_code == 404
        assert "12345" not in response.content.decode()
    assert client.post(url("return_edit"), form_data(asb="1")).status_code == 404
    assert "12345" not in client.get(reverse("my_returns")).content.decode()
    assert current_value("ASB-01").value == Decimal(12345)


def test_member_cannot_see_or_edit_returns(client, member, partnership):
    client.force_login(member)
    assert client.get(url("return_edit")).status_code == 404
    assert client.post(url("return_edit"), form_data()).status_code == 404
    assert not QuarterlyReturn.objects.filter(period__year=2019).exists()


def test_coordinator_can_view_but_not_edit(client, coordinator, partnership):
    client.force_login(coordinator)
    page = client.get(url("return_edit"))
    assert page.status_code == 200
    assert 'name="submit"' not in page.content.decode()
    assert client.post(url("return_edit"), form_data()).status_code == 403


def test_unknown_partner_or_period_is_404(lead_client, partnership):
    assert lead_client.get(url("return_edit", partner="NOPE")).status_code == 404
    assert lead_client.get(url("return_edit", period="2019-20-Q9")).status_code == 404
    assert lead_client.get(url("return_edit", period="2030-31-Q1")).status_code == 404


# --- upload ----------------------------------------------------------------------------------


def upload(client, text, name="figures.csv"):
    data = io.BytesIO(text.encode())
    data.name = name
    return client.post(url("return_upload"), {"file": data})


HEADER = "partner,indicator,period,value,commentary\n"


def test_upload_preview_then_confirm_saves_a_draft(lead_client, partnership):
    response = upload(
        lead_client, HEADER + "HC,ASB-01,2019-20 Q1,88,From file\nHC,REPEAT-01,2019-20 Q1,15.5,\n"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the figures before saving" in page and "15.5%" in page
    assert not current_values().exists()  # nothing saved until confirmed
    response = lead_client.post(url("return_upload"), {"confirm": "1"}, follow=True)
    assert "2 figures from your file were saved" in response.content.decode()
    assert current_value("ASB-01").commentary == "From file"
    assert current_return().status == "draft"


def test_upload_with_any_bad_row_changes_nothing_and_lists_rows(lead_client, partnership):
    lead_client.post(url("return_edit"), form_data(asb="90"))
    response = upload(
        lead_client,
        HEADER
        + "HC,ASB-01,2019-20 Q1,77,\n"
        + "HC,REPEAT-01,2019-20 Q1,lots,\n"
        + "HFRS,ARSON-01,2019-20 Q1,5,\n"
        + "HC,ASB-01,2019-20 Q2,5,\n",
    )
    assert response.status_code == 400
    page = response.content.decode()
    # each problem names the indicator (code and name), if it is the lead's own
    assert "Row 3: REPEAT-01 (Repeat victims): value &#x27;lots&#x27; is not a number" in page
    assert "Row 4: partner must be HC (your own agency)" in page
    assert "Row 5: ASB-01 (ASB incidents): period must be 2019-20 Q1 (this return)" in page
    assert "Row 2" not in page
    assert current_value("ASB-01").value == Decimal(90)
    assert lead_client.post(url("return_upload"), {"confirm": "1"}).status_code == 302
    assert current_value("ASB-01").value == Decimal(90)


def test_upload_does_not_reveal_other_agencys_indicators(lead_client, partnership):
    page = upload(lead_client, HEADER + "HFRS,ARSON-01,2019-20 Q1,5,\n").content.decode()
    assert "ARSON-01 is not owned" not in page
    assert "Arson" not in page


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("figures.txt", "hello", "must be a .csv or .xlsx file"),
        ("figures.xlsx", "not a zip", "not a real Excel"),
    ],
)
def test_upload_type_checks(lead_client, partnership, name, content, message):
    response = upload(lead_client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_upload_size_limit(lead_client, partnership, settings):
    settings.SCORECARD_UPLOAD_MAX_BYTES = 100
    response = upload(lead_client, HEADER + "HC,ASB-01,2019-20 Q1,88," + "x" * 200 + "\n")
    assert response.status_code == 400
    assert "must be smaller than" in response.content.decode()


def test_form_shows_this_years_target_and_where_red_starts(lead_client, partnership):
    page = lead_client.get(url("return_edit")).content.decode()
    # ASB-01: 400 a year, so 100 for Q1; red beyond the 5% amber band: above 105.
    assert "This year's target: 400 for the year (100 for the year to date)." in page
    assert "Red above 105</strong>" in page
    # REPEAT-01: 18% for the quarter, lower is better: red above 18.9%.
    assert "This year's target: 18%." in page
    assert "Red above 18.9%</strong>" in page


def test_not_available_reason_is_revealed_by_its_checkbox(lead_client, partnership):
    page = lead_client.get(url("return_edit")).content.decode()
    assert 'data-aria-controls="conditional-ASB-01-na"' in page
    reveal = page.split('id="conditional-ASB-01-na"')[0].rsplit("<div", 1)[1]
    assert "govuk-checkboxes__conditional--hidden" in reveal  # hidden until ticked (JS)
    assert 'name="ASB-01-not_available_reason"' in page  # present for no-JS users
    data = form_data(asb="", **{"ASB-01-not_available": "on", "ASB-01-not_available_reason": ""})
    page = lead_client.post(url("return_edit"), {**data, "submit": "1"}).content.decode()
    reveal = page.split('id="conditional-ASB-01-na"')[0].rsplit("<div", 1)[1]
    assert "--hidden" not in reveal  # ticked: the reason and its error are shown
    assert "Say why the figure is not available" in page


def test_numerator_and_denominator_give_the_value(lead_client, partnership):
    data = form_data(pct="", **{"REPEAT-01-numerator": "37", "REPEAT-01-denominator": "200"})
    assert lead_client.post(url("return_edit"), data).status_code == 302
    stored = current_value("REPEAT-01")
    assert (stored.value, stored.numerator, stored.denominator) == (18.5, 37, 200)


def test_a_value_that_disagrees_with_its_ratio_is_refused(lead_client, partnership):
    data = form_data(pct="25", **{"REPEAT-01-numerator": "37", "REPEAT-01-denominator": "200"})
    response = lead_client.post(url("return_edit"), data)
    assert response.status_code == 400
    assert "which give 18.5%" in response.content.decode()
    agreeing = form_data(
        pct="18.5", **{"REPEAT-01-numerator": "37", "REPEAT-01-denominator": "200"}
    )
    assert lead_client.post(url("return_edit"), agreeing).status_code == 302


def test_reviewer_sees_value_numerator_and_denominator(
    client, coordinator, lead_client, partnership
):
    data = form_data(
        pct="",
        submit=True,
        **{"REPEAT-01-numerator": "37", "REPEAT-01-denominator": "200", "ASB-01-commentary": "x"},
    )
    lead_client.post(url("return_edit"), data)
    client.force_login(coordinator)
    page = client.get(url("review_return")).content.decode()
    assert "18.5%" in page and "37 of 200" in page


def test_closing_a_period_freezes_its_drafts_until_it_is_reopened(
    lead_client, partnership, coordinator, police_lead
):
    from returns import services

    lead_client.post(url("return_edit"), form_data(asb="90"))  # a draft
    period_services.reporting_period_close(period=partnership["period"], by=coordinator)
    # The form is read-only and neither saving nor submitting gets through.
    page = lead_client.get(url("return_edit")).content.decode()
    assert 'name="ASB-01-value"' not in page
    assert lead_client.post(url("return_edit"), form_data(asb="95")).status_code == 403
    assert lead_client.post(url("return_edit"), form_data(submit=True)).status_code == 403
    qr = current_return()
    with pytest.raises(services.InvalidTransition, match="is closed"):
        services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    assert current_value("ASB-01").value == 90 and current_return().status == "draft"
    # The coordinators reopen the period: the lead carries on.
    period_services.reporting_period_open(period=partnership["period"], by=coordinator)
    assert lead_client.post(url("return_edit"), form_data(asb="95")).status_code == 302
    assert current_value("ASB-01").value == 95


def test_a_correction_through_the_form_asks_only_about_changed_figures(
    lead_client, partnership, police_lead, coordinator
):
    """Found by probing: the form demanded a commentary on red figures the correction
    did not change (the service already knew better)."""
    from returns import services

    # ASB 160 against a Q1 target of 100 is red: it needed a commentary the first time.
    lead_client.post(
        url("return_edit"), form_data(asb="160", submit=True, **{"ASB-01-commentary": "Festival"})
    )
    qr = current_return()
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="Wrong %")
    response = lead_client.post(url("return_edit"), form_data(asb="160", pct="15", submit=True))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert current_return().status == "submitted"
    # changing the red figure itself brings the commentary rule back
    services.quarterly_return_approve(quarterly_return=current_return(), by=coordinator)
    services.quarterly_return_reopen(
        quarterly_return=current_return(), by=coordinator, reason="ASB"
    )
    response = lead_client.post(url("return_edit"), form_data(asb="161", pct="15", submit=True))
    assert response.status_code == 400


def test_a_partial_draft_shows_the_status_it_now_has(lead_client, partnership):
    """Found by reading the page: after a partial save the banner said the other figures
    were saved while the status still read 'Not started'."""
    response = lead_client.post(url("return_edit"), form_data(asb="90", pct="140"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your other figures were saved as a draft" in page
    status = page.split('id="return-status"', 1)[1].split("</dd>", 1)[0]
    assert "Draft" in status and "Not started" not in status


def test_a_count_s_error_gives_a_count_s_example(lead_client, partnership):
    """Found by reading the errors: '14.5' is no example for a count of incidents."""
    page = lead_client.post(url("return_edit"), form_data(asb="lots", pct="x")).content.decode()
    assert "Enter a number, like 1234 or 1,234" in page  # ASB, a count
    assert "Enter a number, like 14.5" in page  # repeat victims, a percentage
