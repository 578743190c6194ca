"""The Stronger Communities team's yearly set-up: strategies, indicators, targets."""

from django.urls import path

from setup import police_uk, rules, views

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
    path(
        "setup/indicators/<slug:code>/police-uk/",
        police_uk.indicator_mapping,
        name="setup_indicator_police_uk",
    ),
    path("setup/police-uk/", police_uk.police_uk, name="setup_police_uk"),
    path("setup/police-uk/upload/", police_uk.police_uk_upload, name="setup_police_uk_upload"),
    path("setup/police-uk/area/", police_uk.area_choose, name="setup_police_uk_area"),
    path("setup/police-uk/area/upload/", police_uk.area_upload, name="setup_police_uk_area_upload"),
    path("setup/rules/", rules.rule_list, name="setup_rules"),
    path("setup/rules/new/", rules.rule_new, name="setup_rule_new"),
    path("setup/rules/<slug:code>/", rules.rule_edit, name="setup_rule"),
    path("setup/rules/<slug:code>/delete/", rules.rule_delete, name="setup_rule_delete"),
]
