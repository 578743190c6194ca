import django_filters
from django import forms
from django.utils.text import slugify

from core.tenancy import current_partnership_id
from indicators.models import Indicator, Priority
from indicators.rag import DIRECTION_LABELS, RAG_LABELS
from indicators.spc import Assurance
from partners.models import Partner

RAG_CHOICES = [(k.value, v) for k, v in RAG_LABELS.items()]
DIRECTION_CHOICES = [(k.value, v) for k, v in DIRECTION_LABELS.items()]
VARIATION_CHOICES = [
    ("concern", "Special cause concern"),
    ("improvement", "Special cause improvement"),
    ("neutral", "Special cause, neither better nor worse"),
    ("common", "Common cause variation"),
    ("none", "Too few points"),
]
ASSURANCE_CHOICES = [(a.value, a.label) for a in Assurance]


def _unknown(what):
    return {"invalid_choice": f"There is no {what} ‘%(value)s’: choose one from the list"}


class ScorecardFilter(django_filters.FilterSet):
    """Filters live in the query string, by code (``?owner=HC&priority=reducing-youth-crime
    &rag=red``), so a view can be bookmarked and shared. RAG, direction and SPC are
    computed, so they are applied to the rows after assessment. An unknown value is
    reported beside its field and the other filters still apply."""

    priority = django_filters.ChoiceFilter(
        label="Priority", empty_label="All priorities", method="by_priority"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            Partner.objects.filter(indicators__partnership_id=current_partnership_id())
            .distinct()
            .order_by("code")
        ),
        to_field_name="code",
        label="Partner",
        empty_label="All partners",
        error_messages=_unknown("partner with the code"),
    )
    rag = django_filters.ChoiceFilter(
        choices=RAG_CHOICES,
        label="RAG",
        empty_label="Any RAG",
        method="computed",
        error_messages=_unknown("RAG status"),
    )
    direction = django_filters.ChoiceFilter(
        choices=DIRECTION_CHOICES,
        label="Direction of travel",
        empty_label="Any direction",
        method="computed",
        error_messages=_unknown("direction of travel"),
    )
    variation = django_filters.ChoiceFilter(
        choices=VARIATION_CHOICES,
        label="Variation (SPC)",
        empty_label="Any variation",
        method="computed",
        error_messages=_unknown("variation"),
    )
    assurance = django_filters.ChoiceFilter(
        choices=ASSURANCE_CHOICES,
        label="Assurance (SPC)",
        empty_label="Any assurance",
        method="computed",
        error_messages=_unknown("assurance"),
    )

    class Meta:
        model = Indicator
        fields = ["priority", "owner"]

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The priorities of the strategy whose scorecard is shown: another strategy's
        # priority is reported as unknown for this period.
        priorities = Priority.objects.filter(strategy=strategy).order_by("order", "name")
        self._priority_ids = {}
        choices = []
        for priority in priorities:
            slug = slugify(priority.name)
            if slug not in self._priority_ids:
                choices.append((slug, priority.name))
            self._priority_ids.setdefault(slug, []).append(priority.id)
        field = self.filters["priority"]
        field.extra["choices"] = choices
        field.extra["error_messages"] = _unknown("priority")
        self.form.fields["priority"].choices = [("", "All priorities"), *choices]
        self.form.fields["priority"].error_messages.update(_unknown("priority"))

    @property
    def qs(self):
        """Applies every valid filter, even when another value was not understood (the
        form's errors say which)."""
        if not hasattr(self, "_qs"):
            queryset = self.queryset.all()
            if self.is_bound:
                self.form.is_valid()  # fills cleaned_data with the valid fields only
                queryset = self.filter_queryset(queryset)
            self._qs = queryset
        return self._qs

    def by_priority(self, queryset, name, value):
        return queryset.filter(placed_priority_id__in=self._priority_ids.get(value, []))

    def computed(self, queryset, name, value):
        return queryset

    @property
    def unknown_values(self) -> dict[str, list[str]]:
        return {name: list(errors) for name, errors in self.form.errors.items()}

    def filter_rows(self, rows):
        if self.is_bound:
            self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
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
