from __future__ import annotations

from core.formatting import count_noun

# Each financial year keeps its colour everywhere (by the year's number, not its order).
YEAR_COLOURS = ["#1d70b8", "#d53880", "#00703c", "#4c2c92", "#f47738", "#28a197"]


RAG_MARKERS = {"red": "diamond", "amber": "triangle", "green": "circle"}


SPC_COLOURS = {
    "improvement": "#005ea5",
    "concern": "#b35900",
    "neutral": "#6f3c96",
    "common": "#505a5f",
}


SPC_SHAPES = {"improvement": "square", "concern": "diamond", "neutral": "triangle"}


SPC_LEGEND = {
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neutral": "Special cause (neutral)",
    "common": "Common cause",
}


def year_colour(year: int) -> str:
    return YEAR_COLOURS[year % len(YEAR_COLOURS)]


def axis_title(measure: str, name: str, unit: str) -> str:
    """The y axis in words, the same on the indicator page and in the pack: 'Offences',
    'Percentage (%)', 'Rate per 100,000' (not the bare unit 'number')."""
    if measure == "percentage":
        return "Percentage (%)"
    if measure == "rate":
        return f"Rate {unit}"
    noun = count_noun(name)
    return noun.capitalize() if noun else "Number"
