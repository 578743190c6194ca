from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from notifications.models import Notification
from notifications.outbox import queue_email
from partners.roles import active_coordinators, active_leads
from partnerships.resolution import partnership_now, site_link
from returns.expected import expected_partners
from returns.models import QuarterlyReturn, ReportingPeriod


def _return_url(partner, period) -> str:
    return site_link(reverse("return_edit", args=[partner.code, period.slug]))


def on_period_opened(period: ReportingPeriod) -> list[int]:
    ids = []
    for partner in expected_partners(period):
        ids += queue_email(
            Notification.Kind.PERIOD_OPENED,
            f"period_opened:{period.pk}:{partner.pk}",
            active_leads(partner),
            f"{period.label} is open: {partner.name}'s return is due {period.deadline:%-d %B %Y}",
            f"The reporting period {period.label} is now open. Please enter "
            f"{partner.name}'s figures and submit them by {period.deadline:%-d %B %Y}.",
            _return_url(partner, period),
        )
    return ids


def on_submitted(quarterly_return: QuarterlyReturn) -> list[int]:
    r = quarterly_return
    return queue_email(
        Notification.Kind.SUBMITTED,
        f"submitted:{r.pk}:{r.submitted_at:%Y%m%d%H%M%S%f}",
        active_coordinators().exclude(pk=r.submitted_by_id),
        f"{r.partner.name} submitted its {r.period.label} return",
        f"{r.partner.name} has submitted its return for {r.period.label}. It is waiting "
        "in the review queue.",
        site_link(reverse("review_return", args=[r.partner.code, r.period.slug])),
        r,
    )


REVIEW_MESSAGES = {
    Notification.Kind.APPROVED: (
        "Your {period} return was approved",
        "The {partner} return for {period} was approved. Its figures are now on the scorecard.",
    ),
    Notification.Kind.RETURNED: (
        "Your {period} return needs changes",
        "The {team} returned the {partner} return for {period} with this "
        'comment: "{comment}". Please correct it and submit it again.',
    ),
    Notification.Kind.REOPENED: (
        "Your {period} return has been reopened for a correction",
        "The {team} reopened the approved {partner} return for {period}: "
        '"{comment}". The scorecard keeps the approved figures until the corrected return '
        "is approved.",
    ),
}


def on_reviewed(quarterly_return: QuarterlyReturn, kind: str) -> list[int]:
    r = quarterly_return
    subject, message = REVIEW_MESSAGES[kind]
    names = {
        "period": r.period.label,
        "partner": r.partner.name,
        "comment": r.review_comment,
        "team": partnership_now().coordinating_team,
    }
    return queue_email(
        kind,
        f"{kind}:{r.pk}:{r.reviewed_at:%Y%m%d%H%M%S%f}",
        active_leads(r.partner),
        subject.format(**names),
        message.format(**names),
        _return_url(r.partner, r.period),
        r,
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
                ids += queue_email(
                    Notification.Kind.DEADLINE_SOON,
                    f"deadline_soon:{period.pk}:{partner.pk}",
                    active_leads(partner),
                    f"Reminder: {partner.name}'s {period.label} return is due in {days_left} day{'s' if days_left != 1 else ''}",
                    f"The {partner.name} return for {period.label} is due by {period.deadline:%-d %B %Y} and has not been submitted yet.",
                    _return_url(partner, period),
                )
            elif days_left < 0 and (-days_left - 1) % 7 == 0:
                ids += queue_email(
                    Notification.Kind.OVERDUE,
                    f"overdue:{period.pk}:{partner.pk}:{today.isoformat()}",
                    active_leads(partner),
                    f"Overdue: {partner.name}'s {period.label} return",
                    f"The {partner.name} return for {period.label} was due on {period.deadline:%-d %B %Y} and is {-days_left} day{'s' if days_left != -1 else ''} overdue.",
                    _return_url(partner, period),
                )
    return ids
