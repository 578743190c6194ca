"""The roles and what each may do.

A person's role is per partnership (``partnerships.Membership``): a police analyst can
be a lead in three partnerships and a coordinator in none. ``user_roles`` reads the
role in the current partnership. The groups ``ensure_role_groups`` keeps carry the
Django permissions for each role's name, for the admin's sake; views check roles.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models

from core.tenancy import current_partnership_id
from partnerships.resolution import memberships


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


def forget_roles(user) -> None:
    user._memberships = None
    user._led_partner_ids = None
    user._partnerships_for = None


def roles_in(user, partnership_id) -> set[str]:
    return {m.role for m in memberships(user) if m.partnership_id == partnership_id}


def user_roles(user) -> set[str]:
    """The person's roles in the current partnership."""
    if not user.is_authenticated:
        return set()
    roles = roles_in(user, current_partnership_id())
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


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
    """The partner's leads who lead it in this partnership."""
    return partner.leads.filter(
        is_active=True,
        memberships__partnership_id=current_partnership_id(),
        memberships__role=Role.PARTNER_LEAD,
    ).exclude(email="")


def people_with_role(role: Role):
    return get_user_model().objects.filter(
        memberships__partnership_id=current_partnership_id(), memberships__role=role
    )


def active_coordinators():
    return people_with_role(Role.COORDINATOR).filter(is_active=True).exclude(email="")


def people_of_partnership():
    """The people of the current partnership (and the installation's administrators):
    a coordinator sees and manages no one else."""
    return (
        get_user_model()
        .objects.filter(
            models.Q(memberships__partnership_id=current_partnership_id())
            | models.Q(is_superuser=True)
        )
        .distinct()
    )
