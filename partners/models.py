import hashlib
import secrets

from django.conf import settings
from django.db import models

from core.tenancy import (
    PartnershipManager,
    PartnershipQuerySet,
    current_partnership_id,
)
from partnerships.models import PartnershipPartner


class PartnerQuerySet(PartnershipQuerySet):
    def active(self):
        return self.filter(active=True)

    def led_by(self, user):
        return self.filter(leads=user)


class PartnerManager(PartnershipManager.from_queryset(PartnerQuerySet)):
    """Agencies are shared (Hampshire Constabulary serves several partnerships): a
    partnership sees the ones linked to it."""

    scope_field = "partnership_links__partnership"

    def bulk_create(self, objs, *args, **kwargs):
        """New agencies join the current partnership, as ``save`` has them do."""
        created = super().bulk_create(objs, *args, **kwargs)
        pid = current_partnership_id()
        if pid is not None:
            PartnershipPartner.objects.bulk_create(
                [PartnershipPartner(partnership_id=pid, partner=p) for p in created],
                ignore_conflicts=True,
            )
        return created


class Partner(models.Model):
    """An agency in the partnership: the council, the police, the fire service…"""

    code = models.SlugField(max_length=20, unique=True, help_text="Short code used in imports")
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_partners",
        help_text="Partner leads who enter this agency's quarterly figures",
    )

    objects = PartnerManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        created = self._state.adding
        super().save(*args, **kwargs)
        pid = current_partnership_id()
        if created and pid is not None:
            self.join(pid)

    def join(self, partnership) -> None:
        """Adds the agency to ``partnership`` (an object or id); safe to repeat."""
        PartnershipPartner.objects.get_or_create(
            partnership_id=getattr(partnership, "pk", partnership), partner=self
        )


class ApiToken(models.Model):
    """A read-only API credential for another system (e.g. a partner's Power BI).
    Only a hash is stored; the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'HC Power BI'")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A token for one partnership, or (blank) for every partnership its owner may read.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name, partnership=None) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=cls.hash(key), partnership=partnership
        )
        return token, key
