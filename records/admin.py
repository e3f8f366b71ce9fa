"""The admin shows records and their history read-only: every write goes through a request."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    SUBRECORD_MODELS,
    Employee,
    ExportLog,
    FollowUpAction,
    Inspection,
    InspectionPlan,
    SalaryRank,
    SalaryTable,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Browse rows and their history (who proposed, who approved, which request, why); no writes."""

    history_list_display = ("proposed_by", "approved_by", "change_request", "history_change_reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("full_name", "citizen_id", "rank_code", "salary_step", "managing_unit")
    search_fields = ("full_name", "citizen_id")
    list_select_related = ("managing_unit",)


for model in (*SUBRECORD_MODELS, InspectionPlan, Inspection, FollowUpAction):
    admin.site.register(model, ReadOnlyHistoryAdmin)


class SalaryRankInline(admin.TabularInline):
    model = SalaryRank
    extra = 0


@admin.register(SalaryTable)
class SalaryTableAdmin(SimpleHistoryAdmin):
    """Reference data kept by administrators: a new decree is a new table version, with history."""

    list_display = ("name", "effective_from", "source")
    inlines = [SalaryRankInline]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "description", "row_count", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "description")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
