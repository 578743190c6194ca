import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partners", "0003_only_leads_lead_partners"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Partnership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="e.g. Safe City Partnership", max_length=200, unique=True)),
                ("short_name", models.CharField(help_text="e.g. Southampton SCP", max_length=40)),
                ("slug", models.SlugField(help_text="Used in web addresses and commands, e.g. southampton", unique=True, validators=[django.core.validators.RegexValidator("^[a-z0-9]+(?:-[a-z0-9]+)*$", "Use lower-case letters, numbers and single hyphens only")])),
                ("area_description", models.TextField(blank=True)),
                ("logo", models.FileField(blank=True, upload_to="logos/")),
                ("coordinating_team", models.CharField(default="Stronger Communities team", help_text="The team that reviews returns, as people know it", max_length=100)),
                ("publishes", models.BooleanField(default=False, editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(max_length=30)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("partnership", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="partnerships.partnership")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["partnership__name"],
                "constraints": [
                    models.UniqueConstraint(fields=("partnership", "user", "role"), name="each_role_once_per_partnership"),
                    models.UniqueConstraint(condition=models.Q(("role", "Hosting operator")), fields=("user",), name="operator_once"),
                    models.CheckConstraint(condition=models.Q(models.Q(("partnership__isnull", True), ("role", "Hosting operator")), models.Q(models.Q(("role", "Hosting operator"), _negated=True), ("partnership__isnull", False)), _connector="OR"), name="operator_alone_has_no_partnership"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PartnershipPartner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("partner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="partnership_links", to="partners.partner")),
                ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="partner_links", to="partnerships.partnership")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("partnership", "partner"), name="one_link_per_partner")],
            },
        ),
        migrations.CreateModel(
            name="Population",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(help_text="Financial year it starts, e.g. 2019")),
                ("residents", models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)])),
                ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="populations", to="partnerships.partnership")),
            ],
            options={
                "ordering": ["partnership", "year"],
                "constraints": [models.UniqueConstraint(fields=("partnership", "year"), name="one_population_a_year")],
            },
        ),
    ]
