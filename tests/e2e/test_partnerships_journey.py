"""Two partnerships in one installation, in real Chromium: the police lead of both
enters a figure in each from one *My returns*; a coordinator of one cannot open the
other's pages by URL; the indicator page compares the partnerships that share it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login
from tests.e2e.test_accessibility import settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, demo_dump):
    demo_dump.restore()


def test_one_lead_enters_figures_in_two_partnerships_from_one_list(page, demo):
    from core.tenancy import across_partnerships
    from returns.models import ReturnValue

    login(page, "police.lead", password="scorecard-demo")
    expect(page.get_by_role("heading", name="My returns")).to_be_visible()
    for name in (
        "Southampton Safe City Partnership",
        "Eastleigh Community Safety Partnership (illustrative)",
    ):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    assert axe_violations(page) == []

    # Eastleigh's return first, from the combined list.
    page.get_by_role(
        "link", name=re.compile("Start Hampshire Constabulary 2020-21 Q1 for Eastleigh")
    ).click()
    expect(page.locator(".scp-header__name")).to_contain_text("Eastleigh")
    page.locator("#id_BURG-01-value").fill("83")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # Then Southampton's, from the same list.
    page.get_by_role("link", name="My returns", exact=True).click()
    page.get_by_role(
        "link", name=re.compile("Hampshire Constabulary 2020-21 Q1 for Southampton")
    ).click()
    expect(page.locator(".scp-header__name")).to_contain_text("Southampton")
    page.locator("#id_BURG-01-value").fill("301")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    with across_partnerships():
        saved = dict(
            ReturnValue.objects.filter(indicator__code="BURG-01", value__in=[83, 301]).values_list(
                "partnership__slug", "value"
            )
        )
    assert {slug: int(value) for slug, value in saved.items()} == {
        "eastleigh": 83,
        "southampton": 301,
    }
    assert page.js_errors == []


def test_a_coordinator_of_one_partnership_cannot_open_the_others_pages(page, demo):
    from core.tenancy import across_partnerships
    from meetings.models import Meeting

    with across_partnerships():
        southampton_meeting = Meeting.objects.get(partnership__slug="southampton")
    login(page, "eastleigh.coordinator", password="scorecard-demo")
    expect(page.locator(".scp-header__name")).to_contain_text("Eastleigh")
    for url in [
        f"/meetings/{southampton_meeting.pk}/",
        "/review/HFRS/2020-21-Q1/",
        "/scorecard/indicators/STALK-01/",
        "/scorecard/?partnership=southampton",
        "/setup/indicators/DVC-01/",
    ]:
        response = page.goto(url)
        assert response.status == 404, url
        assert "Southampton" not in page.locator("main").inner_text(), url
    # No switcher: one partnership only.
    assert page.locator("#partnership-switcher").count() == 0


def test_the_indicator_page_shows_the_funnel_plot_with_its_table(page, demo):
    login(page, "police.lead", password="scorecard-demo")
    page.goto("/scorecard/indicators/BURG-01/")
    settled(page)
    expect(page.get_by_role("heading", name="Compared with other partnerships")).to_be_visible()
    figure = page.locator("[data-chart='chart-funnel']")
    expect(figure.locator(".main-svg").first).to_be_visible()
    table = page.locator("#peers-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Eastleigh Community Safety Partnership (illustrative)")
    expect(page.locator("#peers")).to_be_visible()
    assert axe_violations(page) == []

    # The switcher moves the whole service to the other partnership.
    page.get_by_label("Partnership", exact=True).select_option(
        label="Eastleigh Community Safety Partnership (illustrative)"
    )
    page.get_by_role("button", name="Switch").click()
    expect(page.locator(".scp-header__name")).to_contain_text("Eastleigh")
    assert page.js_errors == []
