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

import math
import struct
import zlib
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.utils.html import escape

from core.charts import RAG_MARKERS, SPC_COLOURS, SPC_LEGEND, SPC_SHAPES, axis_title, year_colour
from core.periods import financial_year_label

FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
FONT_FILES = [
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


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
    if shape in ("diamond", "triangle"):
        pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in _polygon(shape, x, y))
        return f'<polygon points="{pts}" fill="{colour}" stroke="#0b0c0c" stroke-width="0.8"/>'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
    return ""


def _polygon(shape: str, x: float, y: float) -> list[tuple[float, float]]:
    if shape == "diamond":
        return [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
    return [(x, y - 5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)]


def _tick(value: float, span: float) -> str:
    return f"{value:,.0f}" if span >= 20 else f"{value:,.1f}"


def round_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Ticks a reader can read: steps of 1, 2, 2.5 or 5 times a power of ten, from at or
    below ``low`` to at or above ``high``, at most ``most`` of them (0/50/100, not
    0/47/94)."""
    span = (high - low) or abs(high) or 1.0
    magnitude = 10 ** math.floor(math.log10(span / (most - 1)))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        first, last = math.floor(low / step) * step, math.ceil(high / step) * step
        if round((last - first) / step) + 1 <= most:
            break
    count = max(1, round((last - first) / step))  # an axis has two ends, even for one value
    return [round(first + n * step, 10) for n in range(count + 1)]


@dataclass
class Chart:
    """A chart laid out in SVG user units: everything either renderer needs to draw."""

    width: int
    height: int
    axes: list[tuple[float, float, float, float]]  # x1, y1, x2, y2
    rules: list[tuple[float, float, float, str, str]]  # x1, x2, y, colour, dash
    polylines: list[tuple[list[tuple[float, float]], str, str]]  # points, colour, dash
    markers: list[tuple[str, float, float, str]]  # shape, x, y, colour
    texts: list[tuple[float, float, str, str]]  # x, y, text, anchor (start/middle/end)
    unit: str
    legend: list[tuple[tuple, str]]  # (("line", colour, dash) | ("marker", shape, colour)), label
    ticks: list[float] = field(default_factory=list)  # the y axis, lowest first


def layout_chart(
    *,
    lines: list[Line],
    levels: list[Level],
    x_labels: list[str],
    unit: str,
    legend_extra: list[tuple[tuple, str]] = (),
    width: int = 640,
    height: int = 190,
    from_zero: bool = True,
) -> Chart | None:
    """A small line chart: y axis at round ticks with headroom, the x labels
    thinned to fit, horizontal reference levels and a legend on the right."""
    left, right, top, bottom = 58, 160, 10, 34
    numbers = [v for line in lines for _, v in line.points] + [lv.value for lv in levels]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    room = (high - low) * 0.05 or abs(high) * 0.05 or 1.0  # so no marker sits on an axis
    if from_zero:
        low = min(low, 0.0)
    else:  # the figures' own range (a count never below zero), as the screen scales it
        low = max(0.0, low - room) if low >= 0 else low - room
    ticks = round_ticks(low, high + room)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(x_labels) - 1)

    def x_at(i: float) -> float:
        return left + plot_w * i / count

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    chart = Chart(width, height, [], [], [], [], [], unit, [], ticks)
    chart.axes = [
        (left, top + plot_h, left + plot_w, top + plot_h),
        (left, top, left, top + plot_h),
    ]
    for value in ticks:
        chart.texts.append((left - 4, y_at(value) + 3, _tick(value, high - low), "end"))
    for level in levels:
        chart.rules.append((left, left + plot_w, y_at(level.value), level.colour, level.dash))
        if level.label:
            chart.legend.append((("line", level.colour, level.dash), level.label))
    for line in lines:
        if not line.points:
            continue
        points = [(x_at(x), y_at(v)) for x, v in line.points]
        chart.polylines.append((points, line.colour, line.dash))
        for n, (px, py) in enumerate(points):
            shape = line.markers[n] if n < len(line.markers) else "circle"
            colour = line.marker_colours[n] if n < len(line.marker_colours) else line.colour
            chart.markers.append((shape, px, py, colour))
        if line.label:
            chart.legend.append((("line", line.colour, line.dash), line.label))
    step = max(1, -(-len(x_labels) // 6))
    for i in range(0, len(x_labels), step):
        chart.texts.append((x_at(i), top + plot_h + 14, x_labels[i], "middle"))
    chart.legend += list(legend_extra)
    return chart


def to_svg(chart: Chart | None) -> str:
    """For the web version of the pack: text stays text."""
    if chart is None:
        return ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'font-family="{FONT}" font-size="10" fill="#0b0c0c">'
    ]
    for x1, y1, x2, y2 in chart.axes:
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#0b0c0c"/>')
    for x1, x2, y, colour, dash in chart.rules:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x1}" y1="{y:.1f}" x2="{x2}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="1.5"{dashes}/>'
        )
    for points, colour, dash in chart.polylines:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>'
        )
    out += [marker(shape, x, y, colour) for shape, x, y, colour in chart.markers]
    for x, y, text, anchor in chart.texts:
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>')
    middle = (chart.height - 24) / 2
    out.append(
        f'<text x="12" y="{middle:.1f}" transform="rotate(-90 12 {middle:.1f})" '
        f'text-anchor="middle">{escape(chart.unit)}</text>'
    )
    x0, y = chart.width - 160 + 20, 18
    for key, label in chart.legend:
        if key[0] == "line":
            dashes = f' stroke-dasharray="{key[2]}"' if key[2] else ""
            out.append(
                f'<line x1="{x0 - 9}" y1="{y}" x2="{x0 + 9}" y2="{y}" stroke="{key[1]}" '
                f'stroke-width="2"{dashes}/>'
            )
        else:
            out.append(marker(key[1], x0, y, key[2]))
        out.append(f'<text x="{x0 + 14}" y="{y + 3}">{escape(label)}</text>')
        y += 15
    out.append("</svg>")
    return "".join(out)


def to_png(chart: Chart | None, scale: float = 1.5) -> bytes:
    """For the PDF: WeasyPrint draws a PNG in a fraction of the time it takes to lay
    out and paint an SVG (half of a pack's generation time went on 2 SVGs an
    indicator). Drawn with Pillow, which WeasyPrint already depends on."""
    from PIL import Image, ImageDraw

    if chart is None:
        return b""
    # Drawn straight into a palette image: a chart has a dozen colours, and quantising an
    # RGB image afterwards took longer than drawing it.
    image = Image.new("P", (int(chart.width * scale), int(chart.height * scale)), 0)
    image.putpalette([255, 255, 255])
    draw = ImageDraw.Draw(image)

    def pt(x, y):
        return (x * scale, y * scale)

    def dashed(x1, y, x2, colour, dash, width):
        if not dash:
            draw.line([pt(x1, y), pt(x2, y)], fill=colour, width=width)
            return
        on, off = (float(n) for n in dash.split(","))
        x = x1
        while x < x2:
            draw.line([pt(x, y), pt(min(x + on, x2), y)], fill=colour, width=width)
            x += on + off

    for x1, y1, x2, y2 in chart.axes:
        draw.line([pt(x1, y1), pt(x2, y2)], fill="#0b0c0c", width=int(scale))
    for x1, x2, y, colour, dash in chart.rules:
        dashed(x1, y, x2, colour, dash, int(1.5 * scale))
    for points, colour, _dash in chart.polylines:
        draw.line([pt(x, y) for x, y in points], fill=colour, width=int(2 * scale), joint="curve")
    for shape, x, y, colour in chart.markers:
        _png_marker(draw, shape, x, y, colour, scale)
    size = int(10 * scale)

    def text(x, y, words, anchor, font_size=size):
        (left, top), stamp = _text_stamp(words, font_size, anchor)
        draw.bitmap((round(x * scale) + left, round(y * scale) + top), stamp, fill="#0b0c0c")

    for x, y, words, anchor in chart.texts:
        text(x, y, words, {"start": "ls", "middle": "ms", "end": "rs"}[anchor])
    x0, y = chart.width - 160 + 20, 18
    room = round((chart.width - x0 - 14 - LEGEND_MARGIN) * scale)
    for key, label in chart.legend:
        if key[0] == "line":
            dashed(x0 - 9, y, x0 + 9, key[1], key[2], int(2 * scale))
        else:
            _png_marker(draw, key[1], x0, y, key[2], scale)
        text(x0 + 14, y + 3, label, "ls", _fitting_size(label, size, room))
        y += 15
    if chart.unit:
        (left, top), stamp = _text_stamp(chart.unit, size, "mm")
        upright = stamp.rotate(90, expand=True)
        # Centred on the plot area (the x labels take the bottom 34), against the left edge.
        draw.bitmap(
            (2, round((chart.height / 2 - 12) * scale - upright.height / 2)),
            upright,
            fill="#0b0c0c",
        )
    # RGB: WeasyPrint embeds an 8-bit RGB PNG's compressed data as it is (see pdf.py).
    return rgb_png(image.convert("RGB"))


LEGEND_MARGIN = 2  # chart units kept clear at the right-hand edge


@lru_cache(maxsize=256)
def _fitting_size(words: str, size: int, room: int) -> int:
    """The font size at which a legend label fits the legend's width: the labels are
    sized for Liberation Sans, and a machine without it draws them in the wider DejaVu
    Sans, which ran "Special cause improvement" off the edge of the chart."""
    while size > 6 and _font(size).getlength(words) > room:
        size -= 1
    return size


@lru_cache(maxsize=4096)  # bounded: tick values differ from pack to pack
def _text_stamp(words: str, size: int, anchor: str):
    """A label drawn once as a mask and stamped wherever it recurs: the same ticks,
    quarters and legend entries appear on hundreds of a pack's charts, and rasterising
    them again each time was a third of a chart's drawing."""
    from PIL import Image, ImageDraw

    font = _font(size)
    left, top, right, bottom = font.getbbox(words, anchor=anchor)
    stamp = Image.new("1", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(stamp).text((-left, -top), words, fill=1, font=font, anchor=anchor)
    return (left, top), stamp


def rgb_png(image) -> bytes:
    """An 8-bit RGB PNG with every row unfiltered. Pillow tries five filters on every
    row; a chart is mostly flat colour, which deflate compresses nearly as well without
    them, in half the time (400 charts a 200-indicator pack)."""
    width, height = image.size
    stride = width * 3
    pixels = memoryview(image.tobytes())
    # Each row after its filter type, 0: the row as it is.
    rows = b"\0" + b"\0".join(
        pixels[start : start + stride] for start in range(0, len(pixels), stride)
    )

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"".join(
        [
            PNG_SIGNATURE,
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", zlib.compress(rows, 3)),
            png_chunk(b"IEND", b""),
        ]
    )


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: its length, type, data and the CRC of type and data."""
    body = kind + data
    return struct.pack("!I", len(data)) + body + struct.pack("!I", zlib.crc32(body))


def _png_marker(draw, shape, x, y, colour, scale):
    if shape == "square":
        box = [(x - 3.5) * scale, (y - 3.5) * scale, (x + 3.5) * scale, (y + 3.5) * scale]
        draw.rectangle(box, fill=colour)
    elif shape in ("diamond", "triangle"):
        points = [(px * scale, py * scale) for px, py in _polygon(shape, x, y)]
        draw.polygon(points, fill=colour, outline="#0b0c0c")
    elif shape == "circle":
        box = [(x - 3) * scale, (y - 3) * scale, (x + 3) * scale, (y + 3) * scale]
        draw.ellipse(box, fill=colour)


@cache
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def axis_label(indicator: dict) -> str:
    """``axis_title`` for an indicator as frozen in a pack snapshot."""
    return axis_title(indicator["measure"], indicator["name"], indicator["unit"])


def quarterly_chart(indicator: dict) -> Chart | None:
    """Last year and this year by quarter, one line per financial year, with the
    quarter's target; the latest point's RAG shown by its marker shape and named in the
    legend."""
    history = [h for h in indicator["history"] if h["value"] != ""]
    years = sorted({h["year"] for h in history})[-2:]
    lines = []
    for year in years:
        points = [h for h in history if h["year"] == year]
        shapes = [
            RAG_MARKERS.get(indicator["rag"], "circle")
            if h["label"] == indicator["period"]
            else "circle"
            for h in points
        ]
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
        extra.append(
            (
                ("marker", RAG_MARKERS[indicator["rag"]], "#ffffff"),
                f"{indicator['period']}: {indicator['rag_label']}",
            )
        )
    levels = []
    if indicator.get("target_quarter"):
        target = float(indicator["target_quarter"])
        levels.append(Level("Target (a quarter)", target, "#0b0c0c", "5,3"))
    return layout_chart(
        lines=lines,
        levels=levels,
        x_labels=["Q1", "Q2", "Q3", "Q4"],
        unit=axis_label(indicator),
        legend_extra=extra,
        width=420,
        height=170,
        from_zero=False,  # two years near 2,000 would otherwise sit in one thin band
    )


def xmr_chart(indicator: dict) -> Chart | None:
    """The SPC (XmR) chart of the pack's snapshot: points, average, process limits and
    the quarter's target; special-cause points by colour and shape. None when SPC had
    too few points."""
    series = indicator.get("spc_series") or []
    if not series:
        return None
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
        target = float(indicator["spc_target"])
        levels.append(Level("Target (a quarter)", target, "#d4351c", "2,2"))
    extra = [
        (("marker", SPC_SHAPES.get(k, "circle"), SPC_COLOURS[k]), SPC_LEGEND[k])
        for k in dict.fromkeys(kinds)
    ]
    return layout_chart(
        lines=[line],
        levels=levels,
        x_labels=[p["label"] for p in series],
        unit=axis_label(indicator),
        legend_extra=extra,
        from_zero=False,  # as on screen: the limits and points fill the height
    )


def xmr_chart_svg(indicator: dict) -> str:
    return to_svg(xmr_chart(indicator))
