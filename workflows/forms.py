"""Forms for proposing, deciding and reworking a change request."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from records.models import Employee

from .services import Decision


class ChangeProposalForm(forms.Form):
    """Every changeable field, pre-filled with the current (or proposed) value, plus the reason.

    It only parses input; the record as it would be after the change is validated by the
    service against the locked row, so one rule set decides.
    """

    def __init__(self, *args, employee: Employee, proposed: dict | None = None, reason: str = "", **kwargs):
        initial = model_to_dict(employee, fields=Employee.CHANGEABLE_FIELDS)
        initial.update(proposed or {})
        initial["reason"] = reason
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(
            fields_for_model(
                Employee,
                fields=Employee.CHANGEABLE_FIELDS,
                widgets={"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
            )
        )
        self.fields["reason"] = forms.CharField(
            label=_("Lý do thay đổi"),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Căn cứ, số quyết định… Người phê duyệt và thanh tra sẽ thấy nội dung này."),
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in Employee.CHANGEABLE_FIELDS}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            (Decision.APPROVE, _("Phê duyệt")),
            (Decision.RETURN, _("Trả lại để chỉnh sửa")),
            (Decision.REJECT, _("Từ chối")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại hoặc từ chối."),
    )
