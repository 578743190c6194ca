"""The Stronger Communities team's screens, from the outside."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from returns import services
from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod
from returns.services import ValueEntry


def rurl(name, partner="HC", period="2019-20-Q1"):
    return reverse(name, args=[partner, period])


def shown(quarterly_return, **data):
    """The form data a review page sends: the version of the return it displayed."""
    quarterly_return.refresh_from_db()
    return {"revision": quarterly_return.revision, **data}


@pytest.fixture
def submitted_return(partnership, police_lead):
    period = partnership["period"]
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=period, by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[
            ValueEntry(
                indicator_id=partnership["asb"].id, value=Decimal(160), commentary="Festival"
            ),
            ValueEntry(indicator_id=partnership["pct"].id, value=Decimal(16)),
        ],
    )
    return services.quarterly_return_submit(quarterly_return=qr, by=police_lead)


@pytest.fixture
def coord_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_coordinator_lands_on_the_review_queue(coord_client, submitted_return):
    response = coord_client.get("/", follow=True)
    assert response.request["PATH_INFO"] == reverse("review_queue")


def test_queue_shows_values_rag_preview_change_and_outlier(coord_client, submitted_return):
    page = coord_client.get(reverse("review_queue")).content.decode()
    assert "Hampshire Constabulary – 2019-20 Q1" in page
    assert "160" in page and "Festival" in page
    assert "+60.0%" in page  # vs 100 in 2018-19 Q1
    assert "Outlier" in page
    assert "scp-rag--red" in page  # 160 against a Q1 target of 100


def test_queue_lists_oldest_submission_first(
    coord_client, submitted_return, fire_lead, partnership
):
    fire = partnership["arson"].owner
    qr = services.quarterly_return_get_or_start(
        partner=fire, period=partnership["period"], by=fire_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=fire_lead,
        entries=[ValueEntry(indicator_id=partnership["arson"].id, value=Decimal(5))],
    )
    services.quarterly_return_submit(quarterly_return=qr, by=fire_lead)
    page = coord_client.get(reverse("review_queue")).content.decode()
    assert page.index("Hampshire Constabulary – 2019-20 Q1") < page.index(
        "Hampshire Fire and Rescue Service – 2019-20 Q1"
    )


def test_approve_publishes_to_the_scorecard(coord_client, submitted_return):
    response = coord_client.post(rurl("return_approve"), shown(submitted_return), follow=True)
    assert "Approved:" in response.content.decode()
    submitted_return.refresh_from_db()
    assert submitted_return.status == "approved"
    assert ApprovedValue.objects.filter(period=submitted_return.period).count() == 2


def test_second_approval_gets_a_clear_message(coord_client, submitted_return, coordinator2):
    page_of_other = shown(submitted_return)  # both opened the page before either acted
    coord_client.post(rurl("return_approve"), shown(submitted_return))
    other = Client()
    other.force_login(coordinator2)
    response = other.post(rurl("return_approve"), page_of_other, follow=True)
    assert "already approved" in response.content.decode()
    assert (
        AuditEntry.objects.filter(quarterly_return=submitted_return, action="approved").count() == 1
    )


def test_approve_and_return_are_post_only(coord_client, submitted_return):
    for name in ("return_approve", "return_send_back", "return_reopen"):
        assert coord_client.get(rurl(name)).status_code == 405
    submitted_return.refresh_from_db()
    assert submitted_return.status == "submitted"


def test_approve_is_csrf_protected(coordinator, submitted_return):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post(rurl("return_approve")).status_code == 403
    submitted_return.refresh_from_db()
    assert submitted_return.status == "submitted"


def test_return_for_changes_requires_a_comment(coord_client, submitted_return):
    response = coord_client.post(rurl("return_send_back"), shown(submitted_return, comment=""))
    assert response.status_code == 400
    assert "Say what needs changing" in response.content.decode()
    assert 'href="#id_comment"' in response.content.decode()
    response = coord_client.post(
        rurl("return_send_back"), shown(submitted_return, comment="ASB looks high"), follow=True
    )
    submitted_return.refresh_from_db()
    assert (submitted_return.status, submitted_return.review_comment) == (
        "returned",
        "ASB looks high",
    )


def test_reopen_with_reason(coord_client, submitted_return):
    coord_client.post(rurl("return_approve"), shown(submitted_return))
    response = coord_client.post(rurl("return_reopen"), shown(submitted_return, reason=""))
    assert response.status_code == 400
    coord_client.post(rurl("return_reopen"), shown(submitted_return, reason="Police recount"))
    submitted_return.refresh_from_db()
    assert submitted_return.status == "reopened"
    assert ApprovedValue.objects.filter(period=submitted_return.period).count() == 2


def test_leads_and_members_cannot_use_review_screens(
    client, police_lead, fire_lead, member, submitted_return
):
    for user in (police_lead, fire_lead, member):
        client.force_login(user)
        assert client.get(reverse("review_queue")).status_code == 403
        assert client.post(rurl("return_approve")).status_code == 403
        assert client.get(reverse("completeness")).status_code == 403
        assert client.get(reverse("periods")).status_code == 403
    submitted_return.refresh_from_db()
    assert submitted_return.status == "submitted"


# --- completeness and timeliness ---------------------------------------------------------


def test_completeness_board_counts_on_time_late_and_missing(
    coord_client, partnership, submitted_return
):
    period = partnership["period"]
    page = coord_client.get(reverse("completeness")).content.decode()
    assert "Hampshire Constabulary" in page and "Hampshire Fire and Rescue Service" in page
    # Police submitted before the deadline; fire has not, and the deadline has not passed.
    assert "On time" in page
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    QuarterlyReturn.objects.filter(pk=submitted_return.pk).update(submitted_at=timezone.now())
    page = coord_client.get(reverse("completeness")).content.decode()
    assert "<strong>Late</strong>" in page
    assert "<strong>Missing</strong>" in page


def test_partner_history_page(coord_client, submitted_return):
    page = coord_client.get(reverse("partner_history", args=["HC"])).content.decode()
    assert "2019-20 Q1" in page and "Submitted" in page


# --- reporting periods ---------------------------------------------------------------------


def test_create_open_set_deadline_and_close_a_period(
    coord_client, partnership, police_lead, mailoutbox, django_capture_on_commit_callbacks
):
    response = coord_client.post(
        reverse("periods"),
        {"year": 2019, "quarter": 2, "deadline_0": "28", "deadline_1": "10", "deadline_2": "2019"},
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2019, quarter=2)
    assert not period.is_open

    with django_capture_on_commit_callbacks(execute=True):
        coord_client.post(
            reverse("period_edit", args=["2019-20-Q2"]), {"action": "open", "confirm": "yes"}
        )
    period.refresh_from_db()
    assert period.is_open
    assert any("2019-20 Q2 is open" in m.subject for m in mailoutbox)

    coord_client.post(
        reverse("period_edit", args=["2019-20-Q2"]),
        {"action": "deadline", "deadline_0": "1", "deadline_1": "11", "deadline_2": "2019"},
    )
    period.refresh_from_db()
    assert str(period.deadline) == "2019-11-01"

    coord_client.post(
        reverse("period_edit", args=["2019-20-Q2"]), {"action": "close", "confirm": "yes"}
    )
    period.refresh_from_db()
    assert not period.is_open
    assert AuditEntry.objects.filter(action="period_changed").count() == 4


def test_duplicate_period_is_a_form_error(coord_client, partnership):
    response = coord_client.post(
        reverse("periods"),
        {"year": 2019, "quarter": 1, "deadline_0": "28", "deadline_1": "7", "deadline_2": "2019"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2019-20 Q1 already exists: change its deadline from the list below" in page
    assert 'href="#id_quarter"' in page


def test_period_form_uses_gov_uk_inputs_and_messages(coord_client, partnership):
    response = coord_client.post(reverse("periods"), {"year": "", "quarter": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the year the financial year starts in, like 2020" in page
    assert "Enter the deadline for returns" in page
    assert "This field is required" not in page
    assert 'name="deadline_0"' in page and 'name="deadline_2"' in page


def test_new_period_form_suggests_next_quarter_with_default_deadline(coord_client, partnership):
    page = coord_client.get(reverse("periods")).content.decode()
    from core.periods import FinancialQuarter, default_deadline

    deadline = default_deadline(FinancialQuarter(2019, 2))
    for name, part in (("0", deadline.day), ("1", deadline.month), ("2", deadline.year)):
        assert f'name="deadline_{name}" value="{part}"' in page


def test_approving_a_page_that_is_out_of_date_is_refused(
    coord_client, submitted_return, coordinator2, police_lead, partnership
):
    """A opens the page; B returns it; the lead changes a figure and resubmits; A's old
    page must not publish the figure A never saw."""
    page_of_a = shown(submitted_return)
    other = Client()
    other.force_login(coordinator2)
    other.post(rurl("return_send_back"), shown(submitted_return, comment="Check ASB"))
    services.return_values_save(
        quarterly_return=submitted_return,
        by=police_lead,
        entries=[
            ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(999), commentary="x")
        ],
    )
    services.quarterly_return_submit(quarterly_return=submitted_return, by=police_lead)
    response = coord_client.post(rurl("return_approve"), page_of_a, follow=True)
    assert "has changed since you opened the page" in response.content.decode()
    submitted_return.refresh_from_db()
    assert submitted_return.status == "submitted"
    assert not ApprovedValue.objects.filter(period=submitted_return.period).exists()
    # Looking again and approving what is now shown works.
    coord_client.post(rurl("return_approve"), shown(submitted_return))
    approved = ApprovedValue.objects.get(
        indicator=partnership["asb"], period=submitted_return.period
    )
    assert approved.value == Decimal(999)


def test_an_action_without_the_shown_version_is_refused(coord_client, submitted_return):
    response = coord_client.post(rurl("return_approve"), follow=True)
    assert "has changed since you opened the page" in response.content.decode()
    submitted_return.refresh_from_db()
    assert submitted_return.status == "submitted"


def test_review_page_carries_the_version_it_shows(coord_client, submitted_return):
    page = coord_client.get(rurl("review_return")).content.decode()
    submitted_return.refresh_from_db()
    assert f'name="revision" value="{submitted_return.revision}"' in page


def test_opening_or_closing_a_period_says_what_it_will_do_first(
    coord_client,
    partnership,
    police_lead,
    fire_lead,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Found by using /periods/: one click opened a period and emailed every lead."""
    period = ReportingPeriod.objects.get(year=2018, quarter=1)
    url = reverse("period_edit", args=["2018-19-Q1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = coord_client.post(url, {"action": "open"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "emails 2 leads of 2 partners" in page
    assert 'name="confirm" value="yes"' in page
    period.refresh_from_db()
    assert not period.is_open and mailoutbox == []
    response = coord_client.post(reverse("period_edit", args=["2019-20-Q1"]), {"action": "close"})
    assert "Closing 2019-20 Q1 stops partners starting a return" in response.content.decode()
    assert ReportingPeriod.objects.get(year=2019, quarter=1).is_open


def test_open_is_offered_only_for_the_latest_periods(coord_client, partnership):
    from tests import factories

    for label in ("2016-17 Q1", "2016-17 Q2", "2016-17 Q3", "2016-17 Q4"):
        factories.period(label)
    page = coord_client.get(reverse("periods")).content.decode()
    assert 'Open<span class="govuk-visually-hidden"> 2016-17 Q1</span>' not in page
    assert 'Open<span class="govuk-visually-hidden"> 2018-19 Q1</span>' in page
