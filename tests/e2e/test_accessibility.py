"""axe-core in real Chromium reports no WCAG 2.2 AA violations on the main pages."""

import pytest

from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    (None, "/accessibility/"),
    (None, "/public/"),
    (None, "/public/southampton/"),
    ("member", "/scorecard/"),
    ("member", "/scorecard/?rag=red&sort=-change"),
    ("member", "/scorecard/exceptions/"),
    ("member", "/scorecard/indicators/ASB-01/"),
    ("member", "/scorecard/indicators/FTE-01/"),
    ("member", "/scorecard/indicators/VC-01/"),
    ("police.lead", "/returns/"),
    ("police.lead", "/returns/HC/2020-21-Q1/"),
    ("police.lead", "/returns/HC/2020-21-Q1/upload/"),
    ("coordinator", "/review/"),
    ("coordinator", "/review/HFRS/2020-21-Q1/"),
    ("coordinator", "/review/HC/2019-20-Q3/"),
    ("coordinator", "/completeness/"),
    ("coordinator", "/periods/"),
    ("coordinator", "/meetings/"),
    ("coordinator", "/annual-review/2019-20/"),
    ("member", "/meetings/{meeting}/"),
    ("member", "/meetings/{meeting}/packs/1/"),
    ("member", "/actions/"),
    ("member", "/actions/?show=overdue"),
    ("member", "/scorecard/?period=2020-21-Q1"),  # the provisional banner and rows
    ("member", "/actions/{action}/"),
    ("coordinator", "/actions/{action}/"),
    ("coordinator", "/setup/"),
    ("coordinator", "/setup/strategies/"),
    ("coordinator", "/setup/strategies/{strategy}/"),
    ("coordinator", "/setup/strategies/{strategy}/carry-forward/"),
    ("coordinator", "/setup/indicators/"),
    ("coordinator", "/setup/indicators/new/"),
    ("coordinator", "/setup/indicators/ASB-01/"),
    ("coordinator", "/setup/targets/2021-22/"),
    ("coordinator", "/setup/targets/2021-22/?start=change&pct=-2"),
    ("coordinator", "/setup/partners/"),
    ("coordinator", "/setup/people/"),
    ("coordinator", "/setup/people/invite/"),
    ("coordinator", "/setup/police-uk/"),
    ("coordinator", "/setup/police-uk/area/?local_authority=Southampton"),
    ("coordinator", "/setup/indicators/VC-01/"),
    ("admin", "/hosting/"),
    ("admin", "/hosting/partnerships/new/"),
    ("eastleigh.coordinator", "/scorecard/"),
    ("eastleigh.coordinator", "/scorecard/indicators/BURG-01/"),
]


@pytest.fixture
def demo(transactional_db, demo_dump):
    """The demo, committed so the live server sees it, with its meeting pack generated
    (the snapshot holds it queued)."""
    from core.tenancy import across_partnerships
    from meetings.models import MeetingPack
    from meetings.packs import meeting_pack_generate

    demo_dump.restore()
    with across_partnerships():
        queued = list(MeetingPack.objects.filter(status=MeetingPack.Status.QUEUED))
    for pack in queued:
        meeting_pack_generate(pack.pk)


def settled(page):
    """Loaded, with every chart drawn (plotly is 3.5 MB: slow on a busy 2-core machine,
    so wait for what matters rather than for the network to fall silent)."""
    page.wait_for_load_state("load", timeout=45000)
    charts = page.locator("[data-chart]")
    for n in range(charts.count()):
        charts.nth(n).locator(".main-svg").first.wait_for(timeout=45000)


def test_login_page_has_no_violations(page, demo):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Forgot your password?").click()
    assert axe_violations(page) == []


def test_pages_have_no_violations(page, demo):
    from indicators.models import Strategy
    from meetings.models import Meeting

    meeting = Meeting.objects.get()
    from actions.models import MeetingAction

    strategy = Strategy.objects.get(name="Safe City Strategy 2021–2026")
    action = MeetingAction.objects.get()
    problems = {}
    current = None
    for user, url in PAGES:
        url = url.format(meeting=meeting.pk, strategy=strategy.pk, action=action.pk)
        if user != current:
            login(page, user, password="scorecard-demo")
            current = user
        response = page.goto(url)
        assert response.status == 200, url
        settled(page)
        if found := axe_violations(page):
            problems[url] = found
    assert problems == {}, "\n".join(f"{u}: {v}" for u, vs in problems.items() for v in vs)
    assert page.js_errors == []


def test_the_confirmations_have_no_violations(page, demo):
    """The pages that ask before opening a period or issuing a provisional pack."""
    from datetime import date

    from meetings.models import Meeting
    from returns.models import ReportingPeriod

    period = ReportingPeriod.objects.get(year=2020, quarter=1)
    meeting = Meeting.objects.create(
        title="SCP – September 2020", date=date(2020, 9, 17), period=period
    )
    login(page, "coordinator", password="scorecard-demo")
    page.goto("/periods/")
    page.get_by_role("button", name="Open").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Open")
    assert axe_violations(page) == []
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Issue the pack").click()
    assert "not yet approved" in page.content()
    assert axe_violations(page) == []


def test_charts_draw_from_vendored_plotly_with_a_table_alternative(page, demo):
    login(page, "member", password="scorecard-demo")
    page.goto("/scorecard/indicators/ALC-01/")
    page.wait_for_selector("[data-chart='chart-quarterly'] .main-svg")
    page.wait_for_selector("[data-chart='chart-xmr'] .main-svg")
    # 2016-17 to 2019-20; the SPC chart's table holds the same 16 quarters
    assert page.locator("#history-table tbody tr").count() == 16
    assert page.locator("#spc-table tbody tr").count() == 16
    assert page.js_errors == []


def test_dashboard_works_on_a_phone(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "member", password="scorecard-demo")
    page.goto("/scorecard/")
    assert page.get_by_role("heading", name="Safe City scorecard").is_visible()
    # The page itself does not scroll sideways; the wide table scrolls in its wrapper.
    assert page.evaluate("() => { window.scrollTo(2000, 0); return window.scrollX; }") == 0


CHART_PARTS = """(chart) => {
  const box = (sel) => { const el = chart.querySelector(sel); return el ? el.getBoundingClientRect() : null; };
  const outer = chart.getBoundingClientRect();
  const legend = box('.legend'), xlabels = box('.xaxislayer-above'), title = chart.querySelector('.gtitle');
  return {
    legendTop: legend && legend.top, legendRight: legend && legend.right,
    labelsBottom: xlabels && xlabels.bottom, right: outer.right,
    title: title ? title.textContent : '',
  };
}"""


def test_charts_fit_a_phone(page, demo):
    """At 390 px every chart's legend sits below its x labels (never over them) and
    within the chart; the chart's title is its caption, not cut off inside it."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "member", password="scorecard-demo")
    page.goto("/scorecard/indicators/ASB-01/")
    settled(page)
    charts = page.locator("[data-chart]")
    assert charts.count() == 5  # quarterly, against target, SPC, the funnel and police.uk
    for n in range(charts.count()):
        parts = charts.nth(n).evaluate(CHART_PARTS)
        assert parts["legendTop"] >= parts["labelsBottom"], parts
        assert parts["legendRight"] <= parts["right"] + 1, parts
        assert parts["title"] == "", parts
    captions = page.locator("figure figcaption").all_inner_texts()
    assert "Year to date against target" in captions


SIDEWAYS = """() => {
  const page = document.documentElement.scrollWidth - window.innerWidth;
  const regions = [...document.querySelectorAll('.scp-table-wrapper, main *')]
    .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .filter(el => el.scrollWidth - el.clientWidth > 1)
    .map(el => (el.getAttribute('aria-label') || el.id || el.className) + ' +' + (el.scrollWidth - el.clientWidth));
  return {page, regions};
}"""


def reading_pages(meeting_pk):
    return [
        "/scorecard/",
        "/scorecard/exceptions/",
        "/scorecard/indicators/ASB-01/",
        f"/meetings/{meeting_pk}/packs/1/",
    ]


def reading_page_problems(page, width, probe, is_problem):
    """Each reading page at ``width`` px, signed in as a member: what ``probe`` found
    there, for the pages where ``is_problem`` says it is one."""
    from meetings.models import Meeting

    page.set_viewport_size({"width": width, "height": 844})
    login(page, "member", password="scorecard-demo")
    found = {}
    for url in reading_pages(Meeting.objects.get().pk):
        page.goto(url)
        settled(page)
        result = page.evaluate(probe)
        if is_problem(result):
            found[url] = result
    return found


def test_nothing_scrolls_sideways_on_a_laptop(page, demo):
    found = reading_page_problems(page, 1280, SIDEWAYS, lambda r: r["page"] > 0 or r["regions"])
    assert found == {}


BROKEN_WORDS = """() => {
  const broken = [], overlapping = [];
  for (const cell of document.querySelectorAll('main table th, main table td')) {
    if (cell.scrollWidth - cell.clientWidth > 1) overlapping.push(cell.innerText.trim().slice(0, 40));
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Words only: a hyphenated one may wrap at its hyphen.
      for (const match of node.data.matchAll(/[^\\s\\-–]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return {broken, overlapping};
}"""


def test_table_words_are_whole_and_headings_stay_in_their_columns_on_a_laptop(page, demo):
    """Councillors read these tables on a laptop: "Constabular-y" or "7,609.-7" split
    across lines, or a heading running into the next column, is not fit to put before
    them."""
    found = reading_page_problems(
        page, 1280, BROKEN_WORDS, lambda r: r["broken"] or r["overlapping"]
    )
    assert found == {}


def test_the_page_does_not_scroll_sideways_on_a_small_laptop(page, demo):
    """1,024 px: a small laptop, or a 1,280 px one at 125% zoom. The wide pages' grid
    rows ran 15 px past the window when the container lost its side margins."""
    assert reading_page_problems(page, 1024, SIDEWAYS, lambda r: r["page"] > 0) == {}
    # Narrow columns wrap their text ("No comparison" ran into the next column).
    assert reading_page_problems(page, 1024, BROKEN_WORDS, lambda r: r["overlapping"]) == {}


def test_the_page_does_not_scroll_sideways_on_a_phone(page, demo):
    assert reading_page_problems(page, 390, SIDEWAYS, lambda r: r["page"] > 0) == {}
    page.goto("/scorecard/")
    # each indicator reads as a card: the cells stack, labelled
    first = page.locator("#scorecard-table tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert "Actual:" in first.evaluate(
        "tr => [...tr.querySelectorAll('td')].map(td => getComputedStyle(td, '::before').content).join(' ')"
    )


def test_the_public_pages_tables_fit_a_phone(page, demo):
    """A resident on a phone reads the summary table whole: its last column ("Not rated
    or no data") was cut off at 390 px. Only the charts scroll sideways, on purpose, to
    keep their text readable."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/public/southampton/")
    settled(page)
    found = page.evaluate(SIDEWAYS)
    assert found["page"] <= 0
    assert [r for r in found["regions"] if "chart" not in r.lower()] == []


def test_printed_pages_carry_the_protective_marking(page, demo):
    """A printed scorecard leaves the navigation behind but keeps its footer: on the
    partnership's pages that is the OFFICIAL – SENSITIVE marking."""
    login(page, "member", password="scorecard-demo")
    page.goto("/scorecard/")
    settled(page)
    page.emulate_media(media="print")
    assert page.get_by_text(
        "OFFICIAL – SENSITIVE: do not share outside the partnership."
    ).is_visible()
    assert not page.get_by_role("navigation", name="Main menu").is_visible()
