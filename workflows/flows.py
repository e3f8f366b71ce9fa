"""ChangeRequestFlow: submit → approve, once per level (or return / reject / withdraw) → apply
→ end, with a rework loop; imports are applied by a Celery task the flow waits for.

The flow records where a request is; workflows.services moves it on. Each service changes the
request's status (workflows.lifecycle) and, in the same transaction, finishes the task that
change ends (complete_human_task, resume), so a service called from a page, a shell or a Celery
task leaves the process where the request is."""

from contextlib import contextmanager
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS

from . import views
from .access import accessed_task
from .imports import queue_import_apply
from .models import ChangeRequest, ChangeRequestProcess, ChangeRequestTask
from .permissions import (
    can_approve_change_request,
    can_manage_workflow,
    can_rework_change_request,
    can_use_workflow,
    can_view_change_request,
)


def change_request_of(task) -> ChangeRequest:
    return task.process.change_request


class _ScopedTaskMixin:
    """Task pages answer 404 to users who may not see the request, so existence is not disclosed."""

    def can_view(self, user, task):
        if not can_view_change_request(user, change_request_of(task)):
            raise Http404
        return True

    def can_unassign(self, user, task):
        if task.owner_id is None:
            return False
        return task.owner_id == user.pk or can_manage_workflow(user)


class ReentrantSelectForUpdateLock(lock.SelectForUpdateLock):
    """viewflow's `select … for update` lock, taken once per transaction: a service called by a
    task page (which holds the lock) or by another service (decide → apply → resume) finds the
    process already locked and goes on, instead of a savepoint and a lock query each time.

    The row lock lasts until the transaction ends, but a savepoint rolled back releases a lock
    taken after it: the lock counts as held only while the atomic block that took it is open."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if self.is_held(flow_class, process_pk):
            yield
            return
        with super().__call__(flow_class, process_pk), _held_in_this_block(flow_class, process_pk):
            yield

    @staticmethod
    def is_held(flow_class, process_pk) -> bool:
        """Whether this transaction holds the process's lock now."""
        connection = transaction.get_connection()
        block = connection.__dict__.get("_qlcb_flow_locks", {}).get((flow_class, process_pk))
        return block is not None and any(open_block is block for open_block in connection.atomic_blocks)

    @staticmethod
    @contextmanager
    def holding_new(flow_class, process_pk):
        """A process the open transaction has inserted is locked until it commits: no other
        transaction sees it. Counted as held while the block inside this one is open."""
        with transaction.atomic(savepoint=False), _held_in_this_block(flow_class, process_pk):
            yield


@contextmanager
def _held_in_this_block(flow_class, process_pk):
    """Note the process's lock as held by the innermost atomic block open now, until it ends."""
    connection = transaction.get_connection()
    held = connection.__dict__.setdefault("_qlcb_flow_locks", {})
    held[(flow_class, process_pk)] = connection.atomic_blocks[-1]
    try:
        yield
    finally:
        held.pop((flow_class, process_pk), None)


def _remember_task(flow_class, task) -> None:
    """Keep a task this transaction has read or written while holding its process's lock: no
    other transaction can change it until this one ends, so open_task need not read it again.
    Kept while the atomic block open now is (a savepoint rolled back forgets it)."""
    if not ReentrantSelectForUpdateLock.is_held(flow_class, task.process_id):
        return
    connection = transaction.get_connection()
    tasks = connection.__dict__.setdefault("_qlcb_flow_tasks", {})
    for key, (_task, block) in list(tasks.items()):
        if not any(open_block is block for open_block in connection.atomic_blocks):
            del tasks[key]
    tasks[(task.process_id, task.flow_task.name)] = (task, connection.atomic_blocks[-1])


def _remembered_task(process_pk, node):
    """The open task of `node` kept by _remember_task, if its block is still open."""
    connection = transaction.get_connection()
    entry = connection.__dict__.get("_qlcb_flow_tasks", {}).get((process_pk, node.name))
    if entry is None:
        return None
    task, block = entry
    if task.status not in OPEN or not any(open_block is block for open_block in connection.atomic_blocks):
        return None
    return task


class _RememberedTaskMixin:
    """An activation of a step a service finishes (approve, rework, apply) keeps its task when
    made under the process's lock: the task page's POST, or the node created by the flow."""

    def __init__(self, task):
        super().__init__(task)
        _remember_task(self.flow_class, task)

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        _remember_task(activation.flow_class, activation.task)
        return activation


class _RoutedMixin:
    """A step that chooses where the process goes next when it is done: the first route whose
    condition holds (one without a condition always does), as a Switch gateway after it would,
    but without a gateway task of its own to write (an insert and a link per step done).
    A step without routes goes to its Next() as usual."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._routes = []

    def Route(self, node, condition=None):
        self._routes.append((node, condition))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._routes = [(this.resolve(instance, node), this.resolve(instance, cond)) for node, cond in self._routes]

    def _outgoing(self):
        yield from super()._outgoing()
        for node, condition in self._routes:
            yield Edge(src=self, dst=node, edge_class="cond_true" if condition else "default")

    def next_node(self, activation):
        for node, condition in self._routes:
            if condition is None or condition(activation):
                return node
        raise FlowRuntimeError(f"No next task available for {self.name}")


def _create_routed_next(activation, original):
    """create_next() of a routed step's activation (see _RoutedMixin)."""
    routes = getattr(activation.flow_task, "_routes", None)
    if not routes:
        yield from original()
        return
    yield activation.flow_task.next_node(activation)._create(activation, activation.task.token)


class _WrittenDoneMixin:
    """A node that is done as soon as it is activated (a gateway, an end), written once: its
    task is inserted already done, then linked to the previous task, instead of inserted new
    and updated done. Only while errors propagate (the default): a node that fails then rolls
    back the caller's transaction, so no task in error has to be kept."""

    @classmethod
    def _written_once(cls, flow_task) -> bool:
        return True

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception or not cls._written_once(flow_task):
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        # kept on the task: a later activation of the same task (a Handle's run) writes it
        task._written_once_after = prev_activation.task
        return cls(task)

    def __hash__(self):
        # viewflow keeps activations in sets; a task not yet inserted has no pk to hash.
        return hash(id(self.task))

    def _complete_written_once(self, original):
        """complete(), to be called by each activation's own (viewflow's transitions are
        overridden in the class that declares them, not in a mixin)."""
        if self.task.pk is not None or getattr(self.task, "_written_once_after", None) is None:
            return original()
        self.task.finished = now()
        self.task.save()
        _link(self.task, self.task._written_once_after)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class _ViewActivation(_RememberedTaskMixin, ViewActivation):
    @Activation.status.super()
    def create_next(self):
        yield from _create_routed_next(self, super().create_next.original)


class _HandleActivation(_RememberedTaskMixin, _WrittenDoneMixin, HandleActivation):
    """A Handle step's activation; its task written once, done, when the service that finishes
    it runs in the same block as the step that leads to it (finished_in_this_block)."""

    @classmethod
    def _written_once(cls, flow_task) -> bool:
        # the block's step, not created yet (created once, its loop back would be a new task)
        writes = _block_writes()
        return writes is not None and flow_task in writes.tasks and writes.tasks[flow_task] is None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        if activation.task.pk is None:
            _block_writes().tasks[flow_task] = activation.task
        return activation

    @Activation.status.super()
    def complete(self):
        return self._complete_written_once(super().complete.original)

    @Activation.status.super()
    def create_next(self):
        yield from _create_routed_next(self, super().create_next.original)


class _BlockWrites:
    """What finished_in_this_block writes when it ends: the Handle steps it finishes, by node
    (their task once created), and the links of the tasks written once inside it."""

    def __init__(self):
        self.tasks = {}
        self.links = []


def _block_writes() -> _BlockWrites | None:
    return transaction.get_connection().__dict__.get("_qlcb_block_writes")


def _link(task, previous) -> None:
    """Link a task written once to the one before it: at once, or with the other links of the
    finished_in_this_block open now, in one insert when it ends."""
    writes = _block_writes()
    if writes is None:
        task.previous.add(previous)
    else:
        writes.links.append((task, previous))


@contextmanager
def finished_in_this_block(node):
    """The Handle step `node` (apply), reached and finished by the code inside (the last
    approval, which applies at once): its task is inserted once, done, instead of inserted
    waiting and then updated done; the tasks written once inside are linked to the ones before
    them in one insert when the block ends (nothing reads the links before). Should the block
    end without finishing the step, its task is written then, waiting, as viewflow would have.
    An error leaving the block must roll back what was written inside (it does: a task page's
    whole transaction)."""
    connection = transaction.get_connection()
    if _block_writes() is not None:
        raise RuntimeError("finished_in_this_block is not reentrant")
    writes = connection.__dict__["_qlcb_block_writes"] = _BlockWrites()
    writes.tasks[node] = None
    try:
        yield
    finally:
        connection.__dict__.pop("_qlcb_block_writes", None)
    task = writes.tasks[node]
    if task is not None and task.pk is None:
        task.save()
        writes.links.append((task, task._written_once_after))
    if writes.links:
        through = ChangeRequestTask.previous.through
        through.objects.bulk_create(
            [through(from_task_id=task.pk, to_task_id=previous.pk) for task, previous in writes.links],
            ignore_conflicts=True,
        )


def _posted_in_one_transaction(node, view, *, permission=None, start=False):
    """A task page (take or execute) with viewflow's checks, in the same order: the task of this
    flow (404), `permission` (403), the activation started for an execute page, a transition not
    allowed answered 403. Its POST runs in the transaction the process lock opens: viewflow's
    own page opens a second atomic block inside the lock, a savepoint (two statements) that
    guards nothing, since any error leaving the page rolls the whole transaction back. Its GET
    takes the task the page's access check read with the request (workflows.access), one
    query less than viewflow's own page."""

    def opened(request, *args, **kwargs):
        task_pk = kwargs["task_pk"]
        task = accessed_task(request, task_pk) or get_object_or_404(node.flow_class.task_class, pk=task_pk)
        if task.process.flow_class != node.flow_class:
            raise Http404
        request.activation = node.activation_class(task)
        if not (permission or node.can_execute)(request.user, task=task):
            raise PermissionDenied
        if start:
            request.activation.start(request)
        return view(request, *args, **kwargs)

    @wraps(view)
    def posted(request, *args, **kwargs):
        try:
            if request.method != "POST":
                return opened(request, *args, **kwargs)
            with node.flow_class.lock(kwargs["process_pk"]):
                return opened(request, *args, **kwargs)
        except TransitionNotAllowed as exc:
            raise PermissionDenied(",".join(exc.args)) from exc

    return posted


class _OneTransactionTaskPagesMixin:
    """The take (assign) and execute pages of a human step, posted without a savepoint of their
    own (_posted_in_one_transaction)."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _posted_in_one_transaction(self, self.view, start=True),
            name="execute",
        )

    @property
    def assign_path(self):
        if not self.assign_view:
            return None
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/assign/",
            _posted_in_one_transaction(self, self.assign_view, permission=self.can_assign),
            name="assign",
        )


class ApprovalStep(_RoutedMixin, _OneTransactionTaskPagesMixin, _ScopedTaskMixin, flow.View):
    """A human step taken by an approver of the managing unit (never the submitter)."""

    activation_class = _ViewActivation

    def can_assign(self, user, task):
        return task.owner_id is None and can_approve_change_request(user, change_request_of(task))

    def can_execute(self, user, task):
        # Re-checked at execution, so a grant revoked after assignment stops the approval.
        return task.owner_id == user.pk and can_approve_change_request(user, change_request_of(task))


class ReworkStep(_RoutedMixin, _OneTransactionTaskPagesMixin, _ScopedTaskMixin, flow.View):
    """A human step assigned to the submitter when the request is returned."""

    activation_class = _ViewActivation

    def can_assign(self, user, task):
        return False

    def can_unassign(self, user, task):
        # Nobody could take it back (rework is never in a queue): handing it back strands it.
        return task.owner_id is not None and can_manage_workflow(user)

    def can_execute(self, user, task):
        return task.owner_id == user.pk and can_rework_change_request(user, change_request_of(task))


class _ServiceStartActivation(StartHandleActivation):
    """viewflow's start, inside the service's transaction: the process the start handler saved
    is not saved a second time, and is not locked, since no other transaction sees a row this
    one has just inserted and not committed (the lock counts as held)."""

    @Activation.status.transition(source=STATUS.NEW)
    def execute(self):
        if self.process.pk is None or not transaction.get_connection().in_atomic_block:
            return super().execute.original()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with ReentrantSelectForUpdateLock.holding_new(self.flow_class, self.process.pk):
            with self.flow_class.lock(self.process.pk):
                self.complete()
                flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
                self.activate_next()


class ServiceStartHandle(flow.StartHandle):
    activation_class = _ServiceStartActivation


class _SwitchActivation(_WrittenDoneMixin, SwitchActivation):
    """viewflow's Switch without a savepoint of its own while errors propagate (the default):
    an error then rolls back the caller's whole transaction, the savepoint would guard nothing."""

    @Activation.status.super()
    def activate(self):
        if not context.propagate_exception:
            return super().activate.original()
        for node, cond in self.flow_task._branches:
            if not cond:
                self.next_task = node  # the default, unless a later case holds
            elif cond(self):
                self.next_task = node
                break
        if not self.next_task:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @Activation.status.super()
    def complete(self):
        return self._complete_written_once(super().complete.original)


class _IfActivation(_WrittenDoneMixin, IfActivation):
    """viewflow's If without a savepoint of its own while errors propagate (see _SwitchActivation)."""

    @Activation.status.super()
    def activate(self):
        if not context.propagate_exception:
            return super().activate.original()
        self._condition_result = self.flow_task._condition(self)

    @Activation.status.super()
    def complete(self):
        return self._complete_written_once(super().complete.original)


class _EndActivation(_WrittenDoneMixin, EndActivation):
    """viewflow's End without a savepoint of its own while errors propagate (see
    _SwitchActivation), its task written once (_WrittenDoneMixin)."""

    @Activation.status.super()
    def activate(self):
        if not context.propagate_exception:
            return super().activate.original()
        self.task.started = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        if getattr(self.flow_class, "one_task_at_a_time", False):
            # One task open at a time (no parallel paths): the one that led here is done.
            finished = True
        else:
            open_tasks = self.flow_class.task_class._default_manager.filter(process=self.process, finished__isnull=True)
            if self.task.pk is not None:
                open_tasks = open_tasks.exclude(pk=self.task.pk)
            finished = not open_tasks.exists()
        if finished:
            self.process.status = STATUS.DONE
            self.process.finished = now()
            self.process.save()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        if finished:
            flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    @Activation.status.super()
    def complete(self):
        return self._complete_written_once(super().complete.original)


class End(flow.End):
    activation_class = _EndActivation


class Switch(flow.Switch):
    activation_class = _SwitchActivation


class If(flow.If):
    activation_class = _IfActivation


class ServiceHandle(_RoutedMixin, flow.Handle):
    """A step a service finishes (resume): viewflow's Handle, keeping the process the service
    holds (knowing its request). viewflow re-reads the task under the lock; a task read while
    the lock was already held (resume's open_task, inside the service's transition) is current."""

    activation_class = _HandleActivation

    def _create_wrapper_function(self, origin_func, task):
        process = task.process
        read_under_lock = ReentrantSelectForUpdateLock.is_held(self.flow_class, process.pk)

        def func(**kwargs):
            with self.flow_class.lock(process.pk):
                if not read_under_lock:
                    task.refresh_from_db()
                    task.process = process
                activation = self.activation_class(task)
                result = activation.run(origin_func, **kwargs)
                activation.execute()
                return result

        return func


class ChangeRequestFlow(flow.Flow):
    """Thay đổi hồ sơ cán bộ

    Cán bộ tổ chức đề xuất thay đổi, lãnh đạo đơn vị phê duyệt, hệ thống cập nhật hồ sơ và lưu lịch sử.
    """

    process_class = ChangeRequestProcess
    task_class = ChangeRequestTask
    lock_impl = ReentrantSelectForUpdateLock()
    # No split, join or boundary event: a process has one task open at a time, so an end need
    # not ask whether others are open (tests/workflows: test_the_flow_keeps_one_task_open_at_a_time).
    one_task_at_a_time = True
    process_title = _("Thay đổi hồ sơ cán bộ")
    process_summary_template = "{{ process.change_request }} — {{ process.change_request.get_status_display }}"

    submit = ServiceStartHandle(this.start_process).Annotation(title=_("Gửi đề xuất")).Next(this.approve)
    # Each step routes to the next by the request's status itself (_RoutedMixin): no gateway
    # task is written between two steps. The gateways that stood there (route_decision,
    # check_applied, route_resubmission) stay below, reached by no step now, so the tasks that
    # processes recorded through them before still name nodes of this flow.
    approve = (
        ApprovalStep(views.ApproveChangeView.as_view())
        .Annotation(
            title=_("Phê duyệt thay đổi"),
            summary_template="{{ process.change_request }}",
        )
        .Route(this.queue_import, this.is_approved_import)
        .Route(this.apply, this.is_approved)
        .Route(this.approve, this.is_submitted)  # approved at this level; the next level decides
        .Route(this.rework, this.is_returned)
        .Route(this.withdrawn, this.is_withdrawn)  # withdrawn before any level decided
        .Route(this.rejected)
    )
    queue_import = (
        flow.Function(this.start_import).Annotation(title=_("Đưa tệp vào hàng đợi nhập")).Next(this.wait_import)
    )
    # Both wait for their service: apply_change_request (right after the last approval, in the
    # same transaction) and the import task (apply_import_batch), which resume them.
    wait_import = (
        ServiceHandle().Annotation(title=_("Nhập dữ liệu từ tệp")).Route(this.end, this.is_applied).Route(this.rework)
    )
    apply = ServiceHandle().Annotation(title=_("Cập nhật hồ sơ")).Route(this.end, this.is_applied).Route(this.rework)
    rework = (
        ReworkStep(views.ReworkChangeView.as_view())
        .Annotation(title=_("Chỉnh sửa và gửi lại"), summary_template="{{ process.change_request }}")
        .Assign(this.submitter)
        .Route(this.approve, this.is_submitted)
        .Route(this.withdrawn)
    )
    # Former gateways (see above): no step leads here any more.
    route_decision = (
        Switch()
        .Annotation(title=_("Theo quyết định"))
        .Case(this.queue_import, this.is_approved_import)
        .Case(this.apply, this.is_approved)
        .Case(this.approve, this.is_submitted)
        .Case(this.rework, this.is_returned)
        .Case(this.withdrawn, this.is_withdrawn)
        .Default(this.rejected)
    )
    check_applied = If(this.is_applied).Annotation(title=_("Đã cập nhật?")).Then(this.end).Else(this.rework)
    route_resubmission = If(this.is_submitted).Annotation(title=_("Gửi lại?")).Then(this.approve).Else(this.withdrawn)
    end = End().Annotation(title=_("Hoàn tất"))
    rejected = End().Annotation(title=_("Bị từ chối"))
    withdrawn = End().Annotation(title=_("Đã rút"))

    def start_process(self, activation, change_request):
        """Save the new request linked to its new process (one insert, one history row); the
        submitter owns the start task."""
        activation.process.save()
        activation.task.owner = change_request.submitted_by
        change_request.process = activation.process
        change_request.save()
        return activation.process

    def start_import(self, activation):
        queue_import_apply(change_request=activation.process.change_request)

    def submitter(self, activation):
        return activation.process.change_request.submitted_by

    def _status_is(self, activation, status):
        return activation.process.change_request.status == status

    def is_approved_import(self, activation):
        change_request = activation.process.change_request
        return (
            change_request.kind == ChangeRequest.Kind.IMPORT and change_request.status == ChangeRequest.Status.APPROVED
        )

    def is_approved(self, activation):
        return self._status_is(activation, ChangeRequest.Status.APPROVED)

    def is_returned(self, activation):
        return self._status_is(activation, ChangeRequest.Status.RETURNED)

    def is_applied(self, activation):
        return self._status_is(activation, ChangeRequest.Status.APPLIED)

    def is_submitted(self, activation):
        return self._status_is(activation, ChangeRequest.Status.SUBMITTED)

    def is_withdrawn(self, activation):
        return self._status_is(activation, ChangeRequest.Status.WITHDRAWN)

    def has_view_permission(self, user, obj=None):
        """Any user with a grant may open the flow's pages; objects are scoped further."""
        if not user.is_authenticated:
            return False
        if obj is not None:
            return can_view_change_request(user, obj.change_request)
        return can_use_workflow(user)

    def has_manage_permission(self, user, obj=None):
        return can_manage_workflow(user)


OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class FlowStateError(RuntimeError):
    """The process is not waiting where the request's status says it should be."""

    def __init__(self, change_request, node):
        super().__init__(
            f"Process {change_request.process_id} of request {change_request.pk} has no open {node.name} task"
        )


class TaskHeldByOther(RuntimeError):
    """Another user has taken the task (from the queue) and not handed it back."""

    def __init__(self, task):
        super().__init__(f"Task {task.pk} is held by user {task.owner_id}")
        self.task = task


def open_task(change_request: ChangeRequest, node) -> ChangeRequestTask:
    """The task of `node` the request's process is waiting on, with its process, which knows
    the request (the flow's conditions ask it) without reading it again."""
    task = _remembered_task(change_request.process_id, node)
    if task is None:
        tasks = ChangeRequestTask.objects.filter(process_id=change_request.process_id, flow_task=node, status__in=OPEN)
        task = tasks.select_related("process").first()
        if task is not None:
            _remember_task(ChangeRequestFlow, task)
    if task is None:
        raise FlowStateError(change_request, node)
    ChangeRequest.process.field.remote_field.set_cached_value(task.process, change_request)
    return task


def complete_human_task(change_request: ChangeRequest, node, user, *, take_over: bool = False) -> None:
    """Finish the open task of a human step (approve, rework) as `user` and move the flow on, as
    the step's page does. A task another user holds is refused, unless `take_over` (the submitter
    withdrawing a request an approver has taken but not decided). Call inside the transaction
    that changed the request, holding ChangeRequestFlow.lock."""
    task = open_task(change_request, node)
    activation = node.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.owner_id != user.pk:
        if not take_over:
            raise TaskHeldByOther(task)
        activation.reassign(user)
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


def resume(change_request: ChangeRequest, node) -> None:
    """Resume the process waiting on a Handle step (apply, wait_import) once its work is done."""
    node.run(open_task(change_request, node))
