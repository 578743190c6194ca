"""From a meeting to action and publication, in real Chromium: the coordinator records
two actions, the police lead updates one, the next meeting's pack follows both up, and
the published scorecard shows the figures with small numbers suppressed and nothing
internal."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, demo_dump):
    """The demo, plus a publishable indicator whose 2019-20 Q4 count is small (3)."""
    from core.tenancy import scoped_to
    from indicators.models import Indicator, Priority, StrategyIndicator
    from partners.models import Partner
    from partnerships.models import Partnership
    from returns import services
    from returns.models import ReportingPeriod

    demo_dump.restore()
    with scoped_to(Partnership.objects.get(slug="southampton")):
        police = Partner.objects.get(code="HC")
        nrm = Indicator.objects.create(
            code="NRM-01",
            name="National Referral Mechanism referrals",
            owner=police,
            publishable=True,
        )
        priority = Priority.objects.get(
            name="Protecting vulnerable people", strategy__name="Safe City Strategy 2017–2020"
        )
        StrategyIndicator.objects.create(
            strategy=priority.strategy, priority=priority, indicator=nrm
        )
        for quarter, value in [(1, 6), (2, 7), (3, 5), (4, 3)]:
            services.quarterly_return_import(
                partner=police,
                period=ReportingPeriod.objects.get(year=2019, quarter=quarter),
                entries=[services.ValueEntry(indicator_id=nrm.id, value=Decimal(value))],
                by=None,
                approve=True,
            )


def record_action(page, title, what, owner, day, month, year, *, overdue=False):
    if "recorded=" in page.url:  # after the last action, the form has the focus again
        expect(page.get_by_label("Action", exact=True)).to_be_focused()
    page.get_by_label("Action", exact=True).fill(title)
    page.get_by_label("What will be done").fill(what)
    page.get_by_label("Owner partner").select_option(label=owner)
    page.get_by_label("Day", exact=True).fill(day)
    page.get_by_label("Month", exact=True).fill(month)
    page.get_by_label("Year", exact=True).fill(year)
    page.get_by_label("Year", exact=True).press("Enter")  # the keyboard is enough to keep up
    if overdue:  # a due date in the past is asked about, then recorded as overdue
        expect(page.locator(".govuk-error-summary")).to_contain_text("The due date is in the past")
        page.get_by_label(re.compile("Yes, record it with a due date in the past")).check()
        page.get_by_role("button", name="Record action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Action recorded for {owner}: {title}"
    )


def test_actions_follow_up_and_the_published_scorecard(page, demo):
    from actions.models import MeetingAction
    from demo.data import COMMENTARY

    login(page, "coordinator", password="scorecard-demo")
    page.goto("/meetings/")
    page.get_by_role("link", name=re.compile("^Safe City Partnership – ")).click()
    record_action(
        page,
        "Street attached cohort outreach",
        "Council and police outreach with CEAG in the city centre.",
        "Hampshire Constabulary",
        "31",
        "7",
        "2020",
        overdue=True,
    )
    record_action(
        page,
        "Review IDVA capacity",
        "Report on demand for independent domestic violence advisers.",
        "Southampton City Council",
        "30",
        "9",
        "2030",
    )
    expect(page.locator("#meeting-actions")).to_contain_text("Street attached cohort outreach")
    assert axe_violations(page) == []

    # The police lead finds it on My returns and posts progress.
    login(page, "police.lead", password="scorecard-demo")
    expect(page.locator("#my-actions")).to_contain_text("Street attached cohort outreach")
    expect(page.locator("#my-actions")).not_to_contain_text("Review IDVA capacity")
    page.get_by_role("link", name="Street attached cohort outreach").click()
    assert axe_violations(page) == []
    page.get_by_label("In progress").check()
    page.get_by_label("Update").fill("Weekly joint outreach since July; 14 people engaged.")
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("#action-status")).to_have_text("In progress")

    # The next meeting's pack carries both, overdue first, with their status.
    login(page, "coordinator", password="scorecard-demo")
    page.goto("/meetings/")
    # six weeks on from today (the demo's meeting was a fortnight ago)
    upcoming = date.today() + timedelta(days=42)
    page.get_by_label("Meeting title").fill(f"Safe City Partnership – {upcoming:%B %Y}")
    page.get_by_label("Day", exact=True).fill(str(upcoming.day))
    page.get_by_label("Month", exact=True).fill(str(upcoming.month))
    page.get_by_label("Year", exact=True).fill(str(upcoming.year))
    page.get_by_label("Reporting period").select_option(label="2019-20 Q4")
    page.get_by_role("button", name="Add meeting").click()
    page.get_by_role("button", name="Issue the pack").click()
    expect(page.locator("#pack-status")).to_have_text("Ready", timeout=60000)
    followed = page.locator("#actions table")
    expect(followed).to_contain_text("Street attached cohort outreach")
    expect(followed).to_contain_text("In progress")
    expect(followed).to_contain_text("Weekly joint outreach since July")
    expect(followed).to_contain_text("Review IDVA capacity")
    expect(followed).to_contain_text("Open")
    rows = followed.locator("tbody tr")
    expect(rows.first).to_contain_text("Overdue")  # due July 2020: overdue first
    assert MeetingAction.objects.count() == 3  # with the demo's own

    # Publish it; the public reads it without signing in.
    page.get_by_role("button", name="Publish to the public scorecard").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Published")
    page.context.clear_cookies()
    page.goto("/public/")  # the list of the partnerships that publish
    page.get_by_role("link", name="Southampton Safe City Partnership").click()
    expect(
        page.get_by_role("heading", name="How Southampton Safe City Partnership is doing")
    ).to_be_visible()
    nrm = page.locator(
        "section", has=page.get_by_role("heading", name="National Referral Mechanism referrals")
    )
    expect(nrm).to_contain_text("fewer than 5")
    body = page.locator("body").inner_text()
    assert not re.search(r"\b3\b", nrm.locator("table").inner_text())
    for text in COMMENTARY.values():
        assert text[:40] not in body
    assert "Cruelty to children" not in body  # not publishable
    assert "OFFICIAL" not in body
    assert "Open Government Licence" in body
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_a_pack_being_generated_updates_in_place_without_losing_typing(page, demo):
    """The meeting page follows the pack's progress by itself (no meta refresh, which
    axe rejects and which would wipe a half-typed action)."""
    from meetings.models import Meeting, MeetingPack

    meeting = Meeting.objects.get()
    MeetingPack.objects.filter(meeting=meeting).update(status="generating")
    login(page, "coordinator", password="scorecard-demo")
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.locator("#packs")).to_contain_text("Generating")
    assert axe_violations(page) == []
    page.get_by_label("Action", exact=True).fill("Half-typed action")
    MeetingPack.objects.filter(meeting=meeting).update(status="ready", html="<p>pack</p>")
    expect(page.locator("#packs")).to_contain_text("Ready", timeout=15000)
    expect(page.get_by_label("Action", exact=True)).to_have_value("Half-typed action")
