"""The four roles, held as Django groups, and what each may do.

Membership of a group is the role; the permissions on the group are what the admin and
the views check. ``ensure_role_groups`` is idempotent and is run by a data migration and
by ``load_demo``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    # Labels given, or Django makes "Scp Member" of the name.
    PARTNER_LEAD = "Partner lead", "Partner lead"
    COORDINATOR = "Coordinator", "Coordinator"
    SCP_MEMBER = "SCP member", "SCP member"
    ADMINISTRATOR = "Administrator", "Administrator"


# app_label.codename, per role. Coordinators run the cycle; members only read.
ROLE_PERMISSIONS = {
    Role.PARTNER_LEAD: [
        "scorecard.view_reportingperiod",
        "scorecard.enter_figures",
    ],
    Role.COORDINATOR: [
        "partners.view_partner",
        "partners.change_partner",
        "indicators.view_strategy",
        "indicators.add_strategy",
        "indicators.change_strategy",
        "indicators.view_priority",
        "indicators.add_priority",
        "indicators.change_priority",
        "indicators.view_indicator",
        "indicators.add_indicator",
        "indicators.change_indicator",
        "indicators.view_target",
        "indicators.add_target",
        "indicators.change_target",
        "indicators.delete_target",
        "scorecard.view_reportingperiod",
        "scorecard.add_reportingperiod",
        "scorecard.change_reportingperiod",
        "scorecard.view_quarterlyreturn",
        "scorecard.view_returnvalue",
        "scorecard.view_approvedvalue",
        "scorecard.view_auditentry",
        "scorecard.review_return",
        "scorecard.view_all_returns",
    ],
    Role.SCP_MEMBER: [],
    Role.ADMINISTRATOR: [],  # administrators are superusers or get all perms below
}

# Order matters when a user holds several roles: the most capable one is shown.
ROLE_PRECEDENCE = [Role.ADMINISTRATOR, Role.COORDINATOR, Role.PARTNER_LEAD, Role.SCP_MEMBER]


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_scorecard_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        user._scorecard_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_coordinator(user) -> bool:
    roles = user_roles(user)
    return Role.COORDINATOR in roles or Role.ADMINISTRATOR in roles


def require_coordinator(user, message: str = "Only the Stronger Communities team can do this"):
    """For services: the change is the coordinators' (or an administrator's) to make."""

    if not is_coordinator(user):
        raise PermissionDenied(message)


def primary_role(user) -> str:
    roles = user_roles(user)
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role.value  # the group name, e.g. "SCP member"
    return ""


def ensure_role_groups(group_model=None, permission_model=None):
    """Create the role groups and give them their permissions (safe to run twice)."""
    if group_model is None:
        group_model, permission_model = Group, Permission
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        if role == Role.ADMINISTRATOR:
            wanted = list(permission_model.objects.all())
        group.permissions.set(wanted)


def active_leads(partner):
    return partner.leads.filter(is_active=True).exclude(email="")


def active_coordinators():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.COORDINATOR)
        .exclude(email="")
        .distinct()
    )
