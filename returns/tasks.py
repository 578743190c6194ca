"""The daily sweep (celery beat). Named as before the split (see notifications.tasks)."""

from celery import shared_task
from django.utils import timezone

from actions import emails as action_emails
from core.tenancy import across_partnerships, own_scope, scoped_to
from notifications import outbox as notifications
from partnerships.models import Partnership
from returns import emails as return_emails


@shared_task(name="scorecard.tasks.send_due_reminders")
@own_scope
def send_due_reminders():
    """Daily (celery beat): each partnership's deadline and overdue reminders, in its
    own scope (a reminder for one never reads another's returns), then anything left
    unsent."""
    today = timezone.localdate()
    queued, actions = [], []
    for partnership in Partnership.objects.all():
        with scoped_to(partnership):
            queued += return_emails.queue_due_reminders(today)
            actions += action_emails.queue_overdue_actions(today)
    with across_partnerships():
        resent = notifications.resend_unsent()
    return {"queued": len(queued), "actions": len(actions), "resent": len(resent)}
