"""Forms of the coordinators' set-up area (GOV.UK wording for every error)."""

from __future__ import annotations

from django import forms

from core.forms import FigureField
from core.periods import FinancialQuarter, PeriodError, financial_year_label, parse_financial_year
from indicators.models import DEFINITION_FIELDS, Indicator, Priority, Strategy, Target
from partners.models import Partner

TARGET_TYPES = [
    ("", "Not set"),
    (Target.Type.VALUE, "Value for the year"),
    (Target.Type.CHANGE_VS_LAST_YEAR, "% change on last year"),
    (Target.Type.NONE, "No target (monitor)"),
]


class TargetForm(forms.Form):
    """One indicator's target on the annual targets page; the prefix is the code."""

    target_type = forms.ChoiceField(
        choices=TARGET_TYPES,
        required=False,
        label="Type",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    value = FigureField(
        required=False,
        label="Value",
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "class": "govuk-input govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="Note",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, prefix=indicator.code, **kwargs)
        name = f"{indicator.code} {indicator.name}"
        self.fields["target_type"].widget.attrs["aria-label"] = f"Target type for {name}"
        self.fields["value"].widget.attrs["aria-label"] = f"Target for {name}"
        self.fields["note"].widget.attrs["aria-label"] = f"Note for {name}"
        if self.is_bound and self.errors:
            self.fields["value"].widget.attrs["class"] += " govuk-input--error"
            self.fields["value"].widget.attrs["aria-describedby"] = f"id_{self.prefix}-value-error"

    def clean(self):
        data = super().clean()
        kind, value = data.get("target_type"), data.get("value")
        if kind == Target.Type.VALUE and value is None and "value" not in self.errors:
            self.add_error("value", f"Enter the target for {self.indicator.code}")
        if kind == Target.Type.CHANGE_VS_LAST_YEAR and value is None and "value" not in self.errors:
            self.add_error(
                "value", f"Enter the % change on last year for {self.indicator.code}, e.g. -2"
            )
        if kind == Target.Type.VALUE and value is not None and value < 0:
            self.add_error("value", f"The target for {self.indicator.code} cannot be negative")
        return data


class ChangeAllForm(forms.Form):
    """ "Set all to −x% on last year": a starting point the coordinator then reviews."""

    pct = FigureField(
        label="% change on last year for every rated indicator",
        help_text="For example -2 for a 2% reduction",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the % change, for example -2"},
    )


class StrategyForm(forms.ModelForm):
    first_year = forms.CharField(
        label="First financial year",
        help_text="For example 2021-22",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the first financial year, for example 2021-22"},
    )
    last_year = forms.CharField(
        label="Last financial year",
        help_text="For example 2025-26",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the last financial year, for example 2025-26"},
    )

    class Meta:
        model = Strategy
        fields = ["name"]
        error_messages = {
            "name": {
                "required": "Enter the strategy's name",
                "unique": "There is already a strategy with this name",
            }
        }

    def _year(self, name):
        try:
            return parse_financial_year(self.cleaned_data[name])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_first_year(self):
        return self._year("first_year")

    def clean_last_year(self):
        return self._year("last_year")

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error(
                "last_year",
                f"The last year must be {financial_year_label(first)} or later",
            )
        return data


SHORT_NAME_HELP = "For workbook sheet tabs, up to 31 characters, e.g. 'Drugs and alcohol'"


class PriorityForm(forms.Form):
    name = forms.CharField(
        label="Priority",
        max_length=200,
        error_messages={"required": "Enter the priority's name"},
    )
    short_name = forms.CharField(
        label="Short name (optional)",
        max_length=31,
        required=False,
        help_text=SHORT_NAME_HELP,
        error_messages={"max_length": "The short name must be 31 characters or fewer"},
    )


class PriorityShortNameForm(forms.Form):
    short_name = forms.CharField(
        label="Short name",
        max_length=31,
        required=False,
        help_text=SHORT_NAME_HELP,
        error_messages={"max_length": "The short name must be 31 characters or fewer"},
    )

    def clean_short_name(self):
        text = self.cleaned_data["short_name"].strip()
        if any(c in text for c in "[]:*?/\\"):
            raise forms.ValidationError("A sheet name cannot contain [ ] : * ? / or \\")
        return text


class CarryForwardForm(forms.Form):
    """Which of the previous strategy's indicators continue, and under which priority."""

    def __init__(self, *args, places, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        choices = [(str(p.pk), p.name) for p in priorities]
        for place in places:
            code = place.indicator.code
            self.fields[f"{code}-continue"] = forms.BooleanField(
                required=False, initial=place.indicator.active, label=f"{code} continues"
            )
            self.fields[f"{code}-priority"] = forms.ChoiceField(
                choices=[("", "Choose a priority"), *choices],
                required=False,
                label=f"Priority for {code} in the new strategy",
            )
        self.priorities = {str(p.pk): p for p in priorities}

    def rows(self):
        for place in self.places:
            code = place.indicator.code
            yield place, self[f"{code}-continue"], self[f"{code}-priority"]

    def clean(self):
        data = super().clean()
        chosen = {}
        for place in self.places:
            code = place.indicator.code
            if not data.get(f"{code}-continue"):
                continue
            priority = self.priorities.get(data.get(f"{code}-priority") or "")
            if priority is None:
                self.add_error(f"{code}-priority", f"Choose a priority for {code}")
            else:
                chosen[place.indicator.pk] = priority
        data["places"] = chosen
        return data


class IndicatorForm(forms.ModelForm):
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        label="Priority",
        help_text="Where it sits in the newest strategy",
        error_messages={"required": "Choose a priority"},
    )

    class Meta:
        model = Indicator
        # the code, then the audited definition (retiring has its own button)
        fields = ["code", *(name for name in DEFINITION_FIELDS if name != "active")]
        labels = {
            "publishable": "Publish on the public scorecard",
            "public_note": "Note for the public",
            "public_note_period": "Quarter the note was written for",
            "code": "Code",
            "rate_per": "Rate per",
            "caution_below": "Interpret with caution below",
            "tolerance_pct": "Amber tolerance (%)",
            "stable_band_pct": "Stable band (%)",
            "outlier_band_pct": "Outlier band (%)",
        }
        help_texts = {
            "publishable": "Shown on the public scorecard when a pack is published. Unticking "
            "takes it off at the next publication: to take it off now, publish the current "
            "pack again from its meeting's page.",
        }
        error_messages = {
            "public_note_period": {"max_length": "Enter a quarter like 2019-20 Q4"},
            "code": {
                "required": "Enter a code, for example ASB-01",
                "unique": "There is already an indicator with this code",
                "invalid": "A code is letters, numbers, - or _, for example ASB-01",
            },
            "name": {"required": "Enter the indicator's name"},
            "owner": {"required": "Choose the partner that reports it"},
        }

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Partner.objects.active().order_by("name")
        if self.instance.pk:
            # the code is used by imports and other systems: it never changes
            del self.fields["code"]
            del self.fields["priority"]
        else:
            self.fields["priority"].queryset = Priority.objects.filter(strategy=strategy)

    def clean_public_note_period(self):
        text = self.cleaned_data.get("public_note_period", "").strip()
        if not text:
            return ""
        try:
            return FinancialQuarter.parse(text).label
        except PeriodError:
            raise forms.ValidationError("Enter a quarter like 2019-20 Q4") from None

    def clean(self):
        data = super().clean()
        if data.get("public_note") and not data.get("public_note_period"):
            self.add_error(
                "public_note_period", "Enter the quarter the note was written for, like 2019-20 Q4"
            )
        if data.get("measure") == Indicator.Measure.RATE and not data.get("rate_per"):
            self.add_error("rate_per", "Enter the rate's denominator, for example 1000")
        return data


class SeriesBreakForm(forms.Form):
    period = forms.CharField(
        label="First quarter of the new series",
        help_text="For example, 2019-20 Q1",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the first quarter of the new series"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Shown beside the chart and in cautions, e.g. Home Office counting rules changed",
        max_length=300,
        error_messages={
            "required": "Enter the reason for the break",
            "max_length": "Reason must be 300 characters or fewer",
        },
    )

    def clean_period(self):
        try:
            return FinancialQuarter.parse(self.cleaned_data["period"])
        except PeriodError:
            raise forms.ValidationError("Enter a quarter like 2019-20 Q1") from None
