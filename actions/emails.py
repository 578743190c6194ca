from __future__ import annotations

from datetime import date

from django.urls import reverse

from actions.models import MeetingAction
from notifications.models import Notification
from notifications.outbox import queue_email
from partners.roles import active_leads
from partnerships.resolution import site_link


def _action_url(action) -> str:
    return site_link(reverse("action_detail", args=[action.pk]))


def _action_people(action):
    """The named lead if there is one and still active, else every lead of the owner."""
    if action.lead_id and action.lead.is_active and action.lead.email:
        return [action.lead]
    return active_leads(action.owner)


def on_action_recorded(action) -> list[int]:
    return queue_email(
        Notification.Kind.ACTION_RECORDED,
        f"action_recorded:{action.pk}",
        _action_people(action),
        f"Action for {action.owner.name}: {action.title}",
        f"{action.meeting.title} agreed this action for {action.owner.name}, due "
        f"{action.due_date:%-d %B %Y}: {action.title}. {action.description} "
        "Please post progress updates on the scorecard; the next meeting's pack lists it.",
        _action_url(action),
        link_text="Open the action",
    )


def queue_overdue_actions(today: date) -> list[int]:
    """On the first overdue day of an action, then weekly, until it is done or dropped."""

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
        ids += queue_email(
            Notification.Kind.ACTION_OVERDUE,
            f"action_overdue:{action.pk}:{today.isoformat()}",
            _action_people(action),
            f"Overdue action for {action.owner.name}: {action.title}",
            f"The action '{action.title}' from {action.meeting.title} was due on "
            f"{action.due_date:%-d %B %Y} and is {days} day{'s' if days != 1 else ''} "
            "overdue. Please post an update: what has been done, or why it is late.",
            _action_url(action),
            link_text="Open the action",
        )
    return ids
