"""Celery tasks: thin wrappers that take IDs and call a service; safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from scorecard import notifications
from scorecard.delivery import notification_deliver
from scorecard.meetings.packs import meeting_pack_generate


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
    today = timezone.localdate()
    queued = notifications.queue_due_reminders(today)
    actions = notifications.queue_overdue_actions(today)
    resent = notifications.resend_unsent()
    return {"queued": len(queued), "actions": len(actions), "resent": len(resent)}


@shared_task
def ping(value):
    """Used by the tests to prove a real worker executes tasks."""
    return value


@shared_task(bind=True, max_retries=0)
def generate_meeting_pack(self, pack_id):
    """Failures are recorded on the pack (status failed, with the reason) for a
    coordinator to retry; the previous version stays available meanwhile."""
    try:
        return meeting_pack_generate(pack_id)
    except Exception:  # noqa: BLE001 - already recorded on the pack
        return False
