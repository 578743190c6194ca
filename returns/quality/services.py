"""Changing the validation rules: coordinators only, audited, field by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import record_audit
from core.models import AuditEntry
from indicators.models import Indicator
from partners.roles import require_coordinator
from returns.models import ValidationRule
from returns.quality import rules

RULE_FIELDS = [
    "code",
    "name",
    "left",
    "operator",
    "right",
    "missing_value_strategy",
    "importance",
    "instruction",
]


def known_codes() -> set[str]:
    return set(Indicator.objects.values_list("code", flat=True))


def validation_rule_save(*, values: dict, by, rule: ValidationRule | None = None, codes=None):
    """Creates the rule (or updates ``rule``, or the rule with the same code) and audits
    each changed field. Returns (rule, number of fields changed)."""
    if by is not None:
        require_coordinator(by)
    values = {f: (values.get(f) or "").strip() for f in RULE_FIELDS}
    problems = rules.rule_problems(
        known_codes=codes if codes is not None else known_codes(),
        **{k: v for k, v in values.items() if k != "instruction"},
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if rule is None:
            rule = ValidationRule.objects.filter(code=values["code"]).first()
        created = rule is None
        rule = rule or ValidationRule()
        changed = []
        for field in RULE_FIELDS:
            old = getattr(rule, field) if not created else ""
            if old != values[field]:
                changed.append((field, old, values[field]))
                setattr(rule, field, values[field])
        if changed:
            rule.save()
            for field, old, new in changed:
                record_audit(
                    actor=by,
                    action=AuditEntry.Action.RULE_CHANGED,
                    field=f"{values['code']}.{field}",
                    old_value=old,
                    new_value=new,
                    comment="created" if created else "",
                )
    return rule, len(changed)


def validation_rule_delete(*, rule: ValidationRule, by) -> None:
    require_coordinator(by)
    with transaction.atomic():
        record_audit(
            actor=by,
            action=AuditEntry.Action.RULE_CHANGED,
            field=rule.code,
            old_value=rule.description,
            comment="deleted",
        )
        rule.delete()
