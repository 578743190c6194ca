from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_role_groups(sender, **kwargs):
    # Permissions exist only after migrate has run for every app, so the groups are
    # (re)built here rather than in a data migration.
    from partners.roles import ensure_role_groups

    ensure_role_groups()


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and roles"

    def ready(self):
        post_migrate.connect(_create_role_groups, sender=self)
