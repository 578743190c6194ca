from celery import shared_task

from core.tenancy import own_scope
from partners.password_reset import password_reset_send


@shared_task(name="scorecard.tasks.send_password_reset")
@own_scope
def send_password_reset(email):
    """Off the request, so a known and an unknown address cost the request the same."""
    return password_reset_send(email)
