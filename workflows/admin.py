"""Change requests are visible in the admin, read-only: they change only through the flow."""

from django.contrib import admin

from records.admin import ReadOnlyHistoryAdmin

from .models import ChangeRequest


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyHistoryAdmin):
    list_display = ("pk", "title", "kind", "status", "submitted_by", "submitted_at", "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("title", "employee__full_name", "employee__citizen_id", "reason")
    list_select_related = ("employee", "submitted_by", "decided_by")
    history_list_display = ("status",)
