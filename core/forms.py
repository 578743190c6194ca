from decimal import Decimal

from django import forms

from core.formatting import plain_number
from core.numbers import FigureError, parse_figure


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

        if isinstance(value, Decimal):
            return plain_number(value)
        return value
