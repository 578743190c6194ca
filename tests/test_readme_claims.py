"""What the README promises and no other test showed: only the owner's figures count,
the API's filters, weekly overdue reminders, logs without figures or secrets, and the
outbox's row lock."""

import logging
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.periods import FinancialQuarter
from notifications.delivery import notification_deliver
from notifications.models import Notification
from reporting.selectors import scorecard_rows
from returns import emails as return_emails
from returns import services
from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod
from returns.services import ValueEntry


def test_only_figures_approved_from_the_owner_count(partnership, fire):
    """A figure for the police's ASB indicator that arrived from the fire service (say,
    an old import) is never on the scorecard."""
    history = partnership["history"]
    fire_return = QuarterlyReturn.objects.create(partner=fire, period=history, status="approved")
    ApprovedValue.objects.filter(indicator=partnership["asb"], period=history).delete()
    ApprovedValue.objects.create(
        indicator=partnership["asb"],
        period=history,
        partner=fire,
        quarterly_return=fire_return,
        value=Decimal(99999),
        approved_at=timezone.now(),
    )
    [asb] = [r for r in scorecard_rows(FinancialQuarter(2018, 1)) if r.indicator.code == "ASB-01"]
    assert asb.assessment.actual is None


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"rag": "amber"}, {"ASB-01"}),
        ({"rag": "green"}, {"REPEAT-01"}),
        ({"direction": "worsening"}, {"ASB-01"}),
        ({"rag": "grey"}, {"ARSON-01"}),
    ],
)
def test_api_filters(client, member, partnership, coordinator, police_lead, query, expected):
    """2019-20 Q1 approved: ASB 104 against 100 (amber, +4% on 100), 17% → 16% (green)."""
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[
            ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(104), commentary="x"),
            ValueEntry(indicator_id=partnership["pct"].id, value=Decimal(16)),
        ],
    )
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    client.force_login(member)
    data = client.get("/api/v1/scorecard/", {"period": "2019-20-Q1", **query}).json()
    assert {r["indicator"] for r in data["results"]} == expected


def test_overdue_reminders_go_on_the_first_day_then_weekly(
    partnership, police_lead, fire_lead, settings
):
    period = partnership["period"]
    ReportingPeriod.objects.filter(pk=period.pk).update(deadline=timezone.localdate())
    sent_on = []
    for days_late in range(1, 16):
        day = timezone.localdate() + timedelta(days=days_late)
        if return_emails.queue_due_reminders(day):
            sent_on.append(days_late)
    assert sent_on == [1, 8, 15]
    assert Notification.objects.filter(kind="overdue").count() == 3 * 2  # two partners


def test_logs_carry_no_figures_passwords_or_tokens(
    client, caplog, partnership, police_lead, member
):
    from partners.models import ApiToken

    caplog.set_level(logging.DEBUG)
    client.post(reverse("login"), {"username": "police.lead", "password": "not-the-password-9"})
    client.post(reverse("login"), {"username": "police.lead", "password": "correct-horse-battery"})
    client.post(
        reverse("return_edit", args=["HC", "2019-20-Q1"]),
        {"ASB-01-value": "87654", "REPEAT-01-value": "16.25", "save": "1"},
    )
    _, key = ApiToken.issue(user=member, name="BI")
    client.logout()
    client.get("/api/v1/scorecard/", HTTP_AUTHORIZATION=f"Token {key}")
    text = caplog.text
    assert "police.lead" in text  # the logs did record these requests...
    for secret in ("not-the-password-9", "correct-horse-battery", key, "87654", "16.25"):
        assert secret not in text  # ...but none of this


@pytest.mark.django_db(transaction=True)
def test_the_outbox_row_lock_sends_an_email_once_when_two_workers_race(
    partnership, police_lead, coordinator, mailoutbox
):
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[
            ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(90)),
            ValueEntry(indicator_id=partnership["pct"].id, value=Decimal(16)),
        ],
    )
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    notification = Notification.objects.get(kind="submitted")
    # Outside a test transaction the eager delivery already ran; unsend it for the race.
    Notification.objects.filter(pk=notification.pk).update(sent_at=None, attempts=0)
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(notification_deliver(notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1
