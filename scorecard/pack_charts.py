"""Static SVG charts for meeting packs (web, PDF), drawn from the frozen snapshot.

A pack chart is a few lines, markers and labels, so it is written as SVG directly: it
takes microseconds, the PDF keeps its text as text, and WeasyPrint lays out a handful of
elements per chart. matplotlib took ~50 ms a figure and its SVG (hundreds of path and
glyph elements) roughly doubled WeasyPrint's time and memory; a 200-indicator pack has
400 charts. plotly's static export needs a browser in the worker, so the interactive
plotly charts stay on the indicator pages.

Colour encodes the series (each financial year its own colour); RAG and special cause
are shown by marker shape and a legend entry as well, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape

from scorecard.periods import financial_year_label

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
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


def year_colour(year: int) -> str:
    return YEAR_COLOURS[year % len(YEAR_COLOURS)]


@dataclass
class Line:
    label: str
    points: list[tuple[float, float]]  # (x index, value)
    colour: str
    markers: list[str] = field(default_factory=list)  # a shape per point, "" for none
    marker_colours: list[str] = field(default_factory=list)
    dash: str = ""


@dataclass
class Level:
    label: str
    value: float
    colour: str
    dash: str = ""


def marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}" stroke="#0b0c0c" stroke-width="0.8"/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - 5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{pts}" fill="{colour}" stroke="#0b0c0c" stroke-width="0.8"/>'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
    return ""


def _tick(value: float, span: float) -> str:
    return f"{value:,.0f}" if span >= 20 else f"{value:,.1f}"


def line_chart_svg(
    *,
    lines: list[Line],
    levels: list[Level],
    x_labels: list[str],
    unit: str,
    legend_extra: list[tuple[str, str]] = (),
    width: int = 640,
    height: int = 190,
) -> str:
    """A small line chart: y axis with three labelled ticks and headroom, the x labels
    thinned to fit, horizontal reference levels and a legend on the right."""
    left, right, top, bottom = 58, 160, 10, 34
    numbers = [v for line in lines for _, v in line.points] + [lv.value for lv in levels]
    if not numbers:
        return ""
    low, high = min(numbers + [0.0]), max(numbers)
    high += (high - low) * 0.1 or 1.0  # headroom, so the top marker is not clipped
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(x_labels) - 1)

    def x_at(i: float) -> float:
        return left + plot_w * i / count

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="10" fill="#0b0c0c">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#0b0c0c"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#0b0c0c"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        out.append(
            f'<text x="{left - 4}" y="{y_at(value) + 3:.1f}" text-anchor="end">'
            f"{_tick(value, high - low)}</text>"
        )
    legend: list[tuple[str, str]] = []
    for level in levels:
        y = y_at(level.value)
        dash = f' stroke-dasharray="{level.dash}"' if level.dash else ""
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{level.colour}" stroke-width="1.5"{dash}/>'
        )
        if level.label:
            legend.append(
                (
                    f'<line x1="-9" y1="0" x2="9" y2="0" stroke="{level.colour}" '
                    f'stroke-width="1.5"{dash}/>',
                    level.label,
                )
            )
    for line in lines:
        if not line.points:
            continue
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        pts = " ".join(f"{x_at(x):.1f},{y_at(v):.1f}" for x, v in line.points)
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{line.colour}" stroke-width="2"{dash}/>'
        )
        for n, (x, v) in enumerate(line.points):
            shape = line.markers[n] if n < len(line.markers) else "circle"
            colour = line.marker_colours[n] if n < len(line.marker_colours) else line.colour
            out.append(marker(shape, x_at(x), y_at(v), colour))
        if line.label:
            legend.append(
                (
                    f'<line x1="-9" y1="0" x2="9" y2="0" stroke="{line.colour}" '
                    f'stroke-width="2"{dash}/>',
                    line.label,
                )
            )
    step = max(1, -(-len(x_labels) // 6))
    for i in range(0, len(x_labels), step):
        out.append(
            f'<text x="{x_at(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{escape(x_labels[i])}</text>"
        )
    middle = top + plot_h / 2
    out.append(
        f'<text x="12" y="{middle:.1f}" transform="rotate(-90 12 {middle:.1f})" '
        f'text-anchor="middle">{escape(unit)}</text>'
    )
    y = top + 8
    for symbol, label in [*legend, *legend_extra]:
        out.append(f'<g transform="translate({width - right + 20},{y})">{symbol}</g>')
        out.append(f'<text x="{width - right + 34}" y="{y + 3}">{escape(label)}</text>')
        y += 15
    out.append("</svg>")
    return "".join(out)


def quarterly_chart_svg(indicator: dict) -> str:
    """Last year and this year by quarter, one line per financial year; the latest
    point's RAG shown by its marker shape and named in the legend."""
    history = [h for h in indicator["history"] if h["value"] != ""]
    years = sorted({h["year"] for h in history})[-2:]
    lines = []
    for year in years:
        points = [h for h in history if h["year"] == year]
        shapes = []
        for h in points:
            latest = h["label"] == indicator["period"]
            shapes.append(RAG_MARKERS.get(indicator["rag"], "circle") if latest else "circle")
        lines.append(
            Line(
                label=financial_year_label(year),
                points=[(h["quarter"] - 1, float(h["value"])) for h in points],
                colour=year_colour(year),
                markers=shapes,
            )
        )
    extra = []
    if indicator["rag"] in RAG_MARKERS:
        shape = marker(RAG_MARKERS[indicator["rag"]], 0, 0, "#ffffff")
        extra.append((shape, f"{indicator['period']}: {indicator['rag_label']}"))
    levels = []
    if indicator.get("target_quarter"):
        levels.append(Level("Target (a quarter)", float(indicator["target_quarter"]), "#0b0c0c",
                            "5,3"))  # fmt: skip
    return line_chart_svg(
        lines=lines,
        levels=levels,
        x_labels=["Q1", "Q2", "Q3", "Q4"],
        unit=indicator["unit"],
        legend_extra=extra,
        width=420,
        height=170,
    )


def xmr_chart_svg(indicator: dict) -> str:
    """The SPC (XmR) chart of the pack's snapshot: points, average, process limits and
    the quarter's target; special-cause points by colour and shape. Empty when SPC had
    too few points."""
    series = indicator.get("spc_series") or []
    if not series:
        return ""
    kinds = [p["kind"] for p in series]
    line = Line(
        label="",
        points=[(i, float(p["value"])) for i, p in enumerate(series)],
        colour="#6f777b",
        markers=[SPC_SHAPES.get(k, "circle") for k in kinds],
        marker_colours=[SPC_COLOURS[k] for k in kinds],
    )
    levels = [Level("Average", float(indicator["spc_mean"]), "#0b0c0c")]
    levels.append(Level("Process limits", float(indicator["spc_upper"]), "#505a5f", "5,3"))
    levels.append(Level("", float(indicator["spc_lower"]), "#505a5f", "5,3"))
    if indicator.get("spc_target"):
        levels.append(Level("Target (a quarter)", float(indicator["spc_target"]), "#d4351c",
                            "2,2"))  # fmt: skip
    extra = [
        (marker(SPC_SHAPES.get(k, "circle"), 0, 0, SPC_COLOURS[k]), SPC_LEGEND[k])
        for k in dict.fromkeys(kinds)
    ]
    return line_chart_svg(
        lines=[line],
        levels=levels,
        x_labels=[p["label"] for p in series],
        unit=indicator["unit"],
        legend_extra=extra,
    )
