"""Emails: who gets what, idempotent reminders, and a down broker losing nothing."""

from datetime import timedelta
from decimal import Decimal
from smtplib import SMTPException

import pytest
from django.db import transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from notifications import outbox as notifications
from notifications.models import Notification
from notifications.tasks import deliver_notification
from returns import services
from returns.models import ReportingPeriod
from returns.services import ValueEntry
from returns.tasks import send_due_reminders


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(fn):
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return run


def submit(partnership, lead):
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=lead,
        entries=[
            ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(90)),
            ValueEntry(indicator_id=partnership["pct"].id, value=Decimal(16)),
        ],
    )
    return services.quarterly_return_submit(quarterly_return=qr, by=lead)


def test_submission_emails_coordinators_with_a_link(
    partnership, police_lead, coordinator, mailoutbox, on_commit
):
    on_commit(lambda: submit(partnership, police_lead))
    [email] = mailoutbox
    assert email.to == [coordinator.email]
    assert email.subject == "Hampshire Constabulary submitted its 2019-20 Q1 return"
    assert "/review/HC/2019-20-Q1/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "/review/HC/2019-20-Q1/" in html


def test_rolled_back_change_sends_nothing(
    partnership, police_lead, coordinator, mailoutbox, on_commit
):
    def submit_then_fail():
        with transaction.atomic():
            submit(partnership, police_lead)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        on_commit(submit_then_fail)
    assert mailoutbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize("outcome", ["approve", "send_back"])
def test_review_outcome_emails_the_leads(
    partnership, police_lead, coordinator, mailoutbox, on_commit, outcome
):
    qr = submit(partnership, police_lead)
    mailoutbox.clear()
    if outcome == "approve":
        on_commit(lambda: services.quarterly_return_approve(quarterly_return=qr, by=coordinator))
        expected = "Your 2019-20 Q1 return was approved"
    else:
        on_commit(
            lambda: services.quarterly_return_send_back(
                quarterly_return=qr, by=coordinator, comment="Check ASB"
            )
        )
        expected = "Your 2019-20 Q1 return needs changes"
    [email] = mailoutbox
    assert email.to == [police_lead.email]
    assert email.subject == expected
    assert "/returns/HC/2019-20-Q1/" in email.body
    if outcome == "send_back":
        assert "Check ASB" in email.body


def test_deadline_reminder_is_sent_once(partnership, police_lead, fire_lead, mailoutbox, on_commit):
    period = partnership["period"]
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() + timedelta(days=5)
    )
    on_commit(send_due_reminders)
    on_commit(send_due_reminders)  # the same day again: no duplicate
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "Reminder: Hampshire Constabulary's 2019-20 Q1 return is due in 5 days",
        "Reminder: Hampshire Fire and Rescue Service's 2019-20 Q1 return is due in 5 days",
    ]


def test_no_reminder_before_the_window_or_after_submission(
    partnership, police_lead, fire_lead, mailoutbox, on_commit
):
    period = partnership["period"]
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() + timedelta(days=6)
    )
    on_commit(send_due_reminders)
    assert mailoutbox == []
    submit(partnership, police_lead)
    mailoutbox.clear()
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() + timedelta(days=2)
    )
    on_commit(send_due_reminders)
    assert [m.to for m in mailoutbox] == [[fire_lead.email]]


def test_overdue_reminder_once_a_day_at_most(
    partnership, police_lead, fire_lead, mailoutbox, on_commit
):
    period = partnership["period"]
    ReportingPeriod.objects.filter(pk=period.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    on_commit(send_due_reminders)
    on_commit(send_due_reminders)
    assert sorted(m.subject for m in mailoutbox) == [
        "Overdue: Hampshire Constabulary's 2019-20 Q1 return",
        "Overdue: Hampshire Fire and Rescue Service's 2019-20 Q1 return",
    ]


def test_delivery_is_idempotent(partnership, police_lead, coordinator, mailoutbox):
    submit(partnership, police_lead)
    notification = Notification.objects.get()
    assert deliver_notification(notification.pk) is True
    assert deliver_notification(notification.pk) is False
    assert len(mailoutbox) == 1


def test_smtp_failure_is_recorded_and_retried(partnership, police_lead, coordinator, monkeypatch):
    submit(partnership, police_lead)
    notification = Notification.objects.get()

    def refuse(self, *args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert SMTPException in deliver_notification.autoretry_for
    with pytest.raises(SMTPException):
        deliver_notification.run(notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert "mail server down" in notification.last_error


def test_broker_down_submission_still_succeeds_and_email_goes_later(
    partnership, police_lead, coordinator, mailoutbox, on_commit
):
    """CELERY_BROKER_URL pointing at a closed port: the return is submitted, the email
    waits in the outbox, and the sweep sends it once the broker is back."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        qr = on_commit(lambda: submit(partnership, police_lead))
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    qr.refresh_from_db()
    assert qr.status == "submitted"
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert mailoutbox == []

    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    on_commit(notifications.resend_unsent)
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert [m.subject for m in mailoutbox] == [
        "Hampshire Constabulary submitted its 2019-20 Q1 return"
    ]


def test_beat_schedules_the_daily_sweep(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["daily-reminder-sweep"]
    assert schedule["task"] == "scorecard.tasks.send_due_reminders"
    assert send_due_reminders.name == schedule["task"]
