"""Password reset that tells an attacker nothing: the request does the same work for an
address with an account and one without (it queues one task, by name, and checks two
counters), the task finds the account and queues the email off the request, and a
burst of requests for one address or from one client is quietly dropped behind the
same "check your email" page."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.db import transaction

from core import queue
from core.tenancy import scoped_to
from partners import emails as partner_emails
from partners.services import set_password_link
from partnerships.resolution import default_partnership, memberships

TASK = "scorecard.tasks.send_password_reset"
WINDOW_SECONDS = 60 * 60


def _key(kind: str, value: str) -> str:
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _within(key: str, limit: int) -> bool:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit


def password_reset_request(*, email: str, client: str | None) -> bool:
    """Queues the reset for ``email`` unless a limit is reached. True when queued; the
    caller shows the same page either way."""
    email = email.strip().lower()
    per_address = _within(_key("address", email), settings.PASSWORD_RESET_PER_ADDRESS)
    per_client = _within(_key("client", client or "unknown"), settings.PASSWORD_RESET_PER_CLIENT)
    if not (per_address and per_client):
        return False
    transaction.on_commit(lambda: queue.enqueue(TASK, email))
    return True


def password_reset_send(email: str) -> int:
    """The task's work: a reset email to each active account with this address and a
    usable password (Django's own rule), through the outbox."""
    users = list(PasswordResetForm().get_users(email))
    for user in users:
        # An account, not a partnership's data: the email goes out as the person's
        # first partnership (its name on the email), or the installation's.
        first = next(iter(memberships(user)), None)
        home = first.partnership if first else default_partnership()
        with scoped_to(home):
            partner_emails.on_password_reset(user, set_password_link(user))
    return len(users)
