"""Issuing a pack or publishing it while returns are missing asks first, saying who is
missing and how many; the pack and the public scorecard then say they are provisional."""

import re
from datetime import date

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingPack, PublishedScorecard
from returns.models import ReportingPeriod


@pytest.fixture
def coordinator_client(client, demo, coordinator):
    client.force_login(coordinator)
    return client


def meeting_for(year, quarter, coordinator):
    return Meeting.objects.create(
        title="SCP meeting – September 2020",
        date=date(2020, 9, 17),
        period=ReportingPeriod.objects.get(year=year, quarter=quarter),
        created_by=coordinator,
    )


def test_issuing_with_returns_missing_asks_first_with_the_count(coordinator_client, coordinator):
    meeting = meeting_for(2020, 1, coordinator)  # nothing approved for 2020-21 Q1 yet
    url = reverse("pack_issue", args=[meeting.pk])
    page = coordinator_client.post(url).content.decode()
    assert "Issue the pack with 7 returns missing?" in page
    assert "Hampshire Constabulary" in page and 'name="confirm" value="7"' in page
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    stale = coordinator_client.post(url, {"confirm": "3"})  # the page showed another count
    assert stale.status_code == 409 and not MeetingPack.objects.filter(meeting=meeting).exists()


def test_confirmed_the_pack_is_issued_and_marked_provisional(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    meeting = meeting_for(2020, 1, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("pack_issue", args=[meeting.pk]), {"confirm": "7"})
    pack = MeetingPack.objects.get(meeting=meeting)
    assert len(pack.snapshot["provisional"]["missing"]) == 7
    pack.refresh_from_db()
    assert "Provisional." in pack.html
    assert "7 of 7 partners&#x27; returns not yet approved" in pack.html


def test_a_complete_quarter_is_issued_without_asking(coordinator_client, coordinator):
    meeting = meeting_for(2019, 4, coordinator)
    response = coordinator_client.post(reverse("pack_issue", args=[meeting.pk]))
    assert response.status_code == 302
    assert MeetingPack.objects.get(meeting=meeting).snapshot["provisional"] is None


def test_publishing_a_provisional_pack_asks_and_the_public_page_says_so(
    coordinator_client, coordinator, client, django_capture_on_commit_callbacks
):
    meeting = meeting_for(2020, 1, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("pack_issue", args=[meeting.pk]), {"confirm": "7"})
    pack = MeetingPack.objects.get(meeting=meeting)
    url = reverse("pack_publish", args=[meeting.pk, pack.version])
    before = PublishedScorecard.objects.count()
    page = coordinator_client.post(url).content.decode()
    assert "Publish version 1 with 7 returns missing?" in page
    assert PublishedScorecard.objects.count() == before
    coordinator_client.post(url, {"confirm": "7"})
    assert PublishedScorecard.objects.count() == before + 1
    coordinator_client.logout()
    public = client.get(reverse("public_partnership_page", args=["southampton"])).content.decode()
    assert "These figures are provisional" in public and "Hampshire Constabulary" in public
    data = client.get(reverse("public_partnership_json", args=["southampton"])).json()
    assert len(data["provisional"]) == 7


def test_the_packs_cover_carries_the_headline(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    meeting = meeting_for(2019, 4, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("pack_issue", args=[meeting.pk]))
    pack = MeetingPack.objects.get(meeting=meeting)
    pack.refresh_from_db()
    indicators = pack.snapshot["indicators"]
    reds = sum(1 for i in indicators if i["rag"] == "red")
    assert f"2019-20 Q4: {reds} of {len(indicators)} red, " in pack.html
    assert "actions overdue." in pack.html


def test_the_public_page_speaks_plainly_with_the_technical_term_a_click_away(client, demo):
    page = client.get(reverse("public_partnership_page", args=["southampton"])).content.decode()
    repeat = page[page.index('id="pub-REPEAT-01"') :].split("</section>")[0]
    plain = repeat[repeat.index('class="govuk-body scp-plain-spc"') :].split("</p>")[0]
    assert "higher than usual, which is worse — unlikely to be chance" in plain
    assert "Special cause" not in plain
    detail = repeat[repeat.index("scp-spc-detail") :]
    assert "Special cause concern (high)" in detail  # one click away, in a details element
    contents = page[page.index('id="contents-title"') :].split("</nav>")[0]
    assert contents.count('<a class="govuk-link" href="#pub-') == page.count(
        'class="scp-public-indicator"'
    )


def test_the_public_needs_attention_list_speaks_plainly_too(client, demo):
    """Found at 390 px: the list repeated the meeting's terms ("Outlier (same quarter of
    the last three years)", "Special cause concern (high)") to residents."""
    page = client.get(reverse("public_partnership_page", args=["southampton"])).content.decode()
    listed = page[page.index('id="public-attention"') :].split("</ul>")[0]
    assert "Special cause" not in listed and "Outlier (" not in listed
    assert "Red against target" not in listed
    assert "worse than its target" in listed
    assert "higher than usual, which is worse — unlikely to be chance" in listed
    assert re.search(r"unusual for it: usually [\d,.]+–[\d,.]+ in Q4", listed)


def test_a_public_note_says_the_quarter_it_was_written_for(client, demo):
    from indicators.models import Indicator

    noted = Indicator.objects.exclude(public_note="").filter(publishable=True).first()
    page = client.get(reverse("public_partnership_page", args=["southampton"])).content.decode()
    section = page[page.index(f'id="pub-{noted.code}"') :].split("</section>")[0]
    assert "A note from the partnership, written for 2019-20 Q4:" in section
    assert "an earlier quarter" not in section  # the published figures are 2019-20 Q4's


def test_a_note_needs_a_real_quarter(client, demo, coordinator):
    from indicators.models import Indicator

    client.force_login(coordinator)
    url = reverse("setup_indicator", args=["ASB-01"])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(owner=form["owner"].value(), public_note="Report ASB on 101.")
    for text, message in [
        ("", "Enter the quarter the note was written for"),
        ("Q9", "Enter a quarter like 2019-20 Q4"),
    ]:
        page = client.post(url, {**data, "public_note_period": text}).content.decode()
        assert message in page
    assert client.post(url, {**data, "public_note_period": "2020-21 q1"}).status_code == 302
    assert Indicator.objects.get(code="ASB-01").public_note_period == "2020-21 Q1"
