"""The scorecard table: rows are ScorecardRow objects (computed, not a queryset), so
each sortable column names a sort key that is never None."""

from functools import cache
from html import escape

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.formatting import format_value
from indicators import rag
from indicators.rag import Rag
from reporting.spc_icons import assurance_icon, variation_icon

RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NOT_RATED: 3, Rag.GREY: 4}


# Concerns first when sorting, as with RAG.
VARIATION_ORDER = {"concern": 0, "improvement": 1, "neutral": 2, "common": 3, "none": 4}
ASSURANCE_ORDER = {"fail": 0, "hit_and_miss": 1, "pass": 2}

ARROWS = {"up": "▲", "down": "▼", "stable": "▶", "no_comparison": "–", "not_comparable": "–"}


# Badges, arrows and icons take a handful of values, so each is built once per process.
@cache
def rag_badge(rag):
    return format_html('<span class="scp-rag scp-rag--{}">{}</span>', rag.value, rag.label)


def direction_marker(direction, change_pct):
    if direction.value in ("improving", "worsening"):
        arrow = "▲" if change_pct is not None and change_pct > 0 else "▼"
    else:
        arrow = ARROWS.get(direction.value, "–")
    return _direction_marker(direction, arrow)


@cache
def _direction_marker(direction, arrow):
    return format_html(
        # The label may wrap in a narrow column; the no-break space keeps the arrow with it.
        '<span class="scp-direction scp-direction--{}"><span aria-hidden="true">{}</span>\u00a0{}</span>',
        direction.value,
        arrow,
        direction.label,
    )


_cached_variation_icon = cache(variation_icon)
_cached_assurance_icon = cache(assurance_icon)


def change_with_significance(row):
    """'+16.1%' (or '+1.4 pp' for a percentage) plus, for counts, whether the change is
    statistically significant."""
    a = row.assessment
    text = rag.movement_text(row.indicator.measure, a)
    significance = rag.change_significance(row.indicator.measure, a) if text else None
    if significance is None:
        return escape(text)
    return f'{escape(text)}<br><span class="govuk-body-s">{escape(significance.label)}</span>'


def _sort_number(value, descending=False):
    # Rows with no figure sort after rows with one, whichever way the column is sorted:
    # tables2 reverses the comparison for a descending sort, so the flag flips with it.
    if value is None:
        return (-1 if descending else 1, 0)
    return (0, value)


class ScorecardTable(tables.Table):
    indicator = tables.Column(
        accessor="indicator__code", verbose_name="Indicator", order_by=("indicator__code",)
    )
    owner = tables.Column(accessor="indicator__owner__name", verbose_name="Owner")
    actual = tables.Column(
        accessor="assessment__actual",
        verbose_name="Actual",
        order_by=("sort_actual",),
        attrs={"td": {"class": "scp-number"}, "th": {"class": "scp-number"}},
    )
    target = tables.Column(
        accessor="assessment__target",
        verbose_name="Target",
        order_by=("sort_target",),
        attrs={"td": {"class": "scp-number"}, "th": {"class": "scp-number"}},
    )
    rag = tables.Column(accessor="assessment__rag", verbose_name="RAG", order_by=("sort_rag",))
    direction = tables.Column(accessor="assessment__direction", verbose_name="Direction of travel")
    variation = tables.Column(
        accessor="spc__variation", verbose_name="Variation", order_by=("sort_variation",)
    )
    assurance = tables.Column(
        # A soft hyphen: "Assur-ance" rather than a bare split where the column is narrow.
        accessor="spc__assurance",
        verbose_name="Assur\u00adance",
        order_by=("sort_assurance",),
    )
    change = tables.Column(
        accessor="assessment__change_pct",
        verbose_name="Change vs last year",
        order_by=("sort_change",),
        attrs={"td": {"class": "scp-number"}, "th": {"class": "scp-number"}},
    )
    caution = tables.Column(accessor="assessment__caution", verbose_name="Caution", orderable=False)
    commentary = tables.Column(verbose_name="Latest commentary", orderable=False)

    class Meta:
        template_name = "scorecard/scorecard_table.html"
        empty_text = "No indicators match these filters."
        attrs = {"id": "scorecard-table"}

    # Cells are rendered by add_cells; the table supplies the headers and sorting.


PROVISIONAL = (
    '<br><strong class="govuk-tag govuk-tag--yellow scp-provisional">Provisional</strong> '
    '<span class="govuk-body-s">return not yet approved</span>'
)
COMMENTARY_SHOWN = 90  # characters before a long commentary folds away


def _commentary(text: str) -> str:
    """Short commentary as it is; a long one as its opening words with a way to read it
    all (a GOV.UK details element: works without JavaScript)."""
    if len(text) <= COMMENTARY_SHOWN:
        return escape(text) or "—"
    opening = escape(Truncator(text).chars(COMMENTARY_SHOWN))
    return (
        f'<details class="govuk-details scp-commentary"><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{opening}</span></summary>'
        f'<div class="govuk-details__text">{escape(text)}</div></details>'
    )


SPARK_QUARTERS, SPARK_WIDTH, SPARK_HEIGHT = 8, 84, 22


def sparkline(row) -> str:
    """The last 8 quarters as a small line (inline SVG, drawn from the row's values),
    with the figures as text for a screen reader."""
    quarters, quarter = [], row.assessment.period
    for _ in range(SPARK_QUARTERS):
        quarters.insert(0, quarter)
        quarter = quarter.previous()
    values = [row.values.get(q) for q in quarters]
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = SPARK_WIDTH / (SPARK_QUARTERS - 1)
    points = " ".join(
        f"{n * step:.1f},{SPARK_HEIGHT - 2 - float((v - low) / span) * (SPARK_HEIGHT - 4):.1f}"
        for n, v in enumerate(values)
        if v is not None
    )
    i = row.indicator
    words = ", ".join(format_value(v, i.measure, i.rate_per) or "none" for v in values)
    return (
        f'<br><svg class="scp-sparkline" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" aria-hidden="true" focusable="false">'
        f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/></svg>'
        f'<span class="govuk-visually-hidden">Last {SPARK_QUARTERS} quarters: '
        f"{escape(words)}</span>"
    )


def _open_actions(count: int) -> str:
    if not count:
        return ""
    words = "1 open action" if count == 1 else f"{count} open actions"
    return f'<br><a class="govuk-link govuk-body-s" href="{reverse("action_list")}">{words}</a>'


def add_cells(rows):
    """Pre-renders each row's cells once, in column order, as one string of ``<td>``s
    that the template prints directly. At 200 indicators, django-tables2's per-cell
    machinery, then a template loop over 2,200 cells, then 3,700 ``format_html`` calls
    each cost more than all the RAG and SPC work, so the row is built with plain string
    formatting; every value from the database passes through ``escape``. Each cell
    carries its column's name (``data-label``) for the card layout on phones."""
    url = reverse("indicator_detail", args=["CODE"])
    for row in rows:
        a, i = row.assessment, row.indicator
        caution = (
            '<span class="scp-caution">Caution</span> '
            f'<span class="govuk-body-s">{escape(a.caution_reason)}</span>'
            if a.caution
            else "—"
        )
        row.html = mark_safe(  # noqa: S308 - every interpolated value is escaped
            f'<td class="govuk-table__cell scp-cell--indicator"><a class="govuk-link" '
            f'href="{escape(url.replace("CODE", i.code))}">{escape(i.name)}</a><br>'
            f'<span class="govuk-body-s">{escape(i.code)}</span>{sparkline(row)}'
            f"{_open_actions(getattr(row, 'open_actions', 0))}"
            f"{PROVISIONAL if row.provisional else ''}</td>"
            f'<td class="govuk-table__cell" data-label="Owner"><abbr title="{escape(i.owner.name)}">'
            f"{escape(i.owner.code)}</abbr></td>"
            f'<td class="govuk-table__cell scp-number" data-label="Actual">'
            f"{escape(format_value(a.actual, i.measure, i.rate_per)) or '—'}</td>"
            f'<td class="govuk-table__cell scp-number" data-label="Target">'
            f"{escape(format_value(a.target, i.measure, i.rate_per, places=1)) or '—'}</td>"
            f'<td class="govuk-table__cell" data-label="RAG">{rag_badge(a.rag)}</td>'
            f'<td class="govuk-table__cell" data-label="Direction">'
            f"{direction_marker(a.direction, a.change_pct)}</td>"
            f'<td class="govuk-table__cell scp-icon-cell" data-label="Variation">'
            f"{_cached_variation_icon(row.spc.variation)}</td>"
            f'<td class="govuk-table__cell scp-icon-cell" data-label="Assurance">'
            f"{_cached_assurance_icon(row.spc.assurance)}</td>"
            f'<td class="govuk-table__cell scp-number" data-label="Change">'
            f"{change_with_significance(row) or '—'}</td>"
            f'<td class="govuk-table__cell" data-label="Caution">{caution}</td>'
            f'<td class="govuk-table__cell scp-cell--commentary" data-label="Commentary">'
            f"{_commentary(row.commentary)}</td>"
        )
    return rows


def add_sort_keys(rows, sort: str = ""):
    descending = sort.startswith("-")
    for row in rows:
        a = row.assessment
        row.sort_actual = _sort_number(a.actual, descending)
        row.sort_target = _sort_number(a.target, descending)
        row.sort_change = _sort_number(a.change_pct, descending)
        row.sort_rag = RAG_ORDER[a.rag]
        row.sort_variation = VARIATION_ORDER.get(row.spc.variation and row.spc.variation.kind, 5)
        row.sort_assurance = ASSURANCE_ORDER.get(row.spc.assurance, 3)
    return rows
