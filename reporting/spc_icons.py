"""Making Data Count icons drawn as inline SVG: a coloured circle with a letter (H/L for
variation, P/F/? for assurance). The colour is never the only signal: every icon carries
its letter and a text label for screen readers, and pages show a legend."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indicators.spc import ASSURANCE_LABELS, VARIATION_LABELS, Assurance, Variation

# Dark enough for the white letter to pass WCAG AA (4.5:1) and the circle 3:1 on white.
COLOURS = {
    "improvement": "#005ea5",  # blue
    "concern": "#b35900",  # orange
    "neutral": "#6f3c96",  # purple
    "common": "#505a5f",  # grey
    "none": "#505a5f",
    "pass": "#005ea5",
    "fail": "#b35900",
    "hit_and_miss": "#505a5f",
}

_ICON = (
    '<span class="scp-spc scp-spc--{kind}" title="{label}">'
    '<svg class="scp-spc__icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
    'focusable="false"><circle cx="12" cy="12" r="11" fill="{colour}"/>{mark}</svg>'
    '<span class="govuk-visually-hidden">{label}</span></span>'
)
_LETTER = (
    '<text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="700" '
    'font-family="Arial, sans-serif" fill="#ffffff">{}</text>'
)
_FLAT = '<path d="M6 12h12" stroke="#ffffff" stroke-width="2.5" stroke-linecap="round"/>'
_DOTS = (
    '<circle cx="7" cy="12" r="1.6" fill="#ffffff"/><circle cx="12" cy="12" r="1.6" '
    'fill="#ffffff"/><circle cx="17" cy="12" r="1.6" fill="#ffffff"/>'
)


# The PDF draws the same icons with CSS (a round badge and a letter): WeasyPrint lays
# out every inline SVG as an image with its own text, ~45 ms each, and a pack has
# hundreds of icons. The badge and its words are two flat spans, coloured by class: a
# wrapping span and an inline style each cost WeasyPrint time for every icon (together
# ~0.8 s of a 200-indicator pack).
_BARE_BADGE = '<span class="scp-spc__badge scp-spc__badge--{kind}" aria-hidden="true">{mark}</span>'
_BADGE = _BARE_BADGE + '<span class="scp-spc__text">{label}</span>'

_BADGE_MARKS = {"common": "–", "none": "…"}


def _badge(kind: str, mark: str, label: str, *, words: bool):
    return format_html(_BADGE if words else _BARE_BADGE, kind=kind, mark=mark, label=label)


def variation_icon(variation: Variation | str | None, *, badge: bool = False, words: bool = True):
    """Accepts the enum or its stored value (meeting-pack snapshots hold strings).
    ``words=False``: the PDF's badge without its label, where the text beside it says
    what it means (the glossary)."""
    if isinstance(variation, str) and not isinstance(variation, Variation):
        variation = Variation(variation) if variation else None
    if variation is None:
        return "—"
    kind = variation.kind
    if badge:
        mark = _BADGE_MARKS.get(kind) or variation.letter
        return _badge(kind, mark, VARIATION_LABELS[variation], words=words)
    if kind == "common":
        mark = mark_safe(_FLAT)  # a constant: nothing to escape
    elif kind == "none":
        mark = mark_safe(_DOTS)
    else:
        mark = format_html(_LETTER, variation.letter)
    return format_html(
        _ICON, kind=kind, label=VARIATION_LABELS[variation], colour=COLOURS[kind], mark=mark
    )


def assurance_icon(assurance: Assurance | str | None, *, badge: bool = False, words: bool = True):
    if isinstance(assurance, str) and not isinstance(assurance, Assurance):
        assurance = Assurance(assurance) if assurance else None
    if assurance is None:
        return "—"
    if badge:
        return _badge(assurance.value, assurance.letter, ASSURANCE_LABELS[assurance], words=words)
    return format_html(
        _ICON,
        kind=assurance.value,
        label=ASSURANCE_LABELS[assurance],
        colour=COLOURS[assurance.value],
        mark=format_html(_LETTER, assurance.letter),
    )


def legend() -> list[tuple[str, str]]:
    """(icon, meaning) pairs for the legend under a table."""
    shown = [
        Variation.IMPROVEMENT_HIGH,
        Variation.IMPROVEMENT_LOW,
        Variation.CONCERN_HIGH,
        Variation.CONCERN_LOW,
        Variation.NEUTRAL_HIGH,
        Variation.COMMON_CAUSE,
        Variation.TOO_FEW_POINTS,
    ]
    return [(variation_icon(v), v.label) for v in shown] + [
        (assurance_icon(a), a.label) for a in Assurance
    ]


def badge_css() -> str:
    """The PDF's badge colours, one rule a kind."""
    return " ".join(
        f".scp-spc__badge--{kind} {{ background: {colour}; }}" for kind, colour in COLOURS.items()
    )
