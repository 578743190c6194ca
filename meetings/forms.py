"""Forms for meetings: the theme's indicators, actions and their updates."""

from django import forms
from django.contrib.auth import get_user_model

from core.forms import RealDateField, SingleLineField
from indicators.models import Indicator
from meetings.models import Meeting
from partners.models import Partner
from returns.models import ReportingPeriod


class ThemeForm(forms.ModelForm):
    """A coordinator ticks the indicators the meeting's theme is about."""

    class Meta:
        model = Meeting
        fields = ["theme", "theme_indicators"]
        labels = {"theme": "Theme", "theme_indicators": "Indicators in the theme"}
        widgets = {"theme_indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_indicators"].queryset = Indicator.objects.filter(
            pk__in=[i.pk for i in indicators]
        )
        self.fields["theme_indicators"].label_from_instance = lambda i: f"{i.code} {i.name}"
        self.fields["theme_indicators"].help_text = "The pack shows them in a section of their own"


class ActionForm(forms.Form):
    """One short form, quick enough to keep up with a discussion."""

    title = SingleLineField(
        label="Action",
        max_length=200,
        help_text="For example, Joint patrols in Bargate ward",
        error_messages={"required": "Enter the action"},
    )
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label="Owner partner",
        empty_label="Choose a partner",
        error_messages={"required": "Choose the partner that owns the action"},
    )
    lead = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Lead (optional)",
        empty_label="The partner's leads",
    )
    due_date = RealDateField(label="Due date", help_text="For example, 30 9 2020")
    indicators = forms.MultipleChoiceField(
        required=False,
        label="Indicators it addresses",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, indicator_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Partner.objects.active().order_by("name")
        self.fields["lead"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, led_partners__isnull=False)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["lead"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({', '.join(p.code for p in u.led_partners.all())})"
        )
        self.fields["indicators"].choices = indicator_choices
        self.fields["due_date"].error_messages["required"] = "Enter the due date"

    def clean(self):
        data = super().clean()
        owner, lead = data.get("owner"), data.get("lead")
        if owner and lead and not lead.led_partners.filter(pk=owner.pk).exists():
            self.add_error("lead", f"Choose one of {owner.name}'s leads, or leave it blank")
        return data


class MeetingForm(forms.ModelForm):
    # GOV.UK date input: day, month and year boxes, with the Design System's messages.
    date = RealDateField(label="Meeting date", help_text="For example, 18 6 2020")

    class Meta:
        model = Meeting
        fields = ["title", "date", "theme", "period"]
        field_classes = {"title": SingleLineField, "theme": SingleLineField}
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
