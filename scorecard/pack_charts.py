"""Static SVG charts for meeting packs (web and PDF).

plotly's static export (kaleido) needs a browser at generation time; a celery worker
should not depend on one, so pack charts are drawn with matplotlib's SVG backend, which
has no such dependency. The interactive plotly charts stay on the indicator pages."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

from scorecard.periods import financial_year_label  # noqa: E402

plt.rcParams.update(
    {
        # Fonts that Debian machines have (fonts-liberation, fonts-dejavu-core); naming one
        # that is missing makes matplotlib search and warn for every label.
        "font.family": ["Liberation Sans", "DejaVu Sans"],
        "font.size": 9,
        "svg.fonttype": "none",  # text stays text: searchable and extractable in the PDF
        "svg.hashsalt": "scp-scorecard",  # stable output for the same data
    }
)

RAG_COLOURS = {
    "red": "#d4351c",
    "amber": "#ffdd00",
    "green": "#00703c",
    "grey": "#505a5f",
    "not_rated": "#b1b4b6",
}
LINE_COLOURS = ["#b1b4b6", "#1d70b8"]


def quarterly_chart_svg(indicator: dict) -> str:
    """Last year and this year by quarter, the latest point coloured by its RAG."""
    figure, axes = plt.subplots(figsize=(4.2, 2.0), dpi=100)
    years = sorted({h["year"] for h in indicator["history"]})
    for n, year in enumerate(years[-2:]):
        points = [h for h in indicator["history"] if h["year"] == year and h["value"] != ""]
        xs = [h["quarter"] for h in points]
        ys = [float(h["value"]) for h in points]
        colour = LINE_COLOURS[n if len(years) > 1 else 1]
        axes.plot(xs, ys, marker="o", color=colour, linewidth=2, label=financial_year_label(year))
    latest = [h for h in indicator["history"] if h["label"] == indicator["period"]]
    if latest and latest[0]["value"] != "":
        axes.scatter(
            [latest[0]["quarter"]],
            [float(latest[0]["value"])],
            s=70,
            color=RAG_COLOURS.get(indicator["rag"], "#505a5f"),
            edgecolors="#0b0c0c",
            zorder=5,
        )
    axes.set_xticks([1, 2, 3, 4], ["Q1", "Q2", "Q3", "Q4"])
    axes.set_ylim(bottom=0)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    axes.set_ylabel(indicator["unit"], fontsize=8)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog so it can sit inside HTML
    return unique_ids(svg, prefix=f"c-{indicator['code']}-")


_ID_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def unique_ids(svg: str, prefix: str) -> str:
    """matplotlib numbers its ids the same way in every figure; many charts in one page
    would repeat them, so each chart's ids (and references to them) get a prefix."""
    return _ID_REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2), svg)


SPC_COLOURS = {
    "improvement": "#005ea5",
    "concern": "#b35900",
    "neutral": "#6f3c96",
    "common": "#505a5f",
}
SPC_LEGEND = {
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neutral": "Special cause (neutral)",
    "common": "Common cause",
}


def _marker(kind: str, x: float, y: float) -> str:
    """Special cause is told by shape as well as colour: square, diamond, triangle."""
    colour = SPC_COLOURS[kind]
    if kind == "improvement":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "concern":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "neutral":
        points = f"{x:.1f},{y - 5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def xmr_chart_svg(indicator: dict) -> str:
    """The SPC (XmR) chart of the pack's snapshot as a small hand-drawn SVG: points,
    average, process limits and the quarter's target. A few lines and shapes draw in
    microseconds and cost WeasyPrint little, where a matplotlib figure takes ~50 ms
    (a 200-indicator pack has 200 of them). Empty when SPC had too few points."""
    from django.utils.html import escape

    series = indicator.get("spc_series") or []
    if not series:
        return ""
    width, height, left, right, top, bottom = 640, 190, 56, 150, 10, 36
    values = [float(p["value"]) for p in series]
    levels = {
        "mean": indicator.get("spc_mean", ""),
        "upper": indicator.get("spc_upper", ""),
        "lower": indicator.get("spc_lower", ""),
        "target": indicator.get("spc_target", ""),
    }
    numbers = values + [float(v) for v in levels.values() if v not in ("", None)]
    low, high = min(numbers), max(numbers)
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_at(i):
        return left + (plot_w * i / max(1, len(series) - 1))

    def y_at(v):
        return top + plot_h * (1 - (v - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" font-size="10">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#0b0c0c"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#0b0c0c"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        parts.append(
            f'<text x="{left - 4}" y="{y_at(value) + 3:.1f}" text-anchor="end">'
            f"{value:,.{0 if high - low > 20 else 1}f}</text>"
        )
    styles = {
        "mean": ("#0b0c0c", "", "Average"),
        "upper": ("#505a5f", "5,3", "Process limits"),
        "lower": ("#505a5f", "5,3", ""),
        "target": ("#d4351c", "2,2", "Target (a quarter)"),
    }
    legend = []
    for key, level in levels.items():
        if level in ("", None):
            continue
        colour, dash, label = styles[key]
        y = y_at(float(level))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="1.5"{dashes}/>'
        )
        if label:
            legend.append((f'<line x1="0" y1="0" x2="18" y2="0" stroke="{colour}" '
                           f'stroke-width="1.5"{dashes}/>', label))  # fmt: skip
    points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#6f777b" stroke-width="1.5"/>')
    kinds = []
    for i, (point, value) in enumerate(zip(series, values, strict=True)):
        parts.append(_marker(point["kind"], x_at(i), y_at(value)))
        if point["kind"] not in kinds:
            kinds.append(point["kind"])
    step = max(1, len(series) // 6)
    for i in range(0, len(series), step):
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{escape(series[i]['label'])}</text>"
        )
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" '
        f'text-anchor="middle">{escape(indicator.get("unit", ""))}</text>'
    )
    y = top + 8
    for kind in kinds:
        parts.append(_marker(kind, width - right + 20, y))
        parts.append(f'<text x="{width - right + 30}" y="{y + 3}">{SPC_LEGEND[kind]}</text>')
        y += 16
    for line, label in legend:
        parts.append(f'<g transform="translate({width - right + 11},{y})">{line}</g>')
        parts.append(f'<text x="{width - right + 34}" y="{y + 3}">{escape(label)}</text>')
        y += 16
    parts.append("</svg>")
    return "".join(parts)
