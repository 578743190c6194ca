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
