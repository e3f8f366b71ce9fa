"""Change requests are visible in the admin, read-only: they change only through the flow."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChangeRequest


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ("pk", "employee", "status", "submitted_by", "submitted_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("employee__full_name", "employee__citizen_id", "reason")
    list_select_related = ("employee", "submitted_by", "decided_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
