"""Pages of the change-request process: propose (any editor), transfer, decide, rework, and
viewflow's list and detail pages narrowed to the user's units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow import views as flow_views

from inspections.models import InspectionPlan
from records.models import Employee
from records.permissions import can_propose_change
from records.selectors import get_employee
from units.forms import add_service_errors
from units.models import Position, Unit
from units.permissions import can_propose_for_unit, can_view_unit

from . import changesets, services
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


def _visible_root(user, editor, pk):
    """The object an editor page is about, or 404 when the user may not see it."""
    root = editor.model._default_manager.filter(pk=pk).first()
    if root is None or not can_view_unit(user, editor.owner_unit(root)):
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
    new = root is None
    form = _change_set_form(request.POST or None, editor=editor, root=root, parent=parent, unit=unit)
    back = _back_url(root, parent)
    if request.method == "POST" and form.is_valid():
        try:
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
    root = _visible_root(request.user, editor, pk)
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
        return self.request.activation.process.change_request

    def get_context_data(self, **kwargs):
        change_request = self.change_request
        return super().get_context_data(
            change_request=change_request,
            employee=change_request.employee,
            rows=change_rows(change_request, self.request.user),
            levels=level_rows(change_request),
            decisions=change_request.decisions.select_related("decided_by", "acting_for", "unit"),
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


class ScopedDashboardTaskListView(flow_views.DashboardTaskListView):
    @property
    def queryset(self):
        return super().queryset.visible_to(self.request.user)


class ScopedDashboardProcessListView(flow_views.DashboardProcessListView):
    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        return queryset if queryset.ordered else queryset.order_by("-created")


class ScopedInboxListView(flow_views.FlowInboxListView):
    @property
    def queryset(self):
        return super().queryset.visible_to(self.request.user)


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
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


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
            "back": change_request_url(change_request),
        },
    )


def change_request_url(change_request: ChangeRequest) -> str:
    """The process page of a request, where its steps and changes are shown."""
    return reverse("changerequest:process_detail", args=[change_request.process_id])
