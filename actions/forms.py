from django import forms

from actions.models import MeetingAction


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        choices=MeetingAction.Status.choices,
        widget=forms.RadioSelect,
        label="Status",
        error_messages={"required": "Choose a status"},
    )
    text = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has been done. If the action is dropped, say why.",
        error_messages={"required": "Enter the update"},
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == MeetingAction.Status.DROPPED and not data.get("text"):
            self.errors.pop("text", None)
            self.add_error("text", "Say why the action is dropped")
        return data
