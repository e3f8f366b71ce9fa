"""viewflow's list pages of the flow (inbox, queue, archive, tasks, processes) at any size: a
constant number of queries per page, and paging that neither skips nor repeats a row while
requests are submitted and taken.

viewflow's ListModelView pages with Django's Paginator: an exact COUNT over every visible row and
OFFSET, ordered by `created` alone. Under concurrent submissions and takes, OFFSET shifts rows
between pages (a task taken by a colleague moves every later row up one: the approver never
sees the one that crosses the page boundary; a new submission repeats one), and ties on
`created` have no fixed order. Here a page is the rows strictly after the last row shown in the
order (-created, -pk), which is unique, so each row is on exactly one page whatever is inserted
or removed meanwhile; no COUNT is taken. The paging is the project's (tracking.keyset); this
module only fixes the flow's order and the filters and counts viewflow would read every task for.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateRangeFilter, FilterSet

from tracking.keyset import KeysetListMixin as _KeysetListMixin
from tracking.keyset import count_up_to

from .models import ChangeRequest


class KeysetListMixin(_KeysetListMixin):
    """For viewflow's ListModelView: newest first, (-created, -pk), index-backed (migration
    0011); column headers do not re-sort."""

    keyset_ordering = ("-created", "-pk")

    @property
    def columns_order(self):
        """viewflow's sort indicators on the headers: none, the order is fixed."""
        return {}


# --- filters without a query: viewflow's offer every process of the queue as a choice ----------


def _human_steps(flow_class):
    from viewflow.workflow.fields import get_task_ref

    return [(get_task_ref(node), node.task_title) for node in flow_class.instance.nodes() if node.task_type == "HUMAN"]


class TaskListFilter(FilterSet):
    """Step, kind of change and waiting since: choices known without reading the tasks."""

    flow_task = ChoiceFilter(label=_("Bước"))
    kind = ChoiceFilter(field_name="process__change_request__kind", choices=ChangeRequest.Kind.choices)
    created = DateRangeFilter(label=_("Chờ từ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .flows import ChangeRequestFlow

        self.filters["flow_task"].field.choices = _human_steps(ChangeRequestFlow)
        self.filters["kind"].label = ChangeRequest._meta.get_field("kind").verbose_name


class ArchiveListFilter(TaskListFilter):
    finished = DateRangeFilter(label=_("Hoàn thành"))


class CappedCount:
    """The figure viewflow's flow menu prints beside Inbox and Queue (`{{ user_queue.count }}`),
    counted up to `cap` ("99+"): the menu is on every page, and an exact COUNT of 20,000 open
    tasks on every page is what it must not cost."""

    def __init__(self, queryset, cap: int = 99):
        self.queryset = queryset
        self.cap = cap

    def count(self) -> str:
        found, more = count_up_to(self.queryset, self.cap)
        return f"{self.cap}+" if more else str(found)
