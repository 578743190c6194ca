"""Actions agreed in meetings: recorded by a coordinator, updated by the owner's leads,
reminded when overdue, carried into the next pack; and the theme chosen explicitly."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from actions import emails as action_emails
from actions import services as actions
from actions.models import MeetingAction
from core.models import AuditEntry
from meetings.models import Meeting
from meetings.packs import build_snapshot
from notifications.models import Notification


@pytest.fixture
def meeting(partnership):
    return Meeting.objects.create(
        title="SCP July 2019", date=date(2019, 7, 20), period=partnership["history"]
    )


@pytest.fixture
def later_meeting(partnership):
    return Meeting.objects.create(
        title="SCP September 2019", date=date(2019, 9, 20), period=partnership["period"]
    )


def _record(client, meeting, **overrides):
    from partners.models import Partner

    due = date.today() + timedelta(days=60)
    data = {
        "title": "Joint patrols in Bargate",
        "description": "Police and council wardens patrol the night-time economy.",
        "owner": Partner.objects.get(code="HC").pk,
        "lead": "",
        "due_date_0": str(due.day),
        "due_date_1": str(due.month),
        "due_date_2": str(due.year),
        "indicators": ["ASB-01"],
        **overrides,
    }
    return client.post(reverse("action_record", args=[meeting.pk]), data)


def test_a_coordinator_records_an_action_and_the_owners_leads_are_told(
    client, coordinator, police_lead, meeting
):
    client.force_login(coordinator)
    response = _record(client, meeting)
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    due = date.today() + timedelta(days=60)
    assert (action.owner.code, action.due_date, action.status) == ("HC", due, "open")
    assert list(action.indicators.values_list("code", flat=True)) == ["ASB-01"]
    assert AuditEntry.objects.filter(meeting_action=action, action="action_recorded").exists()
    told = Notification.objects.get(kind="action_recorded")
    assert told.recipient == police_lead.email
    assert ">Open the action</a>" in told.body_html and "Open the return" not in told.body_html
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Joint patrols in Bargate" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the action"),
        ({"due_date_0": "", "due_date_1": "", "due_date_2": ""}, "Enter the due date"),
        ({"owner": ""}, "Choose the partner that owns the action"),
    ],
)
def test_a_bad_action_is_explained_and_nothing_is_recorded(
    client, coordinator, meeting, overrides, message
):
    client.force_login(coordinator)
    response = _record(client, meeting, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeetingAction.objects.exists()


def test_the_lead_must_be_one_of_the_owners_leads(client, coordinator, fire_lead, meeting):
    client.force_login(coordinator)
    response = _record(client, meeting, lead=fire_lead.pk)
    assert response.status_code == 400
    assert "Choose one of Hampshire Constabulary" in response.content.decode()


def _action(meeting, coordinator, **kwargs):
    from partners.models import Partner

    return actions.action_record(
        meeting=meeting,
        title=kwargs.get("title", "Joint patrols"),
        description="Patrols",
        owner=Partner.objects.get(code=kwargs.get("owner", "HC")),
        lead=None,
        due_date=kwargs.get("due", date(2019, 9, 30)),
        indicators=kwargs.get("indicators", []),
        by=coordinator,
    )


def test_the_owners_lead_posts_an_update(client, coordinator, police_lead, meeting):
    action = _action(meeting, coordinator)
    client.force_login(police_lead)
    response = client.post(
        reverse("action_detail", args=[action.pk]),
        {"status": "in_progress", "text": "Two patrols a week since August."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.updates.get().by == police_lead
    entry = AuditEntry.objects.get(meeting_action=action, action="action_updated")
    assert (entry.old_value, entry.new_value, entry.actor) == ("open", "in_progress", police_lead)


@pytest.mark.parametrize("who", ["fire_lead", "member"])
def test_others_read_but_cannot_update(request, client, coordinator, meeting, who):
    action = _action(meeting, coordinator)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("action_detail", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("action_detail", args=[action.pk]), {"status": "done", "text": "Done"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open" and not action.updates.exists()


def test_dropping_an_action_needs_a_reason(client, coordinator, meeting):
    action = _action(meeting, coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("action_detail", args=[action.pk]), {"status": "dropped"})
    assert response.status_code == 400
    assert "Say why the action is dropped" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_leads_see_their_partners_open_actions_on_my_returns(
    client, coordinator, police_lead, fire_lead, meeting
):
    _action(meeting, coordinator, title="Police action", due=date(2019, 1, 1))
    _action(meeting, coordinator, title="Fire action", owner="HFRS")
    client.force_login(police_lead)
    page = client.get(reverse("my_returns")).content.decode()
    assert "Police action" in page and "Fire action" not in page
    assert "Overdue" in page.split('id="my-actions"', 1)[1]


def test_overdue_actions_are_reminded_on_the_first_day_then_weekly(
    coordinator, police_lead, meeting
):
    action = _action(meeting, coordinator, due=date(2019, 9, 30))
    Notification.objects.all().delete()
    assert action_emails.queue_overdue_actions(date(2019, 9, 30)) == []  # due today
    assert len(action_emails.queue_overdue_actions(date(2019, 10, 1))) == 1
    assert action_emails.queue_overdue_actions(date(2019, 10, 1)) == []  # idempotent
    assert action_emails.queue_overdue_actions(date(2019, 10, 4)) == []
    assert len(action_emails.queue_overdue_actions(date(2019, 10, 8))) == 1
    actions.action_update(action=action, text="Done", status="done", by=coordinator)
    assert action_emails.queue_overdue_actions(date(2019, 10, 15)) == []
    assert Notification.objects.filter(kind="action_overdue").count() == 2


def test_the_next_pack_lists_previous_actions_overdue_first_with_their_status(
    coordinator, police_lead, meeting, later_meeting, partnership
):
    late = _action(
        meeting,
        coordinator,
        title="Late one",
        due=date(2019, 8, 1),
        indicators=[partnership["asb"]],
    )
    on_time = _action(meeting, coordinator, title="On time", due=date(2030, 1, 1))
    actions.action_update(action=on_time, text="Started", status="in_progress", by=police_lead)
    snapshot = build_snapshot(later_meeting)
    listed = [(a["title"], a["status"], a["overdue"]) for a in snapshot["actions"]]
    assert listed == [("Late one", "open", True), ("On time", "in_progress", False)]
    assert snapshot["actions"][1]["latest_update"] == "Started"
    asb = next(i for i in snapshot["indicators"] if i["code"] == "ASB-01")
    assert [a["title"] for a in asb["open_actions"]] == ["Late one"]
    assert late.pk == snapshot["actions"][0]["id"]
    # the meeting that agreed them does not follow them up in its own pack
    assert build_snapshot(meeting)["actions"] == []


def test_the_indicator_page_lists_its_open_actions(
    client, coordinator, member, meeting, partnership
):
    _action(meeting, coordinator, title="Joint patrols", indicators=[partnership["asb"]])
    client.force_login(member)
    page = client.get(reverse("indicator_detail", args=["ASB-01"])).content.decode()
    assert "Open actions" in page and "Joint patrols" in page


def test_the_theme_is_the_indicators_a_coordinator_chose(client, coordinator, meeting, partnership):
    client.force_login(coordinator)
    response = client.post(
        reverse("meeting_theme", args=[meeting.pk]),
        {"theme": "Violence", "theme_indicators": [partnership["arson"].pk]},
    )
    assert response.status_code == 302
    themed = [i["code"] for i in build_snapshot(meeting)["indicators"] if i["theme"]]
    assert themed == ["ARSON-01"]


def test_members_cannot_record_actions(client, member, meeting):
    client.force_login(member)
    assert _record(client, meeting).status_code == 403
    assert not MeetingAction.objects.exists()


def test_the_action_list_shows_open_actions_to_members(client, coordinator, member, meeting):
    done = _action(meeting, coordinator, title="Finished")
    actions.action_update(action=done, text="Done", status="done", by=coordinator)
    _action(meeting, coordinator, title="Still open", due=date.today() + timedelta(days=3))
    client.force_login(member)
    page = client.get(reverse("action_list")).content.decode()
    assert "Still open" in page and "Finished" not in page
    assert "Finished" in client.get(reverse("action_list"), {"show": "all"}).content.decode()


# --- every new URL, from outside: anonymous, member, other agency's lead, own lead,
# coordinator (status codes; 302 for anonymous is the sign-in page) ------------------

MATRIX = {
    # name: (method, anonymous, member, other lead, own lead, coordinator)
    "action_list": ("get", 302, 200, 200, 200, 200),
    "action_detail": ("get", 302, 200, 200, 200, 200),
    "action_update": ("post", 302, 403, 403, 302, 302),
    "action_record": ("post", 302, 403, 403, 403, 302),
    "meeting_theme": ("post", 302, 403, 403, 403, 302),
    "pack_publish": ("post", 302, 403, 403, 403, 302),
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_do_what_with_actions(
    client, name, meeting, coordinator, member, police_lead, fire_lead
):
    from meetings.models import MeetingPack

    action = _action(meeting, coordinator)
    MeetingPack.objects.create(
        meeting=meeting, version=1, status="ready", snapshot=build_snapshot(meeting)
    )
    method, *expected = MATRIX[name]
    url, data = {
        "action_list": (reverse("action_list"), {}),
        "action_detail": (reverse("action_detail", args=[action.pk]), {}),
        "action_update": (
            reverse("action_detail", args=[action.pk]),
            {"status": "in_progress", "text": "Under way"},
        ),
        "action_record": (
            reverse("action_record", args=[meeting.pk]),
            {
                "title": "Another",
                "description": "More",
                "owner": action.owner.pk,
                "due_date_0": "1",
                "due_date_1": "10",
                "due_date_2": "2019",
                "past_due": "on",  # already overdue, and said so
            },
        ),
        "meeting_theme": (reverse("meeting_theme", args=[meeting.pk]), {"theme": "ASB"}),
        # the fire service has no return for the quarter: confirmed, as the page asks
        "pack_publish": (reverse("pack_publish", args=[meeting.pk, 1]), {"confirm": "1"}),
    }[name]
    people = [None, member, fire_lead, police_lead, coordinator]
    for person, status in zip(people, expected, strict=True):
        client.logout()
        if person is not None:
            client.force_login(person)
        response = getattr(client, method)(url, data)
        assert response.status_code == status, (name, person)
        if person is None:
            assert response["Location"].startswith(reverse("login"))


def test_the_pack_workbook_has_the_actions_overdue_first(
    coordinator, meeting, later_meeting, partnership
):
    import io

    from openpyxl import load_workbook

    from meetings.models import MeetingPack
    from meetings.packs import render_xlsx

    _action(meeting, coordinator, title="=HYPERLINK(1)", due=date(2030, 1, 1))
    _action(meeting, coordinator, title="Late one", due=date(2019, 8, 1))
    pack = MeetingPack(meeting=later_meeting, version=1, snapshot=build_snapshot(later_meeting))
    book = load_workbook(io.BytesIO(render_xlsx(pack)))
    sheet = book["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Action", "Meeting", "Owner", "Due", "Status", "Overdue")
    # a text cell, shown as typed and never evaluated (no apostrophe in a workbook)
    assert [r[0] for r in rows[1:]] == ["Late one", "=HYPERLINK(1)"]
    assert sheet.cell(3, 1).data_type == "s"
    assert rows[1][3].year == 2019 and rows[1][5] == "yes"
    assert sheet.freeze_panes == "B2"


def test_an_action_title_must_be_on_one_line(client, coordinator, meeting):
    """Found by probing: a title with a line break was accepted, and its email then
    failed ("Header values may not contain linefeed")."""
    client.force_login(coordinator)
    response = _record(client, meeting, title="Joint patrols\nin Bargate")
    assert response.status_code == 400
    assert "Action must be on one line" in response.content.decode()
    assert not MeetingAction.objects.exists()


def test_a_subject_with_a_line_break_is_sent_on_one_line_and_a_failure_shows(
    coordinator, mailoutbox, admin_client, monkeypatch
):
    from notifications import outbox
    from notifications.delivery import notification_deliver

    [pk] = outbox.queue_email(
        Notification.Kind.ACTION_RECORDED, "k", [coordinator], "Patrols\r\nBcc: x@y", "m", "/"
    )
    assert Notification.objects.get(pk=pk).subject == "Patrols Bcc: x@y"
    assert notification_deliver(pk) and mailoutbox[0].subject == "Patrols Bcc: x@y"
    [failing] = outbox.queue_email(
        Notification.Kind.ACTION_RECORDED, "k2", [coordinator], "s", "m", "/"
    )

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        notification_deliver(failing)
    page = admin_client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert "Failed, will retry" in page and "mail server down" in page


def test_a_date_that_does_not_exist_is_said_in_gov_uk_words(client, coordinator, meeting):
    """Found by reading the errors: "day is out of range for month" reached people."""
    client.force_login(coordinator)
    response = _record(client, meeting, due_date_0="31", due_date_1="2", due_date_2="2020")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Due date must be a real date" in page and "out of range" not in page


def test_a_due_date_in_the_past_is_refused_until_confirmed(client, coordinator, meeting):
    from actions.models import MeetingAction

    client.force_login(coordinator)
    past = {"due_date_0": "30", "due_date_1": "9", "due_date_2": "2019"}
    response = _record(client, meeting, **past)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The due date is in the past (30 September 2019)" in page
    assert 'name="past_due"' in page
    assert not MeetingAction.objects.exists()
    assert _record(client, meeting, **past, past_due="on").status_code == 302
    assert MeetingAction.objects.get().due_date == date(2019, 9, 30)


def test_the_lead_list_is_each_partners_signed_up_leads_grouped_under_it(
    client, coordinator, meeting, police, police_lead, fire_lead
):
    from tests import factories

    police_lead.first_name, police_lead.last_name = "Priya", "Shah (Hampshire Constabulary)"
    police_lead.save()
    invited = factories.UserFactory(username="invited", role="Partner lead", first_name="Ivy")
    invited.set_unusable_password()
    invited.save()
    police.leads.add(invited)
    client.force_login(coordinator)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    lead_select = page[
        page.index('name="lead"') : page.index("</select>", page.index('name="lead"'))
    ]
    assert '<optgroup label="Hampshire Constabulary">' in lead_select
    assert "Priya Shah (Hampshire Constabulary)<" in lead_select  # no second bracket
    assert "(Hampshire Constabulary) (HC)" not in lead_select
    assert "Ivy" not in lead_select  # invited, not signed up yet


def test_a_lead_of_another_partner_is_refused_beside_the_field(
    client, coordinator, meeting, fire_lead
):
    client.force_login(coordinator)
    response = _record(client, meeting, lead=str(fire_lead.pk))  # the owner is the police
    assert response.status_code == 400
    assert "Choose one of Hampshire Constabulary&#x27;s leads" in response.content.decode()


def test_after_recording_the_form_is_ready_for_the_next_action(client, coordinator, meeting):
    client.force_login(coordinator)
    response = _record(client, meeting)
    assert "?recorded=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    title = page[page.index('name="title"') - 200 : page.index('name="title"') + 200]
    assert "autofocus" in title
