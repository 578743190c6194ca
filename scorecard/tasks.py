"""Celery tasks: thin wrappers that take IDs and call a service; safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from scorecard import notifications
from scorecard.delivery import notification_deliver


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=6,
)
def deliver_notification(self, notification_id):
    return notification_deliver(notification_id)


@shared_task
def send_due_reminders():
    """Daily (celery beat): deadline and overdue reminders, then anything left unsent."""
    queued = notifications.queue_due_reminders(timezone.localdate())
    resent = notifications.resend_unsent()
    return {"queued": len(queued), "resent": len(resent)}


@shared_task
def ping(value):
    """Used by the tests to prove a real worker executes tasks."""
    return value
