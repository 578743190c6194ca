import django_filters
from django import forms

from indicators.models import Indicator, Priority
from indicators.rag import DIRECTION_LABELS, RAG_LABELS
from indicators.spc import Assurance
from partners.models import Partner

RAG_CHOICES = [(k.value, v) for k, v in RAG_LABELS.items()]
VARIATION_CHOICES = [
    ("concern", "Special cause concern"),
    ("improvement", "Special cause improvement"),
    ("neutral", "Special cause, neither better nor worse"),
    ("common", "Common cause variation"),
    ("none", "Too few points"),
]
ASSURANCE_CHOICES = [(a.value, a.label) for a in Assurance]
DIRECTION_CHOICES = [(k.value, v) for k, v in DIRECTION_LABELS.items()]


class ScorecardFilter(django_filters.FilterSet):
    """Filters live in the query string so a view can be bookmarked and shared. RAG and
    direction are computed, so they are applied to the rows after assessment."""

    priority = django_filters.ModelChoiceFilter(
        queryset=Priority.objects.select_related("strategy").order_by("strategy", "order"),
        empty_label="All priorities",
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.filter(indicators__isnull=False).distinct(),
        label="Partner",
        empty_label="All partners",
    )
    rag = django_filters.ChoiceFilter(
        choices=RAG_CHOICES, label="RAG", empty_label="Any RAG", method="computed"
    )
    direction = django_filters.ChoiceFilter(
        choices=DIRECTION_CHOICES,
        label="Direction of travel",
        empty_label="Any direction",
        method="computed",
    )
    variation = django_filters.ChoiceFilter(
        choices=VARIATION_CHOICES,
        label="Variation (SPC)",
        empty_label="Any variation",
        method="computed",
    )
    assurance = django_filters.ChoiceFilter(
        choices=ASSURANCE_CHOICES,
        label="Assurance (SPC)",
        empty_label="Any assurance",
        method="computed",
    )

    class Meta:
        model = Indicator
        fields = ["priority", "owner"]

    def computed(self, queryset, name, value):
        return queryset

    def filter_rows(self, rows):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if rag := data.get("rag"):
            rows = [r for r in rows if r.assessment.rag == rag]
        if direction := data.get("direction"):
            rows = [r for r in rows if r.assessment.direction == direction]
        if variation := data.get("variation"):
            rows = [r for r in rows if r.spc.variation and r.spc.variation.kind == variation]
        if assurance := data.get("assurance"):
            rows = [r for r in rows if r.spc.assurance == assurance]
        return rows


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Reporting period", required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.slug, p.label) for p in periods]
