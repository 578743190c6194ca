from django import forms

from returns.quality import rules

TEXT = {"class": "govuk-input", "spellcheck": "false"}


class ValidationRuleForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=50,
        help_text="For example REPEAT-LE-ALL",
        widget=forms.TextInput(TEXT),
    )
    name = forms.CharField(label="Name", max_length=200)
    left = forms.CharField(
        label="Left side",
        max_length=500,
        help_text="Indicator codes in square brackets and numbers, added or taken away: "
        "[ROB-01] + [BUR-01] - 3. Add @last_year for the same quarter last year.",
        widget=forms.TextInput(TEXT),
    )
    operator = forms.ChoiceField(
        label="Comparison",
        choices=[(o.value, f"{o.value} ({rules.OPERATOR_WORDS[o]})") for o in rules.Operator],
    )
    right = forms.CharField(label="Right side", max_length=500, widget=forms.TextInput(TEXT))
    missing_value_strategy = forms.ChoiceField(
        label="When a figure is missing",
        choices=[
            ("skip_if_any_missing", "Skip the rule if any figure is missing"),
            ("skip_if_all_missing", "Skip it only if every figure is missing (missing counts 0)"),
            ("never_skip", "Never skip (a missing figure counts 0)"),
        ],
    )
    importance = forms.ChoiceField(
        label="Importance",
        choices=[(i.value, i.value.capitalize()) for i in rules.Importance],
        help_text="A broken high-importance rule needs a commentary before the return can be "
        "submitted; the others are warnings.",
    )
    instruction = forms.CharField(
        label="Instruction to the lead",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
