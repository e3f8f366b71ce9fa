"""Administrators manage role grants in the Django admin; units, quotas and positions are shown
read-only there, since they change only through approved requests."""

from django.contrib import admin

from tracking.admin import ReadOnlyHistoryAdmin

from .models import Position, RoleGrant, StaffingQuota, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "code", "kind", "active_to")
    search_fields = ("name", "code")
    ordering = ("path",)


admin.site.register(StaffingQuota, ReadOnlyHistoryAdmin)
admin.site.register(Position, ReadOnlyHistoryAdmin)


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyHistoryAdmin):
    """Grants are given and revoked on the grants pages (/units/grants/), which require a reason
    and record who; here they are shown with their history only."""

    list_display = ("user", "unit", "role", "valid_from", "valid_to", "revoked_at", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    history_list_display = ("granted_by", "reason", "revoked_at")
