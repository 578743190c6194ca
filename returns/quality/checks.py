"""Data quality before approval: the validation rules (``returns.quality.rules``) run over one
partner's figures for a quarter, and the outlier readings (``returns.quality.outliers``), for
the return form, the review queue and ``validation_analysis``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import grouped_number
from core.periods import FinancialQuarter
from indicators.models import Indicator
from returns.models import ApprovedValue, ReturnValue, ValidationRule
from returns.quality import rules


@dataclass
class RuleCheck:
    rule: ValidationRule
    outcome: rules.Outcome
    codes: list[str] = field(default_factory=list)  # the figures it names

    @property
    def violated(self) -> bool:
        return self.outcome.result == rules.Result.VIOLATED

    @property
    def is_high(self) -> bool:
        return self.rule.importance == rules.Importance.HIGH

    @property
    def message(self) -> str:
        left, right = self.outcome.left, self.outcome.right
        shown = (
            f" ({_number(left)} against {_number(right)})"
            if left is not None and right is not None
            else ""
        )
        text = f"{self.rule.name}: {self.rule.description}{shown}"
        return f"{text}. {self.rule.instruction}" if self.rule.instruction else text


def _number(value: Decimal | None) -> str:
    return "" if value is None else grouped_number(value)


def rules_for_codes(codes: set[str], rule_set=None) -> list[ValidationRule]:
    """The rules that name at least one of ``codes`` (one query, or none when the
    caller has loaded ``rule_set`` already)."""
    rule_set = list(ValidationRule.objects.all()) if rule_set is None else rule_set
    return [r for r in rule_set if set(r.codes) & codes]


def run_rules(
    rules_to_run: list[ValidationRule],
    now: dict[str, Decimal | None],
    last_year: dict[str, Decimal | None],
) -> list[RuleCheck]:
    def lookup(code: str, previous: bool) -> Decimal | None:
        return (last_year if previous else now).get(code)

    checks = []
    for rule in rules_to_run:
        left, right = rule.expressions()
        outcome = rules.check(left, rule.operator, right, rule.missing_value_strategy, lookup)
        checks.append(RuleCheck(rule, outcome, codes=rule.codes))
    return checks


def approved_figures(partner, fq: FinancialQuarter) -> dict[str, Decimal | None]:
    return dict(
        ApprovedValue.objects.filter(
            partner=partner, period__year=fq.year, period__quarter=fq.quarter
        ).values_list("indicator__code", "value")
    )


def return_figures(quarterly_return) -> dict[str, Decimal | None]:
    return dict(
        ReturnValue.objects.filter(quarterly_return=quarterly_return).values_list(
            "indicator__code", "value"
        )
    )


def partner_rule_checks(
    partner,
    fq: FinancialQuarter,
    now: dict[str, Decimal | None],
    *,
    rule_set=None,
    owned: set[str] | None = None,
    last_year: dict[str, Decimal | None] | None = None,
) -> list[RuleCheck]:
    """Every rule naming an indicator ``partner`` owns, over ``now`` (its figures for
    ``fq``, however they were gathered) and its approved figures a year earlier. A
    list page passes what it has loaded in bulk (``rule_set``, ``owned``, ``last_year``)
    so its query count does not grow with its rows."""
    if owned is None:
        owned = set(Indicator.objects.filter(owner=partner).values_list("code", flat=True))
    applying = rules_for_codes(owned, rule_set)
    if not applying:
        return []
    if last_year is None:
        last_year = approved_figures(partner, fq.same_quarter_last_year())
    return run_rules(applying, now, last_year)


def violations_by_code(checks: list[RuleCheck]) -> dict[str, list[RuleCheck]]:
    """{indicator code: the violated rules that name it}, for showing beside figures."""
    found: dict[str, list[RuleCheck]] = {}
    for check in checks:
        if check.violated:
            for code in check.codes:
                found.setdefault(code, []).append(check)
    return found
