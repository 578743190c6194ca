"""The scorecard as rows for files and other systems (CSV, JSON; Excel in the views).

The column names are a contract used by other systems' scripts: keep them as they are
and add new ones at the end.
"""

from __future__ import annotations

import csv
import json

from core.formatting import escape_formula, fixed_places, plain_number
from core.periods import FinancialQuarter
from reporting.selectors import ScorecardRow

EXPORT_COLUMNS = [
    "indicator",
    "name",
    "priority",
    "period",
    "actual",
    "target",
    "rag",
    "direction",
    "change_vs_last_year_pct",
    "caution",
]
EXTRA_COLUMNS = [
    "owner",
    "measure",
    "comparison",
    "caution_reason",
    "commentary",
    "variation",
    "assurance",
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "spc_points",
    # beside change_vs_last_year_pct: the change as a percentage shows it (blank otherwise)
    "change_vs_last_year_pp",
    # the partnership's exceptions (reporting.exceptions): a list in JSON, "; " in a CSV
    "exception_reasons",
]
NUMBER_COLUMNS = (
    "actual",
    "target",
    "change_vs_last_year_pct",
    "comparison",
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "spc_points",
    "change_vs_last_year_pp",
)
TEXT_COLUMNS = {
    "indicator", "name", "priority", "owner", "caution_reason", "commentary", "exception_reasons",
}  # fmt: skip
REASONS_SEPARATOR = "; "


def export_record(row: ScorecardRow, period: FinancialQuarter) -> dict:
    a = row.assessment
    indicator = row.indicator
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "priority": row.priority.name if row.priority else "",
        "period": period.label,
        "actual": plain_number(a.actual),
        "target": plain_number(a.target, 2),
        "rag": a.rag.value,
        "direction": a.direction.value,
        "change_vs_last_year_pct": fixed_places(a.change_pct, 1),
        "caution": "yes" if a.caution else "no",
        "owner": indicator.owner.code,
        "measure": indicator.measure,
        "comparison": plain_number(a.comparison),
        "caution_reason": a.caution_reason,
        "commentary": row.commentary,
        **spc_record(row.spc),
        "change_vs_last_year_pp": fixed_places(a.change_pp, 1)
        if indicator.measure == "percentage"
        else "",
        "exception_reasons": list(row.exception_reasons),
    }


def spc_record(result) -> dict:
    """The SPC columns: blank where not computed, limits to exactly 2 places (half up)."""
    return {
        "variation": result.variation.value if result.variation else "",
        "assurance": result.assurance.value if result.assurance else "",
        "spc_mean": fixed_places(result.mean_display, 2),
        "spc_lower": fixed_places(result.lower_display, 2),
        "spc_upper": fixed_places(result.upper_display, 2),
        "spc_points": "" if result.point_count is None else str(result.point_count),
    }


def export_records(rows, period: FinancialQuarter) -> list[dict]:
    return [export_record(row, period) for row in rows]


def csv_cell(value):
    """A list (an indicator's exception reasons) is one cell, its items joined."""
    return REASONS_SEPARATOR.join(value) if isinstance(value, list) else value


def safe_for_spreadsheet(record: dict, text_columns=TEXT_COLUMNS) -> dict:
    return {
        k: escape_formula(csv_cell(v)) if k in text_columns else csv_cell(v)
        for k, v in record.items()
    }


def write_csv(
    records: list[dict], stream, columns=EXPORT_COLUMNS + EXTRA_COLUMNS, text_columns=TEXT_COLUMNS
):
    """The header row first (Power BI and Excel import it as the header), then a row
    per indicator; text that could start a formula gets a leading apostrophe, numbers
    (a negative change) stay numbers."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        safe = safe_for_spreadsheet(record, text_columns)
        writer.writerow([safe[c] for c in columns])


def json_record(record: dict) -> dict:
    """Numbers as JSON numbers and blanks as null, for BI tools."""
    typed = dict(record)
    for key in NUMBER_COLUMNS:
        typed[key] = json.loads(record[key]) if record[key] != "" else None
    for key in ("variation", "assurance"):
        typed[key] = record[key] or None
    typed["caution"] = record["caution"] == "yes"  # the CSV keeps yes/no
    return typed
