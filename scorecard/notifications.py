"""Who is told what, and when. Each function writes Notification rows (the outbox) in
the caller's transaction and asks celery to deliver them once it commits, so a
rolled-back change sends nothing and a down broker loses nothing (the daily sweep
sends whatever is still unsent)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partners.models import Partner
from partners.roles import Role
from scorecard import queue
from scorecard.models import Notification, QuarterlyReturn, ReportingPeriod

logger = logging.getLogger(__name__)
Kind = Notification.Kind
RESEND_AFTER = timedelta(minutes=10)


def _leads(partner):
    return partner.leads.filter(is_active=True).exclude(email="")


def _coordinators():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.COORDINATOR)
        .exclude(email="")
        .distinct()
    )


def expected_partners(period: ReportingPeriod | None = None):
    """Partners that own at least one active indicator are expected to make a return;
    for a period, an indicator of the strategy in force then (a partner whose indicators
    a new strategy dropped is not chased for an empty return)."""
    from indicators.models import Indicator, Strategy

    indicators = Indicator.objects.filter(active=True)
    if period is not None:
        indicators = indicators.filter(places__strategy=Strategy.objects.in_force(period.year))
    return Partner.objects.active().filter(pk__in=indicators.values("owner_id"))


def _return_url(partner, period) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("return_edit", args=[partner.code, period.slug])


def _queue(kind, key, recipients, subject, message, url, quarterly_return=None) -> list[int]:
    created = []
    for user in recipients:
        context = {"user": user, "message": message, "url": url, "subject": subject}
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


def on_period_opened(period: ReportingPeriod) -> list[int]:
    ids = []
    for partner in expected_partners(period):
        ids += _queue(
            Kind.PERIOD_OPENED,
            f"period_opened:{period.pk}:{partner.pk}",
            _leads(partner),
            f"{period.label} is open: {partner.name}'s return is due {period.deadline:%-d %B %Y}",
            f"The reporting period {period.label} is now open. Please enter "
            f"{partner.name}'s figures and submit them by {period.deadline:%-d %B %Y}.",
            _return_url(partner, period),
        )
    return ids


def on_submitted(quarterly_return: QuarterlyReturn) -> list[int]:
    r = quarterly_return
    return _queue(
        Kind.SUBMITTED,
        f"submitted:{r.pk}:{r.submitted_at:%Y%m%d%H%M%S%f}",
        _coordinators().exclude(pk=r.submitted_by_id),
        f"{r.partner.name} submitted its {r.period.label} return",
        f"{r.partner.name} has submitted its return for {r.period.label}. It is waiting "
        "in the review queue.",
        settings.SITE_URL.rstrip("/")
        + reverse("review_return", args=[r.partner.code, r.period.slug]),
        r,
    )


REVIEW_MESSAGES = {
    Kind.APPROVED: (
        "Your {period} return was approved",
        "The {partner} return for {period} was approved. Its figures are now on the scorecard.",
    ),
    Kind.RETURNED: (
        "Your {period} return needs changes",
        "The Stronger Communities team returned the {partner} return for {period} with this "
        'comment: "{comment}". Please correct it and submit it again.',
    ),
    Kind.REOPENED: (
        "Your {period} return has been reopened for a correction",
        "The Stronger Communities team reopened the approved {partner} return for {period}: "
        '"{comment}". The scorecard keeps the approved figures until the corrected return '
        "is approved.",
    ),
}


def on_reviewed(quarterly_return: QuarterlyReturn, kind: str) -> list[int]:
    r = quarterly_return
    subject, message = REVIEW_MESSAGES[kind]
    names = {"period": r.period.label, "partner": r.partner.name, "comment": r.review_comment}
    return _queue(
        kind,
        f"{kind}:{r.pk}:{r.reviewed_at:%Y%m%d%H%M%S%f}",
        _leads(r.partner),
        subject.format(**names),
        message.format(**names),
        _return_url(r.partner, r.period),
        r,
    )


def on_invited(user, link: str, by) -> list[int]:
    """The one-time link a new person follows to set their password."""
    who = by.get_full_name() or by.username if by is not None else "The Stronger Communities team"
    return _queue(
        Kind.INVITED,
        f"invited:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        "You are invited to the Safe City Partnership scorecard",
        f"{who} has invited you to the Southampton Safe City Partnership scorecard. "
        "Follow this link to set your password; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. Your username is {user.username}.",
        link,
    )


def on_password_reset(user, link: str) -> list[int]:
    return _queue(
        Kind.PASSWORD_RESET,
        f"password_reset:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        "Reset your Safe City Partnership scorecard password",
        "Someone asked to reset the password of your scorecard account. Follow this link "
        "to choose a new one; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. If it was not you, ignore this "
        f"email. Your username is {user.username}.",
        link,
    )


def queue_due_reminders(today: date) -> list[int]:
    """Reminders for open periods: once when the deadline is within the reminder window,
    and on the first overdue day then weekly, for partners that have not submitted."""
    window = settings.SCORECARD_REMINDER_DAYS_BEFORE
    # A correction (reopened) is never overdue: the return was in once already.
    done = [
        QuarterlyReturn.Status.SUBMITTED,
        QuarterlyReturn.Status.APPROVED,
        QuarterlyReturn.Status.REOPENED,
    ]
    ids = []
    periods = ReportingPeriod.objects.filter(is_open=True)
    finished = set(
        QuarterlyReturn.objects.filter(period__in=periods, status__in=done).values_list(
            "period_id", "partner_id"
        )
    )
    for period in periods:
        days_left = (period.deadline - today).days
        for partner in expected_partners(period):
            if (period.pk, partner.pk) in finished:
                continue
            if 0 <= days_left <= window:
                ids += _queue(
                    Kind.DEADLINE_SOON,
                    f"deadline_soon:{period.pk}:{partner.pk}",
                    _leads(partner),
                    f"Reminder: {partner.name}'s {period.label} return is due in {days_left} day{'s' if days_left != 1 else ''}",
                    f"The {partner.name} return for {period.label} is due by {period.deadline:%-d %B %Y} and has not been submitted yet.",
                    _return_url(partner, period),
                )
            elif days_left < 0 and (-days_left - 1) % 7 == 0:
                ids += _queue(
                    Kind.OVERDUE,
                    f"overdue:{period.pk}:{partner.pk}:{today.isoformat()}",
                    _leads(partner),
                    f"Overdue: {partner.name}'s {period.label} return",
                    f"The {partner.name} return for {period.label} was due on {period.deadline:%-d %B %Y} and is {-days_left} day{'s' if days_left != -1 else ''} overdue.",
                    _return_url(partner, period),
                )
    return ids


def _action_url(action) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("action_detail", args=[action.pk])


def _action_people(action):
    """The named lead if there is one and still active, else every lead of the owner."""
    if action.lead_id and action.lead.is_active and action.lead.email:
        return [action.lead]
    return _leads(action.owner)


def on_action_recorded(action) -> list[int]:
    return _queue(
        Kind.ACTION_RECORDED,
        f"action_recorded:{action.pk}",
        _action_people(action),
        f"Action for {action.owner.name}: {action.title}",
        f"{action.meeting.title} agreed this action for {action.owner.name}, due "
        f"{action.due_date:%-d %B %Y}: {action.title}. {action.description} "
        "Please post progress updates on the scorecard; the next meeting's pack lists it.",
        _action_url(action),
    )


def queue_overdue_actions(today: date) -> list[int]:
    """On the first overdue day of an action, then weekly, until it is done or dropped."""
    from scorecard.models import MeetingAction

    ids = []
    overdue = (
        MeetingAction.objects.filter(due_date__lt=today)
        .exclude(status__in=MeetingAction.CLOSED)
        .select_related("owner", "lead", "meeting")
    )
    for action in overdue:
        days = (today - action.due_date).days
        if (days - 1) % 7:
            continue
        ids += _queue(
            Kind.ACTION_OVERDUE,
            f"action_overdue:{action.pk}:{today.isoformat()}",
            _action_people(action),
            f"Overdue action for {action.owner.name}: {action.title}",
            f"The action '{action.title}' from {action.meeting.title} was due on "
            f"{action.due_date:%-d %B %Y} and is {days} day{'s' if days != 1 else ''} "
            "overdue. Please post an update: what has been done, or why it is late.",
            _action_url(action),
        )
    return ids


def resend_unsent(now=None) -> list[int]:
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lte=now - RESEND_AFTER)
        .filter(Q(attempts__lt=10))
        .values_list("pk", flat=True)
    )
    enqueue(ids)
    return ids
