"""People who are not partner leads report for no partner: a lead moved to another role
kept their partners ticked, and with them the partners' returns."""

from django.db import migrations


def clear(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    for partner in Partner.objects.all():
        stale = partner.leads.exclude(groups__name="Partner lead").exclude(is_superuser=True)
        partner.leads.remove(*stale)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_api_token"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
