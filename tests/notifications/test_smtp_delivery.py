"""Email through a real SMTP server started by the test (aiosmtpd on a free local
port): it refuses the first delivery with a temporary failure, then accepts the retry."""

import socket

import pytest
from aiosmtpd.controller import Controller

from notifications.models import Notification
from notifications.tasks import deliver_notification
from returns import services
from returns.services import ValueEntry


class RefuseOnceHandler:
    def __init__(self):
        self.refusals = 1
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Mail server busy, try again later"
        self.received.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = RefuseOnceHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    # As production configures it (settings.py: MAILERS when EMAIL_HOST is set).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()


def test_an_email_refused_by_the_server_is_delivered_on_retry(
    smtp_server, partnership, police_lead, coordinator, django_capture_on_commit_callbacks
):
    qr = services.quarterly_return_get_or_start(
        partner=partnership["asb"].owner, period=partnership["period"], by=police_lead
    )
    services.return_values_save(
        quarterly_return=qr,
        by=police_lead,
        entries=[
            ValueEntry(indicator_id=partnership["asb"].id, value=90),
            ValueEntry(indicator_id=partnership["pct"].id, value=16),
        ],
    )
    # Delivery is queued after commit; run it by hand to see each attempt.
    with django_capture_on_commit_callbacks(execute=False):
        services.quarterly_return_submit(quarterly_return=qr, by=police_lead)
    notification = Notification.objects.get(kind="submitted")

    from smtplib import SMTPDataError

    with pytest.raises(SMTPDataError):  # the server's 451: celery would retry it
        deliver_notification.run(notification.pk)
    notification.refresh_from_db()
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert "451" in notification.last_error
    assert smtp_server.received == []

    assert deliver_notification.run(notification.pk) is True
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 2
    [envelope] = smtp_server.received
    assert envelope.rcpt_tos == [coordinator.email]
    assert b"Subject: Hampshire Constabulary submitted its 2019-20 Q1 return" in envelope.content
