"""Every plotly figure the app draws, built in Python; the page only hands the JSON to
the vendored plotly.js. Each chart is paired with a data table and a text summary."""

from __future__ import annotations

import json

import plotly.graph_objects as go

from core import charts as chart_style
from core.charts import year_colour
from core.formatting import format_value
from core.periods import financial_year_label
from indicators import rag, spc
from indicators.rag import Polarity, Rag

FONT = {"family": "arial, sans-serif", "size": 14, "color": "#0b0c0c"}


RAG_SYMBOLS = {
    # RAG is told by the marker's shape (and a label), never by recolouring a series
    Rag.RED: "diamond",
    Rag.AMBER: "triangle-up",
    Rag.GREEN: "circle",
    Rag.GREY: "x",
    Rag.NOT_RATED: "circle-open",
}


def axis_title(indicator) -> str:
    return chart_style.axis_title(indicator.measure, indicator.name, indicator.unit_label)


def target_chart_title(indicator) -> str:
    return "Year to date against target" if indicator.measure == "count" else "Against target"


def _layout(title, y_title, values=(), *, from_zero=True):
    numbers = [float(v) for v in values if v is not None] or [0]
    top, bottom = max(numbers), min(numbers)
    if from_zero:
        y_range = [0, top * 1.12] if top > 0 else None
    else:  # the years' own range, so four years at ~2,000 do not sit in one thin band
        pad = (top - bottom) * 0.15 or abs(top) * 0.1 or 1
        y_range = [max(0.0, bottom - pad) if bottom >= 0 else bottom - pad, top + pad]
    return go.Layout(
        title={"text": title, "font": {**FONT, "size": 15}, "automargin": True},
        font=FONT,
        xaxis={"title": {"text": "Quarter"}},
        # headroom above the highest point, so its marker is not clipped
        yaxis={
            "title": {"text": y_title},
            "rangemode": "tozero" if from_zero else "normal",
            "tickformat": ",",
            "range": y_range,
        },
        # the legend above the plot, clear of the x labels on a phone
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 60, "r": 20, "t": 90, "b": 60},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )


def _as_dict(figure) -> dict:
    return json.loads(figure.to_json())


def quarterly_by_year(indicator, history) -> dict:
    """One line per financial year across Q1–Q4, each year in its own colour (the same
    everywhere); each point's RAG is its marker's shape and its hover label."""
    figure = go.Figure(
        layout=_layout(
            "Quarterly values by financial year",
            axis_title(indicator),
            [h.value for h in history],
            from_zero=False,
        )
    )
    years = sorted({h.period.year for h in history})
    for year in years:
        points = [h for h in history if h.period.year == year and h.value is not None]
        colour = year_colour(year)
        figure.add_trace(
            go.Scatter(
                x=[f"Q{h.period.quarter}" for h in points],
                y=[float(h.value) for h in points],
                name=financial_year_label(year),
                mode="lines+markers",
                line={"color": colour, "width": 3},
                marker={
                    "size": 11,
                    "color": colour,
                    "symbol": [RAG_SYMBOLS[h.assessment.rag] for h in points],
                    "line": {"color": "#0b0c0c", "width": 1},
                },
                text=[h.assessment.rag.label for h in points],
                hovertemplate="%{x}: %{y:,}<br>RAG: %{text}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_xaxes(categoryorder="array", categoryarray=["Q1", "Q2", "Q3", "Q4"])
    return _as_dict(figure)


def actual_vs_target(indicator, history) -> dict:
    """The measure the RAG is judged on (year to date for counts) against the target:
    one line per financial year (Q4 is not joined to the next Q1), each with its year's
    target, RAG by marker shape."""
    title = target_chart_title(indicator)
    values = [h.assessment.actual for h in history] + [h.assessment.target for h in history]
    figure = go.Figure(layout=_layout(title, axis_title(indicator), values))
    for year in sorted({h.period.year for h in history}):
        points = [h for h in history if h.period.year == year]
        colour = year_colour(year)
        label = financial_year_label(year)
        figure.add_trace(
            go.Scatter(
                x=[h.period.label for h in points],
                y=[None if h.assessment.actual is None else float(h.assessment.actual)
                   for h in points],
                name=label,
                legendgroup=label,
                mode="lines+markers",
                line={"color": colour, "width": 3},
                marker={"size": 10, "color": colour,
                        "symbol": [RAG_SYMBOLS[h.assessment.rag] for h in points],
                        "line": {"color": "#0b0c0c", "width": 1}},
                text=[h.assessment.rag.label for h in points],
                hovertemplate="%{x}: %{y:,}<br>RAG: %{text}<extra></extra>",
            )
        )  # fmt: skip
        targets = [h.assessment.target for h in points]
        if any(t is not None for t in targets):
            figure.add_trace(
                go.Scatter(
                    x=[h.period.label for h in points],
                    y=[None if t is None else float(t) for t in targets],
                    name=f"Target {label}",
                    legendgroup=label,
                    mode="lines",
                    line={"color": colour, "width": 2, "dash": "dash"},
                    hovertemplate="%{x}: target %{y:,}<extra></extra>",
                )
            )
    figure.update_xaxes(title={"text": "Period"}, type="category")
    return _as_dict(figure)


def text_summary(indicator, latest) -> str:
    """'7,881 in 2019-20 Q4 (year to date), up 1.5% on 2018-19.'"""
    if latest is None or latest.assessment.actual is None:
        return f"There are no approved figures for {indicator.name} yet."
    a = latest.assessment
    figure = format_value(a.actual, indicator.measure, indicator.rate_per)
    ytd = " (year to date)" if indicator.measure == "count" else ""
    sentence = f"{figure} in {latest.period.label}{ytd}"
    if not a.comparable:
        return sentence + ": not comparable with last year (the recording changed)."
    if a.change_pct is None:
        return sentence + ", with no figure for the same period last year to compare with."
    change = rag.movement_text(indicator.measure, a)
    previous = financial_year_label(latest.period.year - 1)
    if change.startswith("+"):
        movement = f"up {change[1:]}"
    elif change.startswith("-"):
        movement = f"down {change[1:]}"
    else:
        movement = "unchanged"
    return f"{sentence}, {movement} on the same period of {previous}."


SPC_MARKERS = {
    # (colour, shape): special cause is told by shape as well as colour
    "improvement": ("#005ea5", "square"),
    "concern": ("#b35900", "diamond"),
    "neutral": ("#6f3c96", "triangle-up"),
    "common": ("#505a5f", "circle"),
}

REASON_TEXT = {
    "outside_limits": "outside the process limits",
    "shift": "7 or more in a row on one side of the average",
    "trend_up": "7 or more rising in a row",
    "trend_down": "7 or more falling in a row",
    "two_of_three": "2 of 3 near a process limit",
}


def point_kind(indicator, value, result, special: bool) -> str:
    """How a point of the chart reads, by the same icon rules as the latest quarter."""
    if not special:
        return "common"
    side = 1 if value > result.limits.mean else -1
    return spc.special_cause_icon(Polarity(indicator.polarity), side).kind


def spc_points(indicator, result) -> list[dict]:
    """The window's points with how each reads, for the chart and its data table."""
    rows = []
    for (period, value), special, reasons in zip(
        result.points, result.special, result.reasons, strict=True
    ):
        kind = point_kind(indicator, value, result, special)
        rows.append(
            {
                "period": period,
                "value": value,
                "display": format_value(value, indicator.measure, indicator.rate_per),
                "kind": kind,
                "reasons": "; ".join(REASON_TEXT[r] for r in sorted(reasons)),
            }
        )
    return rows


def xmr_chart(indicator, history, result, breaks) -> dict:
    """Every approved quarter, with the mean and process limits of the latest SPC window,
    the quarterly target, special-cause points by colour and shape, and break lines."""
    figure = go.Figure(layout=_layout(f"{indicator.name}: SPC chart (XmR)", axis_title(indicator)))
    labels = [h.period.label for h in history if h.value is not None]
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[float(h.value) for h in history if h.value is not None],
            name="Quarter value",
            mode="lines",
            line={"color": "#6f777b", "width": 2},
            hoverinfo="skip",
        )
    )
    if result.limits is not None:
        window = [p.label for p, _ in result.points]
        points = spc_points(indicator, result)
        for kind, (colour, symbol) in SPC_MARKERS.items():
            chosen = [p for p in points if p["kind"] == kind]
            if not chosen:
                continue
            name = "Common cause" if kind == "common" else f"Special cause {kind}"
            figure.add_trace(
                go.Scatter(
                    x=[p["period"].label for p in chosen],
                    y=[float(p["value"]) for p in chosen],
                    name=name,
                    mode="markers",
                    marker={"size": 11, "color": colour, "symbol": symbol},
                )
            )
        lines = [
            ("Average", result.limits.mean, "#0b0c0c", "solid"),
            ("Upper process limit", result.limits.upper, "#505a5f", "dash"),
            ("Lower process limit", result.limits.lower, "#505a5f", "dash"),
        ]
        if result.quarterly_target is not None:
            lines.append(("Target (a quarter)", result.quarterly_target, "#d4351c", "dot"))
        for name, level, colour, dash in lines:
            figure.add_trace(
                go.Scatter(
                    x=[window[0], window[-1]],
                    y=[float(level)] * 2,
                    name=name,
                    mode="lines",
                    line={"color": colour, "width": 2, "dash": dash},
                )
            )
    for item in breaks:
        if item.period.label in labels:
            figure.add_vline(
                x=labels.index(item.period.label),
                line={"color": "#0b0c0c", "width": 2, "dash": "dot"},
                annotation_text=f"Series break: {item.reason}",
                annotation_position="top left",
            )
    figure.update_xaxes(title={"text": "Quarter"}, type="category")
    # SPC reads variation around the average: the axis fits the data, not zero.
    figure.update_yaxes(range=None, rangemode="normal", autorange=True)
    return _as_dict(figure)


def quarterly_summary(indicator, history) -> str:
    """What the quarterly chart shows, in one sentence of its own."""
    points = [h for h in history if h.value is not None]
    if not points:
        return "No approved quarterly figures yet."
    years = sorted({h.period.year for h in points})
    span = financial_year_label(years[0])
    if len(years) > 1:
        span += f" to {financial_year_label(years[-1])}"
    latest = points[-1]
    figure = format_value(latest.value, indicator.measure, indicator.rate_per)
    return (
        f"Each quarter's own figure, one line per financial year, {span}; the latest, "
        f"{latest.period.label}, was {figure} ({latest.assessment.rag.label})."
    )


def target_summary(indicator, latest) -> str:
    """What the against-target chart shows for the latest period."""
    if latest is None or latest.assessment.actual is None:
        return "No approved figures yet."
    a = latest.assessment
    actual = format_value(a.actual, indicator.measure, indicator.rate_per)
    measure = "year to date" if indicator.measure == "count" else "for the quarter"
    if a.target is None:
        return f"{actual} {measure} in {latest.period.label}; no target for that year."
    target = format_value(a.target, indicator.measure, indicator.rate_per, places=1)
    return (
        f"{actual} {measure} in {latest.period.label} against a target of {target}: "
        f"{a.rag.label.lower()}."
    )


def funnel_chart(comparison) -> dict:
    """The funnel: each partnership's rate against its population, with the pooled
    rate and the 95% and 99.8% limits around it. Written as plotly's JSON directly:
    with 50 partnerships, plotly's validating graph objects took longer than the rest
    of the page."""
    result = comparison.result
    curve = result.curve
    xs = [c["population"] for c in curve]
    ink = "#0b0c0c"
    data = []
    for level, dash in (("99.8%", "solid"), ("95%", "dash")):
        for side, index in (("upper", 1), ("lower", 0)):
            data.append(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": [round(c[level][index], 3) for c in curve],
                    "mode": "lines",
                    "name": f"{level} limits",
                    "legendgroup": level,
                    "showlegend": side == "upper",
                    "line": {"color": ink, "dash": dash, "width": 1},
                    "hoverinfo": "skip",
                }
            )
    data.append(
        {
            "type": "scatter",
            "x": [xs[0], xs[-1]],
            "y": [round(result.pooled_rate, 3)] * 2,
            "mode": "lines",
            "name": "All partnerships together",
            "line": {"color": "#505a5f", "width": 1, "dash": "dot"},
        }
    )
    rows = comparison.rows
    data.append(
        {
            "type": "scatter",
            "x": [r.population for r in rows],
            "y": [round(r.rate, 3) for r in rows],
            "mode": "markers+text" if len(rows) <= 12 else "markers",
            "text": [r.name for r in rows],
            "textposition": "top center",
            "name": "Partnerships",
            "marker": {
                "size": [14 if r.is_us else 9 for r in rows],
                "symbol": ["diamond" if r.is_us else "circle" for r in rows],
                "color": ink,
            },
        }
    )
    layout = {
        "title": {"text": "Rate per 1,000 residents against population", "font": FONT},
        "font": FONT,
        "xaxis": {"title": {"text": "Residents"}, "tickformat": ","},
        "yaxis": {"title": {"text": "Rate per 1,000 residents"}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 60, "r": 20, "t": 90, "b": 60},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
    return {"data": data, "layout": layout}
