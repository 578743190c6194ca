from django import template
from django.utils.safestring import mark_safe

from core.formatting import format_value
from indicators import rag
from reporting import plain_words, spc_icons, tables

register = template.Library()


@register.simple_tag
def figure(value, indicator, places=None):
    """A value with its indicator's unit: 7,881 · 14.5% · 398 per 100,000."""
    if value in (None, ""):  # a missing figure (or an unset template variable)
        return ""
    return format_value(value, indicator.measure, indicator.rate_per, places=places)


@register.filter
def movement(assessment, indicator):
    """The change on last year as written everywhere: '+1.4 pp' for a percentage."""
    return rag.movement_text(indicator.measure, assessment)


@register.filter
def rag_badge(rag):
    """RAG as text plus colour (never colour alone)."""
    return tables.rag_badge(rag)


@register.simple_tag
def direction(assessment):
    return tables.direction_marker(assessment.direction, assessment.change_pct)


@register.simple_tag
def form_error_list(*forms):
    """(field id, label, message) for every error of the given forms, for the error
    summary at the top of a page (GOV.UK pattern: each links to its field)."""
    errors = []
    for form in forms:
        if form is None:
            continue
        for name, messages in form.errors.items():
            field_id = form[name].id_for_label if name in form.fields else ""
            if not field_id:
                first = next(iter(form.fields), "")
                field_id = form[first].id_for_label if first else ""
            errors.extend((field_id, "", message) for message in messages)
    return errors


@register.simple_tag(name="variation_icon", takes_context=True)
def variation_icon_tag(context, variation, words=True):
    """Inline SVG on pages; a CSS badge with its words in the PDF (``pdf`` in context)."""
    return spc_icons.variation_icon(variation, badge=bool(context.get("pdf")), words=words)


@register.simple_tag(name="assurance_icon", takes_context=True)
def assurance_icon_tag(context, assurance, words=True):
    return spc_icons.assurance_icon(assurance, badge=bool(context.get("pdf")), words=words)


@register.filter
def field_words(name: str) -> str:
    """A model field's name as words for an audit trail: tolerance_pct → tolerance %."""
    return name.replace("_pct", " %").replace("_", " ")


@register.simple_tag(name="spc_badge_css")
def spc_badge_css_tag():
    """The PDF's badge colours, from the same palette as the pages' icons."""
    return mark_safe(spc_icons.badge_css())  # built from constants: nothing to escape


# For residents: what statistical process control found, without its vocabulary (the
# technical term stays one click away on the page).
@register.filter
def plain_variation(value) -> str:
    return plain_words.VARIATION.get(str(value or ""), "")


@register.filter
def plain_assurance(value) -> str:
    return plain_words.ASSURANCE.get(str(value or ""), "")


@register.filter
def plain_reasons(reasons) -> str:
    """An indicator's exception reasons in plain words, joined for a sentence."""
    return "; ".join(plain_words.reason(r) for r in reasons or [])
