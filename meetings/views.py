"""SCP meetings and their packs, and the annual review for scrutiny."""

from html import escape

import markdown
import nh3
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import services as actions
from core.periods import PeriodError, financial_year_label, parse_financial_year
from indicators.models import Indicator
from meetings import packs, publishing
from meetings.annual_review import annual_review_markdown, year_end
from meetings.forms import ActionForm, AnnualReviewForm, MeetingForm, ThemeForm
from meetings.models import AnnualReview, Meeting, MeetingPack
from partners.access import coordinator_required, scorecard_viewer_required
from partners.roles import is_coordinator
from reporting.selectors import scorecard_rows
from returns.approved import indicators_for_scorecard, strategy_for
from returns.models import ReportingPeriod


def _visible_packs(user, meeting):
    """SCP members see issued (ready) packs; coordinators also see queued, generating and
    failed ones."""
    qs = meeting.packs.defer("pdf", "xlsx", "html", "snapshot").order_by("-version")
    if is_coordinator(user):
        return qs
    return qs.filter(status=MeetingPack.Status.READY)


@require_http_methods(["GET", "POST"])
@scorecard_viewer_required
def meetings(request):
    form = None
    if is_coordinator(request.user):
        form = MeetingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            meeting = form.save(commit=False)
            meeting.created_by = request.user
            meeting.save()
            messages.success(
                request, f"{meeting.title} was created. Issue its pack when the figures are ready."
            )
            return redirect("meeting_detail", meeting.pk)
    elif request.method == "POST":
        raise Http404
    review_years = sorted(
        {p.year for p in ReportingPeriod.objects.filter(quarter=4, approved_values__isnull=False)},
        reverse=True,
    )
    return render(
        request,
        "packs/meetings.html",
        {
            "meetings": Meeting.objects.select_related("period").order_by("-date"),
            "form": form,
            "review_years": [
                (financial_year_label(y), financial_year_label(y)) for y in review_years
            ],
        },
        status=400 if form is not None and form.errors else 200,
    )


def _indicator_choices(meeting) -> list[tuple[str, str]]:
    """The indicators an action can address, exceptions first (from the latest issued
    pack, so the reasons are the ones the meeting is looking at)."""
    pack = (
        meeting.packs.filter(status=MeetingPack.Status.READY).order_by("-version").first()
        if meeting.pk
        else None
    )
    if pack is not None:
        entries = pack.snapshot.get("indicators", [])
        ordered = sorted(entries, key=lambda e: not e.get("exception_reasons"))
        return [
            (
                e["code"],
                f"{e['code']} {e['name']}"
                + (f" ({'; '.join(e['exception_reasons'])})" if e.get("exception_reasons") else ""),
            )
            for e in ordered
        ]
    strategy = strategy_for(meeting.period.fq)
    return [(i.code, f"{i.code} {i.name}") for i in indicators_for_scorecard(strategy)]


def _meeting_page(request, meeting, *, action_form=None, theme_form=None, status=200):
    packs_list = list(_visible_packs(request.user, meeting))
    coordinator = is_coordinator(request.user)
    if coordinator and action_form is None:
        action_form = ActionForm(
            indicator_choices=_indicator_choices(meeting), today=timezone.localdate()
        )
        if "recorded" in request.GET:  # back after Record action: ready for the next one
            action_form.fields["title"].widget.attrs["autofocus"] = True
    if coordinator and theme_form is None:
        theme_form = ThemeForm(instance=meeting, indicators=_theme_candidates(meeting))
    agreed = list(meeting.actions.select_related("owner", "lead").prefetch_related("indicators"))
    return render(
        request,
        "packs/meeting_detail.html",
        {
            "meeting": meeting,
            "packs": packs_list,
            "in_progress": any(p.status in ("queued", "generating") for p in packs_list),
            "actions": agreed,
            "action_form": action_form,
            "theme_form": theme_form,
            "theme_indicators": list(meeting.theme_indicators.order_by("code")),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _theme_candidates(meeting):
    return list(indicators_for_scorecard(strategy_for(meeting.period.fq)))


@require_GET
@scorecard_viewer_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("period"), pk=pk)
    return _meeting_page(request, meeting)


@require_POST
@coordinator_required
def meeting_theme(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("period"), pk=pk)
    form = ThemeForm(request.POST, instance=meeting, indicators=_theme_candidates(meeting))
    if not form.is_valid():
        return _meeting_page(request, meeting, theme_form=form, status=400)
    form.save()
    messages.success(
        request,
        f"The theme has {meeting.theme_indicators.count()} indicators; the next pack issued "
        "shows them in its theme section.",
    )
    return redirect("meeting_detail", meeting.pk)


@require_POST
@coordinator_required
def action_record(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("period"), pk=pk)
    form = ActionForm(
        request.POST, indicator_choices=_indicator_choices(meeting), today=timezone.localdate()
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = actions.action_record(
                meeting=meeting,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                lead=data["lead"],
                due_date=data["due_date"],
                indicators=list(Indicator.objects.filter(code__in=data["indicators"])),
                by=request.user,
            )
        except actions.ActionError as error:
            form.add_error("lead", str(error))
        else:
            messages.success(request, f"Action recorded for {action.owner.name}: {action.title}.")
            # Back at the form, ready for the next action: its first field has the focus.
            url = reverse("meeting_detail", args=[meeting.pk])
            return redirect(f"{url}?recorded={action.pk}")
    return _meeting_page(request, meeting, action_form=form, status=400)


@require_POST
@coordinator_required
def pack_issue(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if response := _confirm_provisional(request, packs.provisional_for(meeting.period), meeting):
        return response
    pack = packs.meeting_pack_issue(meeting=meeting, by=request.user)
    pack.refresh_from_db()  # with an eager or quick worker it may be ready already
    if pack.status == pack.Status.READY:
        done = "its web page, PDF and Excel files are ready"
    else:
        done = "the PDF and Excel files are being generated; this page updates itself"
    messages.success(
        request, f"Version {pack.version} was issued from the figures approved now: {done}."
    )
    return redirect("pack_detail", meeting.pk, pack.version)


def _confirm_provisional(request, provisional, meeting, pack=None):
    """Issuing or publishing with returns missing asks first, with the count: the form
    posts back ``confirm`` with the number of partners it showed, so a return approved
    (or reopened) meanwhile asks again. None when there is nothing to ask."""
    if not provisional:
        return None
    if request.POST.get("confirm") == str(len(provisional["missing"])):
        return None
    return render(
        request,
        "packs/confirm_provisional.html",
        {"meeting": meeting, "pack": pack, "provisional": provisional},
        status=200 if "confirm" not in request.POST else 409,
    )


def _pack_for(user, pk, version):
    pack = _visible_packs(user, get_object_or_404(Meeting, pk=pk)).filter(version=version).first()
    if pack is None:
        raise Http404("No such pack")
    return pack


@require_GET
@scorecard_viewer_required
def pack_detail(request, pk, version):
    pack = _pack_for(request.user, pk, version)
    pack = MeetingPack.objects.select_related("meeting", "issued_by").get(pk=pack.pk)
    return render(
        request,
        "packs/pack_web.html",
        {"pack": pack, "meeting": pack.meeting, "body": mark_safe(pack.html)},  # noqa: S308 - rendered by our template, values escaped
    )


def _file(request, pk, version, field, content_type, ext):
    pack = _pack_for(request.user, pk, version)
    content = MeetingPack.objects.filter(pk=pack.pk).values_list(field, flat=True).first()
    if not pack.is_ready or not content:
        raise Http404("The pack is not ready")
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="scp-pack-{pack.meeting.date:%Y-%m-%d}-v{pack.version}.{ext}"'
    )
    return response


@require_GET
@scorecard_viewer_required
def pack_pdf(request, pk, version):
    return _file(request, pk, version, "pdf", "application/pdf", "pdf")


@require_GET
@scorecard_viewer_required
def pack_xlsx(request, pk, version):
    return _file(
        request,
        pk,
        version,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@require_POST
@coordinator_required
def pack_retry(request, pk, version):
    pack = _pack_for(request.user, pk, version)
    if pack.status != MeetingPack.Status.FAILED:
        messages.error(request, "Only a failed pack can be retried.")
    else:
        packs.meeting_pack_retry(pack=pack)
        messages.success(request, f"Version {pack.version} is being generated again.")
    return redirect("pack_detail", pk, version)


# --- annual review ---------------------------------------------------------------------


MARKDOWN_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}


def render_markdown(text: str) -> str:
    """Markdown to HTML, made safe twice over: HTML in the text is escaped first, and the
    result passes an allow-list sanitiser (nh3), which drops what Markdown itself can
    make — attribute lists (``{: onmouseover=...}``), ``javascript:`` links. The
    download is opened from disk, outside the app's CSP, so this is its only guard."""
    html = markdown.markdown(escape(text), extensions=["extra"])
    # No images at all: opened from disk in Word or a browser, a remote image is a
    # tracking pixel, and the review's text has no pictures of its own.
    return nh3.clean(html, tags=MARKDOWN_TAGS, url_schemes={"http", "https", "mailto"})


def _year(slug):
    try:
        return parse_financial_year(slug)
    except PeriodError:
        raise Http404("No such financial year") from None


@require_http_methods(["GET", "POST"])
@coordinator_required
def annual_review(request, year_slug):
    year = _year(year_slug)
    review = AnnualReview.objects.filter(year=year).first()
    if request.method == "POST" and "regenerate" in request.POST:
        text = annual_review_markdown(scorecard_rows(year_end(year)), year)
        review, _ = AnnualReview.objects.update_or_create(
            year=year, defaults={"text": text, "updated_by": request.user}
        )
        messages.success(request, "The text was generated again from the approved figures.")
        return redirect("annual_review", year_slug)
    if review is None:
        # Shown, not stored: a GET changes nothing. Saving the form stores it.
        review = AnnualReview(
            year=year, text=annual_review_markdown(scorecard_rows(year_end(year)), year)
        )
    form = AnnualReviewForm(request.POST or None, initial={"text": review.text})
    if request.method == "POST" and form.is_valid():
        review, _ = AnnualReview.objects.update_or_create(
            year=year, defaults={"text": form.cleaned_data["text"], "updated_by": request.user}
        )
        messages.success(request, "Your edits were saved.")
        return redirect("annual_review", year_slug)
    return render(
        request,
        "packs/annual_review.html",
        {
            "review": review,
            "form": form,
            "year_label": financial_year_label(year),
            "year_slug": year_slug,
            "preview": mark_safe(render_markdown(review.text)),  # noqa: S308 - escaped first
        },
        status=400 if form.errors else 200,
    )


@require_GET
@coordinator_required
def annual_review_download(request, year_slug, ext):
    if ext not in ("md", "html"):
        raise Http404("Markdown (.md) or HTML (.html) only")
    year = _year(year_slug)
    review = AnnualReview.objects.filter(year=year).first() or AnnualReview(
        year=year, text=annual_review_markdown(scorecard_rows(year_end(year)), year)
    )
    name = f"scp-annual-review-{financial_year_label(review.year)}"
    if ext == "md":
        response = HttpResponse(review.text, content_type="text/markdown; charset=utf-8")
    else:
        body = render_markdown(review.text)
        html = f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{name}</title></head><body style="font-family: Arial, sans-serif">{body}</body></html>'
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


@require_POST
@coordinator_required
def pack_publish(request, pk, version):
    pack = _pack_for(request.user, pk, version)
    if response := _confirm_provisional(
        request, pack.snapshot.get("provisional"), pack.meeting, pack=pack
    ):
        return response
    try:
        public = publishing.scorecard_publish(pack=pack, by=request.user)
    except publishing.PublishError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Published {len(public.snapshot['indicators'])} indicators to the public "
            "scorecard at /public/.",
        )
    return redirect("pack_detail", pk, version)
