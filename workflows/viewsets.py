"""The Material frontend's workflow app: viewflow's Inbox/Queue/Archive with scoped views."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application
from viewflow.workflow.flow import FlowAppViewset

from records.access import log_reads_if_shown
from units.permissions import can_view_policy

from . import delegation_views, due_views, policy_views, views
from .access import access_change_request
from .flows import ChangeRequestFlow
from .list_pages import CappedCount, queue_count
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
        # A task id must belong to that process: a visible process with another's task id
        # would otherwise reach (and disclose) the other task.
        task_pk = kwargs.get("task_pk")
        if request.method == "POST" and task_pk is not None:
            # A task page's POST runs under its process's lock (flows: one transaction); the
            # request is read under it, with a row lock, and its transition does not read it
            # again (workflows.services._transition).
            with ChangeRequestFlow.lock(process_pk):
                access_change_request(request, process_pk=process_pk, task_pk=task_pk, locked=True)
                return view(request, *args, **kwargs)
        access_change_request(request, process_pk=process_pk, task_pk=task_pk)
        return view(request, *args, **kwargs)

    return log_reads_if_shown(wrapper)


class RecentCount:
    """A menu figure kept per user for MENU_FIGURE_SECONDS: the menu is on every workflow page
    and its two counts were two queries on each (issue 9). The figure beside Inbox or Queue may
    lag a task taken or sent a few seconds ago; the lists themselves are always read afresh, so
    no task is ever missing from the queue page."""

    MENU_FIGURE_SECONDS = 10

    def __init__(self, key: tuple, figure: Callable[[], CappedCount]):
        """`figure` makes the CappedCount, called only when the kept figure is gone (the queue's
        queries are a few ms of Python to build)."""
        self.key = "menu-figure:" + ":".join(map(str, key))
        self.figure = figure

    def count(self) -> str:
        value = cache.get(self.key)
        if value is None:
            value = self.figure().count()
            cache.set(self.key, value, self.MENU_FIGURE_SECONDS)
        return value


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
    queue_view_class = views.ScopedQueueListView
    archive_view_class = views.ScopedArchiveListView
    tasks_assign_view_class = views.ScopedBulkAssignTasksView
    tasks_unassign_view_class = views.ScopedBulkUnassignTasksView
    withdraw_path = path("<int:process_pk>/withdraw/", views.withdraw_request, name="withdraw")
    due_task_path = path("due/<int:pk>/", due_views.due_task_page, name="due-task")

    def has_view_permission(self, user, obj=None):
        # Anonymous users pass here so the URL wrapper can send them to the login page.
        return not user.is_authenticated or can_use_workflow(user)

    def get_context_data(self, request):
        """The menu's Inbox and Queue figures: the same rows as the pages, counted up to a cap,
        and kept for the user a few seconds (RecentCount)."""
        tasks = self._flow_class.task_class._default_manager
        user = request.user
        return {
            "user_inbox": RecentCount(("inbox", user.pk), lambda: CappedCount(tasks.inbox([self._flow_class], user))),
            "user_queue": RecentCount(("queue", user.pk), lambda: queue_count(user, self._flow_class)),
        }

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
    menu_template_name = "workflows/delegation_menu.html"

    index_path = path("", delegation_views.delegation_list, name="index")
    revoke_path = path("<int:pk>/revoke/", delegation_views.delegation_revoke, name="revoke")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the app's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_delegations(user)
