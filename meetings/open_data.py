"""The public CSV's dictionary, as GOV.UK's "Publishing your tabular data" asks: a CSV on
the Web (W3C CSVW) metadata file beside the CSV, with each column's title, description,
datatype and unit, the licence, the publisher and the snapshot's date."""

from __future__ import annotations

from meetings.publishing import LICENCE_URL, PUBLIC_COLUMNS, PUBLISHER

YES_NO = {"base": "boolean", "format": "yes|no"}
# column → (title, description, datatype, unit or "")
COLUMNS = {
    "indicator": ("Indicator code", "The indicator's stable code, e.g. ASB-01.", "string", ""),
    "name": ("Indicator", "What is measured.", "string", ""),
    "priority": ("Priority", "The Safe City Strategy priority it reports under.", "string", ""),
    "period": ("Period", "The financial-year quarter, e.g. 2019-20 Q4 (January to March 2020).", "string", ""),
    "actual": ("Actual", "The approved figure for the quarter (blank when suppressed: see suppressed).", "decimal", "the indicator's measure"),
    "target": ("Target", "This year's target as it applies to the quarter (year to date for counts).", "decimal", "the indicator's measure"),
    "rag": ("RAG status", "red, amber or green against target; grey = no figure; not_rated = no target.", {"base": "string", "format": "red|amber|green|grey|not_rated"}, ""),
    "direction": ("Direction of travel", "improving, worsening, stable (or up, down for a figure monitored without a better direction), no_comparison, or not_comparable across a change in recording, against the same quarter last year.", {"base": "string", "format": "improving|worsening|stable|up|down|no_comparison|not_comparable"}, ""),
    "change_vs_last_year_pct": ("Change on last year (%)", "Relative change on the same quarter last year, one decimal place (blank when it cannot be worked out or would reveal a suppressed figure).", "decimal", "percent"),
    "change_vs_last_year_pp": ("Change on last year (percentage points)", "For a percentage: actual minus the same quarter last year, in percentage points, one decimal place, as the pages show it (blank for counts and rates, across a series break, or when it would reveal a suppressed figure).", "decimal", "percentage points"),
    "caution": ("Interpret with caution", "yes when the figure rests on small numbers or a recording change.", YES_NO, ""),
    "owner": ("Owner code", "The partner agency that supplies the figure (its code).", "string", ""),
    "owner_name": ("Owner", "The partner agency's name.", "string", ""),
    "measure": ("Measure", "count, percentage or rate.", {"base": "string", "format": "count|percentage|rate"}, ""),
    "comparison": ("Same quarter last year", "The figure it is compared with (blank when suppressed).", "decimal", "the indicator's measure"),
    "caution_reason": ("Why caution", "The reason for the caution, if any.", "string", ""),
    "variation": ("Variation (SPC)", "Statistical process control: common_cause, special cause improvement/concern/neutral (high or low), too_few_points; blank when not computed.", "string", ""),
    "assurance": ("Assurance (SPC)", "Whether the process will meet its target: pass, fail or hit_and_miss; blank without a target.", "string", ""),
    "public_note": ("Note", "A note from the partnership for residents.", "string", ""),
    "suppressed": ("Suppressed", "yes when a number in the row is withheld to protect privacy (small counts).", YES_NO, ""),
    "exception_reasons": ("Needs attention", "Why the indicator needs attention, as the partnership lists its exceptions (red against target, worsening two periods running, an outlier against its own history, a special cause concern), separated by '; '; blank when it does not.", "string", ""),
    "suppressed_reason": ("Why suppressed", "Which numbers are withheld and why.", "string", ""),
}  # fmt: skip


def csv_metadata(snapshot: dict, csv_url: str) -> dict:
    columns = []
    for name in PUBLIC_COLUMNS:
        title, description, datatype, unit = COLUMNS[name]
        column = {
            "name": name,
            "titles": title,
            "dc:description": description,
            "datatype": datatype,
            "required": name in ("indicator", "name", "period", "rag"),
        }
        if unit:
            column["schema:unitText"] = unit
        columns.append(column)
    published = snapshot.get("published_on") or snapshot["meeting_date"]
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": f"{snapshot['title']}, {snapshot['period']}",
        "dc:description": (
            "Each indicator's approved figure for the quarter against its target, with its "
            "RAG status, direction of travel and change on last year. "
            + snapshot.get("suppression_text", "")
        ).strip(),
        "dc:publisher": {
            "schema:name": PUBLISHER,
            "schema:url": {"@id": snapshot.get("site_url", "")},
        }
        if snapshot.get("site_url")
        else {"schema:name": PUBLISHER},
        "dc:license": {"@id": LICENCE_URL},
        "dc:modified": {"@value": published, "@type": "xsd:date"},
        "dc:temporal": snapshot["period"],
        "tableSchema": {"columns": columns, "primaryKey": "indicator"},
        "dialect": {"header": True, "encoding": "utf-8"},
    }
