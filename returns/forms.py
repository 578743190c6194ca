from django import forms

from core.forms import FigureField, RealDateField, SizeLimitedUpload
from core.periods import FinancialQuarter
from returns.models import ReportingPeriod
from returns.validation import (
    COMMENTARY_MAX,
    Entry,
    field_errors,
    submit_errors,
    with_derived_value,
)

ENTRY_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "commentary",
    "not_available",
    "not_available_reason",
)


class ReturnValueForm(forms.Form):
    """One indicator's figure. The prefix is the indicator code so field ids are stable
    and readable (``id_ASB-01-value``) for the error summary links."""

    # Text inputs with a decimal keyboard, as the GOV.UK Design System advises: number
    # inputs change values on scroll and reject thousands separators silently.
    value = FigureField(
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )
    numerator = FigureField(
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    denominator = FigureField(
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    commentary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENTARY_MAX,
        error_messages={"max_length": f"Commentary must be {COMMENTARY_MAX:,} characters or fewer"},
    )
    not_available = forms.BooleanField(required=False, label="Not available this quarter")
    not_available_reason = forms.CharField(
        required=False, max_length=500, label="Why is it not available?"
    )

    def __init__(self, *args, context, period, submitting=False, approved=None, **kwargs):
        """``approved``: in a correction, the figure approved before; submitting it
        unchanged asks for nothing more (only changed figures need a commentary)."""
        self.context = context
        self.period = period
        self.submitting = submitting
        self.approved = approved
        super().__init__(*args, **kwargs)
        indicator = context.indicator
        self.fields["value"].label = f"Value ({indicator.unit_label})"
        self.fields["value"].measure = indicator.measure
        self.fields["commentary"].label = "Commentary"
        self.fields[
            "commentary"
        ].help_text = "What explains the figure, and for red figures what is being done"

    def draft_entry(self, stored) -> Entry:
        """What a draft keeps from this form: every field that is valid, and the stored
        value (or blank) for a field that is not, so one typo loses nothing else."""
        kept = {}
        for name in ENTRY_FIELDS:
            if name in self.cleaned_data and name not in self.errors:
                kept[name] = self.cleaned_data[name]
            elif stored is not None:
                kept[name] = getattr(stored, name)
        return Entry(**kept)

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            commentary=data.get("commentary", ""),
            not_available=data.get("not_available", False),
            not_available_reason=data.get("not_available_reason", ""),
        )

    def clean(self):
        super().clean()
        if self.errors:
            return self.cleaned_data
        indicator = self.context.indicator
        ratio_problems = {
            k: v
            for k, v in field_errors(self.entry(), indicator.measure).items()
            if k in ("numerator", "denominator")
        }
        for field, message in ratio_problems.items():
            self.add_error(field, message)
        if ratio_problems:
            return self.cleaned_data
        entry, problem = with_derived_value(self.entry(), indicator.measure, indicator.rate_per)
        if problem:
            self.add_error("value", problem)
            return self.cleaned_data
        self.cleaned_data["value"] = entry.value
        unchanged = (
            self.approved is not None and entry.value == self.approved and not entry.not_available
        )
        if self.submitting and not unchanged:
            context = self.context.validation_context(self.period, entry.value)
            problems = submit_errors(entry, context)
        else:
            problems = field_errors(entry, self.context.indicator.measure)
        for field, message in problems.items():
            self.add_error(field, message)
        return self.cleaned_data


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label="What needs changing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Say what needs changing before returning the return"},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Give the reason for reopening this approved return"},
    )


class UploadForm(SizeLimitedUpload, forms.Form):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        help_text="Columns: partner, indicator, period, value, commentary",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a .csv or .xlsx file")
        self.check_size(upload)
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError("The file is not a real Excel .xlsx workbook")
        if name.endswith(".csv") and b"\x00" in head:
            raise forms.ValidationError("The file is not a CSV text file")
        return upload


def deadline_field():
    field = RealDateField(label="Deadline for returns", help_text="For example, 28 7 2020")
    field.error_messages["required"] = "Enter the deadline for returns"
    return field


class ReportingPeriodForm(forms.ModelForm):
    """GOV.UK inputs: a year box, a quarter choice and a day/month/year deadline."""

    deadline = deadline_field()

    class Meta:
        model = ReportingPeriod
        fields = ["year", "quarter", "deadline"]
        labels = {"year": "Financial year starting in", "quarter": "Quarter"}
        help_texts = {"year": "For example, 2020 for 2020-21"}
        widgets = {
            "year": forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"})
        }
        error_messages = {
            "year": {"required": "Enter the year the financial year starts in, like 2020",
                     "invalid": "Enter the year as four digits, like 2020"},
            "quarter": {"required": "Select the quarter"},
        }  # fmt: skip

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Enter a financial year between 2000 and 2100, like 2020")
        return year

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter and ReportingPeriod.objects.filter(year=year, quarter=quarter).exists():
            label = FinancialQuarter(year, quarter).label
            self.add_error(
                "quarter", f"{label} already exists: change its deadline from the list below"
            )
        return data

    def validate_unique(self):
        """Checked in clean() with a message that names the period."""


class DeadlineForm(forms.ModelForm):
    deadline = deadline_field()

    class Meta:
        model = ReportingPeriod
        fields = ["deadline"]
