"""Meeting packs: frozen snapshots, versions, PDF and Excel, generation status."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from meetings import packs
from meetings.models import Meeting, MeetingPack
from returns import services
from returns.models import QuarterlyReturn, ReportingPeriod


@pytest.fixture
def meeting(demo, coordinator):
    return Meeting.objects.create(
        title="SCP meeting – August 2020",
        date=date(2020, 8, 20),
        theme="Domestic abuse",
        period=ReportingPeriod.objects.get(year=2019, quarter=4),
        created_by=coordinator,
    )


def issue(meeting, by, capture):
    with capture(execute=True):
        return packs.meeting_pack_issue(meeting=meeting, by=by)


def struct_alt_texts(node, found=None, depth=0) -> list[str]:
    """Every /Alt text in a PDF structure tree."""
    found = [] if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if depth > 60:
        return found
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                struct_alt_texts(kid, found, depth + 1)
    elif isinstance(node, list):
        for kid in node:
            struct_alt_texts(kid, found, depth + 1)
    return found


def pdf_text(pack) -> str:
    pack.refresh_from_db()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages)


def test_issued_pack_is_generated_with_pdf_xlsx_and_web(
    meeting, coordinator, django_capture_on_commit_callbacks
):
    pack = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    assert pack.status == "ready" and pack.version == 1
    text = pdf_text(pack)
    assert "SCP meeting – August 2020" in text
    assert "Contents" in text and "Page 2 of" in text
    assert "Exceptions" in text
    assert "Violent crimes" in text and "9,969" in text  # a red exception with its figure
    assert "7,881" in text and "+1.5%" in text
    assert "Theme: Domestic abuse" in text
    assert "Completeness" in text and "Glossary and RAG legend" in text
    assert "<svg" in pack.html and "Domestic violent crimes" in pack.html
    # Each chart's figures as text beneath it, by financial year; a rate's unit said once.
    words = " ".join(text.split())
    assert (
        "Quarterly values · 2018-19: Q1 2,228, Q2 2,413, Q3 2,413, Q4 2,228 · "
        "2019-20: Q1 2,393, Q2 2,592, Q3 2,592, Q4 2,392" in words
    )
    assert "Quarterly values (per 100,000 population) · 2018-19: Q1 812, Q2 820," in words
    assert "812 per 100,000" not in words
    # A tagged, accessible PDF (PDF/UA): structure tree, marked content, language, title.
    reader = PdfReader(io.BytesIO(bytes(pack.pdf)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("en")
    assert reader.metadata.title == "SCP meeting – August 2020 – SCP meeting pack v1"
    # Charts are figures with alternative text in the structure tree.
    alts = struct_alt_texts(root["/StructTreeRoot"])
    assert any(text.startswith("Violent crimes by quarter") for text in alts)


def test_excel_pack_has_numbers_as_numbers(
    meeting, coordinator, django_capture_on_commit_callbacks
):
    pack = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    book = load_workbook(io.BytesIO(bytes(pack.xlsx)))
    # The short names the strategy gives its priorities, not names cut at 31 characters.
    assert book.sheetnames == [
        "Summary",
        "Crime and ASB",
        "Drugs and alcohol",
        "Vulnerable people",
        "Youth crime",
        "Community cohesion",
        "Actions",
    ]
    assert book.properties.title == "SCP meeting pack: SCP meeting – August 2020, 2019-20 Q4 (v1)"
    sheet = book["Drugs and alcohol"]
    # Printed: the header row on every page, landscape, fitted to the page's width.
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    # fitToWidth left out of the file means 1, OOXML's default (CT_PageSetup)
    fit_width = 1 if sheet.page_setup.fitToWidth is None else sheet.page_setup.fitToWidth
    assert fit_width == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    alcohol = {h: c for h, c in zip(header, rows["ALC-01"], strict=True)}
    assert alcohol["Actual"].value == 2615 and alcohol["Actual"].number_format == "#,##0"
    assert alcohol["Change on last year"].value == pytest.approx(-1.2)
    assert alcohol["Change on last year"].number_format == '+0.0"%";-0.0"%";0.0"%"'
    # a percentage's change in points, as the pack's page shows it (not relative)
    found = [
        r for ws in book.worksheets for r in ws.iter_rows(min_row=2) if r[0].value == "REPEAT-01"
    ]
    repeat = {h: c for h, c in zip(header, found[0], strict=True)}
    assert repeat["Change on last year"].value == pytest.approx(1.4)
    assert repeat["Change on last year"].number_format == '+0.0" pp";-0.0" pp";0.0" pp"'
    # A count's target shows whole, as on the dashboard's workbook (the cell keeps 7,609.7)
    asb = next(
        r for ws in book.worksheets for r in ws.iter_rows(min_row=2) if r[0].value == "ASB-01"
    )
    asb_target = asb[header.index("Target")]
    assert asb_target.value == pytest.approx(7609.7) and asb_target.number_format == "#,##0"
    assert alcohol["RAG"].value == "Amber"
    assert alcohol["RAG"].fill.fgColor.rgb.endswith("FFDD00")
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert ("Version", 1) in [tuple(r[:2]) for r in summary]
    meeting_date = next(r[1] for r in summary if r[0] == "Date")
    assert meeting_date.date() == date(2020, 8, 20)  # a date, not text
    # Printed, every sheet is marked at its top and bottom.
    for printed in book.worksheets:
        assert printed.oddHeader.center.text == "OFFICIAL – SENSITIVE"
        assert printed.oddFooter.left.text == "OFFICIAL – SENSITIVE"


def test_sheet_titles_are_whole_words_and_unique():
    from core.workbooks import sheet_title

    used = {"Summary"}
    long = "Reduce crime and anti-social behaviour in the city centre"
    assert sheet_title(long, used) == "Reduce crime and anti-social"
    assert sheet_title(long, used) == "Reduce crime and anti-social 2"
    assert sheet_title("Summary", used) == "Summary 2"
    assert sheet_title("Drugs: [harm]/alcohol?", used) == "Drugs harm alcohol"
    assert all(len(t) <= 31 for t in used)


def test_snapshot_does_not_change_after_a_correction(
    meeting, coordinator, coordinator2, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    v1 = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    v1.refresh_from_db()
    before_snapshot, before_pdf = v1.snapshot, bytes(v1.pdf)

    # A correction to the police's 2019-20 Q4 return: reopen, change ASB, re-approve.
    lead = get_user_model().objects.get(username="police.lead")
    qr = QuarterlyReturn.objects.get(partner__code="HC", period=meeting.period)
    services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="ASB recount")
    asb = qr.values.get(indicator__code="ASB-01")
    services.return_values_save(
        quarterly_return=qr,
        by=lead,
        entries=[
            services.ValueEntry(
                indicator_id=asb.indicator_id, value=asb.value + 100, commentary="Recount"
            )
        ],
    )
    # The lead explains every figure the submit rules flag (reds, outliers), then submits.
    flagged = services.return_submit_problems(qr)
    services.return_values_save(
        quarterly_return=qr,
        by=lead,
        entries=[
            services.ValueEntry(
                indicator_id=v.indicator_id,
                value=v.value,
                commentary=v.commentary or "Checked for the correction",
            )
            for v in qr.values.filter(indicator__code__in=flagged)
        ],
    )
    services.quarterly_return_submit(quarterly_return=qr, by=lead)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator2)

    v1.refresh_from_db()
    assert v1.snapshot == before_snapshot
    assert bytes(v1.pdf) == before_pdf
    assert "7,881" in pdf_text(v1)

    v2 = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    assert v2.version == 2
    assert "7,981" in pdf_text(v2)
    assert MeetingPack.objects.filter(meeting=meeting).count() == 2


def test_failed_generation_keeps_previous_version_and_can_be_retried(
    meeting, coordinator, django_capture_on_commit_callbacks, monkeypatch, client
):
    v1 = issue(meeting, coordinator, django_capture_on_commit_callbacks)

    def broken(context):
        raise RuntimeError("PDF engine unavailable")

    monkeypatch.setattr(packs, "render_pdf", broken)
    v2 = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    v2.refresh_from_db()
    assert v2.status == "failed"
    assert "PDF engine unavailable" in v2.error

    client.force_login(coordinator)
    page = client.get(reverse("pack_detail", args=[meeting.pk, 2])).content.decode()
    assert "could not be generated" in page and "PDF engine unavailable" in page
    assert (
        client.get(reverse("pack_pdf", args=[meeting.pk, 1])).status_code == 200
    )  # v1 still there

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pack_retry", args=[meeting.pk, 2]))
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.status == "ready"
    v1.refresh_from_db()
    assert v1.status == "ready"


def test_status_moves_queued_generating_ready(meeting, coordinator, monkeypatch):
    seen = []
    real = packs.render_pdf

    def spy(context):
        seen.append(MeetingPack.objects.get(pk=context["pack"].pk).status)
        return real(context)

    monkeypatch.setattr(packs, "render_pdf", spy)
    pack = packs.meeting_pack_issue(meeting=meeting, by=coordinator)  # on_commit not run
    assert pack.status == "queued"
    assert packs.meeting_pack_generate(pack.pk) is True
    assert seen == ["generating"]
    pack.refresh_from_db()
    assert pack.status == "ready"
    assert packs.meeting_pack_generate(pack.pk) is False  # safe to run twice


def test_members_see_ready_packs_only(
    meeting, coordinator, member, client, django_capture_on_commit_callbacks
):
    issue(meeting, coordinator, django_capture_on_commit_callbacks)
    queued = packs.meeting_pack_issue(meeting=meeting, by=coordinator)  # not generated
    client.force_login(member)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "v1" in page and "v2" not in page
    assert client.get(reverse("pack_detail", args=[meeting.pk, 1])).status_code == 200
    assert (
        client.get(reverse("pack_pdf", args=[meeting.pk, 1]))["Content-Type"] == "application/pdf"
    )
    assert client.get(reverse("pack_detail", args=[meeting.pk, queued.version])).status_code == 404
    assert client.post(reverse("pack_issue", args=[meeting.pk])).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("pack_detail", args=[meeting.pk, queued.version])).status_code == 200


def test_coordinator_creates_meeting_and_issues_pack(
    demo, coordinator, client, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    period = ReportingPeriod.objects.get(year=2019, quarter=4)
    response = client.post(
        reverse("meetings"),
        {
            "title": "SCP – October 2020",
            **{"date_0": "15", "date_1": "10", "date_2": "2020"},
            "theme": "",
            "period": period.pk,
        },
    )
    meeting = Meeting.objects.get(title="SCP – October 2020")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pack_issue", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    assert "Version 1 was issued" in page
    # Shown while it was still queued: it says so, and the page refreshes itself.
    assert "being generated; this page updates itself" in page
    assert "data-refresh-until-done" in page
    assert MeetingPack.objects.get(meeting=meeting).status == "ready"
    # Ready: no "being generated", no refreshing, on the pack or the meeting page.
    for url in (
        reverse("pack_detail", args=[meeting.pk, 1]),
        reverse("meeting_detail", args=[meeting.pk]),
    ):
        page = client.get(url).content.decode()
        assert "being generated" not in page and "data-refresh-until-done" not in page
    MeetingPack.objects.filter(meeting=meeting).update(status="generating")
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-refresh-until-done="packs-region"' in page
    assert 'http-equiv="refresh"' not in page  # a reload would lose a half-typed action


def test_meeting_form_errors(demo, coordinator, client):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings"), {"title": "", "date_0": "31", "date_1": "2", "date_2": "2020"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_title"' in page
    assert "Enter the meeting title" in page and "This field is required" not in page
    assert 'name="date_0"' in page and 'name="date_1"' in page and 'name="date_2"' in page


def test_demo_meeting_pack_is_ready(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    pack = MeetingPack.objects.get(meeting__title__startswith="Safe City Partnership – ")
    assert pack.status == "ready"
    assert (
        Decimal(next(i for i in pack.snapshot["indicators"] if i["code"] == "ALC-01")["actual"])
        == 2615
    )


def test_the_pdf_loads_only_its_own_charts():
    """The pack's PDF renderer reaches neither the network nor the file system."""
    from meetings.pdf import ChartFetcher

    fetcher = ChartFetcher({"ASB-01-quarterly": b"\x89PNG"})
    response = fetcher("scp-chart:ASB-01-quarterly")
    assert response.read() == b"\x89PNG" and response.content_type == "image/png"
    for url in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(ValueError, match="only loads its own charts"):
            fetcher(url)


def test_pdf_page_references_are_the_ones_pydyf_computes():
    """The memoised page references (a 200-page pack called them 22,000 times) give
    the same value as pydyf's own, and follow pages added later."""
    import pydyf

    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    expected = tuple(f"{n} 0 R".encode("ascii") for n in document.pages["Kids"][::3])
    assert first == expected and len(first) == 3
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4


def test_no_page_of_the_pack_is_left_near_empty(
    meeting, coordinator, django_capture_on_commit_callbacks
):
    """Found reading the PDF: with each priority starting a page, a lone SPC chart (the
    previous priority's last) filled one page and a priority's first indicator another;
    the sections flow now. Each page's text spans at least a third of its content area
    (the contents list is short by nature)."""
    pack = issue(meeting, coordinator, django_capture_on_commit_callbacks)
    pack.refresh_from_db()
    pages = PdfReader(io.BytesIO(bytes(pack.pdf))).pages
    short = {}
    for number, page in enumerate(pages, start=1):
        heights = []

        def visit(text, cm, tm, font, size, heights=heights):
            if text.strip():
                heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        body = [y for y in heights if 40 < y < 800]  # inside the running header and footer
        share = (max(body) - min(body)) / 760 if body else 0
        if share < 0.3 and "Contents" not in page.extract_text():
            short[number] = round(share, 2)
    assert short == {}
