"""Rules for the figures a partner lead enters. Plain Python (Decimals in, messages out)
so the form, the upload and the tests share one definition.

Field-level rules apply whenever figures are saved; the completeness and commentary
rules apply on submit, when the return goes to the Stronger Communities team.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import formatting
from core.periods import FinancialQuarter
from indicators import rag
from returns.quality import outliers

HUNDRED = Decimal(100)
COMMENTARY_MAX = 4000


@dataclass(frozen=True)
class Entry:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    not_available: bool = False
    not_available_reason: str = ""


@dataclass(frozen=True)
class Context:
    """What the rules need to know about the indicator and last year."""

    rules: rag.IndicatorRules
    outlier_band_pct: Decimal = Decimal(50)
    same_quarter_last_year: Decimal | None = None
    rag_preview: rag.Rag | None = None  # RAG the scorecard would show with this value
    # The figure against its own history (returns.outliers); None: the band alone.
    outlier: outliers.Check | None = None
    period: FinancialQuarter | None = None


def value_problem(value: Decimal, measure: str) -> str | None:
    if measure == rag.Measure.PERCENTAGE and not 0 <= value <= 100:
        return "Enter a percentage between 0 and 100"
    if measure == rag.Measure.COUNT and value < 0:
        return "A count cannot be negative"
    if measure == rag.Measure.COUNT and value != value.to_integral():
        return "A count must be a whole number"
    if measure == rag.Measure.RATE and value < 0:
        return "A rate cannot be negative"
    return None


AGREE_WITHIN = Decimal("0.05")  # a value typed to 1 decimal place agrees with its ratio


def derived_value(
    measure: str, numerator: Decimal | None, denominator: Decimal | None, rate_per=None
) -> Decimal | None:
    """The value a numerator and denominator give: a percentage, or a rate per N."""
    if numerator is None or denominator is None or denominator <= 0 or numerator < 0:
        return None
    if measure == rag.Measure.PERCENTAGE:
        return numerator / denominator * HUNDRED
    if measure == rag.Measure.RATE and rate_per:
        return numerator / denominator * Decimal(rate_per)
    return None


def with_derived_value(entry: Entry, measure: str, rate_per=None) -> tuple[Entry, str | None]:
    """Fills a blank value from the numerator and denominator (to 1 decimal place); a
    value that was typed must agree with them within rounding. Returns the entry and
    the problem, if any."""
    derived = derived_value(measure, entry.numerator, entry.denominator, rate_per)
    if derived is None or entry.not_available:
        return entry, None
    shown = formatting.round_half_up(derived, 1)
    if entry.value is None:
        return Entry(**{**entry.__dict__, "value": shown}), None
    if abs(entry.value - derived) > AGREE_WITHIN:
        unit = "%" if measure == rag.Measure.PERCENTAGE else ""
        return entry, (
            f"The value does not match the numerator and denominator, which give "
            f"{shown}{unit}: correct one of them, or leave the value blank"
        )
    return entry, None


def field_errors(entry: Entry, measure: str) -> dict[str, str]:
    """Problems that make a figure wrong whatever else is true (checked on every save)."""
    errors: dict[str, str] = {}
    if entry.value is not None:
        if problem := value_problem(entry.value, measure):
            errors["value"] = problem
    for name in ("numerator", "denominator"):
        number = getattr(entry, name)
        if number is not None and number < 0:
            errors[name] = f"The {name} cannot be negative"
    if entry.numerator is not None and entry.denominator is not None:
        if entry.denominator == 0:
            errors["denominator"] = "The denominator cannot be zero"
        elif entry.numerator > entry.denominator:
            errors["numerator"] = "The numerator cannot be more than the denominator"
    if entry.not_available and entry.value is not None:
        errors["value"] = "Leave the value blank when the figure is not available"
    return errors


def change_pct(value: Decimal | None, last_year: Decimal | None) -> Decimal | None:
    return rag.change_vs_last_year_pct(value, last_year)


def moved_beyond_band(value: Decimal | None, last_year: Decimal | None, band_pct: Decimal) -> bool:
    """The one outlier rule: a move of more than ``band_pct`` on the same quarter last
    year (the return form, the review queue and the scorecard's exceptions all ask it)."""
    change = change_pct(value, last_year)
    return change is not None and abs(change) > band_pct


def is_outlier(entry: Entry, context: Context) -> bool:
    """DHIS2-style: unusual against the figure's own history (the two outlier tests
    where there is enough of it, else the band on the same quarter last year)."""
    if context.outlier is not None:
        return context.outlier.is_outlier
    return moved_beyond_band(entry.value, context.same_quarter_last_year, context.outlier_band_pct)


def _history_message(context: Context) -> str:
    reading = context.outlier.flagged[0]
    return (
        f"This figure is unusual against its own history ({reading.expected(context.period, context.rules.measure)}; "
        f"{outliers.TEST_NAMES[reading.test]}): add a commentary explaining it"
    )


def submit_errors(entry: Entry, context: Context) -> dict[str, str]:
    """What must be true before the return goes for review."""
    errors = field_errors(entry, context.rules.measure)
    if errors:
        return errors
    if entry.not_available:
        if not entry.not_available_reason.strip():
            errors["not_available_reason"] = "Say why the figure is not available"
        return errors
    if entry.value is None:
        errors["value"] = "Enter a value, or tick 'not available' and give a reason"
        return errors
    has_commentary = bool(entry.commentary.strip())
    history_test = (
        context.outlier is not None
        and context.outlier.is_outlier
        and context.outlier.flagged[0].test != outliers.BAND
    )
    if not has_commentary and history_test:
        errors["commentary"] = _history_message(context)
    elif not has_commentary and is_outlier(entry, context):
        change = formatting.round_half_up(
            change_pct(entry.value, context.same_quarter_last_year), 1
        )
        errors["commentary"] = (
            f"This is {change:+}% on the same quarter last year (more than "
            f"±{context.outlier_band_pct.normalize():f}%): add a commentary explaining it"
        )
    elif not has_commentary and context.rag_preview == rag.Rag.RED:
        errors["commentary"] = "This figure is red against target: say what is being done"
    return errors
