"""What SCP members look at: the scorecard for a period, its exceptions and downloads."""

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from actions.models import MeetingAction
from indicators.rag import RAG_LABELS
from partners.access import scorecard_viewer_required
from reporting import headline, spc_icons
from reporting.filters import PeriodForm
from reporting.outputs import exports
from reporting.outputs import workbooks as spreadsheets
from reporting.selection import page_selection
from reporting.selectors import RAG_SUMMARY_ORDER, rag_summary_by_priority
from reporting.tables import ScorecardTable, add_cells, add_sort_keys


def _period_choices(selection):
    periods = list(selection.periods)
    if selection.period and selection.period not in [p.fq for p in periods]:
        periods.insert(0, selection.period)
    return periods


@scorecard_viewer_required
def dashboard(request):
    selection = page_selection(request)
    open_actions = MeetingAction.objects.exclude(status__in=MeetingAction.CLOSED)
    addressed = dict(
        MeetingAction.indicators.through.objects.filter(meetingaction__in=open_actions)
        .values("indicator_id")
        .annotate(n=Count("id"))
        .values_list("indicator_id", "n")
    )
    for row in selection.rows:
        row.open_actions = addressed.get(row.indicator.pk, 0)
    table = ScorecardTable(add_cells(add_sort_keys(selection.rows, request.GET.get("sort", ""))))
    RequestConfig(request, paginate=False).configure(table)
    period_form = PeriodForm(
        initial={"period": selection.period.slug if selection.period else ""},
        periods=_period_choices(selection),
    )
    # the headline sums up the whole scorecard, so not a filtered part of it (the form
    # sends every filter, empty when it is "Any")
    filtered = any(request.GET.get(name) for name in selection.filterset.filters)
    overdue = open_actions.filter(due_date__lt=timezone.localdate())
    return render(
        request,
        "scorecard/dashboard.html",
        {
            "headline": None
            if filtered or not selection.has_figures  # nothing approved: nothing to sum up
            else headline.from_rows(selection.rows, overdue.count()),
            "selection": selection,
            "period": selection.period,
            "period_form": period_form,
            "filter": selection.filterset,
            "table": table,
            "summary": rag_summary_by_priority(selection.rows),
            "summary_headings": [RAG_LABELS[r] for r in RAG_SUMMARY_ORDER],
            "exception_count": sum(1 for r in selection.rows if r.is_exception),
            "spc_legend": spc_icons.legend(),
            "has_targets": selection.has_targets,
            "query": request.GET.urlencode(),
        },
    )


@scorecard_viewer_required
def exceptions(request):
    selection = page_selection(request)
    rows = [r for r in selection.rows if r.is_exception]
    cautions = [r for r in selection.rows if r.caution_reasons]
    return render(
        request,
        "scorecard/exceptions.html",
        {
            "period": selection.period,
            "rows": rows,
            "cautions": cautions,
            "query": request.GET.urlencode(),
        },
    )


def _about(selection, request) -> list[tuple[str, str]]:
    """What a download is: on the Excel "About" sheet, never above the CSV header, so
    Power BI and Excel read the header from the first line."""
    legend = "; ".join(f"{r.value} = {label}" for r, label in RAG_LABELS.items())
    return [
        ("Scorecard", f"{request.partnership.name}: approved figures only"),
        ("Period", selection.period.label if selection.period else "none"),
        ("Generated", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
        ("Filters", request.GET.urlencode() or "none"),
        ("Sorted by", request.GET.get("sort") or "scorecard order"),
        ("RAG legend", legend),
        (
            "Variation and assurance",
            "Statistical process control (NHS Making Data Count): variation says whether "
            "the latest quarter is special cause (improvement or concern) or common cause; "
            "assurance whether the target will be met reliably (pass), not without change "
            "(fail) or sometimes (hit_and_miss). spc_mean/lower/upper are the average and "
            "process limits of up to 24 quarters; spc_points the quarters used.",
        ),
        ("Numbers", "Counts are year to date; percentages and rates are for the quarter."),
    ]


def _sorted_rows(selection, request):
    """The rows in the order chosen on the page (the table's sort links)."""
    rows = add_sort_keys(selection.rows, request.GET.get("sort", ""))
    table = ScorecardTable(rows)
    RequestConfig(request, paginate=False).configure(table)
    return [row.record for row in table.rows]


def _filename(selection, request, ext):
    label = selection.period.slug if selection.period else "no-period"
    filtered = "-filtered" if set(request.GET) - {"period", "sort"} else ""
    stamp = timezone.localtime().strftime("%Y%m%d")
    return f"scp-scorecard-{label}{filtered}-{stamp}.{ext}"


@scorecard_viewer_required
def download_csv(request):
    selection = page_selection(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = _filename(selection, request, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so Excel opens the UTF-8 file with the right characters
    rows = _sorted_rows(selection, request)
    records = exports.export_records(rows, selection.period) if selection.period else []
    exports.write_csv(records, response)
    return response


@scorecard_viewer_required
def download_xlsx(request):
    selection = page_selection(request)
    rows = _sorted_rows(selection, request)
    title = f"{request.partnership.name} scorecard" + (
        f", {selection.period.label}" if selection.period else ""
    )
    shown = rows if selection.period else []
    content = spreadsheets.scorecard_workbook(shown, _about(selection, request), title)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(selection, request, "xlsx")}"'
    )
    return response
