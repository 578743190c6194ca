from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q

from actions.models import ActionUpdate, MeetingAction


def _with_latest_update(queryset):
    return queryset.select_related("owner", "lead", "meeting").prefetch_related(
        "indicators",
        Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")),
    )


def actions_for_partners(partner_ids) -> list[MeetingAction]:
    """Open and in-progress actions of these partners, overdue first (fixed queries)."""
    return list(
        _with_latest_update(
            MeetingAction.objects.filter(owner_id__in=partner_ids).exclude(
                status__in=MeetingAction.CLOSED
            )
        ).order_by("due_date", "id")
    )


def actions_before(meeting) -> list[MeetingAction]:
    """What earlier meetings agreed that the next pack follows up: every action still
    open, and those closed since the previous meeting."""
    previous = (
        type(meeting).objects.filter(date__lt=meeting.date).order_by("-date").first()
        if meeting.pk
        else None
    )
    closed_since = Q(status__in=MeetingAction.CLOSED)
    if previous is not None:
        closed_since &= Q(updated_at__date__gte=previous.date)
    return list(
        _with_latest_update(
            MeetingAction.objects.filter(meeting__date__lt=meeting.date).filter(
                ~Q(status__in=MeetingAction.CLOSED) | closed_since
            )
        ).order_by("due_date", "id")
    )


def action_summary(action: MeetingAction, today: date) -> dict:
    """An action frozen into a pack snapshot (no people's names: the owner is the
    partner)."""
    updates = list(action.updates.all())
    latest = updates[0] if updates else None
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "owner": action.owner.name,
        "owner_code": action.owner.code,
        "meeting": action.meeting.title,
        "due": action.due_date.isoformat(),
        "due_display": f"{action.due_date:%-d %B %Y}",
        "status": action.status,
        "status_label": action.get_status_display(),
        "overdue": action.is_overdue(today),
        "latest_update": latest.text if latest else "",
        "latest_update_at": f"{latest.at:%-d %B %Y}" if latest else "",
        "indicators": sorted(i.code for i in action.indicators.all()),
    }


def overdue_first(summaries: list[dict]) -> list[dict]:
    return sorted(
        summaries, key=lambda a: (not a["overdue"], a["status"] in ("done", "dropped"), a["due"])
    )
