"""State changes of quarterly returns. One function per transition; each checks
permission and state, runs in a transaction, writes the audit trail, and raises
InvalidTransition or PermissionDenied for the view to turn into a message."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audit_entry, audit_text, record_audit, record_audits
from core.models import AuditEntry
from indicators.models import Indicator
from notifications.models import Notification
from partners.models import Partner
from partners.roles import require_coordinator
from returns import emails as return_emails
from returns.models import ApprovedValue, QuarterlyReturn, ReportingPeriod, ReturnValue
from returns.permissions import can_enter_figures
from returns.quality import checks as quality
from returns.quality import reconciliation
from returns.selectors import entry_contexts
from returns.validation import Entry, submit_errors

Status = QuarterlyReturn.Status


class InvalidTransition(Exception):
    """The return is not in a state that allows this (e.g. already approved)."""


@dataclass(frozen=True)
class ValueEntry:
    indicator_id: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    not_available: bool = False
    not_available_reason: str = ""


AUDITED_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "commentary",
    "not_available",
    "not_available_reason",
]


def quarterly_return_get_or_start(*, partner: Partner, period: ReportingPeriod, by=None):
    quarterly_return, created = QuarterlyReturn.objects.get_or_create(
        partner=partner, period=period
    )
    if created:
        record_audit(actor=by, action=AuditEntry.Action.CREATED, quarterly_return=quarterly_return)
    return quarterly_return


def return_values_save(
    *, quarterly_return: QuarterlyReturn, by, entries: list[ValueEntry], action=None, comment=""
) -> int:
    """Store the partner's figures, auditing each field that changed. Returns how many
    fields changed. ``by=None`` is a system import (the import command checks rights)."""
    if by is not None and not can_enter_figures(by, quarterly_return.partner):
        raise PermissionDenied("You are not a lead for this partner")
    with transaction.atomic():
        locked = (
            QuarterlyReturn.objects.select_for_update(of=("self",))
            .select_related("period")
            .get(pk=quarterly_return.pk)
        )
        if by is not None and not locked.is_editable:
            raise InvalidTransition(locked.edit_refusal())
        changed = _write_values(
            locked, by, entries, action or AuditEntry.Action.VALUE_CHANGED, comment
        )
        quarterly_return.refresh_from_db()
    return changed


def _write_values(quarterly_return, by, entries, action, comment) -> int:
    owned = set(
        Indicator.objects.filter(owner_id=quarterly_return.partner_id).values_list("id", flat=True)
    )
    existing = {v.indicator_id: v for v in quarterly_return.values.all()}
    audit = []
    for entry in entries:
        if entry.indicator_id not in owned:
            raise PermissionDenied("That indicator is not owned by this partner")
        row = existing.get(entry.indicator_id)
        if row is None:
            row = ReturnValue(quarterly_return=quarterly_return, indicator_id=entry.indicator_id)
        dirty = False
        for field in AUDITED_FIELDS:
            old, new = getattr(row, field), getattr(entry, field)
            if audit_text(old) != audit_text(new):
                audit.append(
                    audit_entry(
                        actor=by,
                        action=action,
                        quarterly_return=quarterly_return,
                        indicator_id=entry.indicator_id,
                        field=field,
                        old_value=audit_text(old) if row.pk else "",
                        new_value=audit_text(new),
                        comment=comment,
                    )
                )
                setattr(row, field, new)
                dirty = True
        if dirty or row.pk is None:
            row.save()
    record_audits(audit)
    if audit:
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(revision=F("revision") + 1)
    return len(audit)


def _transition(
    quarterly_return, *, allowed_from, to, extra, revision: int | None = None
) -> QuarterlyReturn:
    """Conditional UPDATE: of two people acting at once, exactly one wins. With
    ``revision`` (the version the reviewer was shown) it also fails if the return has
    changed since, so nobody approves figures they did not see."""
    matching = QuarterlyReturn.objects.filter(pk=quarterly_return.pk, status__in=allowed_from)
    if revision is not None:
        matching = matching.filter(revision=revision)
    updated = matching.update(
        status=to, updated_at=timezone.now(), revision=F("revision") + 1, **extra
    )
    if not updated:
        current = QuarterlyReturn.objects.get(pk=quarterly_return.pk)
        if current.status in allowed_from:
            raise InvalidTransition(
                "This return has changed since you opened the page (figures or status were "
                "updated): check it again below before you act."
            )
        raise InvalidTransition(
            f"This return is already {current.get_status_display().lower()}; "
            "the page you acted on was out of date."
        )
    quarterly_return.refresh_from_db()
    return quarterly_return


def _audit_status(quarterly_return, by, action, old, comment=""):
    record_audit(
        actor=by,
        action=action,
        quarterly_return=quarterly_return,
        field="status",
        old_value=old,
        new_value=quarterly_return.status,
        comment=comment,
    )


def quarterly_return_submit(*, quarterly_return: QuarterlyReturn, by) -> QuarterlyReturn:
    if not can_enter_figures(by, quarterly_return.partner):
        raise PermissionDenied("You are not a lead for this partner")
    quarterly_return.period.refresh_from_db()  # the period may have closed meanwhile
    if quarterly_return.status == Status.DRAFT and not quarterly_return.is_editable:
        raise InvalidTransition(quarterly_return.edit_refusal())
    if problems := return_submit_problems(quarterly_return):
        codes = ", ".join(sorted(problems))
        raise InvalidTransition(f"The return cannot be submitted yet: check {codes}")
    with transaction.atomic():
        old = quarterly_return.status
        extra = {"submitted_by": by}
        if old != Status.REOPENED or quarterly_return.submitted_at is None:
            # A correction keeps its original submission time: it is not late.
            extra["submitted_at"] = timezone.now()
        _transition(
            quarterly_return,
            allowed_from=[Status.DRAFT, Status.RETURNED, Status.REOPENED],
            to=Status.SUBMITTED,
            extra=extra,
        )
        _audit_status(quarterly_return, by, AuditEntry.Action.SUBMITTED, old)
        return_emails.on_submitted(quarterly_return)
    return quarterly_return


def _check_reviewer(quarterly_return, by):
    require_coordinator(by, "Only the Stronger Communities team can review returns")
    if quarterly_return.submitted_by_id == by.id:
        raise PermissionDenied("You submitted this return, so another coordinator must review it")


def quarterly_return_approve(
    *, quarterly_return: QuarterlyReturn, by, revision: int | None = None
) -> QuarterlyReturn:
    _check_reviewer(quarterly_return, by)
    with transaction.atomic():
        _transition(
            quarterly_return,
            revision=revision,
            allowed_from=[Status.SUBMITTED],
            to=Status.APPROVED,
            extra={"reviewed_at": timezone.now(), "reviewed_by": by, "review_comment": ""},
        )
        _publish(quarterly_return, by)
        _audit_status(quarterly_return, by, AuditEntry.Action.APPROVED, Status.SUBMITTED)
        return_emails.on_reviewed(quarterly_return, Notification.Kind.APPROVED)
    return quarterly_return


def quarterly_return_send_back(
    *, quarterly_return: QuarterlyReturn, by, comment: str, revision: int | None = None
) -> QuarterlyReturn:
    _check_reviewer(quarterly_return, by)
    if not comment.strip():
        raise InvalidTransition("Say what needs changing before returning it")
    with transaction.atomic():
        _transition(
            quarterly_return,
            revision=revision,
            allowed_from=[Status.SUBMITTED],
            to=Status.RETURNED,
            extra={"reviewed_at": timezone.now(), "reviewed_by": by, "review_comment": comment},
        )
        _audit_status(quarterly_return, by, AuditEntry.Action.RETURNED, Status.SUBMITTED, comment)
        return_emails.on_reviewed(quarterly_return, Notification.Kind.RETURNED)
    return quarterly_return


def quarterly_return_reopen(
    *, quarterly_return: QuarterlyReturn, by, reason: str, revision: int | None = None
):
    """A correction: back to the lead; the scorecard keeps the approved figures until the
    corrected return is approved."""
    require_coordinator(by, "Only the Stronger Communities team can reopen returns")
    if not reason.strip():
        raise InvalidTransition("Give the reason for the correction")
    with transaction.atomic():
        _transition(
            quarterly_return,
            revision=revision,
            allowed_from=[Status.APPROVED],
            to=Status.REOPENED,
            extra={"reviewed_at": timezone.now(), "reviewed_by": by, "review_comment": reason},
        )
        _audit_status(quarterly_return, by, AuditEntry.Action.REOPENED, Status.APPROVED, reason)
        return_emails.on_reviewed(quarterly_return, Notification.Kind.REOPENED)
    return quarterly_return


def _publish(quarterly_return, by):
    """Copy the return's figures to the scorecard (ApprovedValue)."""
    now = timezone.now()
    for row in quarterly_return.values.select_related("indicator"):
        value = None if row.not_available else row.value
        ApprovedValue.objects.update_or_create(
            indicator_id=row.indicator_id,
            period_id=quarterly_return.period_id,
            defaults={
                "value": value,
                "commentary": row.commentary,
                "approved_at": now,
                "approved_by": by,
                "quarterly_return": quarterly_return,
                "partner_id": quarterly_return.partner_id,
            },
        )


def quarterly_return_import(
    *, partner, period, entries: list[ValueEntry], by, approve: bool
) -> QuarterlyReturn:
    """Load figures from a file (history, or a lead's upload). The caller has already
    validated every row and wraps the whole file in one transaction."""
    quarterly_return = quarterly_return_get_or_start(partner=partner, period=period, by=by)
    if quarterly_return.status == Status.APPROVED and not approve:
        raise InvalidTransition(
            f"The {partner.code} return for {period.label} is approved; reopen it first"
        )
    _write_values(quarterly_return, by, entries, AuditEntry.Action.IMPORTED, "import_csv")
    if approve:
        old = quarterly_return.status
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(
            status=Status.APPROVED,
            reviewed_at=timezone.now(),
            reviewed_by=by,
        )
        quarterly_return.refresh_from_db()
        _publish(quarterly_return, by)
        _audit_status(
            quarterly_return, by, AuditEntry.Action.APPROVED, old, "Approved on import (history)"
        )
    return quarterly_return


def return_submit_problems(quarterly_return: QuarterlyReturn) -> dict[str, dict[str, str]]:
    """{indicator code: {field: message}} for everything that blocks submission."""

    fq = quarterly_return.period.fq
    stored = {v.indicator_id: v for v in quarterly_return.values.select_related("indicator")}
    approved = {}
    if quarterly_return.status == Status.REOPENED:
        approved = dict(
            ApprovedValue.objects.filter(quarterly_return=quarterly_return).values_list(
                "indicator_id", "value"
            )
        )
    problems = {}
    unchanged = set()
    for context in entry_contexts(quarterly_return.partner, fq):
        row = stored.get(context.indicator.id)
        if row is not None and context.indicator.id in approved:
            if row.value == approved[context.indicator.id] and not row.not_available:
                unchanged.add(context.indicator.code)
                continue  # a correction asks about the figures it changes, not the rest
        entry = (
            Entry(
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                commentary=row.commentary,
                not_available=row.not_available,
                not_available_reason=row.not_available_reason,
            )
            if row
            else Entry()
        )
        errors = submit_errors(entry, context.validation_context(fq, entry.value))
        if errors:
            problems[context.indicator.code] = errors
    # A broken high-importance rule needs a commentary on each figure it names.
    commentary = {v.indicator.code: v.commentary for v in stored.values()}
    figures = {v.indicator.code: v.value for v in stored.values()}  # loaded above
    checks = quality.partner_rule_checks(quarterly_return.partner, fq, figures)
    for code, broken in quality.violations_by_code(checks).items():
        if code in unchanged or code not in commentary or commentary[code].strip():
            continue
        for check in broken:
            if check.is_high:
                problems.setdefault(code, {}).setdefault("commentary", check.message)
    # So does a figure outside police.uk's tolerance.
    by_id = {v.indicator_id: v for v in stored.values()}
    police_uk = reconciliation.checks_for(
        {i: (None if v.not_available else v.value) for i, v in by_id.items()}, fq
    )
    for indicator_id, check in police_uk.items():
        row = by_id[indicator_id]
        if check.flagged and not row.commentary.strip() and row.indicator.code not in unchanged:
            problems.setdefault(row.indicator.code, {}).setdefault(
                "commentary", check.commentary_needed
            )
    return problems


# --- reporting periods --------------------------------------------------------


# --- series breaks --------------------------------------------------------------
