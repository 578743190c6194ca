"""How figures are written for people: ``7,881``, ``14.5%``, ``3.2 per 1,000``.

Plain Python. Values are shown as entered (trailing zeros of the stored precision
dropped); changes are rounded half-up to one decimal place.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def plain_number(value: Decimal | None, places: int | None = None) -> str:
    """Machine-friendly text: no separators, no exponent, blank for none."""
    if value is None:
        return ""
    if places is not None:
        value = round_half_up(value, places)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fixed_places(value: Decimal | None, places: int) -> str:
    """Always ``places`` decimals (``8.0``), rounded half-up; blank for none."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    return format(abs(rounded) if rounded == 0 else rounded, "f")


def grouped_number(value: Decimal, places: int | None = None) -> str:
    text = plain_number(value, places)
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}"
    return ("-" if negative else "") + whole + (f".{fraction}" if fraction else "")


def format_value(
    value: Decimal | None, measure: str, rate_per: int | None = None, places: int | None = None
) -> str:
    """A figure as people read it. ``places`` is for derived figures (targets, thresholds,
    SPC averages and limits): a count's are whole numbers, as nobody counts 7,609.7
    incidents (the exact figure stays in the CSV, JSON and API)."""
    if value is None:
        return ""
    if measure == "count" and places is not None:
        places = 0
    number = grouped_number(value, places)
    if measure == "percentage":
        return f"{number}%"
    if measure == "rate" and rate_per:
        return f"{number} per {rate_per:,}"
    return number


def format_change(change_pct: Decimal | None) -> str:
    if change_pct is None:
        return ""
    text = fixed_places(change_pct, 1)
    sign = "+" if Decimal(text) > 0 else ""
    return f"{sign}{text}%"


def format_percentage_points(actual: Decimal | None, comparison: Decimal | None) -> str:
    """A change in a percentage, in percentage points: 18.2% → 19.6% is '+1.4 pp'."""
    if actual is None or comparison is None:
        return ""
    text = fixed_places(actual - comparison, 1)
    sign = "+" if Decimal(text) > 0 else ""
    return f"{sign}{text} pp"


def format_movement(measure: str, actual, comparison, change_pct) -> str:
    """How a year-on-year change is written everywhere (dashboard, pack, indicator page,
    annual review): percentage points for a percentage, a relative % change otherwise."""
    if measure == "percentage":
        return format_percentage_points(actual, comparison)
    return format_change(change_pct)


def escape_formula(text: str) -> str:
    """Spreadsheet formula injection: a text cell starting with = + - @ would be run as
    a formula by Excel; a leading apostrophe makes it plain text."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


COUNT_NOUNS = [
    "crimes", "offences", "incidents", "visits", "entrants", "victims", "admissions",
    "referrals", "people", "reports",
]  # fmt: skip


def name_words(name: str) -> list[str]:
    return [w.strip("(),.").lower() for w in name.split()]


def count_noun(name: str) -> str:
    """The thing counted, for "(32 crimes)": a known noun in the name, else the first
    plural word ('Residential burglaries' → 'burglaries')."""
    words = name_words(name)
    known = next((w for w in words if w in COUNT_NOUNS), "")
    if known:
        return known
    return next((w for w in words if len(w) > 3 and w.endswith("s") and not w.endswith("ss")), "")


def round_half_up(value: Decimal | None, places: int = 1) -> Decimal | None:
    """Display rounding the way people do it by hand (2.25 → 2.3), unlike round()."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def is_control_character(char: str) -> bool:
    """A line break, tab or other control character: never part of a title, a name or
    an email header."""
    return ord(char) < 32 or ord(char) == 127


def has_control_characters(text: str) -> bool:
    return any(is_control_character(c) for c in text)
