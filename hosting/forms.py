from django import forms

from core.forms import SingleLineField


class PartnershipForm(forms.Form):
    name = SingleLineField(
        label="Name",
        max_length=200,
        help_text="As residents know it, for example Portsmouth Community Safety Partnership",
        error_messages={"required": "Enter the partnership's name"},
    )
    short_name = SingleLineField(
        label="Short name",
        max_length=40,
        required=False,
        help_text="For the header of each page, for example Portsmouth CSP",
    )
    slug = SingleLineField(
        label="Short web name",
        max_length=50,
        help_text="Lower-case letters, numbers and hyphens, for example portsmouth: it "
        "appears in the public scorecard's address and in commands",
        error_messages={"required": "Enter a short web name, for example portsmouth"},
    )
    area_description = forms.CharField(
        label="Area (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence on the area it covers",
    )
    population = forms.CharField(
        label="Residents by year (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One financial year a line, for rates per 1,000 residents: 2019=214905",
    )
    coordinator_first_name = SingleLineField(
        label="First coordinator's first name",
        max_length=150,
        error_messages={"required": "Enter the first coordinator's first name"},
    )
    coordinator_last_name = SingleLineField(
        label="First coordinator's last name",
        max_length=150,
        error_messages={"required": "Enter the first coordinator's last name"},
    )
    coordinator_email = forms.EmailField(
        label="First coordinator's email address",
        help_text="They get an email with a link to set their password and set up the rest",
        error_messages={
            "required": "Enter the first coordinator's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
