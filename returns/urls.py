"""Partner leads' returns; the Stronger Communities team's review, completeness and
reporting periods."""

from django.urls import path

from returns.views import completeness, entry, periods, review

PERIOD = "<str:period_slug>"
RETURN = f"returns/<slug:partner_code>/{PERIOD}"

urlpatterns = [
    path("returns/", entry.my_returns, name="my_returns"),
    path(f"{RETURN}/", entry.return_edit, name="return_edit"),
    path(f"{RETURN}/upload/", entry.return_upload, name="return_upload"),
    path(
        f"{RETURN}/upload/template.<str:ext>",
        entry.return_upload_template,
        name="return_upload_template",
    ),
    path("review/", review.queue, name="review_queue"),
    path(f"review/<slug:partner_code>/{PERIOD}/", review.review_return, name="review_return"),
    path(f"{RETURN}/approve/", review.approve, name="return_approve"),
    path(f"{RETURN}/return-for-changes/", review.send_back, name="return_send_back"),
    path(f"{RETURN}/reopen/", review.reopen, name="return_reopen"),
    path("completeness/", completeness.completeness, name="completeness"),
    path("completeness/<slug:partner_code>/", completeness.partner_history, name="partner_history"),
    path("periods/", periods.periods, name="periods"),
    path(f"periods/{PERIOD}/", periods.period_edit, name="period_edit"),
]
