"""The start form of a campaign; the service checks the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracking.dates import DateField
from tracking.validators import no_control_characters
from units.models import Unit


class StartCampaignForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt rà soát"), max_length=255, validators=[no_control_characters])
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Bạn không có quyền bắt đầu đợt rà soát ở đơn vị này: chỉ quản trị của đơn vị hoặc đơn vị cấp trên."
            )
        },
    )
    include_subtree = forms.BooleanField(label=_("Gồm cả các đơn vị trực thuộc"), required=False, initial=True)
    deadline = DateField(label=_("Hạn hoàn thành (ngày/tháng/năm)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
