"""Partners and people: adding an agency, inviting someone, changing their role or
partners, deactivating them. People are never deleted, so audit entries keep their
author; each change is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.audit import record_audit
from core.models import AuditEntry
from core.tenancy import require_partnership_id
from partners import emails as partner_emails
from partners.models import Partner
from partners.roles import Role, forget_roles, primary_role, require_coordinator, roles_in
from partnerships.models import Membership
from partnerships.resolution import memberships


class PeopleError(Exception):
    """A change that cannot be made as asked; the message says why."""


MANAGE_PEOPLE = "Only the Stronger Communities team can manage people"


def _audit(by, *, person=None, field, old="", new="", comment=""):
    record_audit(
        actor=by,
        action=AuditEntry.Action.PERSON_CHANGED,
        person=person,
        field=field,
        old_value=old,
        new_value=new,
        comment=comment,
    )


def set_password_link(user) -> str:
    """A one-time link to set a password: Django's reset token, which stops working
    once the password changes or PASSWORD_RESET_TIMEOUT passes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", args=[uid, token])
    return settings.SITE_URL.rstrip("/") + path


def partner_create(*, code: str, name: str, by) -> Partner:
    require_coordinator(by, MANAGE_PEOPLE)
    with transaction.atomic():
        partner = Partner.objects.create(code=code, name=name)
        _audit(by, field="partner", new=f"{code} {name}", comment="partner added")
    return partner


def _partner_codes(partners) -> str:
    return ", ".join(sorted(p.code for p in partners))


def _set_role(user, role: Role):
    """The person's one role in the current partnership."""
    pid = require_partnership_id()
    Membership.objects.filter(partnership_id=pid, user=user).exclude(role=role.value).delete()
    Membership.objects.get_or_create(partnership_id=pid, user=user, role=role.value)
    forget_roles(user)
    user.is_staff = role in (Role.COORDINATOR, Role.ADMINISTRATOR)


def person_invite(*, email: str, first_name: str, last_name: str, role: Role, partners, by):
    """Creates the account with no usable password and emails a one-time link (through
    the outbox) to set one. A lead needs at least one partner."""
    require_coordinator(by, MANAGE_PEOPLE)
    return invite(
        email=email, first_name=first_name, last_name=last_name, role=role, partners=partners, by=by
    )


def invite(*, email: str, first_name: str, last_name: str, role: Role, partners, by):
    """``person_invite`` without the coordinator check: for the hosting operator, who
    invites a new partnership's first coordinator."""
    User = get_user_model()
    email = email.strip().lower()
    if role == Role.PARTNER_LEAD and not partners:
        raise PeopleError("Choose the partners this lead reports for")
    if role != Role.PARTNER_LEAD:
        partners = []  # only a partner lead reports for partners
    # Someone with an account already (a police analyst another partnership invited
    # first) joins this partnership in the role given: one account, a role in each.
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and roles_in(user, require_partnership_id()):
        raise PeopleError("This person is already in this partnership")
    with transaction.atomic():
        if user is None:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
            comment = f"invited {email}"
        else:
            comment = f"added {user.email}, who has an account already"
        _set_role(user, role)
        user.save()
        for partner in partners:
            partner.leads.add(user)
        _audit(
            by,
            person=user,
            field="invited",
            new=f"{role.value}{': ' + _partner_codes(partners) if partners else ''}",
            comment=comment,
        )
        if user.has_usable_password():
            partner_emails.on_added(user, by)
        else:
            partner_emails.on_invited(user, set_password_link(user), by)
    return user


def person_resend_invite(*, person, by):
    """Only for someone invited who has not set a password yet: a set-password link for
    an account in use (an administrator's, say) would let its holder take it over."""
    require_coordinator(by, MANAGE_PEOPLE)
    if person.has_usable_password() or person.is_superuser or not person.is_active:
        raise PeopleError(
            f"{person.get_full_name() or person.username} is not waiting for an invitation: "
            "they can use Forgot your password? on the sign-in page"
        )
    with transaction.atomic():
        _audit(
            by, person=person, field="invited", comment=f"invitation sent again to {person.email}"
        )
        partner_emails.on_invited(person, set_password_link(person), by)


def person_update(*, person, role: Role, partners, is_active: bool, by):
    require_coordinator(by, MANAGE_PEOPLE)
    if person.is_superuser and not by.is_superuser:
        raise PeopleError("Administrators are managed by an administrator in Django admin")
    if person.pk == by.pk and not is_active:
        raise PeopleError("You cannot deactivate your own account")
    if role == Role.PARTNER_LEAD and not partners:
        raise PeopleError("Choose the partners this lead reports for")
    if role != Role.PARTNER_LEAD:
        partners = []  # only a partner lead reports for partners
    with transaction.atomic():
        old_role = primary_role(person)
        old_partners = list(Partner.objects.filter(leads=person))
        if old_role != role.value:
            _set_role(person, role)
            _audit(by, person=person, field="role", old=old_role, new=role.value)
        if set(old_partners) != set(partners):
            for partner in set(old_partners) - set(partners):
                partner.leads.remove(person)
            for partner in set(partners) - set(old_partners):
                partner.leads.add(person)
            _audit(
                by,
                person=person,
                field="partners",
                old=_partner_codes(old_partners),
                new=_partner_codes(partners),
            )
        pid = require_partnership_id()
        elsewhere = {m.partnership_id for m in memberships(person)} - {pid, None}
        if not is_active and person.is_active and elsewhere:
            # Another partnership still needs this account: leaving ours is enough.
            Membership.objects.filter(partnership_id=pid, user=person).delete()
            forget_roles(person)
            _audit(by, person=person, field="active", old="active", new="removed")
        elif person.is_active != is_active:
            _audit(
                by,
                person=person,
                field="active",
                old="active" if person.is_active else "deactivated",
                new="active" if is_active else "deactivated",
            )
            person.is_active = is_active
        person.save()
    return person
