"""The daily sweep (celery beat). Named as before the split (see notifications.tasks)."""

from celery import shared_task
from django.utils import timezone

from actions import emails as action_emails
from notifications import outbox as notifications
from returns import emails as return_emails


@shared_task(name="scorecard.tasks.send_due_reminders")
def send_due_reminders():
    """Daily (celery beat): deadline and overdue reminders, then anything left unsent."""
    today = timezone.localdate()
    queued = return_emails.queue_due_reminders(today)
    actions = action_emails.queue_overdue_actions(today)
    resent = notifications.resend_unsent()
    return {"queued": len(queued), "actions": len(actions), "resent": len(resent)}
