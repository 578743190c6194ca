from django import template

from scorecard import tables
from scorecard.formatting import format_change, format_value

register = template.Library()


@register.simple_tag
def figure(value, indicator, places=None):
    """A value with its indicator's unit: 7,881 · 14.5% · 398 per 100,000."""
    if value in (None, ""):  # a missing figure (or an unset template variable)
        return ""
    return format_value(value, indicator.measure, indicator.rate_per, places=places)


@register.filter
def change(value):
    return format_change(value)


@register.filter
def rag_badge(rag):
    """RAG as text plus colour (never colour alone)."""
    return tables.rag_badge(rag)


@register.simple_tag
def direction(assessment):
    return tables.direction_marker(assessment.direction, assessment.change_pct)
