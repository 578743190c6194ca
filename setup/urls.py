"""The Stronger Communities team's yearly set-up: strategies, indicators, targets."""

from django.urls import path

from setup import rules, views

urlpatterns = [
    path("setup/", views.index, name="setup"),
    path("setup/strategies/", views.strategies, name="setup_strategies"),
    path("setup/strategies/<int:pk>/", views.strategy_detail, name="setup_strategy"),
    path(
        "setup/strategies/<int:pk>/priorities/<int:priority_pk>/move/",
        views.priority_move,
        name="setup_priority_move",
    ),
    path(
        "setup/strategies/<int:pk>/priorities/<int:priority_pk>/short-name/",
        views.priority_short_name,
        name="setup_priority_short_name",
    ),
    path(
        "setup/strategies/<int:pk>/carry-forward/",
        views.carry_forward,
        name="setup_carry_forward",
    ),
    path("setup/indicators/", views.indicators, name="setup_indicators"),
    path("setup/indicators/new/", views.indicator_new, name="setup_indicator_new"),
    path("setup/indicators/<slug:code>/", views.indicator_edit, name="setup_indicator"),
    path(
        "setup/indicators/<slug:code>/retire/",
        views.indicator_retire,
        name="setup_indicator_retire",
    ),
    path("setup/targets/<str:year_slug>/", views.targets, name="setup_targets"),
    path("setup/rules/", rules.rule_list, name="setup_rules"),
    path("setup/rules/new/", rules.rule_new, name="setup_rule_new"),
    path("setup/rules/<slug:code>/", rules.rule_edit, name="setup_rule"),
    path("setup/rules/<slug:code>/delete/", rules.rule_delete, name="setup_rule_delete"),
]
