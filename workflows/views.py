"""Pages of the change-request process: propose (any editor), transfer, decide, rework, and
viewflow's list and detail pages narrowed to the user's units."""

from contextlib import nullcontext
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import generic
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin
from viewflow.workflow.models import Task

from inspections.models import InspectionPlan
from records.models import Employee
from records.models.salary import salary_index_held
from records.permissions import can_propose_change
from records.selectors import get_employee
from units.forms import add_service_errors
from units.models import Position, Unit
from units.permissions import can_propose_for_unit, can_view_unit
from units.templatetags.people import person
from workdays.calendar import working_calendar

from . import changesets, due_work, list_pages, services
from .due_views import DueTasksAboveMixin
from .editors import editor_for
from .forms import ChangeSetForm, DecisionForm, TransferForm
from .models import ChangeRequest
from .permissions import (
    approval_capacity,
    can_view_change_request,
    can_view_sensitive_in_request,
    can_withdraw_change_request,
)
from .selectors import list_open_change_requests_for_employee


def shown_change_request(request, process) -> ChangeRequest:
    """The request of a task page's process, as the page's access check read it (with what the
    page shows of it: workflows.access), or else as the process knows it."""
    accessed = getattr(request, "accessed_change_request", None)
    if accessed is not None and accessed.process_id == process.pk:
        return accessed
    return process.change_request


def shown_decisions(change_request: ChangeRequest):
    """The request's decisions as its pages list them; none to read while no level has decided
    it, as the page's access check found (workflows.access: has_decisions)."""
    if not getattr(change_request, "has_decisions", True):
        return []
    return change_request.decisions.select_related("decided_by", "acting_for", "unit")


def change_rows(change_request: ChangeRequest, user) -> list[dict]:
    """What a request changes, row by row, as this user may read it."""
    masked = not can_view_sensitive_in_request(user, change_request)
    return changesets.describe_operations(change_request.operations, masked=masked)


def level_rows(change_request: ChangeRequest) -> list[dict]:
    """Each approval level: its number, what it is (policy label), its unit, and whether it is
    done, being decided, or next."""
    labels = change_request.level_labels()
    current = change_request.current_level
    decided = change_request.status not in (ChangeRequest.Status.SUBMITTED, ChangeRequest.Status.RETURNED)
    return [
        {
            "number": i + 1,
            "label": labels[i] if i < len(labels) else "",
            "unit": unit,
            "current": i == current and not decided,
            "done": i < current or (decided and change_request.status != ChangeRequest.Status.REJECTED),
        }
        for i, unit in enumerate(change_request.approval_units())
    ]


def _visible_root(request, editor, pk):
    """The object an editor page is about, or 404 when the user may not see it (a person as
    the page's access check read them: records.access)."""
    root = getattr(request, "accessed_employee", None)
    if not (isinstance(root, editor.model) and root.pk == int(pk)):
        root = editor.model._default_manager.filter(pk=pk).first()
    if root is None or not can_view_unit(request.user, editor.owner_unit(root)):
        raise Http404
    return root


def _field_querysets(unit):
    return {
        "position": Position.objects.filter(unit=unit),
        "inspected_unit": Unit.objects.filter(path__startswith=unit.path),
    }


def _back_url(root, parent):
    """The page of the object being changed, or of the one a new object goes under."""
    target = root if root is not None else parent
    if isinstance(target, Employee):
        return reverse("records:employee-detail", args=[target.pk])
    if isinstance(target, Unit):
        return reverse("units:unit-detail", args=[target.pk])
    if isinstance(target, InspectionPlan):
        return reverse("inspections:plan-detail", args=[target.pk])
    return reverse("inspections:plan-detail", args=[target.plan_id])  # an inspection


def _change_set_form(data, *, editor, root, parent, unit, proposed=None, reason=""):
    """The editor's page form for `root`, or for a new object under `parent` when root is None;
    prefilled from a returned request's operations when `proposed` is given."""
    new = root is None
    return ChangeSetForm(
        data,
        root_model=editor.model,
        root=root,
        root_fields=editor.fields_for(new=new),
        children=editor.children,
        fixed={editor.parent_field: parent} if new else None,
        ref=editor.ref,
        proposed=proposed,
        reason=reason,
        field_querysets=_field_querysets(unit),
    )


def _change_set_page(request, *, editor, root, unit, parent=None):
    """Shared by proposing changes to a root and proposing a new one under `parent`."""
    if not can_propose_for_unit(request.user, unit):
        raise PermissionDenied(_("Bạn chỉ được xem dữ liệu này, không được đề xuất thay đổi."))
    # Posted, the form's checks and the service's dry run both read the salary tables: once.
    with salary_index_held() if request.method == "POST" else nullcontext():
        return _change_set_page_shown(request, editor=editor, root=root, unit=unit, parent=parent)


def _change_set_page_shown(request, *, editor, root, unit, parent):
    new = root is None
    form = _change_set_form(request.POST or None, editor=editor, root=root, parent=parent, unit=unit)
    back = _back_url(root, parent)
    if request.method == "POST" and form.is_valid():
        try:
            # Made from a deadline task's page (a retirement decision), the request closes the
            # task in its own transaction (no savepoint otherwise: workflows' SQL budget).
            due_task = request.GET.get("due_task")
            with transaction.atomic() if due_task else nullcontext():
                change_request = services.submit_change_request(
                    kind=editor.new_kind if new else editor.kind,
                    unit=unit,
                    submitted_by=request.user,
                    operations=form.operations(),
                    reason=form.reason,
                    title=editor.title(root, new=new) if not new else _title_for_new(editor, form),
                    employee=root if isinstance(root, Employee) else None,
                    subject_model=editor.key,
                    subject_pk=root.pk if root is not None else None,
                )
                due_work.close_by_request(pk=due_task, change_request=change_request)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(message)
        else:
            messages.success(request, _("Đã gửi yêu cầu #%(pk)s để phê duyệt.") % {"pk": change_request.pk})
            return redirect(back)
    return render(
        request,
        "workflows/change_set.html",
        {
            "form": form,
            "editor": editor,
            "root": root,
            "unit": unit,
            "parent": parent,
            "back": back,
            "sections": _sections(editor, form),
            "open_requests": list_open_change_requests_for_employee(user=request.user, employee=root)
            if isinstance(root, Employee)
            else [],
        },
    )


def _title_for_new(editor, form):
    data = form.root_form.cleaned_data
    name = data.get("full_name") or data.get("title") or data.get("name") or ""
    return f"{editor.title(None, new=True)}: {name}".strip(": ")


def _sections(editor, form):
    """The root form's fields grouped as the record's sections (form 2C for an employee); a
    section is shown open when it is the first or has errors."""
    sections = getattr(editor.model, "SECTIONS", None) or ((editor.model._meta.verbose_name, editor.root_fields),)
    out = []
    for index, (title, names) in enumerate(sections):
        fields = [form.root_form[name] for name in names if name in form.root_form.fields]
        out.append({"title": title, "fields": fields, "open": index == 0 or any(f.errors for f in fields)})
    return out


@login_required
def propose_changes(request, key, pk):
    """Propose changes to an object and the rows under it, as one request."""
    try:
        editor = editor_for(key)
    except KeyError:
        raise Http404 from None
    root = _visible_root(request, editor, pk)
    return _change_set_page(request, editor=editor, root=root, unit=editor.owner_unit(root))


@login_required
def propose_new(request, key, parent_pk):
    """Propose a new object (a new hire, an inspection plan…) under a unit or plan."""
    try:
        editor = editor_for(key)
    except KeyError:
        raise Http404 from None
    parent_model = editor.parent_model
    parent_editor = editor_for(parent_model._meta.label_lower) if parent_model is not Unit else None
    parent = parent_model._default_manager.filter(pk=parent_pk).first()
    if parent is None:
        raise Http404
    unit = parent if parent_editor is None else parent_editor.owner_unit(parent)
    if not can_view_unit(request.user, unit):
        raise Http404
    return _change_set_page(request, editor=editor, root=None, unit=unit, parent=parent)


@login_required
def transfer_employee(request, pk):
    """Move an employee to another unit; the sending and the receiving unit both approve."""
    employee = get_employee(user=request.user, pk=pk)
    if not can_propose_change(request.user, employee):
        raise PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được đề xuất thay đổi."))
    units = Unit.objects.filter(active_to__isnull=True).exclude(pk=employee.managing_unit_id).order_by("path")
    form = TransferForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.submit_transfer(
                employee=employee,
                target_unit=form.cleaned_data["target_unit"],
                submitted_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu #%(pk)s để phê duyệt.") % {"pk": change_request.pk})
            return redirect("records:employee-detail", pk=employee.pk)
    return render(request, "workflows/transfer.html", {"employee": employee, "form": form})


class _ChangeRequestTaskView(
    flow_views.SuccessMessageMixin,
    flow_views.TaskSuccessUrlMixin,
    generic.FormView,
):
    """Shared base of the human steps: the request, what it changes, and a form that ends the task."""

    success_message = _("Công việc {task} đã hoàn thành.")

    @property
    def change_request(self) -> ChangeRequest:
        return shown_change_request(self.request, self.request.activation.process)

    def get_context_data(self, **kwargs):
        change_request = self.change_request
        return super().get_context_data(
            change_request=change_request,
            employee=change_request.employee,
            rows=change_rows(change_request, self.request.user),
            levels=level_rows(change_request),
            decisions=shown_decisions(change_request),
            # escalations: on the request's page (its history), not on the decision form (the
            # approvers of the level are the ones it was escalated about; one query less).
            **kwargs,
        )

    def finished(self):
        """The service has moved the flow on (the task is done): leave the page."""
        return HttpResponseRedirect(self.get_success_url())


class ApproveChangeView(_ChangeRequestTaskView):
    """The approver sees old → new for each change, the reason and the levels, and decides
    (acting for a colleague when under a delegation)."""

    form_class = DecisionForm
    template_name = "workflows/approve_task.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        capacity = approval_capacity(self.request.user, self.change_request)
        context["acting_for"], context["delegation"] = capacity if capacity else (None, None)
        return context

    def form_valid(self, form):
        try:
            services.decide_change_request(
                change_request=self.change_request,
                user=self.request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return self.finished()


class ReworkChangeView(_ChangeRequestTaskView):
    """The submitter edits a returned request on the page it was made on, or withdraws it.
    Transfers and imports are withdrawn and made again."""

    template_name = "workflows/rework_task.html"

    def editable(self) -> bool:
        change_request = self.change_request
        return bool(change_request.subject_model) and change_request.kind not in (
            ChangeRequest.Kind.TRANSFER,
            ChangeRequest.Kind.IMPORT,
        )

    def get_form(self, form_class=None):
        if not self.editable():
            return None
        change_request = self.change_request
        editor = editor_for(change_request.subject_model)
        root = (
            editor.model._default_manager.filter(pk=change_request.subject_pk).first()
            if change_request.subject_pk
            else None
        )
        parent = None
        if root is None:
            create = next(op for op in change_request.operations if op["model"] == editor.key)
            parent = editor.parent_model._default_manager.get(pk=create["values"][editor.parent_field])
        return _change_set_form(
            self.request.POST if self.request.method == "POST" else None,
            editor=editor,
            root=root,
            parent=parent,
            unit=change_request.unit,
            proposed=change_request.operations,
            reason=change_request.reason,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None:
            context["sections"] = _sections(editor_for(self.change_request.subject_model), form)
        return context

    def post(self, request, *args, **kwargs):
        if "_withdraw" in request.POST:
            try:
                services.withdraw_change_request(change_request=self.change_request, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return HttpResponseRedirect(change_request_url(self.change_request))
            return self.finished()
        form = self.get_form()
        if form is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.resubmit_change_request(
                change_request=self.change_request,
                user=request.user,
                operations=form.operations(),
                reason=form.reason,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(message)
            return self.render_to_response(self.get_context_data(form=form))
        return self.finished()


# --- viewflow's list and detail pages, scoped to the user's units ------------------------


class _TaskColumns(list_pages.PageDataMixin):
    """The columns of every task list: the task, the request, the person, the unit, the kind of
    change, who submitted it, how long it has waited and its level. Each is read from the row's
    request and its joined rows (select_related), never by a query per row; viewflow's `brief`
    (a template rendered per row) is not used."""

    columns = (
        "task_id",
        "request_title",
        "employee_name",
        "unit",
        "kind",
        "submitted_by",
        "waiting_since",
        "waiting_days",
        "level",
    )
    filterset_class = list_pages.TaskListFilter

    def task_id(self, task):
        # One reverse() per step on the page, its numbers filled in per row.
        patterns = self.__dict__.setdefault("_task_url_patterns", {})
        pattern = patterns.get(task.flow_task)
        if pattern is None:
            url = task.flow_task.reverse("index", args=[_PROCESS_MARK, _TASK_MARK])
            pattern = patterns[task.flow_task] = url.replace(str(_PROCESS_MARK), "{0}").replace(str(_TASK_MARK), "{1}")
        url = pattern.format(task.process_id, task.pk)
        return format_html('<a href="{}">#{}/{}</a>', url, task.process_id, task.pk)

    task_id.short_description = "#"

    def request_title(self, task):
        return task.process.change_request.title

    request_title.short_description = pgettext_lazy("column", "Yêu cầu")

    def employee_name(self, task):
        employee = task.process.change_request.employee
        return employee.full_name if employee is not None else ""

    employee_name.short_description = pgettext_lazy("column", "Cán bộ")

    def unit(self, task):
        return task.process.change_request.unit.name

    unit.short_description = pgettext_lazy("column", "Đơn vị")

    def kind(self, task):
        # get_kind_display() makes the field's choices hashable and translates on each call; the
        # names are read once per page.
        names = self.__dict__.get("_kind_names")
        if names is None:
            names = self.__dict__["_kind_names"] = {value: str(label) for value, label in ChangeRequest.Kind.choices}
        kind = task.process.change_request.kind
        return names.get(kind, kind)

    kind.short_description = pgettext_lazy("column", "Loại thay đổi")

    def submitted_by(self, task):
        return person(task.process.change_request.submitted_by)

    submitted_by.short_description = pgettext_lazy("column", "Người đề xuất")

    def waiting_since(self, task):
        return waiting_text(task.created)

    waiting_since.short_description = pgettext_lazy("column", "Chờ từ")

    def waiting_days(self, task):
        """Working days the task waited (until it was finished): weekends, Tết and declared days
        off do not count (workdays.calendar; one calendar per page)."""
        calendar = self.__dict__.get("_working_calendar")
        if calendar is None:
            calendar = self.__dict__["_working_calendar"] = working_calendar()
        end = task.finished or timezone.now()
        return calendar.working_days_between(timezone.localdate(task.created), timezone.localdate(end))

    waiting_days.short_description = pgettext_lazy("column", "Số ngày làm việc đã chờ")

    def level(self, task):
        change_request = task.process.change_request
        return f"{change_request.current_level + 1}/{max(len(change_request.levels), 1)}"

    level.short_description = pgettext_lazy("column", "Cấp")


_PROCESS_MARK, _TASK_MARK = 9_876_543_210, 1_234_567_890  # numbers no task's URL has elsewhere


def waiting_text(since) -> str:
    """ "dd/mm/yyyy hh:mm (3 ngày)": when a task began waiting, and for how long (calendar time:
    the working days are the next column)."""
    if since is None:
        return ""
    age = timezone.now() - since
    if age.days >= 1:
        length = _("%(n)s ngày") % {"n": age.days}
    elif age.seconds >= 3600:
        length = _("%(n)s giờ") % {"n": age.seconds // 3600}
    else:
        length = _("%(n)s phút") % {"n": max(age.seconds // 60, 0)}
    return f"{timezone.localtime(since):%d/%m/%Y %H:%M} ({length})"


def _task_rows(queryset):
    """What the columns read, joined into the one query of the page; the request's operations
    and the process data are not (they can be large, and no column shows them)."""
    return queryset.select_related(
        "process__change_request__employee",
        "process__change_request__unit",
        "process__change_request__submitted_by",
    ).defer(
        "process__data",
        "process__change_request__operations",
        "process__change_request__reason",
        "process__change_request__decision_comment",
        "process__change_request__search_key",
        *(f"process__change_request__employee__{name}" for name in _unshown(Employee, "full_name")),
        # Of the unit and the proposer, their names only (fewer columns read and converted,
        # three joined rows per task: a page's rows were a third of the queue's CPU, issue #9).
        *(f"process__change_request__unit__{name}" for name in _unshown(Unit, "name")),
        *(f"process__change_request__submitted_by__{name}" for name in _unshown(User, *_USER_NAMES)),
    )


def _unshown(model, *shown) -> tuple[str, ...]:
    """The fields of `model` a list's row does not show: all but its key and `shown`."""
    return tuple(
        field.attname for field in model._meta.concrete_fields if field.attname not in shown and not field.primary_key
    )


User = get_user_model()
_USER_NAMES = ("username", "first_name", "last_name")  # what accounts.names.display_name reads


class _PinnedWhenChangedMixin:
    """viewflow's lists keep their address in the session (where a finished task's page returns
    to): written when it changes, not on every visit (a session write each time the approver
    opens the queue again)."""

    def dispatch(self, request, *args, **kwargs):
        if request.session.get(PIN_KEY) == request.get_full_path() and _only_the_pin_skipped(type(self)):
            return super(StoreRequestPathMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


PIN_KEY = "vf-pin-location"  # viewflow's StoreRequestPathMixin


@lru_cache
def _only_the_pin_skipped(view_class) -> bool:
    """Whether going past StoreRequestPathMixin skips no other dispatch (a permission check)."""
    mro = view_class.__mro__
    between = mro[mro.index(_PinnedWhenChangedMixin) + 1 : mro.index(StoreRequestPathMixin) + 1]
    return [c for c in between if "dispatch" in c.__dict__] == [StoreRequestPathMixin]


class _TaskList(_PinnedWhenChangedMixin, list_pages.KeysetListMixin, _TaskColumns):
    """A task list of the flow: scoped, keyset-paged, its columns joined into one query."""

    def scoped(self, queryset):
        return _task_rows(queryset.visible_to(self.request.user))


class ScopedDashboardTaskListView(_TaskList, flow_views.DashboardTaskListView):
    columns = ("task_id", "flow_task", *_TaskColumns.columns[1:], "owner_name")
    filterset_class = list_pages.TaskListFilter

    @cached_property  # asked by several of viewflow's mixins: built once per request
    def queryset(self):
        return self.scoped(super().queryset).select_related("owner")

    def flow_task(self, task):
        # viewflow's column prints the node's name in English title case ("Route Decision").
        return task.flow_task.task_title

    flow_task.short_description = pgettext_lazy("column", "Bước")

    def owner_name(self, task):
        return person(task.owner) if task.owner_id else ""

    owner_name.short_description = pgettext_lazy("column", "Người nhận")


class _SortableColumns:
    """A task list sortable by its headers (`?_orderby=`, viewflow's header convention, kept by
    the pager's links): person, unit, kind of change, proposer, waiting since and level;
    `orderings` maps each to the rows' order (list_pages)."""

    orderings: dict = {}
    default_order = ""

    @cached_property
    def list_order(self) -> str:
        return list_pages.asked_order(self.request.GET, self.orderings, self.default_order, kwarg=self.ordering_kwarg)

    @property
    def columns_order(self):
        """The sort indicator on the header of the column the list is sorted by."""
        column, direction = list_pages.column_order(self.list_order)
        return {self.list_columns[column]: direction}


def _sortable(column):
    """`column` of _TaskColumns with a header that sorts the list by it (viewflow reads
    `orderby_column` from the method)."""

    def method(self, task):
        return column(self, task)

    method.short_description = column.short_description
    method.orderby_column = column.__name__
    method.__name__ = column.__name__
    return method


for _name in ("employee_name", "unit", "kind", "submitted_by", "level"):
    setattr(_SortableColumns, _name, _sortable(getattr(_TaskColumns, _name)))


class ScopedInboxListView(DueTasksAboveMixin, _SortableColumns, _TaskList, flow_views.FlowInboxListView):
    """The user's tasks, and above them the work due items give them (due_views); newest first,
    oldest first or by a column of the request (the user's own tasks: a bounded set, sorted as
    read)."""

    orderings = list_pages.INBOX_ORDERINGS
    default_order = list_pages.INBOX_DEFAULT_ORDER

    @cached_property  # asked by several of viewflow's mixins: built once per request
    def queryset(self):
        queryset = self.scoped(super().queryset)
        return queryset.annotate(**list_pages.sort_keys(self.get_ordering(), [queryset], "process__change_request__"))

    def get_ordering(self):
        return list(self.orderings[self.list_order])

    def waiting_since(self, task):
        return _TaskColumns.waiting_since(self, task)

    waiting_since.short_description = _TaskColumns.waiting_since.short_description
    waiting_since.orderby_column = "waiting_since"


class ScopedQueueListView(_SortableColumns, _TaskList, flow_views.FlowQueueListView):
    """The approval tasks the user may take, read from the requests waiting at their units
    (list_pages.queue_requests: an index range per unit, so a page costs the same whatever the
    number of open tasks in the ministry), newest or oldest arrival first, or by a column of the
    request (`?_orderby=`)."""

    filterset_class = list_pages.QueueListFilter
    orderings = list_pages.QUEUE_ORDERINGS
    default_order = list_pages.QUEUE_DEFAULT_ORDER

    @cached_property  # asked by several of viewflow's mixins: built once per request
    def queryset(self):
        # What viewflow's mixins ask of the list; the rows are paginate_queryset's.
        return self.model._default_manager.none()

    def get_queryset(self):
        self.filterset = self.get_filterset(self.filterset_class, queryset=ChangeRequest.objects.none())
        return self.queryset

    def paginate_queryset(self, queryset, page_size):
        requests = list_pages.queue_requests(self.request.user, self.flow_class)
        if self.filterset.is_valid():
            requests = [self.filterset.filter_queryset(r) for r in requests]
        page = list_pages.queue_page(requests, self.request.GET, per_page=page_size, order=self.list_order)
        page.rows = list_pages.open_approval_tasks(
            _task_rows(self.model._default_manager.all()), self.flow_class, page.rows
        )
        return None, page, page.rows, page.has_other_pages

    def waiting_since(self, task):
        return waiting_text(task.process.change_request.pending_since or task.created)

    waiting_since.short_description = _TaskColumns.waiting_since.short_description
    waiting_since.orderby_column = "waiting_since"


class ScopedArchiveListView(_TaskList, flow_views.FlowArchiveListView):
    columns = (*_TaskColumns.columns[:-1], "finished")
    filterset_class = list_pages.ArchiveListFilter

    @cached_property  # asked by several of viewflow's mixins: built once per request
    def queryset(self):
        # user_archive is already scoped to what the user may see.
        return _task_rows(super().queryset)


class ScopedDashboardProcessListView(
    _PinnedWhenChangedMixin, list_pages.KeysetListMixin, flow_views.DashboardProcessListView
):
    columns = ("process_id", "brief", "created", "finished", "active_tasks")

    # viewflow's headers for these are English names made from the attributes ("Process id").
    def process_id(self, process):
        return super().process_id(process)

    process_id.short_description = "#"

    def brief(self, process):
        return process.brief

    brief.short_description = pgettext_lazy("column", "Yêu cầu")

    def active_tasks(self, process):
        return process.active_tasks_count

    active_tasks.short_description = pgettext_lazy("column", "Số việc đang mở")

    def get_queryset(self):
        # viewflow counts active tasks with a GROUP BY over every process; a correlated count
        # is taken for the rows of the page only.
        queryset = super(flow_views.DashboardProcessListView, self).get_queryset()
        active = (
            Task.objects.filter(process=OuterRef("pk"), finished__isnull=True)
            .order_by()
            .values("process")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            queryset.filter(flow_class=self.flow_class)
            .visible_to(self.request.user)
            .defer("data", "change_request__operations", "change_request__reason")
            .annotate(active_tasks_count=Coalesce(Subquery(active), 0))
        )


class ScopedDetailProcessView(flow_views.DetailProcessView):
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change_request = self.object.change_request
        context["change_request"] = change_request
        context["rows"] = change_rows(change_request, self.request.user)
        context["decisions"] = change_request.decisions.select_related("decided_by", "acting_for", "unit")
        context["levels"] = level_rows(change_request)
        context["escalations"] = escalation_rows(change_request)
        # The request's history: its steps and its escalations, in the order they happened.
        context["timeline"] = sorted(
            [(task.created, 0, task) for task in context["task_list"]]
            + [(escalation.at, 1, escalation) for escalation in context["escalations"]],
            key=lambda entry: entry[:2],
        )
        context["can_withdraw"] = can_withdraw_change_request(self.request.user, change_request)
        return context


class _ScopedBulkTasksMixin:
    """viewflow's bulk assign/unassign act on the task ids posted; an id the user may not see
    answers 404, as every single-task page does, so existence is not disclosed."""

    def get_queryset(self):
        from .models import ChangeRequestTask

        visible = ChangeRequestTask.objects.visible_to(self.request.user)
        pks = self.request.POST.getlist("pk")
        if pks and not self.request.POST.get("select_all"):
            if not all(str(pk).isdigit() for pk in pks):
                raise Http404
            ids = {int(pk) for pk in pks}
            if visible.filter(pk__in=ids).count() != len(ids):
                raise Http404
        self.queryset = visible
        return super().get_queryset()


class ScopedBulkAssignTasksView(_ScopedBulkTasksMixin, flow_views.BulkAssignTasksActionView):
    pass


class ScopedBulkUnassignTasksView(_ScopedBulkTasksMixin, flow_views.BulkUnassignTasksActionView):
    pass


class ScopedCancelProcessView(flow_views.CancelProcessView):
    """Cancelling a request's process is cancelling the request (workflows.services: status,
    reason, history, the submitter told), never the process alone: the page asks why."""

    template_name = "workflows/cancel.html"

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        change_request = self.object.change_request
        back = change_request_url(change_request)
        return super().get_context_data(
            change_request=change_request,
            rows=change_rows(change_request, self.request.user),
            levels=level_rows(change_request),
            back=back,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        change_request = self.object.change_request
        try:
            services.cancel_change_request(
                change_request=change_request, user=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            context = self.get_context_data(errors=exc.messages, reason=request.POST.get("reason", ""))
            return self.render_to_response(context, status=400)
        messages.success(request, _("Đã huỷ yêu cầu #%(pk)s.") % {"pk": change_request.pk})
        return redirect(change_request_url(change_request))


@login_required
def withdraw_request(request, process_pk):
    """The submitter withdraws their request from its page, while no level has decided it (or
    once it is returned to them): a confirmation page, then the withdrawal."""
    change_request = ChangeRequest.objects.filter(process_id=process_pk).select_related("unit", "employee").first()
    if change_request is None or not can_view_change_request(request.user, change_request):
        raise Http404
    if not can_withdraw_change_request(request.user, change_request):
        raise PermissionDenied(_("Chỉ người đề xuất được rút yêu cầu, khi chưa cấp nào phê duyệt."))
    if request.method == "POST":
        try:
            services.withdraw_change_request(change_request=change_request, user=request.user)
        except ValidationError as exc:  # a level decided in the meantime
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã rút yêu cầu #%(pk)s.") % {"pk": change_request.pk})
        return redirect(change_request_url(change_request))
    return render(
        request,
        "workflows/withdraw.html",
        {
            "change_request": change_request,
            "rows": change_rows(change_request, request.user),
            "levels": level_rows(change_request),
            "decisions": change_request.decisions.select_related("decided_by", "acting_for", "unit"),
            "escalations": escalation_rows(change_request),
            "back": change_request_url(change_request),
        },
    )


def escalation_rows(change_request: ChangeRequest) -> list:
    """The request's escalations (workflows.escalation), oldest first, with their recipients."""
    return list(change_request.escalations.select_related("unit").prefetch_related("escalated_to"))


def change_request_url(change_request: ChangeRequest) -> str:
    """The process page of a request, where its steps and changes are shown."""
    return reverse("changerequest:process_detail", args=[change_request.process_id])
