"""The admin of tracked records: rows and their history, read-only (every write goes through a
change request)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Browse rows and their history (who proposed, who approved, which request, why); no writes."""

    history_list_display = ("proposed_by", "approved_by", "change_request", "history_change_reason")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version may be looked at; posting it back ("revert") would write outside
        the flow, so it is refused."""
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
