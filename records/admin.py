"""The admin shows records and their history read-only: every write goes through a request."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracking.admin import ReadOnlyHistoryAdmin

from .models import (
    SUBRECORD_MODELS,
    AccessLog,
    Employee,
    ExportLog,
    ReadAlert,
    SalaryRank,
    SalaryTable,
)


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("full_name", "citizen_id", "rank_code", "salary_step", "managing_unit")
    search_fields = ("full_name", "citizen_id")
    list_select_related = ("managing_unit",)


for model in SUBRECORD_MODELS:
    admin.site.register(model, ReadOnlyHistoryAdmin)


class SalaryRankInline(admin.TabularInline):
    model = SalaryRank
    extra = 0


@admin.register(SalaryTable)
class SalaryTableAdmin(SimpleHistoryAdmin):
    """Reference data kept by administrators: a new decree is a new table version, with history."""

    list_display = ("name", "effective_from", "source")
    inlines = [SalaryRankInline]


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """Logs are evidence: nobody adds, edits or deletes them, not even a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "user", "kind", "description", "row_count", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "description")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "user", "kind", "employee_name", "row_count", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "employee_name")


@admin.register(ReadAlert)
class ReadAlertAdmin(ReadOnlyLogAdmin):
    list_display = ("hour", "user", "read_count", "threshold", "sent_at")
    search_fields = ("user__username",)
