"""Who is told what, and when. Each function writes Notification rows (the outbox) in
the caller's transaction and asks celery to deliver them once it commits, so a
rolled-back change sends nothing and a down broker loses nothing (the daily sweep
sends whatever is still unsent)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from core import queue
from core.formatting import is_control_character
from notifications.models import Notification
from partnerships.resolution import partnership_now

logger = logging.getLogger(__name__)

RESEND_AFTER = timedelta(minutes=10)


def one_line(text: str) -> str:
    """A subject line: a header may not hold a line break (the send would fail)."""
    return " ".join("".join(" " if is_control_character(c) else c for c in text).split())


def queue_email(
    kind, key, recipients, subject, message, url, quarterly_return=None, link_text="Open the return"
) -> list[int]:
    """``link_text`` names what the link opens: an invitation's 'Open the return' reads
    like phishing to someone who has never seen the service."""
    subject = one_line(subject)
    created = []
    partnership = partnership_now()
    for user in recipients:
        context = {
            "partnership": partnership,
            "user": user,
            "message": message,
            "url": url,
            "subject": subject,
            "link_text": link_text,
        }
        notification, was_created = Notification.objects.get_or_create(
            dedupe_key=f"{key}:user{user.pk}",
            defaults={
                "kind": kind,
                "recipient": user.email,
                "subject": subject,
                "body_text": render_to_string("emails/notification.txt", context),
                "body_html": render_to_string("emails/notification.html", context),
                "quarterly_return": quarterly_return,
            },
        )
        if was_created:
            created.append(notification.pk)
    if created:
        transaction.on_commit(lambda: enqueue(created))
    return created


def enqueue(ids):
    for notification_id in ids:
        try:
            queue.enqueue("scorecard.tasks.deliver_notification", notification_id)
        except Exception as error:  # noqa: BLE001 - any broker failure: the sweep resends later
            logger.warning(
                "Could not queue notification %s (%s); the daily sweep will send it",
                notification_id,
                repr(error)[:300],
            )


def resend_unsent(now=None) -> list[int]:
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lte=now - RESEND_AFTER)
        .filter(Q(attempts__lt=10))
        .values_list("pk", flat=True)
    )
    enqueue(ids)
    return ids
