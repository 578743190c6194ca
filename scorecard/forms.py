from crispy_forms_gds.fields import DateInputField
from django import forms

from scorecard.formatting import plain_number
from scorecard.models import ReportingPeriod
from scorecard.validation import (
    COMMENTARY_MAX,
    Entry,
    FigureError,
    field_errors,
    parse_figure,
    submit_errors,
    with_derived_value,
)


class FigureField(forms.CharField):
    """A figure typed by a lead: the same rules as an uploaded file (``parse_figure``),
    and shown back as typed (``1850``, not the stored ``1850.0000``)."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_figure(text)
        except FigureError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        from decimal import Decimal

        if isinstance(value, Decimal):
            return plain_number(value)
        return value


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

    def __init__(self, *args, context, period, submitting=False, **kwargs):
        self.context = context
        self.period = period
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        indicator = context.indicator
        self.fields["value"].label = f"Value ({indicator.unit_label})"
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
        if self.submitting:
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


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        help_text="Columns: partner, indicator, period, value, commentary",
    )

    def __init__(self, *args, max_bytes, **kwargs):
        self.max_bytes = max_bytes
        self._too_large = False
        super().__init__(*args, **kwargs)

    def too_large(self):
        """The upload handler dropped the file as it passed the limit."""
        self._too_large = True

    def clean(self):
        if self._too_large:
            self.errors.pop("file", None)
            self.add_error("file", self._size_message())
        return super().clean()

    def _size_message(self):
        return f"The file must be smaller than {self.max_bytes // (1024 * 1024)} MB"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a .csv or .xlsx file")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self._size_message())
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError("The file is not a real Excel .xlsx workbook")
        if name.endswith(".csv") and b"\x00" in head:
            raise forms.ValidationError("The file is not a CSV text file")
        return upload


def deadline_field():
    field = DateInputField(label="Deadline for returns", help_text="For example, 28 7 2020")
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

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        if year and quarter and ReportingPeriod.objects.filter(year=year, quarter=quarter).exists():
            from scorecard.periods import FinancialQuarter

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


class MeetingForm(forms.ModelForm):
    # GOV.UK date input: day, month and year boxes, with the Design System's messages.
    date = DateInputField(label="Meeting date", help_text="For example, 18 6 2020")

    class Meta:
        from scorecard.models import Meeting

        model = Meeting
        fields = ["title", "date", "theme", "period"]
        labels = {"period": "Reporting period", "title": "Meeting title"}
        error_messages = {
            "title": {"required": "Enter the meeting title"},
            "period": {
                "required": "Select the reporting period the pack reports on",
                "invalid_choice": "Select a reporting period from the list",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.order_by("-year", "-quarter")
        self.fields["period"].empty_label = "Choose a period"
        self.fields["theme"].help_text = "Optional, e.g. Domestic abuse"
        self.fields["date"].error_messages["required"] = "Enter the meeting date"


class AnnualReviewForm(forms.Form):
    text = forms.CharField(
        label="Annual review text",
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text="Markdown: '## ' starts a priority heading; a blank line starts a new paragraph.",
    )


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
        from scorecard.periods import FinancialQuarter, PeriodError

        try:
            return FinancialQuarter.parse(self.cleaned_data["period"])
        except PeriodError:
            raise forms.ValidationError("Enter a quarter like 2019-20 Q1") from None
