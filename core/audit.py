"""The one writer of the audit trail. Every service that changes something records it
here, so values are always written the same way (a Decimal as the figure typed:
``1850``, not ``1850.0000``) and entries are only ever added."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.formatting import plain_number
from core.models import AuditEntry

Action = AuditEntry.Action


def audit_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def audit_entry(**fields) -> AuditEntry:
    """An unsaved entry, for ``record_audits``. ``old_value`` and ``new_value`` may be
    any value; they are stored as text."""
    for key in ("old_value", "new_value"):
        if key in fields:
            fields[key] = audit_text(fields[key])
    return AuditEntry(**fields)


def record_audit(**fields) -> AuditEntry:
    entry = audit_entry(**fields)
    entry.save()
    return entry


def record_audits(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    return AuditEntry.objects.bulk_create(list(entries))
