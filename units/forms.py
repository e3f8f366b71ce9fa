"""Form helpers shared by the apps' pages: service errors shown on a form, and formset bases
whose refusals are in Vietnamese (Django's Vietnamese catalogue lacks these strings)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from django.utils.translation import gettext_lazy as _

FORMSET_ERROR_MESSAGES = {
    "missing_management_form": _(
        "Thiếu dữ liệu quản lý của bảng (%(field_names)s): trang chưa tải xong hoặc đã bị sửa. "
        "Hãy tải lại trang rồi nhập lại."
    ),
    "too_many_forms": _("Mỗi bảng chỉ được gửi tối đa %(num)d dòng một lần."),
    "too_few_forms": _("Bảng phải có ít nhất %(num)d dòng."),
}


class FormSet(forms.BaseFormSet):
    """A formset whose own refusals (tampered or missing management data, too many rows) are Vietnamese."""

    default_error_messages = FORMSET_ERROR_MESSAGES


class ModelFormSet(BaseModelFormSet):
    """The same for a model formset."""

    default_error_messages = FORMSET_ERROR_MESSAGES


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class TreePositionForm(forms.Form):
    """Where a page of the unit tree stands: the unit whose children it lists (none: the user's
    top units); the page among them is the keyset cursor's (units.selectors.page_of_units)."""

    parent = forms.IntegerField(required=False, min_value=1)
