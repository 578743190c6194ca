from django.http import Http404
from django.shortcuts import render

from indicators.models import Indicator
from scorecard import figures
from scorecard.permissions import scorecard_viewer_required
from scorecard.selectors import indicator_for_page, indicator_history


@scorecard_viewer_required
def indicator_detail(request, code):
    try:
        indicator = indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator") from None
    history = indicator_history(indicator)
    latest = history[-1] if history else None
    return render(
        request,
        "scorecard/indicator_detail.html",
        {
            "indicator": indicator,
            "history": history,
            "history_newest_first": list(reversed(history)),
            "latest": latest,
            "summary": figures.text_summary(indicator, latest),
            "targets": sorted(indicator.targets.all(), key=lambda t: t.year),
            "quarterly_chart": figures.quarterly_by_year(indicator, history) if history else None,
            "target_chart": figures.actual_vs_target(indicator, history) if history else None,
        },
    )
