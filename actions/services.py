"""Actions agreed in SCP meetings: recorded by a coordinator during the meeting,
updated by the owner partner's leads, carried into the next packs until done or
dropped. Every change is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from actions import emails as action_emails
from actions.models import ActionUpdate, MeetingAction
from core.audit import record_audit
from core.models import AuditEntry
from partners.access import is_lead_of
from partners.roles import is_coordinator, require_coordinator

Status = MeetingAction.Status


class ActionError(Exception):
    """An update that cannot be made as asked; the message says why."""


def can_update(user, action: MeetingAction) -> bool:
    return is_coordinator(user) or is_lead_of(user, action.owner)


def _audit(action, by, field, old, new, comment="", kind=AuditEntry.Action.ACTION_UPDATED):
    record_audit(
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
        action_emails.on_action_recorded(action)
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
