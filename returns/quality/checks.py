"""Data quality before approval: the validation rules (``returns.quality.rules``) run over one
partner's figures for a quarter, and the outlier readings (``returns.quality.outliers``), for
the return form, the review queue and ``validation_analysis``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from core.formatting import grouped_number, plain_number
from core.periods import FinancialQuarter
from indicators.models import Indicator
from returns.models import ApprovedValue, ReturnValue, ValidationRule
from returns.quality import outliers, rules


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


ANALYSIS_COLUMNS = [
    "rule",
    "period",
    "partner",
    "left_value",
    "operator",
    "right_value",
    "importance",
    "result",
]


def period_figures(fq: FinancialQuarter) -> dict[int, dict[str, Decimal | None]]:
    """{partner id: {indicator code: figure}} for ``fq``: the approved figure, or the
    one in the partner's return while it is not approved yet (two queries)."""
    figures: dict[int, dict[str, Decimal | None]] = {}
    for partner_id, code, value in ReturnValue.objects.filter(
        quarterly_return__period__year=fq.year, quarterly_return__period__quarter=fq.quarter
    ).values_list("quarterly_return__partner_id", "indicator__code", "value"):
        figures.setdefault(partner_id, {})[code] = value
    for partner_id, code, value in ApprovedValue.objects.filter(
        period__year=fq.year, period__quarter=fq.quarter
    ).values_list("partner_id", "indicator__code", "value"):
        figures.setdefault(partner_id, {})[code] = value
    return figures


def period_analysis(fq: FinancialQuarter, partners) -> list[dict]:
    """Every rule × partner owning an indicator it names, then each owned figure's two
    outlier readings, as rows of ``ANALYSIS_COLUMNS`` (numbers as plain decimals)."""
    rule_set = list(ValidationRule.objects.all())
    indicators = list(
        Indicator.objects.filter(owner__in=partners).prefetch_related("breaks").order_by("code")
    )
    now = period_figures(fq)
    last_year = period_figures(fq.same_quarter_last_year())
    history_years = range(fq.year - outliers.SEASONAL_YEARS, fq.year + 1)
    history: dict[int, dict] = {}
    for indicator_id, year, quarter, value in ApprovedValue.objects.filter(
        indicator__in=indicators,
        period__year__in=history_years,
        partner_id=F("indicator__owner_id"),
    ).values_list("indicator_id", "period__year", "period__quarter", "value"):
        history.setdefault(indicator_id, {})[FinancialQuarter(year, quarter)] = value
    rows = []
    for partner in partners:
        owned = [i for i in indicators if i.owner_id == partner.id]
        checks = partner_rule_checks(
            partner,
            fq,
            now.get(partner.id, {}),
            rule_set=rule_set,
            owned={i.code for i in owned},
            last_year=last_year.get(partner.id, {}),
        )
        for check in checks:
            rows.append(
                {
                    "rule": check.rule.code,
                    "period": fq.label,
                    "partner": partner.code,
                    "left_value": plain_number(check.outcome.left),
                    "operator": check.rule.operator,
                    "right_value": plain_number(check.outcome.right),
                    "importance": check.rule.importance,
                    "result": check.outcome.result.value,
                }
            )
        for indicator in owned:
            value = now.get(partner.id, {}).get(indicator.code)
            if value is None:
                continue
            found = outliers.history_readings(
                value,
                fq,
                history.get(indicator.id, {}),
                outliers.series_start(indicator.series_breaks(), fq),
            )
            small = indicator.caution_below is not None and value < indicator.caution_below
            for test in (outliers.MODIFIED_Z, outliers.SEASONAL):
                reading = found[test]
                result = rules.Result.SKIPPED
                if reading is not None and not small:
                    result = rules.Result.VIOLATED if reading.flagged else rules.Result.PASSED
                rows.append(
                    {
                        "rule": f"outlier:{test}",
                        "period": fq.label,
                        "partner": partner.code,
                        "left_value": plain_number(value),
                        "operator": "within",
                        "right_value": (
                            f"{plain_number(reading.low, 4)}..{plain_number(reading.high, 4)}"
                            if reading is not None
                            else ""
                        ),
                        "importance": rules.Importance.MEDIUM.value,
                        "result": result.value,
                    }
                )
    return rows
