"""Pages for delegating approvals: my delegations (given and received), a new one, revoking."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.names import display_name
from tracking.dates import DateField
from tracking.keyset import paginate
from tracking.validators import no_control_characters
from units.forms import add_service_errors

from . import services
from .models import Delegation
from .permissions import (
    can_delegate_approvals,
    can_revoke_delegation,
    can_view_delegations,
    delegate_candidates_q,
    revocable_delegations_q,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{display_name(user)} ({user.username})"


class DelegationForm(forms.Form):
    delegate = PersonChoiceField(label=gettext_lazy("Người được uỷ quyền"), queryset=get_user_model().objects.none())
    valid_from = DateField(label=gettext_lazy("Từ ngày"))
    valid_to = DateField(label=gettext_lazy("Đến hết ngày"))
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ: đi công tác, nghỉ phép."),
        validators=[no_control_characters],
    )

    def __init__(self, *args, delegator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (
            get_user_model().objects.filter(delegate_candidates_q(delegator)).order_by("first_name", "username")
        )


@login_required
def delegation_list(request):
    """Delegations I gave and received, and a form to give a new one."""
    if not can_view_delegations(request.user):
        raise PermissionDenied(_("Chỉ người có quyền phê duyệt mới có uỷ quyền."))
    form = (
        DelegationForm(request.POST or None, delegator=request.user) if can_delegate_approvals(request.user) else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.create_delegation(delegator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã uỷ quyền phê duyệt."))
            return redirect("delegations:index")
    today = timezone.localdate()
    given = paginate(
        Delegation.objects.filter(delegator=request.user).select_related("delegate"), request.GET, param="given"
    )
    for delegation in given:  # "Thu hồi" while it is, or will be, in force
        in_force_or_ahead = delegation.revoked_at is None and delegation.valid_to >= today
        delegation.can_revoke = in_force_or_ahead and can_revoke_delegation(request.user, delegation)
    return render(
        request,
        "workflows/delegations.html",
        {
            "form": form,
            "given": given,
            "received": paginate(
                Delegation.objects.filter(delegate=request.user).select_related("delegator"),
                request.GET,
                param="received",
            ),
            "today": today,
        },
    )


@login_required
@require_POST
def delegation_revoke(request, pk):
    delegation = get_object_or_404(Delegation.objects.filter(revocable_delegations_q(request.user)), pk=pk)
    services.revoke_delegation(delegation=delegation, user=request.user)
    messages.success(request, _("Đã thu hồi uỷ quyền."))
    return redirect("delegations:index")
