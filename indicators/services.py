"""The coordinators' yearly set-up: strategies and their priorities, indicators'
definitions and annual targets. Each change runs in one transaction, is made only by a
coordinator and leaves an audit entry per thing changed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from core.audit import record_audit
from core.models import AuditEntry
from core.periods import FinancialQuarter, financial_year_label
from indicators.models import (
    DEFINITION_FIELDS,
    Indicator,
    Priority,
    SeriesBreak,
    Strategy,
    StrategyIndicator,
    Target,
)
from partners.roles import require_coordinator

Action = AuditEntry.Action


class SetupError(Exception):
    """A change that cannot be made as asked; the message says why."""


def _check_coordinator(by):
    if by is not None:  # None: load_demo and imports, run by the system
        require_coordinator(by, "Only the Stronger Communities team can change the set-up")


def _audit(by, action, *, field, old="", new="", comment="", indicator=None, indicator_id=None):
    record_audit(
        actor=by,
        action=action,
        indicator_id=indicator.pk if indicator is not None else indicator_id,
        field=field,
        old_value=old,
        new_value=new,
        comment=comment,
    )


# --- strategies and priorities -----------------------------------------------------


def strategy_create(*, name: str, start_year: int, end_year: int, by) -> Strategy:
    _check_coordinator(by)
    if end_year < start_year:
        raise SetupError("The last year must be the same as or after the first year")
    with transaction.atomic():
        strategy = Strategy.objects.create(name=name, start_year=start_year, end_year=end_year)
        _audit(
            by,
            Action.STRATEGY_CHANGED,
            field="strategy",
            new=f"{name} ({strategy.years_label})",
            comment="created",
        )
    return strategy


def priority_set_short_name(*, priority: Priority, short_name: str, by) -> None:
    _check_coordinator(by)
    with transaction.atomic():
        if priority.short_name != short_name:
            _audit(
                by,
                Action.STRATEGY_CHANGED,
                field="priority short name",
                old=priority.short_name,
                new=short_name,
                comment=priority.name,
            )
            priority.short_name = short_name
            priority.save(update_fields=["short_name"])


def priority_add(*, strategy: Strategy, name: str, by, short_name: str = "") -> Priority:
    _check_coordinator(by)
    with transaction.atomic():
        if strategy.priorities.filter(name__iexact=name).exists():
            raise SetupError(f"{strategy.name} already has a priority called ‘{name}’")
        last = strategy.priorities.aggregate(last=Max("order"))["last"] or 0
        priority = Priority.objects.create(
            strategy=strategy, name=name, order=last + 1, short_name=short_name
        )
        _audit(by, Action.STRATEGY_CHANGED, field="priority", new=name, comment=strategy.name)
    return priority


def priority_move(*, priority: Priority, up: bool, by) -> None:
    """Swaps the priority with its neighbour above (or below); the scorecard groups
    indicators in this order."""
    _check_coordinator(by)
    with transaction.atomic():
        ordered = list(priority.strategy.priorities.select_for_update().order_by("order", "name"))
        at = next(n for n, p in enumerate(ordered) if p.pk == priority.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(ordered):
            return
        ordered[at], ordered[other] = ordered[other], ordered[at]
        for n, item in enumerate(ordered, start=1):
            if item.order != n:
                item.order = n
                item.save(update_fields=["order"])
        _audit(
            by,
            Action.STRATEGY_CHANGED,
            field="priority order",
            new=" / ".join(p.name for p in ordered),
            comment=priority.strategy.name,
        )


def previous_strategy(strategy: Strategy) -> Strategy | None:
    return (
        Strategy.objects.filter(start_year__lt=strategy.start_year)
        .order_by("-start_year", "-id")
        .first()
    )


def strategy_carry_forward(*, strategy: Strategy, places: dict[int, Priority], by) -> int:
    """Puts the chosen indicators (id → priority of ``strategy``) into the strategy in
    one step. Their history and earlier places are untouched; those not chosen simply
    do not continue. Returns how many places were added or changed."""
    _check_coordinator(by)
    for priority in places.values():
        if priority.strategy_id != strategy.pk:
            raise SetupError(f"‘{priority.name}’ is not a priority of {strategy.name}")
    changed = 0
    with transaction.atomic():
        existing = {p.indicator_id: p for p in strategy.places.select_for_update()}
        codes = dict(Indicator.objects.filter(pk__in=places).values_list("pk", "code"))
        for indicator_id, priority in places.items():
            place = existing.get(indicator_id)
            if place is not None and place.priority_id == priority.pk:
                continue
            old = place.priority.name if place else ""
            StrategyIndicator.objects.update_or_create(
                strategy=strategy, indicator_id=indicator_id, defaults={"priority": priority}
            )
            _audit(
                by,
                Action.STRATEGY_CHANGED,
                field="place",
                old=old,
                new=priority.name,
                comment=f"{codes[indicator_id]} carried into {strategy.name}",
                indicator_id=indicator_id,
            )
            changed += 1
    return changed


# --- indicators ----------------------------------------------------------------------


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def indicator_save(*, indicator: Indicator, before: dict | None, by, place: Priority | None = None):
    """Creates or changes an indicator (``before`` holds the stored values of
    DEFINITION_FIELDS, None for a new one) with an audit entry per changed field, so
    the audit trail shows who changed a definition and when."""
    _check_coordinator(by)
    with transaction.atomic():
        creating = indicator.pk is None
        indicator.save()
        if creating:
            _audit(
                by,
                Action.DEFINITION_CHANGED,
                field="indicator",
                new=indicator.name,
                comment="created",
                indicator=indicator,
            )
            if place is not None:
                StrategyIndicator.objects.create(
                    strategy=place.strategy, priority=place, indicator=indicator
                )
            return indicator
        for name in DEFINITION_FIELDS:
            old, new = _shown(before.get(name)), _shown(getattr(indicator, name))
            if old != new:
                _audit(
                    by,
                    Action.DEFINITION_CHANGED,
                    field=name,
                    old=old,
                    new=new,
                    indicator=indicator,
                )
    return indicator


def definition_of(indicator: Indicator) -> dict:
    return {name: getattr(indicator, name) for name in DEFINITION_FIELDS}


# --- annual targets -----------------------------------------------------------------


@dataclass(frozen=True)
class TargetChoice:
    """What a coordinator set for one indicator's year: a type ("" for not set)."""

    indicator: Indicator
    target_type: str
    value: Decimal | None
    note: str = ""


def _describe(target_type: str, value) -> str:
    if not target_type:
        return "not set"
    if target_type == Target.Type.NONE:
        return "no target"
    if target_type == Target.Type.CHANGE_VS_LAST_YEAR:
        return f"{_shown(value)}% on last year"
    return _shown(value)


def targets_save(*, year: int, choices: list[TargetChoice], by) -> int:
    """Saves a year's targets together, in one transaction, with an audit entry per
    target that changed. Returns how many changed."""
    _check_coordinator(by)
    changed = 0
    label = financial_year_label(year)
    with transaction.atomic():
        stored = {
            t.indicator_id: t
            for t in Target.objects.select_for_update().filter(
                year=year, indicator__in=[c.indicator for c in choices]
            )
        }
        for choice in choices:
            target = stored.get(choice.indicator.pk)
            value = None if choice.target_type in ("", Target.Type.NONE) else choice.value
            old = _describe(target.target_type, target.value) if target else "not set"
            new = _describe(choice.target_type, value)
            if target is not None and old == new and target.note == choice.note:
                continue
            if target is None and not choice.target_type:
                continue
            if not choice.target_type:
                target.delete()
            else:
                Target.objects.update_or_create(
                    indicator=choice.indicator,
                    year=year,
                    defaults={
                        "target_type": choice.target_type,
                        "value": value,
                        "note": choice.note,
                    },
                )
            _audit(
                by,
                Action.TARGET_CHANGED,
                field=f"target {label}",
                old=old,
                new=new,
                comment=choice.note,
                indicator=choice.indicator,
            )
            changed += 1
    return changed


def _audit_definition(indicator, by, field, old, new, comment=""):
    record_audit(
        actor=by,
        action=AuditEntry.Action.DEFINITION_CHANGED,
        indicator=indicator,
        field=field,
        old_value=old,
        new_value=new,
        comment=comment,
    )


def series_break_set(*, indicator: Indicator, period: FinancialQuarter, reason: str, by):
    """Adds a break (or changes its reason); SPC starts afresh from that quarter."""

    if by is not None:
        require_coordinator(by)
    with transaction.atomic():
        existing = (
            SeriesBreak.objects.select_for_update()
            .filter(indicator=indicator, year=period.year, quarter=period.quarter)
            .first()
        )
        if existing is not None and existing.reason == reason:
            return existing, False
        old = existing.reason if existing else ""
        item, _ = SeriesBreak.objects.update_or_create(
            indicator=indicator,
            year=period.year,
            quarter=period.quarter,
            defaults={"reason": reason},
        )
        _audit_definition(indicator, by, "series_break", old, f"{period.label}: {reason}")
    return item, True


def series_break_remove(*, series_break, by):
    require_coordinator(by)
    with transaction.atomic():
        label = f"{series_break.period.label}: {series_break.reason}"
        indicator = series_break.indicator
        series_break.delete()
        _audit_definition(indicator, by, "series_break", label, "", "removed")
