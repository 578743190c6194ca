"""The scorecard table: rows are ScorecardRow objects (computed, not a queryset), so
each sortable column names a sort key that is never None."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from indicators.rag import Rag
from scorecard.formatting import format_change, format_value
from scorecard.significance import poisson_change_significance
from scorecard.spc_icons import assurance_icon, variation_icon

RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NOT_RATED: 3, Rag.GREY: 4}


# Concerns first when sorting, as with RAG.
VARIATION_ORDER = {"concern": 0, "improvement": 1, "neutral": 2, "common": 3, "none": 4}
ASSURANCE_ORDER = {"fail": 0, "hit_and_miss": 1, "pass": 2}

ARROWS = {"up": "▲", "down": "▼", "stable": "▶", "no_comparison": "–"}


def rag_badge(rag):
    return format_html('<span class="scp-rag scp-rag--{}">{}</span>', rag.value, rag.label)


def direction_marker(direction, change_pct):
    if direction.value in ("improving", "worsening"):
        arrow = "▲" if change_pct is not None and change_pct > 0 else "▼"
    else:
        arrow = ARROWS.get(direction.value, "–")
    return format_html(
        '<span class="scp-direction scp-direction--{}"><span aria-hidden="true">{}</span> {}</span>',
        direction.value,
        arrow,
        direction.label,
    )


def change_with_significance(row):
    """'+16.1%' plus, for counts, whether the change is statistically significant."""
    a = row.assessment
    text = format_change(a.change_pct)
    if not text or row.indicator.measure != "count":
        return text
    significance = poisson_change_significance(a.actual, a.comparison)
    if significance is None:
        return text
    return format_html('{}<br><span class="govuk-body-s">{}</span>', text, significance.label)


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
        accessor="spc__assurance", verbose_name="Assurance", order_by=("sort_assurance",)
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

    def render_indicator(self, record):
        url = reverse("indicator_detail", args=[record.indicator.code])
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
            url,
            record.indicator.name,
            record.indicator.code,
        )

    def _unit(self, record, value):
        i = record.indicator
        return format_value(value, i.measure, i.rate_per)

    def render_actual(self, record, value):
        return self._unit(record, value)

    def render_target(self, record, value):
        i = record.indicator
        return format_value(value, i.measure, i.rate_per, places=1)

    # Badge and arrow markup is built in Python (also used by the rag_badge filter and
    # the direction tag): 400 template includes per page were half the dashboard's time.
    def render_rag(self, value):
        return rag_badge(value)

    def render_direction(self, record, value):
        return direction_marker(value, record.assessment.change_pct)

    def render_change(self, value):
        return format_change(value)

    def render_caution(self, record, value):
        if not value:
            return "—"
        return format_html(
            '<span class="scp-caution">Caution</span> <span class="govuk-body-s">{}</span>',
            record.assessment.caution_reason,
        )

    def render_commentary(self, value):
        return Truncator(value).chars(120)


def add_cells(rows):
    """Pre-renders every cell once, in column order. The template prints these directly:
    django-tables2's per-cell machinery (a signature inspection per cell, 1,800 cells
    for 200 indicators) cost more than the whole RAG computation."""
    table = ScorecardTable([])
    for row in rows:
        a = row.assessment
        indicator = row.indicator
        row.cells = [
            ("", table.render_indicator(row)),
            ("", indicator.owner.name),
            ("scp-number", table.render_actual(row, a.actual)),
            ("scp-number", table.render_target(row, a.target)),
            ("", rag_badge(a.rag)),
            ("", direction_marker(a.direction, a.change_pct)),
            ("scp-icon-cell", variation_icon(row.spc.variation)),
            ("scp-icon-cell", assurance_icon(row.spc.assurance)),
            ("scp-number", change_with_significance(row)),
            ("", table.render_caution(row, a.caution)),
            ("", table.render_commentary(row.commentary)),
        ]
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
