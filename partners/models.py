import hashlib
import secrets

from django.conf import settings
from django.db import models


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def led_by(self, user):
        return self.filter(leads=user)


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

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A read-only API credential for another system (e.g. a partner's Power BI).
    Only a hash is stored; the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'HC Power BI'")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
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
    def issue(cls, *, user, name) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(key)), key
