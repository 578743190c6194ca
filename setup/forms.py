from django import forms

from core.forms import SizeLimitedUpload
from policeuk.crime_types import CRIME_TYPES
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


class PoliceUkUploadForm(SizeLimitedUpload, forms.Form):
    file_field = "files"
    files = forms.FileField(
        label="police.uk street files",
        help_text="A zip from police.uk's custom download or archive, or one month's "
        "street CSV (named like 2020-01-hampshire-street.csv). Re-importing a month "
        "replaces its counts.",
    )

    def clean_files(self):
        upload = self.cleaned_data["files"]
        if not upload.name.lower().endswith((".csv", ".zip")):
            raise forms.ValidationError("The file must be a .zip or a .csv street file")
        self.check_size(upload)
        return upload


class LocalAuthorityForm(forms.Form):
    local_authority = forms.CharField(
        label="Local authority",
        max_length=100,
        help_text="As police.uk names its LSOAs: a name selects every LSOA named like "
        "“name 001A” in the street files imported so far.",
        widget=forms.TextInput({"class": "govuk-input govuk-input--width-20"}),
    )


class LsoaFileForm(forms.Form):
    lsoa_file = forms.FileField(
        label="Or upload the area's LSOAs",
        help_text="A CSV with columns lsoa_code,lsoa_name. It replaces the area.",
    )


class PoliceUkMappingForm(forms.Form):
    crime_types = forms.MultipleChoiceField(
        label="police.uk crime types this indicator counts",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None: not compared with police.uk.",
    )
    tolerance_pct = forms.DecimalField(
        label="Tolerance (per cent)",
        min_value=0,
        max_value=100,
        decimal_places=1,
        initial=5,
        help_text="A submitted figure further than this from police.uk's is flagged and "
        "needs a commentary.",
        widget=forms.TextInput(
            {"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crime_types"].choices = [(t, t) for t in CRIME_TYPES]
