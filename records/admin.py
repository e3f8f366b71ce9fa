"""The admin shows records and their history read-only: every write goes through a request.
What it shows of a person asks records.permissions, as every page does: sensitive rows and
fields (records.sensitivity) only to those who may see them (superusers see all)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracking.admin import ReadOnlyHistoryAdmin

from .models import (
    SUBRECORD_MODELS,
    AccessLog,
    Employee,
    EmployeeAccount,
    ExportLog,
    ReadAlert,
    SalaryRank,
    SalaryTable,
)
from .permissions import can_view_sensitive, sensitive_checker, sensitive_scope_q
from .sensitivity import MASK, is_sensitive_model, sensitive_fields


class PersonalDataAdmin(ReadOnlyHistoryAdmin):
    """A person's file or one of its sub-records: a sensitive model's rows are listed only
    where the user may see sensitive data, and a row's sensitive fields shown only then."""

    unit_lookup = "employee__managing_unit__"  # from a row to the unit managing its person

    def employee_of(self, obj):
        return obj.employee

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_sensitive_model(self.model):
            queryset = queryset.filter(sensitive_scope_q(request.user, self.unit_lookup))
        return queryset

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is not None and is_sensitive_model(self.model):
            allowed = allowed and can_view_sensitive(request.user, self.employee_of(obj))
        return allowed

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or ())
        if obj is not None and not can_view_sensitive(request.user, self.employee_of(obj)):
            excluded += sensitive_fields(self.model)
        return excluded


@admin.register(Employee)
class EmployeeAdmin(PersonalDataAdmin):
    search_fields = ("full_name", "citizen_id")
    list_select_related = ("managing_unit",)
    unit_lookup = "managing_unit__"

    def employee_of(self, obj):
        return obj

    def get_list_display(self, request):
        may_see = sensitive_checker(request.user)

        def citizen_id(employee):
            unit = employee.managing_unit
            return employee.citizen_id if may_see(unit.pk, unit.path) else MASK

        citizen_id.short_description = Employee._meta.get_field("citizen_id").verbose_name
        return ("full_name", citizen_id, "rank_code", "salary_step", "managing_unit")

    def get_search_results(self, request, queryset, search_term):
        # A number is looked for only where the user may see CCCDs, or the search would reveal them.
        if search_term.strip().isdigit():
            queryset = queryset.filter(sensitive_scope_q(request.user, self.unit_lookup))
        return super().get_search_results(request, queryset, search_term)


for model in SUBRECORD_MODELS:
    admin.site.register(model, PersonalDataAdmin)


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


@admin.register(EmployeeAccount)
class EmployeeAccountAdmin(SimpleHistoryAdmin):
    """Which account is held by which person: set by superusers here (an account fact, not part
    of the file, like a role grant), with who and why kept in its history."""

    list_display = ("user", "employee", "linked_by", "reason", "created_at")
    search_fields = ("user__username", "employee__full_name", "employee__citizen_id")
    raw_id_fields = ("user", "employee")
    readonly_fields = ("linked_by", "created_at")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj.linked_by = request.user
        obj._history_user = request.user  # no history middleware: the admin names the author
        super().save_model(request, obj, form, change)
