"""The admin shows records and their history read-only: every write goes through a request."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Employee


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "citizen_id", "rank_code", "salary_step", "managing_unit")
    search_fields = ("full_name", "citizen_id")
    list_select_related = ("managing_unit",)
    history_list_display = ("proposed_by", "approved_by", "change_request", "history_change_reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
