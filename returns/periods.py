from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit import record_audit
from core.models import AuditEntry
from partners.roles import require_coordinator
from returns import emails as return_emails
from returns.models import ReportingPeriod
from returns.services import InvalidTransition


def _audit_period(period, by, old, new, comment):
    record_audit(
        actor=by,
        action=AuditEntry.Action.PERIOD_CHANGED,
        field="period",
        old_value=old,
        new_value=new,
        comment=f"{period.label}: {comment}",
    )


def reporting_period_create(*, year: int, quarter: int, deadline, by) -> ReportingPeriod:
    require_coordinator(by)
    with transaction.atomic():
        period = ReportingPeriod.objects.create(year=year, quarter=quarter, deadline=deadline)
        _audit_period(period, by, "", f"deadline {deadline}", "created")
    return period


def reporting_period_set_deadline(*, period: ReportingPeriod, deadline, by) -> ReportingPeriod:
    require_coordinator(by)
    with transaction.atomic():
        old = period.deadline
        period.deadline = deadline
        period.save(update_fields=["deadline"])
        _audit_period(period, by, f"deadline {old}", f"deadline {deadline}", "deadline changed")
    return period


def reporting_period_open(*, period: ReportingPeriod, by) -> ReportingPeriod:
    require_coordinator(by)
    with transaction.atomic():
        updated = ReportingPeriod.objects.filter(pk=period.pk, is_open=False).update(
            is_open=True, opened_at=timezone.now()
        )
        if not updated:
            raise InvalidTransition(f"{period.label} is already open")
        period.refresh_from_db()
        _audit_period(period, by, "closed", "open", "opened for returns")
        return_emails.on_period_opened(period)
    return period


def reporting_period_close(*, period: ReportingPeriod, by) -> ReportingPeriod:
    require_coordinator(by)
    with transaction.atomic():
        updated = ReportingPeriod.objects.filter(pk=period.pk, is_open=True).update(is_open=False)
        if not updated:
            raise InvalidTransition(f"{period.label} is already closed")
        period.refresh_from_db()
        _audit_period(period, by, "open", "closed", "closed for returns")
    return period
