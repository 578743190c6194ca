"""The scorecard's readings in words a resident reads without a glossary, for the public
page (the technical term stays a click away there). Plain Python."""

from __future__ import annotations

from indicators.spc import Variation
from reporting import exceptions

VARIATION = {
    "common_cause": "within its usual ups and downs",
    "too_few_points": "not enough quarters yet to tell whether it is unusual",
    "improvement_high": "higher than usual, which is better — unlikely to be chance",
    "improvement_low": "lower than usual, which is better — unlikely to be chance",
    "concern_high": "higher than usual, which is worse — unlikely to be chance",
    "concern_low": "lower than usual, which is worse — unlikely to be chance",
    "neutral_high": "higher than usual — unlikely to be chance",
    "neutral_low": "lower than usual — unlikely to be chance",
}
ASSURANCE = {
    "pass": "it is on course to meet its target",
    "fail": "it is unlikely to meet its target without a change",
    "hit_and_miss": "it may or may not meet its target",
}
REASONS = {
    exceptions.RED: "worse than its target",
    exceptions.WORSENING: "worse than a year before, two quarters running",
}
_BY_LABEL = {v.label: VARIATION[v.value] for v in Variation}
OUTLIER = "Outlier ("


def reason(text: str) -> str:
    """One exception reason (``reporting.exceptions``) in plain words: "Outlier (same
    quarter of the last three years): usually 61–133 in Q4" → "unusual for it: usually
    61–133 in Q4"; an SPC label → what it means. A reason it does not know stays as it is."""
    if text in REASONS:
        return REASONS[text]
    if text.startswith(OUTLIER) and "): " in text:
        return "unusual for it: " + text.split("): ", 1)[1]
    return _BY_LABEL.get(text, text)
