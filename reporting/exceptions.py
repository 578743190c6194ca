"""What the partnership calls an exception, written once. The dashboard's exceptions
page, the meeting pack's exceptions section (frozen into its snapshot) and the public
page's "needs attention" list all take their reasons from ``exception_reasons``; small
numbers and series breaks are cautions, listed apart under their own heading
(``caution_reasons``), never mixed in with the exceptions.

Plain Python: the caller passes what it knows about one indicator's latest figure."""

from __future__ import annotations

RED = "Red against target"
WORSENING = "Worsening two periods running"


def exception_reasons(
    *,
    red: bool,
    worsening_two_periods: bool,
    outlier: str = "",
    special_cause_concern: str = "",
) -> list[str]:
    """Why an indicator is an exception, in the order a meeting reads them.
    ``outlier`` is the outlier reading's reason (``returns.quality.outliers``: which test and
    the expected range), or ""; ``special_cause_concern`` is the SPC label of a special
    cause concern, or ""."""
    reasons = []
    if red:
        reasons.append(RED)
    if worsening_two_periods:
        reasons.append(WORSENING)
    if outlier:
        reasons.append(outlier)
    if special_cause_concern:
        reasons.append(special_cause_concern)
    return reasons


def caution_reasons(*, caution: bool, caution_reason: str) -> list[str]:
    return [caution_reason] if caution and caution_reason else []
