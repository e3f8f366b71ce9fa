"""The rule rows, edited by superusers only (the ministry's administrators); every change is
kept in their history. Due items are derived: read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RULE_MODELS, DueItem, RefreshRun


class RuleAdmin(SimpleHistoryAdmin):
    list_filter = ("valid_from",)

    def get_list_display(self, request):
        return ("__str__", "valid_from", "valid_to", "legal_source")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


for model in RULE_MODELS:
    admin.site.register(model, RuleAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(DueItem)
class DueItemAdmin(ReadOnlyAdmin):
    list_display = ("employee", "kind", "due_date", "notice_deadline", "decision_deadline", "reason")
    list_filter = ("kind",)
    list_select_related = ("employee",)
    raw_id_fields = ("employee",)


@admin.register(RefreshRun)
class RefreshRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "full", "examined", "recomputed")
