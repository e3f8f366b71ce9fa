"""Pages of background exports: start one from a list (POST), the job page with its progress
and the download link, the JSON it polls, the list of the user's files, and the download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tracking.progress import progress_response

from .export_jobs import services
from .export_jobs.employees import EMPLOYEE_LIST


@login_required
@require_POST
def employee_list_export(request):
    """ "Xuất Excel" on the employee list: the list's filters become a job; the user waits on
    the job page while a worker writes the file."""
    job = services.start_export(user=request.user, kind=EMPLOYEE_LIST.key, data=request.POST)
    return redirect("records:export-detail", pk=job.pk)


@login_required
def export_list(request):
    """ "Tệp xuất của tôi": the user's own exports, newest first."""
    if not services.may_use_exports(request.user):
        raise PermissionDenied
    page = Paginator(services.list_export_jobs(user=request.user), 30).get_page(request.GET.get("page"))
    for job in page:
        job.title = services.kind_title(job)
    return render(request, "records/export_list.html", {"page": page, "keep_days": settings.EXPORT_KEEP_DAYS})


@login_required
def export_detail(request, pk):
    """One job: progress while it runs (static/qlcb/qlcb.js polls export_status; a reload shows
    the same), then the download link or what went wrong."""
    job = services.get_export_job(user=request.user, pk=pk)
    job.title = services.kind_title(job)
    return render(request, "records/export_detail.html", {"job": job})


@login_required
def export_status(request, pk):
    """What the job page polls every two seconds."""
    job = services.get_export_job(user=request.user, pk=pk)
    return progress_response(job, running=job.running)


@login_required
def export_download(request, pk):
    """The finished file, to its owner while they still may export; logged."""
    job = services.get_export_job(user=request.user, pk=pk)
    return services.download_export(request=request, job=job)
