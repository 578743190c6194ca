"""An indicator's page: definition, targets, charts (with SPC) and full history; the
coordinators' series breaks."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import MeetingAction
from indicators import services as indicator_services
from indicators import spc
from indicators.forms import SeriesBreakForm
from indicators.models import Indicator, SeriesBreak
from partners.access import coordinator_required, scorecard_viewer_required
from partners.roles import is_coordinator
from reporting import figures
from reporting import police_uk as police_uk_comparison
from reporting.peers import peer_comparison
from reporting.selectors import indicator_for_page, indicator_history


def _indicator_or_404(code):
    try:
        return indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator") from None


def _page(request, indicator, break_form=None, status=200):
    history = indicator_history(indicator)
    latest = history[-1] if history else None
    spc_result = latest.spc if latest else None
    breaks = list(indicator.breaks.all())
    peers = peer_comparison(indicator)
    police_uk = police_uk_comparison.comparison(indicator, history)
    if break_form is None and is_coordinator(request.user):
        break_form = SeriesBreakForm()
    return render(
        request,
        "scorecard/indicator_detail.html",
        {
            "indicator": indicator,
            "places": sorted(indicator.places.all(), key=lambda p: p.strategy.start_year),
            "history": history,
            "history_newest_first": list(reversed(history)),
            "latest": latest,
            "summary": figures.text_summary(indicator, latest),
            "targets": sorted(indicator.targets.all(), key=lambda t: t.year),
            "quarterly_chart": figures.quarterly_by_year(indicator, history) if history else None,
            "target_chart": figures.actual_vs_target(indicator, history) if history else None,
            "target_chart_title": figures.target_chart_title(indicator),
            "quarterly_summary": figures.quarterly_summary(indicator, history),
            "target_summary": figures.target_summary(indicator, latest),
            "spc": spc_result,
            "spc_summary": spc.plain_summary(spc_result, 0 if indicator.measure == "count" else 1)
            if spc_result
            else "",
            "spc_points": figures.spc_points(indicator, spc_result)
            if spc_result and spc_result.limits
            else [],
            "xmr_chart": figures.xmr_chart(indicator, history, spc_result, breaks)
            if history
            else None,
            "breaks": breaks,
            "break_form": break_form,
            "open_actions": list(
                indicator.meeting_actions.exclude(status__in=MeetingAction.CLOSED)
                .select_related("owner", "meeting")
                .order_by("due_date")
            ),
            "today": timezone.localdate(),
            "peers": peers,
            "funnel_chart": figures.funnel_chart(peers) if peers else None,
            "police_uk": police_uk,
            "police_uk_chart": police_uk_comparison.chart(indicator, police_uk)
            if police_uk and police_uk.rows
            else None,
        },
        status=status,
    )


@scorecard_viewer_required
def indicator_detail(request, code):
    return _page(request, _indicator_or_404(code))


@require_POST
@coordinator_required
def series_break_add(request, code):
    indicator = _indicator_or_404(code)
    form = SeriesBreakForm(request.POST)
    if not form.is_valid():
        return _page(request, indicator, break_form=form, status=400)
    period = form.cleaned_data["period"]
    indicator_services.series_break_set(
        indicator=indicator, period=period, reason=form.cleaned_data["reason"], by=request.user
    )
    messages.success(request, f"Series break recorded from {period.label}.")
    return redirect("indicator_detail", code=indicator.code)


@require_POST
@coordinator_required
def series_break_remove(request, code, pk):
    indicator = _indicator_or_404(code)
    item = get_object_or_404(SeriesBreak, pk=pk, indicator=indicator)
    indicator_services.series_break_remove(series_break=item, by=request.user)
    messages.success(request, f"Series break in {item.period.label} removed.")
    return redirect("indicator_detail", code=indicator.code)
