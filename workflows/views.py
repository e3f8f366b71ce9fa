"""Pages of the change-request process: propose, decide, rework, and scoped viewflow lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow import views as flow_views

from records.models import Employee
from records.permissions import can_propose_change
from records.selectors import display_value, get_employee

from . import services
from .forms import ChangeProposalForm, DecisionForm
from .models import ChangeRequest
from .selectors import list_open_change_requests_for_employee


def change_rows(change_request: ChangeRequest, *, against=None) -> list[dict]:
    """Field-level diff of a request: label, value at the base version (or `against`), proposed value."""
    base = against if against is not None else change_request.base_version
    proposed = services.deserialize_changes(change_request.proposed_changes)
    rows = []
    for name, value in proposed.items():
        field = Employee._meta.get_field(name)
        rows.append(
            {
                "field": field.verbose_name,
                "old": display_value(field, getattr(base, name)),
                "new": display_value(field, value),
            }
        )
    return rows


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def propose_change(request, pk):
    """An officer of the managing unit proposes new values, side by side with the current ones."""
    employee = get_employee(user=request.user, pk=pk)
    if not can_propose_change(request.user, employee):
        raise PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được đề xuất thay đổi."))
    form = ChangeProposalForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.submit_change_request(
                employee=employee,
                submitted_by=request.user,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã gửi yêu cầu #%(pk)s để phê duyệt.") % {"pk": change_request.pk}
            )
            return redirect("records:employee-detail", pk=employee.pk)
    rows = [
        (form[name], display_value(Employee._meta.get_field(name), getattr(employee, name)))
        for name in Employee.CHANGEABLE_FIELDS
    ]
    return render(
        request,
        "workflows/propose_change.html",
        {
            "employee": employee,
            "form": form,
            "rows": rows,
            "open_requests": list_open_change_requests_for_employee(user=request.user, employee=employee),
        },
    )


class _ChangeRequestTaskView(
    flow_views.SuccessMessageMixin,
    flow_views.TaskSuccessUrlMixin,
    generic.FormView,
):
    """Shared base of the human steps: the request, its diff, and a form that ends the task."""

    success_message = _("Công việc {task} đã hoàn thành.")

    @property
    def change_request(self) -> ChangeRequest:
        return self.request.activation.process.change_request

    def get_context_data(self, **kwargs):
        change_request = self.change_request
        return super().get_context_data(
            change_request=change_request,
            employee=change_request.employee,
            rows=change_rows(change_request),
            **kwargs,
        )

    def finish_task(self, form):
        self.request.activation.execute()
        return HttpResponseRedirect(self.get_success_url())


class ApproveChangeView(_ChangeRequestTaskView):
    """The approver sees old → new for each field and the reason, and decides."""

    form_class = DecisionForm
    template_name = "workflows/approve_task.html"

    def form_valid(self, form):
        try:
            services.decide_change_request(
                change_request=self.change_request,
                user=self.request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        return self.finish_task(form)


class ReworkChangeView(_ChangeRequestTaskView):
    """The submitter edits a returned request against the current record, or withdraws it."""

    form_class = ChangeProposalForm
    template_name = "workflows/rework_task.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("initial", None)  # the form builds its own from the request
        change_request = self.change_request
        kwargs.update(
            employee=change_request.employee,
            proposed=services.deserialize_changes(change_request.proposed_changes),
            reason=change_request.reason,
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Returned requests compare with the record as it is now: that is what a resubmission changes.
        context["rows"] = change_rows(self.change_request, against=self.change_request.employee)
        return context

    def post(self, request, *args, **kwargs):
        if "_withdraw" in request.POST:
            services.withdraw_change_request(change_request=self.change_request, user=request.user)
            return self.finish_task(None)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.resubmit_change_request(
                change_request=self.change_request,
                user=self.request.user,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        return self.finish_task(form)


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
        context["rows"] = change_rows(change_request)
        return context


class ScopedCancelProcessView(flow_views.CancelProcessView):
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


def change_request_url(change_request: ChangeRequest) -> str:
    """The process page of a request, where its steps and diff are shown."""
    return reverse("changerequest:process_detail", args=[change_request.process_id])
