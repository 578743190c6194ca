"""Meeting packs: the frozen snapshot, and the web, PDF and Excel renderings of it.

The snapshot is plain JSON (numbers as strings, exactly as the RAG engine produced them)
taken when a coordinator issues the pack; everything after that reads only the
snapshot, so a later correction never changes a circulated pack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from actions import selectors as action_selectors
from core import queue
from core.formatting import (
    format_value,
    grouped_number,
    plain_number,
    round_half_up,
)
from core.periods import financial_year_label
from core.tenancy import scoped_to
from core.workbooks import PROTECTIVE_MARKING, Book, sheet_title
from indicators import rag
from indicators.spc import plain_summary, quarterly_target
from meetings import charts
from meetings.models import MeetingPack
from meetings.pdf import CHART_SCHEME, render_pdf
from partnerships.models import Partnership
from reporting import headline
from reporting.figures import spc_points
from reporting.outputs.exports import spc_record
from reporting.outputs.workbooks import pack_indicator_sheet
from reporting.selectors import completeness_by_period, rag_summary_by_priority, scorecard_rows
from returns.expected import expected_partners
from returns.selectors import return_slots

RAG_ORDER = ["red", "amber", "green", "grey", "not_rated"]
RAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "grey": "No data",
    "not_rated": "Not rated",
}


def spc_snapshot(row, indicator) -> dict:
    """The SPC reading and the points of its window, frozen with the pack."""

    result = row.spc
    period = row.assessment.period
    target_quarter = quarterly_target(
        indicator.rules(),
        indicator.target_rule_for(period.year),
        row.values.get(period.same_quarter_last_year()),
    )
    points = spc_points(indicator, result) if result.limits else []
    return {
        **spc_record(result),
        "variation_label": result.variation.label if result.variation else "",
        "assurance_label": result.assurance.label if result.assurance else "",
        "spc_summary": plain_summary(result, 0 if indicator.measure == "count" else 1),
        "spc_target": plain_number(result.quarterly_target, 2),
        "target_quarter": plain_number(target_quarter, 2),
        "spc_series": [
            {"label": p["period"].label, "value": plain_number(p["value"]), "kind": p["kind"]}
            for p in points
        ],
    }


def build_snapshot(meeting) -> dict:
    period = meeting.period.fq
    rows = scorecard_rows(period)
    today = timezone.localdate()
    themed = set(meeting.theme_indicators.values_list("pk", flat=True)) if meeting.pk else set()
    followed_up = [
        action_selectors.action_summary(a, today) for a in action_selectors.actions_before(meeting)
    ]
    open_by_indicator: dict[str, list] = {}
    for action in followed_up:
        if action["status"] not in ("done", "dropped"):
            for code in action["indicators"]:
                open_by_indicator.setdefault(code, []).append(action)
    indicators = []
    for row in rows:
        a, i = row.assessment, row.indicator
        significance = rag.change_significance(i.measure, a)
        history = [
            {
                "label": fq.label,
                "year": fq.year,
                "quarter": fq.quarter,
                "value": plain_number(row.values.get(fq)),
                "display": format_value(row.values.get(fq), i.measure, i.rate_per),
            }
            for fq in sorted(row.values)
            if fq.year in (period.year, period.year - 1)
        ]
        outlier = row.is_outlier
        indicators.append(
            {
                "code": i.code,
                "name": i.name,
                "priority": i.priority.name,
                "owner": i.owner.name,
                "owner_code": i.owner.code,
                "measure": i.measure,
                "unit": i.unit_label,
                "period": period.label,
                "actual": plain_number(a.actual),
                "actual_display": format_value(a.actual, i.measure, i.rate_per),
                "comparison": plain_number(a.comparison),
                "comparison_display": format_value(a.comparison, i.measure, i.rate_per),
                "target": plain_number(a.target, 2),
                "target_display": format_value(a.target, i.measure, i.rate_per, places=1),
                "rag": a.rag.value,
                "rag_label": a.rag.label,
                "direction": a.direction.value,
                "direction_label": a.direction.label,
                "change_pct": plain_number(round_half_up(a.change_pct, 1)),
                "change_display": rag.movement_text(i.measure, a),
                "change_pp": plain_number(round_half_up(a.change_pp, 1)),
                "change_shown": plain_number(rag.movement(i.measure, a)),
                "caution": a.caution,
                "caution_reason": a.caution_reason,
                "significance": significance.label if significance else "",
                "p_value": round(significance.p_value, 4) if significance else None,
                "commentary": row.commentary,
                "caveats": i.caveats,
                "outlier": outlier,
                "exception_reasons": row.exception_reasons,
                "caution_reasons": row.caution_reasons,
                "theme": i.pk in themed,
                "open_actions": action_selectors.overdue_first(open_by_indicator.get(i.code, [])),
                "history": history,
                **spc_snapshot(row, i),
            }
        )
    summary = [
        {
            "priority": e["priority"].name,
            "short_name": e["priority"].short_name,
            "counts": {r.value: n for r, n in e["counts"].items()},
        }
        for e in rag_summary_by_priority(rows)
    ]
    slots = return_slots(
        expected_partners(meeting.period).order_by("name"),
        [meeting.period],
        timezone.localdate(),
    )
    completeness = [
        {
            "partner": s.partner.name,
            "status": s.status_label,
            "timeliness": s.timeliness,
            "submitted_at": s.quarterly_return.submitted_at.isoformat()
            if s.quarterly_return and s.quarterly_return.submitted_at
            else "",
        }
        for s in slots
    ]
    return {
        "meeting": {
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "date_display": f"{meeting.date:%-d %B %Y}",
            "theme": meeting.theme,
        },
        "period": period.label,
        "taken_at": timezone.now().isoformat(),
        "indicators": indicators,
        "summary": summary,
        "completeness": completeness,
        "actions": action_selectors.overdue_first(followed_up),
        "provisional": provisional_for(meeting.period),
    }


def provisional_for(period) -> dict | None:
    """Whose returns for the period are not approved: None when every expected one is."""
    found = completeness_by_period([period])[period.fq]
    if found.complete:
        return None
    return {"message": found.message, "missing": [p.name for p in found.missing]}


# --- services ---------------------------------------------------------------------


def meeting_pack_issue(*, meeting, by) -> MeetingPack:
    with transaction.atomic():
        latest = meeting.packs.select_for_update().aggregate(v=Max("version"))["v"] or 0
        pack = MeetingPack.objects.create(
            meeting=meeting,
            version=latest + 1,
            snapshot=build_snapshot(meeting),
            issued_by=by,
        )
        transaction.on_commit(lambda: enqueue_generation(pack.pk))
    return pack


def enqueue_generation(pack_id):
    try:
        queue.enqueue("scorecard.tasks.generate_meeting_pack", pack_id)
    except Exception as error:  # noqa: BLE001 - the pack shows as queued; retry resends
        MeetingPack.objects.filter(pk=pack_id).update(
            status=MeetingPack.Status.FAILED,
            error=f"Could not queue the generation ({type(error).__name__}); retry later.",
        )


def meeting_pack_retry(*, pack) -> MeetingPack:
    updated = MeetingPack.objects.filter(pk=pack.pk, status=MeetingPack.Status.FAILED).update(
        status=MeetingPack.Status.QUEUED, error=""
    )
    if updated:
        transaction.on_commit(lambda: enqueue_generation(pack.pk))
    pack.refresh_from_db()
    return pack


def meeting_pack_generate(pack_id: int) -> bool:
    """queued → generating → ready, or failed with the reason. Safe to run twice. The
    task knows only the pack's id: it renders in the pack's own partnership."""
    owner = (
        MeetingPack.objects.across_partnerships()
        .filter(pk=pack_id)
        .values_list("partnership_id", flat=True)
        .first()
    )
    if owner is None:
        return False
    with scoped_to(owner):
        return _generate(pack_id)


def _generate(pack_id: int) -> bool:
    claimed = MeetingPack.objects.filter(
        pk=pack_id, status__in=[MeetingPack.Status.QUEUED, MeetingPack.Status.FAILED]
    ).update(status=MeetingPack.Status.GENERATING, error="")
    if not claimed:
        return False
    # Not the files of an earlier attempt: a worker need not hold them while it renders.
    pack = (
        MeetingPack.objects.select_related("meeting").defer("html", "pdf", "xlsx").get(pk=pack_id)
    )
    try:
        context = pack_context(pack)
        html = render_to_string("packs/pack_body.html", context)
        pdf = render_pdf(context)
        xlsx = render_xlsx(pack)
    except Exception as error:
        MeetingPack.objects.filter(pk=pack_id).update(
            status=MeetingPack.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    with transaction.atomic():
        # The PDF in a statement of its own: psycopg2 writes a binary parameter into the
        # SQL as hex, and the web page and workbook beside it added to that peak.
        MeetingPack.objects.filter(pk=pack_id).update(html=html, xlsx=xlsx)
        MeetingPack.objects.filter(pk=pack_id).update(
            status=MeetingPack.Status.READY, pdf=pdf, generated_at=timezone.now()
        )
    return True


# --- rendering ----------------------------------------------------------------------


def history_by_year(history: list[dict], measure: str) -> list[dict]:
    """The snapshot's quarterly values grouped by financial year, in order. A rate's unit
    ('per 1,000 population') is said once beside the heading, not after every figure."""
    years: dict[int, list[dict]] = {}
    for entry in history:
        display = entry["display"]
        if measure == "rate" and entry["value"] not in (None, ""):
            display = grouped_number(Decimal(entry["value"]))
        years.setdefault(entry["year"], []).append(
            {"quarter": entry["quarter"], "display": display}
        )
    return [
        {"label": financial_year_label(year), "quarters": quarters}
        for year, quarters in sorted(years.items())
    ]


def pack_context(pack) -> dict:
    """What the pack's templates show (its partnership's name heads the PDF)."""
    snapshot = pack.snapshot
    indicators = snapshot["indicators"]
    pdf_charts: dict[str, charts.Chart | None] = {}
    for item in indicators:
        # Each chart is laid out once and drawn twice: SVG here for the web page, PNG by
        # the PDF renderer (WeasyPrint paints a PNG far faster than it lays out an SVG).
        quarterly, xmr = charts.quarterly_chart(item), charts.xmr_chart(item)
        item["chart_svg"], item["xmr_svg"] = charts.to_svg(quarterly), charts.to_svg(xmr)
        for key, name, chart in (
            ("chart_png", f"{item['code']}-quarterly", quarterly),
            ("xmr_png", f"{item['code']}-xmr", xmr),
        ):
            pdf_charts[name] = chart
            item[key] = f"{CHART_SCHEME}{name}"
        item["history_years"] = history_by_year(item["history"], item["measure"])
    priorities = []
    for entry in snapshot["summary"]:
        name = entry["priority"]
        priorities.append(
            {
                "name": name,
                "counts": [entry["counts"].get(r, 0) for r in RAG_ORDER],
                "indicators": [i for i in indicators if i["priority"] == name],
            }
        )
    exceptions = [i for i in indicators if i["exception_reasons"]]
    # Reds first, then the rest of the exceptions, in scorecard order.
    exceptions.sort(key=lambda i: i["rag"] != "red")
    return {
        "pack": pack,
        "partnership_name": Partnership.objects.get(pk=pack.meeting.partnership_id).name,
        "snapshot": snapshot,
        "meeting": snapshot["meeting"],
        "period": snapshot["period"],
        "priorities": priorities,
        "exceptions": exceptions,
        "cautions": [i for i in indicators if i.get("caution_reasons")],
        "themed": [i for i in indicators if i["theme"]],
        "followed_up": snapshot.get("actions", []),
        "completeness": snapshot["completeness"],
        "headline": headline.from_snapshot(indicators, snapshot.get("actions", [])),
        "rag_headings": [RAG_LABELS[r] for r in RAG_ORDER],
        "rag_labels": RAG_LABELS,
        "pdf_charts": pdf_charts,
    }


def render_xlsx(pack) -> bytes:
    """The pack as a workbook people can use as it is: a summary sheet, then one sheet a
    priority (whole-word names within Excel's 31 characters), formatted like the
    scorecard download."""

    snapshot = pack.snapshot
    meeting = snapshot["meeting"]
    book = Book(
        marking=PROTECTIVE_MARKING,
        title=f"SCP meeting pack: {meeting['title']}, {snapshot['period']} (v{pack.version})",
    )
    summary = book.sheet("Summary", widths=[45, 12, 12, 12, 12, 12])
    name = Partnership.objects.get(pk=pack.meeting.partnership_id).name
    summary.append([book.bold(f"{name} – meeting pack", size=14)])
    issued = pack.issued_at.replace(tzinfo=None) if pack.issued_at else None
    for key, value in [
        ("Meeting", meeting["title"]),
        ("Date", book.date(date.fromisoformat(meeting["date"]), "d mmmm yyyy")),
        ("Period", snapshot["period"]),
        ("Version", pack.version),
        ("Issued", book.date(issued, "d mmmm yyyy hh:mm")),
    ]:
        summary.append([book.bold(key), value])
    summary.append()
    summary.append([book.bold(text) for text in ["Priority", *[RAG_LABELS[r] for r in RAG_ORDER]]])
    for entry in snapshot["summary"]:
        summary.append([entry["priority"], *[entry["counts"].get(r, 0) for r in RAG_ORDER]])
    used = {"Summary", "Actions"}
    for entry in snapshot["summary"]:
        items = [i for i in snapshot["indicators"] if i["priority"] == entry["priority"]]
        name = entry.get("short_name") or entry["priority"]
        pack_indicator_sheet(book, sheet_title(name, used), items)
    _actions_sheet(book, snapshot.get("actions", []))
    return book.bytes()


ACTION_COLUMNS = [
    ("Action", 40), ("Meeting", 32), ("Owner", 32), ("Due", 14), ("Status", 13),
    ("Overdue", 10), ("Latest update", 60), ("Indicators", 24),
]  # fmt: skip


def _actions_sheet(book, followed_up: list[dict]) -> None:
    """ "Actions from previous meetings", as in the pack: overdue first."""
    sheet = book.table(
        "Actions",
        [name for name, _ in ACTION_COLUMNS],
        [width for _, width in ACTION_COLUMNS],
        rows=len(followed_up),
    )
    if not followed_up:
        sheet.append(["No actions from previous meetings were open when the pack was issued."])
    for action in followed_up:
        sheet.append(
            [
                action["title"],
                action["meeting"],
                action["owner"],
                book.date(date.fromisoformat(action["due"])),
                action["status_label"],
                "yes" if action["overdue"] else "no",
                book.wrapped(action["latest_update"]),
                ", ".join(action["indicators"]),
            ]
        )
