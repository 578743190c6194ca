"""What the partnership calls an exception, written once. The dashboard's exceptions
page, the meeting pack's exceptions section (frozen into its snapshot) and the public
page's "needs attention" list all take their reasons from ``exception_reasons``; small
numbers and series breaks are cautions, listed apart under their own heading
(``caution_reasons``), never mixed in with the exceptions.

Plain Python: the caller passes what it knows about one indicator's latest figure."""

from __future__ import annotations

from decimal import Decimal

from returns.validation import moved_beyond_band

RED = "Red against target"
WORSENING = "Worsening two periods running"


def outlier_reason(band_pct: Decimal) -> str:
    return f"Outlier: moved more than ±{band_pct.normalize():f}% on the same quarter last year"


def is_outlier(actual: Decimal | None, last_year: Decimal | None, band_pct: Decimal) -> bool:
    """The same band a lead's return is checked against (``returns.validation``)."""
    return moved_beyond_band(actual, last_year, band_pct)


def exception_reasons(
    *,
    red: bool,
    worsening_two_periods: bool,
    outlier_band_pct: Decimal | None,
    special_cause_concern: str = "",
) -> list[str]:
    """Why an indicator is an exception, in the order a meeting reads them.
    ``outlier_band_pct`` is the band it moved beyond, or None when it did not;
    ``special_cause_concern`` is the SPC label of a special cause concern, or ""."""
    reasons = []
    if red:
        reasons.append(RED)
    if worsening_two_periods:
        reasons.append(WORSENING)
    if outlier_band_pct is not None:
        reasons.append(outlier_reason(outlier_band_pct))
    if special_cause_concern:
        reasons.append(special_cause_concern)
    return reasons


def caution_reasons(*, caution: bool, caution_reason: str) -> list[str]:
    return [caution_reason] if caution and caution_reason else []
