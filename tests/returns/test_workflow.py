"""Return transitions through the services: who may do what, from which state."""

import contextvars
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from core.models import AuditEntry
from reporting.selectors import scorecard_rows
from returns import services
from returns.models import ApprovedValue, QuarterlyReturn
from returns.services import InvalidTransition, ValueEntry


def fill(partnership, lead, asb="90", pct="16", commentary=""):
    period = partnership["period"]
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=period, by=lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=lead,
        entries=[
            ValueEntry(
                indicator_id=partnership["asb"].id, value=Decimal(asb), commentary=commentary
            ),
            ValueEntry(
                indicator_id=partnership["pct"].id, value=Decimal(pct), commentary=commentary
            ),
        ],
    )
    return qr


def submitted(partnership, lead, **kwargs):
    qr = fill(partnership, lead, **kwargs)
    return services.quarterly_return_submit(quarterly_return=qr, by=lead)


# --- allowed transitions ------------------------------------------------------------


def test_draft_to_submitted_to_approved_publishes_values(partnership, police_lead, coordinator):
    qr = submitted(partnership, police_lead)
    assert qr.status == QuarterlyReturn.Status.SUBMITTED
    assert qr.submitted_by == police_lead
    assert not ApprovedValue.objects.filter(period=partnership["period"]).exists()

    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    assert qr.status == QuarterlyReturn.Status.APPROVED
    approved = ApprovedValue.objects.get(indicator=partnership["asb"], period=partnership["period"])
    assert approved.value == Decimal(90)
    assert approved.approved_by == coordinator


def test_returned_return_can_be_edited_and_resubmitted(partnership, police_lead, coordinator):
    qr = submitted(partnership, police_lead)
    services.quarterly_return_send_back(quarterly_return=qr, by=coordinator, comment="Check ASB")
    assert qr.status == QuarterlyReturn.Status.RETURNED
    assert qr.review_comment == "Check ASB"
    fill(partnership, police_lead, asb="95")
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    assert qr.status == QuarterlyReturn.Status.SUBMITTED


# --- refused transitions ---------------------------------------------------------------


def test_submitted_return_cannot_be_edited(partnership, police_lead):
    submitted(partnership, police_lead)
    with pytest.raises(InvalidTransition, match="submitted"):
        fill(partnership, police_lead, asb="1")


def test_approved_return_is_locked(partnership, police_lead, coordinator):
    qr = submitted(partnership, police_lead)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    with pytest.raises(InvalidTransition, match="approved"):
        fill(partnership, police_lead, asb="1")
    with pytest.raises(InvalidTransition):
        services.quarterly_return_submit(quarterly_return=qr, by=police_lead)


@pytest.mark.parametrize("action", ["approve", "send_back"])
def test_only_submitted_returns_can_be_reviewed(partnership, police_lead, coordinator, action):
    qr = fill(partnership, police_lead)
    with pytest.raises(InvalidTransition, match="already draft"):
        if action == "approve":
            services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
        else:
            services.quarterly_return_send_back(quarterly_return=qr, by=coordinator, comment="x")


def test_double_approval_is_refused(partnership, police_lead, coordinator, coordinator2):
    qr = submitted(partnership, police_lead)
    stale = QuarterlyReturn.objects.get(pk=qr.pk)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    with pytest.raises(InvalidTransition, match="already approved"):
        services.quarterly_return_approve(quarterly_return=stale, by=coordinator2)
    assert AuditEntry.objects.filter(quarterly_return=qr, action="approved").count() == 1


def test_send_back_needs_a_comment(partnership, police_lead, coordinator):
    qr = submitted(partnership, police_lead)
    with pytest.raises(InvalidTransition, match="Say what needs changing"):
        services.quarterly_return_send_back(quarterly_return=qr, by=coordinator, comment="  ")


def test_reopen_needs_a_reason_and_an_approved_return(partnership, police_lead, coordinator):
    qr = submitted(partnership, police_lead)
    with pytest.raises(InvalidTransition):
        services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="typo")
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    with pytest.raises(InvalidTransition, match="reason"):
        services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="")


def test_leads_and_members_cannot_review(partnership, police_lead, fire_lead, member):
    qr = submitted(partnership, police_lead)
    for user in (police_lead, fire_lead, member):
        with pytest.raises(PermissionDenied):
            services.quarterly_return_approve(quarterly_return=qr, by=user)


def test_other_agencys_lead_cannot_enter_or_submit(partnership, police_lead, fire_lead):
    qr = fill(partnership, police_lead)
    with pytest.raises(PermissionDenied):
        services.return_values_save(
            quarterly_return=qr,
            by=fire_lead,
            entries=[ValueEntry(indicator_id=partnership["asb"].id, value=Decimal(1))],
        )
    with pytest.raises(PermissionDenied):
        services.quarterly_return_submit(quarterly_return=qr, by=fire_lead)


def test_lead_cannot_enter_another_partners_indicator(partnership, police_lead):
    qr = fill(partnership, police_lead)
    with pytest.raises(PermissionDenied, match="not owned"):
        services.return_values_save(
            quarterly_return=qr,
            by=police_lead,
            entries=[ValueEntry(indicator_id=partnership["arson"].id, value=Decimal(1))],
        )


def test_coordinator_who_submitted_as_lead_cannot_approve(partnership, coordinator, coordinator2):
    from partners.roles import Role, forget_roles
    from tests.factories import UserFactory

    # A coordinator who is also the police lead (separation of duties).
    UserFactory(username=coordinator.username, role=Role.PARTNER_LEAD)
    partnership["asb"].owner.leads.add(coordinator)
    forget_roles(coordinator)
    qr = submitted(partnership, coordinator)
    with pytest.raises(PermissionDenied, match="another coordinator"):
        services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator2)


def test_submit_refuses_incomplete_return(partnership, police_lead):
    period = partnership["period"]
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=period, by=police_lead
    )
    with pytest.raises(InvalidTransition, match="ASB-01"):
        services.quarterly_return_submit(quarterly_return=qr, by=police_lead)


def test_submit_refuses_red_without_commentary(partnership, police_lead):
    # Target 400 a year → 100 in Q1; 200 is red (and an outlier on last year's 100).
    qr = fill(partnership, police_lead, asb="200", pct="16")
    with pytest.raises(InvalidTransition, match="ASB-01"):
        services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    fill(partnership, police_lead, asb="200", pct="16", commentary="Festival weekend")
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)


# --- reopen keeps the old figures on the scorecard ------------------------------------


def test_reopen_keeps_previously_approved_values_until_reapproval(
    partnership, police_lead, coordinator
):
    qr = submitted(partnership, police_lead, asb="90")
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="Wrong ASB figure")
    assert qr.status == QuarterlyReturn.Status.REOPENED

    fill(partnership, police_lead, asb="97")
    fq = partnership["period"].fq

    def scorecard_asb():
        return next(r for r in scorecard_rows(fq) if r.indicator.code == "ASB-01").assessment.actual

    assert scorecard_asb() == Decimal(90)  # draft correction is not on the scorecard
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    assert scorecard_asb() == Decimal(90)  # nor while it is under review
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    assert scorecard_asb() == Decimal(97)


# --- audit ---------------------------------------------------------------------------


def test_every_value_and_status_change_is_audited(partnership, police_lead, coordinator):
    qr = fill(partnership, police_lead, asb="90")
    fill(partnership, police_lead, asb="91")
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    services.quarterly_return_send_back(quarterly_return=qr, by=coordinator, comment="Recheck")

    change = AuditEntry.objects.get(
        quarterly_return=qr, indicator=partnership["asb"], field="value", old_value="90"
    )
    assert (change.new_value, change.actor) == ("91", police_lead)
    statuses = list(
        AuditEntry.objects.filter(quarterly_return=qr, field="status")
        .order_by("at", "id")
        .values_list("old_value", "new_value", "actor__username", "comment")
    )
    assert statuses == [
        ("draft", "submitted", "police.lead", ""),
        ("submitted", "returned", "coordinator", "Recheck"),
    ]


def test_audit_entries_are_append_only(partnership, police_lead):
    qr = fill(partnership, police_lead)
    entry = AuditEntry.objects.filter(quarterly_return=qr).first()
    entry.comment = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


# --- concurrency ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_at_once_exactly_one_wins(
    partnership, police_lead, coordinator, coordinator2
):
    qr = submitted(partnership, police_lead)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        stale = QuarterlyReturn.objects.get(pk=qr.pk)
        barrier.wait()
        try:
            services.quarterly_return_approve(quarterly_return=stale, by=user)
            outcomes.append("approved")
        except InvalidTransition as error:
            outcomes.append(str(error))
        finally:
            connection.close()  # each thread has its own real database connection

    # A thread starts with an empty context: each runs in the test's partnership, as a
    # request thread runs in its request's.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(approve, u))
        for u in (coordinator, coordinator2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("approved") == 1
    [refusal] = [o for o in outcomes if o != "approved"]
    assert "already approved" in refusal
    assert AuditEntry.objects.filter(quarterly_return=qr, action="approved").count() == 1


# --- corrections ------------------------------------------------------------------------


def _approved_then_reopened(partnership, lead, coordinator, **figures):
    qr = submitted(partnership, lead, **figures)
    services.quarterly_return_approve(quarterly_return=qr, by=coordinator)
    return services.quarterly_return_reopen(quarterly_return=qr, by=coordinator, reason="Typo")


def test_a_correction_asks_for_commentary_only_on_figures_that_changed(
    partnership, police_lead, coordinator
):
    # ASB 160 against a Q1 target of 100 is red and needed a commentary first time.
    qr = _approved_then_reopened(
        partnership, police_lead, coordinator, asb="160", commentary="Festival"
    )
    # The correction changes only the percentage and clears the ASB commentary: ASB is
    # unchanged, so its (red) figure needs no new commentary.
    fill(partnership, police_lead, asb="160", pct="15", commentary="")
    assert services.return_submit_problems(qr) == {}
    # Changing ASB itself brings the red-needs-commentary rule back.
    fill(partnership, police_lead, asb="161", pct="15", commentary="")
    assert "ASB-01" in services.return_submit_problems(qr)


def test_a_correction_keeps_its_on_time_submission_and_is_never_overdue(
    partnership, police_lead, coordinator
):
    from datetime import timedelta

    from django.utils import timezone

    from returns.selectors import return_slots

    qr = _approved_then_reopened(partnership, police_lead, coordinator)
    period = partnership["period"]
    period.deadline = timezone.localdate() - timedelta(days=60)  # long past
    period.save()
    # It was first submitted in time, before that deadline.
    first_submission = timezone.now() - timedelta(days=61)
    QuarterlyReturn.objects.filter(pk=qr.pk).update(submitted_at=first_submission)
    qr.refresh_from_db()
    [slot] = return_slots([qr.partner], [period], timezone.localdate())
    assert slot.status_label == "Reopened for correction"
    assert slot.deadline_text == "Correction requested" and not slot.is_overdue
    services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    qr.refresh_from_db()
    assert qr.submitted_at == first_submission
    [slot] = return_slots([qr.partner], [period], timezone.localdate())
    assert slot.timeliness == "on_time"
