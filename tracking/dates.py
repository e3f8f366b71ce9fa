"""How a person types a date: dd/mm/yyyy in a plain text box, the same in every browser (a
type="date" picker follows the computer's locale, often an English Windows' mm/dd/yyyy), with
one Vietnamese message for a date that is not one. ISO (yyyy-mm-dd) is accepted too, for links
and tools that post it."""

from django import forms
from django.utils.translation import gettext_lazy

INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
BAD_DATE = gettext_lazy("Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        shown = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**shown, **(attrs or {})}, format=INPUT_FORMATS[0])


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy; a model form gets it through field_classes."""

    widget = DateInput
    input_formats = INPUT_FORMATS
    default_error_messages = {"invalid": BAD_DATE}
