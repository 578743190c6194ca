"""Celery tasks: thin wrappers that take IDs and call a service; safe to run twice.

Every task keeps the name it had before the domains had packages of their own
(``scorecard.tasks.<name>``), so messages already queued and the beat schedule still
resolve."""

from smtplib import SMTPException

from celery import shared_task

from core.tenancy import own_scope
from notifications.delivery import notification_deliver


@shared_task(
    name="scorecard.tasks.deliver_notification",
    bind=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=6,
)
@own_scope
def deliver_notification(self, notification_id):
    return notification_deliver(notification_id)


@shared_task(name="scorecard.tasks.ping")
def ping(value):
    """Used by the tests to prove a real worker executes tasks."""
    return value
