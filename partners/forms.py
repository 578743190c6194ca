"""Forms of the partners and people pages (GOV.UK wording for every error)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from core.formatting import has_control_characters
from core.forms import SingleLineField
from partners.models import Partner
from partners.oidc.providers import email_domain, only_way_in_for
from partners.roles import Role

ROLE_CHOICES = [(r.value, r.label) for r in (Role.PARTNER_LEAD, Role.COORDINATOR, Role.SCP_MEMBER)]


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["code", "name"]
        labels = {"code": "Short code", "name": "Full name"}
        help_texts = {"code": "Used in uploads and filters, for example HC"}
        error_messages = {
            "code": {
                "required": "Enter a short code, for example HC",
                "unique": "There is already a partner with this code",
                "invalid": "A code is letters, numbers, - or _, for example HC",
            },
            "name": {"required": "Enter the partner's full name"},
        }


class _RoleAndPartners(forms.Form):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        label="Role",
        error_messages={"required": "Choose a role"},
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Partners they report for",
        help_text="Partner leads only",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.active().order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.PARTNER_LEAD and not data.get("partners"):
            self.add_error("partners", "Choose the partners this lead reports for")
        return data


class InviteForm(_RoleAndPartners):
    first_name = SingleLineField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = SingleLineField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    field_order = ["first_name", "last_name", "email", "role", "partners"]


class PersonForm(_RoleAndPartners):
    is_active = forms.BooleanField(
        required=False,
        label="Account is active",
        help_text="Untick to deactivate: they can no longer sign in, and their name stays on "
        "everything they did",
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset form, for its field and messages only: the view hands the
    address to ``partners.password_reset``, which sends through the outbox with the link
    built from SITE_URL rather than the request's Host header."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class GovukSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "The two passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username checked before it reaches the database:
    its max_length is only set on the widget, so a 5,000-character or NUL-bearing name
    went on to the lockout log and failed there with a 500."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_username": "Enter your username as it was given to you (at most 150 "
        "letters, digits and @ . + - _)",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if provider := only_way_in_for(user.email):
            raise forms.ValidationError(
                f"Sign in with {provider.name}: for @{email_domain(user.email)} accounts it "
                "is the only way in",
                code="organisation_only",
            )

    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        if len(username) > 150 or has_control_characters(username):
            raise forms.ValidationError(
                self.error_messages["invalid_username"], code="invalid_username"
            )
        return username
