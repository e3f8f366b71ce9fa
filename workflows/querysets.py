"""viewflow's process and task querysets, narrowed to the units a user may see or approve.

viewflow's stock queue filters by permission string alone, which would show every unit's
approvals to every approver. Every list viewflow builds (dashboard, inbox, queue, archive)
goes through these methods, so scoping them here scopes all of them.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from viewflow.workflow.managers import ProcessQuerySet, TaskQuerySet


class ScopedProcessQuerySet(ProcessQuerySet):
    def filter_available(self, flow_classes, user):
        return super().filter_available(flow_classes, user).visible_to(user)

    def visible_to(self, user):
        from .selectors import list_change_requests

        # Every list shows each process by its request (process_summary_template): fetched
        # with it, not once per row.
        return self.filter(change_request__in=list_change_requests(user=user)).select_related("change_request")


class ScopedTaskQuerySet(TaskQuerySet):
    def visible_to(self, user):
        from .selectors import list_change_requests

        # A correlated EXISTS, not `IN (subquery)`: PostgreSQL would otherwise compute the whole
        # set of visible requests (tens of thousands) before the first row of a page; this way a
        # page walks the tasks in its order and checks only the rows it shows.
        visible = list_change_requests(user=user).filter(process_id=OuterRef("process_id"))
        return self.filter(Exists(visible)).select_related("process__change_request")

    def filter_available(self, flow_classes, user):
        return super().filter_available(flow_classes, user).visible_to(user)

    def user_queue(self, user, flow_class=None):
        """Tasks the user may take: their own, and unassigned approvals they are entitled to."""
        from .selectors import list_approvable_change_requests

        queryset = self.filter(flow_task_type="HUMAN")
        if flow_class is not None:
            queryset = queryset.filter(process__flow_class=flow_class)
        approvable = list_approvable_change_requests(user=user)
        queryset = queryset.filter(Q(owner=user) | Q(owner__isnull=True, process__change_request__in=approvable))
        return queryset.visible_to(user)

    def user_archive(self, user, flow_class=None):
        return super().user_archive(user, flow_class=flow_class).visible_to(user)


class TaskManager(models.Manager.from_queryset(ScopedTaskQuerySet)):
    """A task is read with its process and the request it carries: every task page and the
    flow's rules ask for the request, which is then one join rather than two more queries."""

    def get_queryset(self):
        return super().get_queryset().select_related("process__change_request")
