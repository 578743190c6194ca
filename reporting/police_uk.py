"""An indicator's approved series beside police.uk's, for its page: the chart, the
table that is its text alternative, and which months were imported and when."""

from __future__ import annotations

from dataclasses import dataclass

from core.periods import FinancialQuarter
from policeuk import selectors
from policeuk.models import PoliceUkMapping
from policeuk.reconcile import Reconciliation
from reporting.figures import FONT


@dataclass(frozen=True)
class Row:
    quarter: FinancialQuarter
    figure: selectors.QuarterFigure
    result: Reconciliation


@dataclass(frozen=True)
class Comparison:
    mapping: PoliceUkMapping
    rows: list[Row]
    months: list[selectors.ImportedMonth]

    @property
    def flagged(self) -> list[Row]:
        return [r for r in self.rows if r.result.outside_tolerance]

    @property
    def summary(self) -> str:
        compared = [r for r in self.rows if r.result.within_tolerance is not None]
        if not compared:
            return "No quarter has both an approved figure and all three months from police.uk."
        flagged = self.flagged
        outside = (
            "all within"
            if not flagged
            else f"{len(flagged)} outside ({', '.join(r.quarter.label for r in flagged)})"
        )
        return (
            f"{len(compared)} quarter{'s' if len(compared) != 1 else ''} compared with police.uk's "
            f"{', '.join(self.mapping.crime_types)}: {outside} the ±{self.mapping.tolerance}% tolerance."
        )


def comparison(indicator, history) -> Comparison | None:
    """None unless the indicator is mapped and something is imported (four queries)."""
    found = selectors.mappings([indicator])
    mapping = found.get(indicator.id)
    if mapping is None:
        return None
    months = selectors.imported_months()
    if not months:
        return Comparison(mapping, [], [])
    approved = {p.period: p.value for p in history}
    quarters = sorted(set(approved) | {FinancialQuarter.containing(m.month) for m in months})
    figures = selectors.quarter_figures(found, quarters)
    rows = []
    for quarter in quarters:
        figure = figures[indicator.id, quarter]
        if figure.police_uk is None:
            continue
        rows.append(Row(quarter, figure, figure.against(approved.get(quarter), mapping.tolerance)))
    return Comparison(mapping, rows, months)


def chart(indicator, found: Comparison) -> dict:
    """Approved and police.uk figures by quarter, as plotly JSON (two lines)."""
    labels = [r.quarter.label for r in found.rows]
    data = [
        {
            "type": "scatter",
            "x": labels,
            "y": [
                None if r.result.submitted is None else float(r.result.submitted)
                for r in found.rows
            ],
            "mode": "lines+markers",
            "name": "Approved",
            "line": {"color": "#1d70b8", "width": 3},
            "marker": {"symbol": "circle", "size": 8},
        },
        {
            "type": "scatter",
            "x": labels,
            "y": [r.figure.police_uk if r.figure.months == 3 else None for r in found.rows],
            "mode": "lines+markers",
            "name": "police.uk",
            "line": {"color": "#0b0c0c", "width": 2, "dash": "dash"},
            "marker": {"symbol": "diamond", "size": 9},
        },
    ]
    layout = {
        "font": FONT,
        "xaxis": {"title": {"text": "Quarter"}, "type": "category"},
        "yaxis": {
            "title": {"text": indicator.unit_label.capitalize()},
            "rangemode": "tozero",
            "tickformat": ",",
        },
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 70, "r": 20, "t": 40, "b": 60},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
    return {"data": data, "layout": layout}
