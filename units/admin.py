"""Administrators manage role grants in the Django admin; units, quotas and positions are shown
read-only there, since they change only through approved requests."""

from django.contrib import admin

from records.admin import ReadOnlyHistoryAdmin

from .models import Position, RoleGrant, StaffingQuota, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "code", "kind", "active_to")
    search_fields = ("name", "code")
    ordering = ("path",)


admin.site.register(StaffingQuota, ReadOnlyHistoryAdmin)
admin.site.register(Position, ReadOnlyHistoryAdmin)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("user",)
