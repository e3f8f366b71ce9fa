"""Delegated administration of role grants: administrators of a unit grant and revoke roles on
it and below it, with a reason; every change is kept in the grants' history."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tracking.dates import DateField
from tracking.keyset import paginate
from tracking.validators import no_control_characters

from . import services
from .forms import add_service_errors
from .models import Role, RoleGrant, Unit
from .permissions import can_manage_grant, can_manage_grants, list_managed_units


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Người dùng"), queryset=get_user_model().objects.filter(is_active=True).order_by("username")
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=Role.choices)
    valid_from = DateField(label=gettext_lazy("Hiệu lực từ ngày"), required=False)
    valid_to = DateField(label=gettext_lazy("Hiệu lực đến hết ngày"), required=False)
    reason = forms.CharField(label=gettext_lazy("Căn cứ, lý do"), max_length=255, validators=[no_control_characters])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do thu hồi"), max_length=255, validators=[no_control_characters])


def _managed_or_403(user):
    if not can_manage_grants(user):
        raise PermissionDenied(_("Chỉ quản trị đơn vị được quản lý phân quyền."))
    return list_managed_units(user)


@login_required
def grant_list(request):
    units = _managed_or_403(request.user)
    grants = (
        RoleGrant.objects.filter(unit__in=units)
        .select_related("user", "unit", "granted_by")
        .order_by("unit__path", "role", "user__username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        grants = grants.filter(user__username__icontains=query)
    page = paginate(grants, request.GET)
    for grant in page:  # "Thu hồi" only where it is allowed (no query: the admin's grants are read once)
        grant.can_revoke = grant.revoked_at is None and can_manage_grant(
            request.user, unit=grant.unit, role=grant.role, grantee=grant.user
        )
    return render(request, "units/grant_list.html", {"page": page, "query": query})


@login_required
def grant_new(request):
    units = _managed_or_403(request.user)
    form = GrantForm(request.POST or None, units=units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(admin=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã cấp quyền."))
            return redirect("units:grant-list")
    return render(request, "units/grant_new.html", {"form": form})


@login_required
@require_POST
def grant_revoke(request, pk):
    units = _managed_or_403(request.user)
    grant = get_object_or_404(RoleGrant.objects.filter(unit__in=units), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải nêu lý do thu hồi."))
        return redirect("units:grant-list")
    services.revoke_grant(admin=request.user, grant=grant, reason=form.cleaned_data["reason"])
    messages.success(request, _("Đã thu hồi quyền; có hiệu lực ngay từ yêu cầu tiếp theo của người dùng."))
    return redirect("units:grant-list")


@login_required
def grant_history(request):
    """Every grant change in the units the user administers: who, what, when, why."""
    units = _managed_or_403(request.user)
    rows = (
        RoleGrant.history.filter(unit_id__in=units.values("pk"))
        .select_related("history_user", "user", "unit")
        .order_by("-history_date", "-history_id")
    )
    page = paginate(rows, request.GET)
    return render(request, "units/grant_history.html", {"page": page})
