from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from notifications.outbox import queue_email


def on_invited(user, link: str, by) -> list[int]:
    """The one-time link a new person follows to set their password."""
    who = by.get_full_name() or by.username if by is not None else "The Stronger Communities team"
    return queue_email(
        Notification.Kind.INVITED,
        f"invited:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        "You are invited to the Safe City Partnership scorecard",
        f"{who} has invited you to the Southampton Safe City Partnership scorecard. "
        "Follow this link to set your password; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. Your username is {user.username}.",
        link,
        link_text="Set your password",
    )


def on_password_reset(user, link: str) -> list[int]:
    return queue_email(
        Notification.Kind.PASSWORD_RESET,
        f"password_reset:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        "Reset your Safe City Partnership scorecard password",
        "Someone asked to reset the password of your scorecard account. Follow this link "
        "to choose a new one; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. If it was not you, ignore this "
        f"email. Your username is {user.username}.",
        link,
        link_text="Choose a new password",
    )
