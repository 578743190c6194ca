"""Forms for meetings: the theme's indicators, actions and their updates."""

from django import forms

from core.forms import RealDateField, SingleLineField
from indicators.models import Indicator
from meetings.models import Meeting
from partners.models import Partner
from partners.roles import Role, people_with_role
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
    lead = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Lead (optional)",
        help_text="Grouped by partner: choose one of the owner partner's leads",
    )
    due_date = RealDateField(label="Due date", help_text="For example, 30 9 2020")
    past_due = forms.BooleanField(
        required=False,
        label="Yes, record it with a due date in the past (it shows as overdue at once)",
    )
    indicators = forms.MultipleChoiceField(
        required=False,
        label="Indicators it addresses",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, indicator_choices, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        partners = list(Partner.objects.active().order_by("name"))
        self.fields["owner"].queryset = Partner.objects.active().order_by("name")
        # Each partner's leads in this partnership who have signed up (an invitation not
        # yet taken up is not someone to give an action to), grouped under the partner.
        leads: dict[int, list] = {p.pk: [] for p in partners}
        people = (
            people_with_role(Role.PARTNER_LEAD)
            .filter(is_active=True, led_partners__in=partners)
            .exclude(email="")
            .exclude(password__startswith="!")
            .prefetch_related("led_partners")
            .distinct()
            .order_by("first_name", "last_name")
        )
        for person in people:
            for led in person.led_partners.all():
                if led.pk in leads:
                    leads[led.pk].append(person)
        self.leads = {p.pk: {u.pk: u for u in leads[p.pk]} for p in partners}
        self.fields["lead"].choices = [("", "The partner's leads")] + [
            (p.name, [(u.pk, _person(u, p)) for u in leads[p.pk]]) for p in partners if leads[p.pk]
        ]
        self.fields["indicators"].choices = indicator_choices
        self.fields["due_date"].error_messages["required"] = "Enter the due date"
        self.past_due_asked = False

    def clean(self):
        data = super().clean()
        owner, lead_id = data.get("owner"), data.get("lead")
        data["lead"] = None
        if owner and lead_id:
            lead = self.leads.get(owner.pk, {}).get(lead_id)
            if lead is None:
                self.add_error("lead", f"Choose one of {owner.name}'s leads, or leave it blank")
            data["lead"] = lead
        due = data.get("due_date")
        if due and due < self.today and not data.get("past_due"):
            self.past_due_asked = True
            self.add_error(
                "due_date",
                f"The due date is in the past ({due:%-d %B %Y}): check it, or tick the box "
                "below to record an action that is already overdue",
            )
        return data


def _person(user, partner) -> str:
    """ "Chris Doyle", or "Chris Doyle (YOS)" when the name does not say whose lead."""
    name = user.get_full_name() or user.username
    return name if name.endswith(")") or partner.name in name else f"{name} ({partner.code})"


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
