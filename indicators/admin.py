from django.contrib import admin

from core.admin_site import AuditedAdmin
from indicators.models import (
    Indicator,
    Priority,
    SeriesBreak,
    Strategy,
    StrategyIndicator,
    Target,
)


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(AuditedAdmin):
    list_display = ["name", "start_year", "end_year"]
    search_fields = ["name"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(AuditedAdmin):
    list_display = ["name", "strategy", "order"]
    list_filter = ["strategy"]
    search_fields = ["name"]
    list_select_related = ["strategy"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


class StrategyIndicatorInline(admin.TabularInline):
    model = StrategyIndicator
    extra = 0
    autocomplete_fields = ["priority"]


class SeriesBreakInline(admin.TabularInline):
    model = SeriesBreak
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name", "owner", "measure", "polarity", "active"]
    list_filter = ["places__strategy", "places__priority", "owner", "measure", "polarity", "active"]
    search_fields = ["code", "name", "description", "owner__name", "owner__code"]
    list_select_related = ["owner"]
    list_per_page = 200  # a partnership has tens of indicators: show them on one page
    inlines = [StrategyIndicatorInline, TargetInline, SeriesBreakInline]


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["indicator", "year", "target_type", "value"]
    list_filter = ["year", "target_type", "indicator__owner"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator"]
