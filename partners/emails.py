from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from notifications.outbox import queue_email
from partnerships.resolution import partnership_now


def on_invited(user, link: str, by) -> list[int]:
    """The one-time link a new person follows to set their password."""
    partnership = partnership_now()
    who = by.get_full_name() or by.username if by is not None else partnership.coordinating_team
    return queue_email(
        Notification.Kind.INVITED,
        f"invited:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        f"You are invited to the {partnership.short_name} scorecard",
        f"{who} has invited you to the {partnership.name} scorecard. "
        "Follow this link to set your password; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. Your username is {user.username}.",
        link,
        link_text="Set your password",
    )


def on_added(user, by) -> list[int]:
    """Someone with an account joins another partnership: they sign in as before."""
    partnership = partnership_now()
    who = by.get_full_name() or by.username if by is not None else partnership.coordinating_team
    return queue_email(
        Notification.Kind.INVITED,
        f"added:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        f"You have been added to the {partnership.short_name} scorecard",
        f"{who} has added you to the {partnership.name} scorecard. Sign in as usual "
        f"(your username is {user.username}) and choose {partnership.name} in the "
        "Partnership list at the top of each page.",
        settings.SITE_URL.rstrip("/") + "/",
        link_text="Sign in to the scorecard",
    )


def on_password_reset(user, link: str) -> list[int]:
    return queue_email(
        Notification.Kind.PASSWORD_RESET,
        f"password_reset:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        [user],
        "Reset your scorecard password",
        "Someone asked to reset the password of your scorecard account. Follow this link "
        "to choose a new one; it works once and expires in "
        f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days. If it was not you, ignore this "
        f"email. Your username is {user.username}.",
        link,
        link_text="Choose a new password",
    )
