from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.template.defaultfilters import filesizeformat

from core.formatting import has_control_characters, plain_number
from core.numbers import FigureError, parse_figure


class FigureField(forms.CharField):
    """A figure typed by a lead: the same rules as an uploaded file (``parse_figure``),
    and shown back as typed (``1850``, not the stored ``1850.0000``)."""

    measure: str | None = None  # set by the form: the example in its message fits it

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_figure(text, self.measure)
        except FigureError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return plain_number(value)
        return value


class SingleLineField(forms.CharField):
    """A title or a name: one line, no control characters (a line break in an action's
    title used to reach an email's subject, where it made the send fail)."""

    def validate(self, value):
        super().validate(value)
        if value and has_control_characters(value):
            raise forms.ValidationError(
                f"{self.label or 'This'} must be on one line, without tabs or control characters",
                code="single_line",
            )


class RealDateField(DateInputField):
    """GOV.UK's date input with its pattern's message for a date that does not exist
    (31 2 2020): "Due date must be a real date", not Python's "day is out of range for
    month"."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"{self.label or 'The date'} must be a real date", code="invalid_date"
            ) from None


class SizeLimitedUpload:
    """A form with one file field and a size limit, for an upload the request's handler
    may have dropped as it passed the limit (``request.upload_too_large``): then the
    field says how large a file may be, instead of Django's "no file was submitted".
    ``file_field`` names the field; the form takes ``max_bytes`` and ``request``."""

    file_field = "file"

    def __init__(self, *args, max_bytes: int, request=None, **kwargs):
        self.max_bytes = max_bytes
        self.dropped = bool(getattr(request, "upload_too_large", False))
        super().__init__(*args, **kwargs)

    def size_message(self) -> str:
        size = filesizeformat(self.max_bytes).replace(".0\xa0", "\xa0")  # 2 MB, not 2.0 MB
        return f"The file must be smaller than {size}"

    def check_size(self, upload):
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.size_message())

    def clean(self):
        if self.dropped:
            self.errors.pop(self.file_field, None)
            self.add_error(self.file_field, self.size_message())
        return super().clean()
