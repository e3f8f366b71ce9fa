"""The Material frontend's workflow app: viewflow's Inbox/Queue/Archive with scoped views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.models import Task

from records.access import log_reads_if_shown
from units.permissions import can_view_policy

from . import delegation_views, policy_views, views
from .access import access_change_request
from .flows import ChangeRequestFlow
from .permissions import can_use_workflow, can_view_delegations


def _scoped_to_visible_process(view):
    """Every page about one process answers 404 unless the user may see its request, and is
    in the read log when it shows the page (workflows.access)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process_pk = kwargs.get("process_pk")
        if process_pk is None:
            return view(request, *args, **kwargs)
        access_change_request(request, process_pk=process_pk)
        # A task id must belong to that process: a visible process with another's task id
        # would otherwise reach (and disclose) the other task.
        task_pk = kwargs.get("task_pk")
        if task_pk is not None and not Task.objects.filter(pk=task_pk, process_id=process_pk).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return log_reads_if_shown(wrapper)


def _wrap_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _wrap_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _scoped_to_visible_process(pattern.callback)


class ChangeRequestFlowAppViewset(FlowAppViewset):
    """FlowAppViewset with every list and detail view narrowed to the user's units."""

    task_list_view_class = views.ScopedDashboardTaskListView
    process_list_view_class = views.ScopedDashboardProcessListView
    process_detail_view_class = views.ScopedDetailProcessView
    process_cancel_view_class = views.ScopedCancelProcessView
    inbox_view_class = views.ScopedInboxListView
    tasks_assign_view_class = views.ScopedBulkAssignTasksView
    tasks_unassign_view_class = views.ScopedBulkUnassignTasksView
    withdraw_path = path("<int:process_pk>/withdraw/", views.withdraw_request, name="withdraw")

    def has_view_permission(self, user, obj=None):
        # Anonymous users pass here so the URL wrapper can send them to the login page.
        return not user.is_authenticated or can_use_workflow(user)

    def _get_urls(self):
        patterns = super()._get_urls()
        _wrap_patterns(patterns)
        return patterns


def change_request_app():
    return ChangeRequestFlowAppViewset(ChangeRequestFlow, icon="approval", title=_("Phê duyệt hồ sơ"))


class PolicyApp(Application):
    """The approval policy in the Material site: read by everyone with a grant, edited by
    ministry administrators."""

    app_name = "policy"
    title = _("Chính sách phê duyệt")
    icon = "rule"
    menu_template_name = "workflows/policy_menu.html"

    index_path = path("", policy_views.policy_detail, name="index")
    version_path = path("versions/<int:pk>/", policy_views.policy_detail, name="version")
    edit_path = path("edit/", policy_views.policy_edit, name="edit")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the app's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_policy(user)


class DelegationApp(Application):
    """Delegating one's approvals to a colleague for a date range."""

    app_name = "delegations"
    title = _("Uỷ quyền phê duyệt")
    icon = "swap_horiz"

    index_path = path("", delegation_views.delegation_list, name="index")
    revoke_path = path("<int:pk>/revoke/", delegation_views.delegation_revoke, name="revoke")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the app's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_delegations(user)
