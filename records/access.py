"""Fetch and authorise in one step (as Zulip's access_stream_by_id): every page about a person
gets them through access_employee, which answers 404 out of scope (existence is not
disclosed), 403 to a reader asking to write, and writes the read log, so no page can show a
person without the read being logged. Pages that may answer with a redirect instead (a form
posted, a task taken) log the reads only when the page is shown: see log_reads_if_shown."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .audit import log_read
from .models import AccessLog, Employee
from .permissions import can_propose_change
from .selectors import get_employee, get_employee_file

_PENDING = "_qlcb_pending_reads"


def access_employee(
    request,
    pk,
    *,
    for_write: bool = False,
    kind: str = AccessLog.Kind.VIEW,
    file: bool = False,
    with_kinds: bool = False,
) -> Employee:
    """The employee `pk` if `request.user` may see them (and, `for_write`, propose changes),
    with every sub-record prefetched when `file`, with which kinds of sub-record they have when
    `with_kinds` and the page is shown (not posted); the read is logged as `kind`."""
    if file:
        employee = get_employee_file(user=request.user, pk=pk)
    else:
        posted = request.method == "POST"
        # a change posted is proposed against the row as read: its version read with it
        employee = get_employee(
            user=request.user, pk=pk, with_version=for_write and posted, with_kinds=with_kinds and not posted
        )
    if for_write and not can_propose_change(request.user, employee):
        raise PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được đề xuất thay đổi."))
    note_read(request, kind=kind, employee=employee)
    request.accessed_employee = employee  # the page being served need not read them again
    return employee


def note_read(request, *, kind: str, employee: Employee | None = None, name: str = "") -> None:
    """Log that this request shows a person (a file, or `name` of someone not yet on file):
    now, or when the page is shown inside log_reads_if_shown."""
    pending = getattr(request, _PENDING, None)
    if pending is None:
        log_read(user=request.user, kind=kind, request=request, employee=employee, name=name)
    elif (kind, employee, name) not in pending:
        pending.append((kind, employee, name))


def log_reads_if_shown(view):
    """Wrap a view whose answer may be a page or a redirect: the reads noted while it runs are
    logged if it answers with the page (200), so a form posted and accepted, or a task taken,
    is not a second read, while a form shown again with its errors is one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        setattr(request, _PENDING, [])
        try:
            response = view(request, *args, **kwargs)
        finally:
            pending = request.__dict__.pop(_PENDING)
        if response.status_code == 200:
            for kind, employee, name in pending:
                log_read(user=request.user, kind=kind, request=request, employee=employee, name=name)
        return response

    return wrapper


def employee_page(view, *, kind: str, for_write: bool = False, with_kinds: bool = False):
    """A page about employee `pk` served by `view` (a change page of the workflows app): the
    employee is accessed first, so scope, the right to write and the read log come from here
    (`with_kinds`: see access_employee)."""

    @login_required
    @log_reads_if_shown
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        access_employee(request, pk, for_write=for_write, kind=kind, with_kinds=with_kinds)
        return view(request, *args, pk=pk, **kwargs)

    return wrapper
