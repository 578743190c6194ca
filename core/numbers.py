from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_FIGURE = Decimal("1e12")
FIGURE_PLACES = 4


# ASCII digits only, thousands grouped in threes or not at all, an optional point:
# "1,234", "1234", "-3", "14.5". Python's Decimal() would also take "1_000", "١٢",
# "1e3" and "NaN", which nobody means as a figure in a return.
_FIGURE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", re.ASCII)


class FigureError(ValueError):
    pass


EXAMPLES = {"count": "1234 or 1,234", "percentage": "14.5", "rate": "3.2"}


def number_example(measure: str | None = None) -> str:
    """An example that fits the measure: no "14.5" for a count of crimes."""
    return EXAMPLES.get(measure or "", "1234, 1,234 or 14.5")


def parse_figure(text: str, measure: str | None = None) -> Decimal:
    """A figure as people type it, the same for the form and for uploaded files."""
    cleaned = str(text).strip()
    message = f"Enter a number, like {number_example(measure)}"
    if not _FIGURE.match(cleaned):
        raise FigureError(message)
    try:
        number = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        raise FigureError(message) from None
    if abs(number) >= MAX_FIGURE:
        raise FigureError("Enter a number smaller than 1,000,000,000,000")
    if -number.as_tuple().exponent > FIGURE_PLACES:
        raise FigureError(f"Enter a number with at most {FIGURE_PLACES} decimal places")
    return number
