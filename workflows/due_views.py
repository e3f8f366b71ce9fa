"""The page of one task due items give the officers (workflows.due_work): a pre-filled draft to
complete and submit, or a retirement deadline to mark done. Listed in the inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from units.forms import add_service_errors

from . import due_work
from .forms import DueDoneForm, DueDraftForm
from .models import DueTask


@login_required
def due_task_page(request, pk):
    try:
        task = due_work.get_due_task(user=request.user, pk=pk)
    except DueTask.DoesNotExist:
        raise Http404 from None
    is_open = task.status == DueTask.Status.OPEN
    if task.is_draft:
        form = DueDraftForm(
            request.POST if request.method == "POST" and is_open else None,
            initial={"effective_date": task.due_date, "reason": due_work.default_reason(task)},
        )
    else:
        form = DueDoneForm(request.POST if request.method == "POST" and is_open else None)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            if task.is_draft:
                change_request = due_work.submit_due_draft(task=task, user=request.user, **form.cleaned_data)
                messages.success(request, _("Đã gửi yêu cầu #%(pk)s để phê duyệt.") % {"pk": change_request.pk})
            else:
                due_work.complete_due_task(task=task, user=request.user, reference=form.cleaned_data["reference"])
                messages.success(request, _("Đã ghi nhận hoàn thành."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("changerequest:inbox")
    employee = task.employee
    return render(
        request,
        "workflows/due_task.html",
        {"task": task, "employee": employee, "form": form if is_open else None},
    )


class DueTasksAboveMixin:
    """The inbox: the work due items give the user (pre-filled drafts, retirement deadlines), the
    nearest deadline first, above viewflow's task list, on its first page."""

    template_name = "workflows/changerequest/inbox.html"
    DUE_TASKS_SHOWN = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.GET.get("cursor"):
            context["due_tasks"] = list(due_work.list_due_tasks(user=self.request.user)[: self.DUE_TASKS_SHOWN])
        return context
