"""Change requests are visible in the admin, read-only: they change only through the flow. The
values a request carries are shown only to those who may see them in it (workflows.permissions)."""

from django.contrib import admin

from records.admin import ReadOnlyHistoryAdmin
from records.permissions import sensitive_scope_q

from .models import ChangeRequest, Escalation, EscalationRung
from .permissions import can_view_sensitive_in_request


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyHistoryAdmin):
    list_display = ("pk", "title", "kind", "status", "submitted_by", "submitted_at", "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("title", "employee__full_name", "employee__citizen_id", "reason")
    list_select_related = ("employee", "submitted_by", "decided_by")
    history_list_display = ("status",)

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or ())
        if obj is not None and not can_view_sensitive_in_request(request.user, obj):
            excluded.append("operations")
        return excluded

    def get_search_results(self, request, queryset, search_term):
        # A number finds requests by CCCD only where the user may see CCCDs.
        if search_term.strip().isdigit():
            queryset = queryset.filter(sensitive_scope_q(request.user, "employee__managing_unit__"))
        return super().get_search_results(request, queryset, search_term)


@admin.register(EscalationRung)
class EscalationRungAdmin(admin.ModelAdmin):
    """The reminder and escalation ladders of each policy version and level (data, editable)."""

    list_display = ("policy", "level", "step", "after_working_days", "target")
    list_filter = ("policy", "level", "target")


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Escalations are written by the sweep (workflows.escalation) only."""

    list_display = ("change_request", "level", "unit", "step", "target", "at")
    list_filter = ("target",)
    list_select_related = ("change_request", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
