"""An indicator may belong to several strategies: its priority moves from the indicator
to its place in each strategy. Existing indicators keep their priority as their place in
that priority's strategy."""

import django.db.models.deletion
from django.db import migrations, models


def place_indicators(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    StrategyIndicator = apps.get_model("indicators", "StrategyIndicator")
    StrategyIndicator.objects.bulk_create(
        StrategyIndicator(
            strategy_id=strategy_id, priority_id=priority_id, indicator_id=indicator_id
        )
        for indicator_id, priority_id, strategy_id in Indicator.objects.values_list(
            "id", "priority_id", "priority__strategy_id"
        )
    )


def unplace_indicators(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    StrategyIndicator = apps.get_model("indicators", "StrategyIndicator")
    for place in StrategyIndicator.objects.order_by("-strategy__start_year"):
        Indicator.objects.filter(pk=place.indicator_id).update(priority_id=place.priority_id)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_series_breaks"),
    ]

    operations = [
        migrations.CreateModel(
            name="StrategyIndicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="places",
                        to="indicators.indicator",
                    ),
                ),
                (
                    "priority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="places",
                        to="indicators.priority",
                    ),
                ),
                (
                    "strategy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="places",
                        to="indicators.strategy",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator in a strategy",
                "verbose_name_plural": "indicators in strategies",
                "ordering": ["strategy", "priority__order", "indicator__code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("strategy", "indicator"), name="one_place_per_strategy"
                    )
                ],
            },
        ),
        migrations.RunPython(place_indicators, unplace_indicators),
        migrations.AlterModelOptions(name="indicator", options={"ordering": ["code"]}),
        migrations.RemoveField(model_name="indicator", name="priority"),
        migrations.AlterField(
            model_name="indicator",
            name="active",
            field=models.BooleanField(
                default=True, help_text="Retired indicators are no longer asked of partners"
            ),
        ),
    ]
