"""Actions agreed in SCP meetings: recorded by a coordinator during the meeting,
updated by the owner partner's leads, carried into the next packs until done or
dropped. Every change is audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from partners.roles import is_coordinator, require_coordinator
from scorecard import notifications
from scorecard.models import ActionUpdate, AuditEntry, MeetingAction
from scorecard.permissions import is_lead_of

Status = MeetingAction.Status


class ActionError(Exception):
    """An update that cannot be made as asked; the message says why."""


def can_update(user, action: MeetingAction) -> bool:
    return is_coordinator(user) or is_lead_of(user, action.owner)


def _audit(action, by, field, old, new, comment="", kind=AuditEntry.Action.ACTION_UPDATED):
    AuditEntry.objects.create(
        actor=by,
        action=kind,
        meeting_action=action,
        field=field,
        old_value=old,
        new_value=new,
        comment=comment,
    )


def action_record(*, meeting, title, description, owner, lead, due_date, indicators, by):
    """A coordinator records an action in the meeting; the owner's leads are told."""
    require_coordinator(by, "Only the Stronger Communities team records actions")
    if lead is not None and not lead.led_partners.filter(pk=owner.pk).exists():
        raise ActionError(f"{lead.get_full_name() or lead.username} is not a lead of {owner.name}")
    with transaction.atomic():
        action = MeetingAction.objects.create(
            meeting=meeting,
            title=title,
            description=description,
            owner=owner,
            lead=lead,
            due_date=due_date,
            created_by=by,
        )
        action.indicators.set(indicators)
        _audit(
            action,
            by,
            "action",
            "",
            f"{title} ({owner.code}, due {due_date:%-d %B %Y})",
            comment=str(meeting),
            kind=AuditEntry.Action.ACTION_RECORDED,
        )
        notifications.on_action_recorded(action)
    return action


def action_update(*, action: MeetingAction, text: str, status: str, by) -> ActionUpdate:
    """A progress update from the owner partner's lead or a coordinator. Dropping an
    action needs a reason (the update's text)."""
    if not can_update(by, action):
        raise PermissionDenied("Only the owner partner's leads and the coordinators update it")
    text = text.strip()
    if status not in Status.values:
        raise ActionError("Choose a status")
    if not text:
        raise ActionError(
            "Say why the action is dropped" if status == Status.DROPPED else "Enter the update"
        )
    with transaction.atomic():
        locked = MeetingAction.objects.select_for_update().get(pk=action.pk)
        update = ActionUpdate.objects.create(action=locked, by=by, text=text, status=status)
        old = locked.status
        locked.status = status
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        _audit(locked, by, "status", old, status, comment=text)
    action.refresh_from_db()
    return update


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
