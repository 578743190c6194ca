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
