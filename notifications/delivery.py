"""Sending one outbox row. Safe to run twice: a row already sent is left alone."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification


def notification_deliver(notification_id: int) -> bool:
    try:
        with transaction.atomic():
            notification = (
                # An outbox row is sent by its id, whichever partnership queued it.
                Notification.objects.across_partnerships()
                .select_for_update()
                .filter(pk=notification_id)
                .first()
            )
            if notification is None or notification.sent_at is not None:
                return False
            message = EmailMultiAlternatives(
                subject=notification.subject,
                body=notification.body_text,
                to=[notification.recipient],
            )
            if notification.body_html:
                message.attach_alternative(notification.body_html, "text/html")
            message.send()
            notification.sent_at = timezone.now()
            notification.attempts += 1
            notification.last_error = ""
            notification.save(update_fields=["sent_at", "attempts", "last_error"])
        return True
    except Exception as error:
        # Recorded outside the rolled-back transaction so the failure is visible.
        Notification.objects.across_partnerships().filter(
            pk=notification_id, sent_at__isnull=True
        ).update(attempts=F("attempts") + 1, last_error=str(error)[:500])
        raise
