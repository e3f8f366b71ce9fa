"""What a notification says, in the language active when it is shown or mailed: the row keeps
only its kind and parameters."""

from django.utils.translation import gettext as _

from .models import Kind

_TEXTS = {
    Kind.SUBMITTED: lambda: _("Yêu cầu #%(id)s “%(title)s” (%(unit)s) của %(who)s đang chờ bạn phê duyệt."),
    Kind.RETURNED: lambda: _("Yêu cầu #%(id)s “%(title)s” đã bị trả lại để chỉnh sửa: %(comment)s"),
    Kind.REJECTED: lambda: _("Yêu cầu #%(id)s “%(title)s” đã bị từ chối: %(comment)s"),
    Kind.APPROVED: lambda: _("Yêu cầu #%(id)s “%(title)s” đã được phê duyệt."),
    Kind.APPLIED: lambda: _("Yêu cầu #%(id)s “%(title)s” đã được ghi vào hồ sơ."),
    Kind.CANCELLED: lambda: _("Yêu cầu #%(id)s “%(title)s” đã bị quản trị hệ thống huỷ: %(comment)s"),
    Kind.OVERDUE_APPROVALS: lambda: _("%(count)s yêu cầu đang chờ bạn phê duyệt quá hạn."),
    Kind.CAMPAIGN_STARTED: lambda: _(
        "Đợt rà soát “%(title)s” (%(unit)s) đã bắt đầu: hãy xác nhận hoặc cập nhật hồ sơ cán bộ đơn vị bạn "
        "quản lý trước ngày %(deadline)s."
    ),
    Kind.CAMPAIGN_LATE: lambda: _(
        "Đợt rà soát “%(title)s” đã quá hạn %(deadline)s: %(unit_name)s còn %(count)s hồ sơ chưa xác nhận "
        "hoặc cập nhật."
    ),
}

# Due work (notifications.due_work), by milestone: the task has appeared, or its deadline nears.
_DUE_TEXTS = {
    "new": lambda: _("Việc đến hạn: %(task)s — %(name)s (%(unit)s), đến hạn %(due)s, hạn xử lý %(deadline)s."),
    "soon": lambda: _("Sắp hết hạn: %(task)s — %(name)s (%(unit)s), hạn xử lý %(deadline)s."),
}

# Inspection follow-ups (notifications.follow_ups), by milestone.
_FOLLOW_UP_TEXTS = {
    "soon": lambda: _(
        "Kiến nghị sau kiểm tra sắp đến hạn %(deadline)s (%(inspected)s; đơn vị theo dõi %(unit)s): %(text)s"
    ),
    "late": lambda: _(
        "Kiến nghị sau kiểm tra đã quá hạn %(deadline)s (%(inspected)s; đơn vị theo dõi %(unit)s): %(text)s"
    ),
    "escalated": lambda: _(
        "Báo cáo lãnh đạo: kiến nghị sau kiểm tra quá hạn %(days_late)s ngày (hạn %(deadline)s; %(inspected)s; "
        "đơn vị theo dõi %(unit)s) chưa hoàn thành: %(text)s"
    ),
}


class _Params(dict):
    def __missing__(self, key):
        return "—"


def describe(notification) -> str:
    if notification.kind == Kind.DUE_WORK:
        return _describe_due_work(notification.params or {})
    if notification.kind == Kind.FOLLOW_UP:
        params = notification.params or {}
        text = _FOLLOW_UP_TEXTS.get(params.get("milestone"), _FOLLOW_UP_TEXTS["soon"])
        return text() % _Params(params)
    text = _TEXTS.get(notification.kind)
    if text is None:
        return notification.get_kind_display()
    return text() % _Params(notification.params or {})


def _describe_due_work(params: dict) -> str:
    from workflows.models import DueTask

    text = _DUE_TEXTS.get(params.get("milestone"), _DUE_TEXTS["new"])
    kind = params.get("task_kind")
    task = DueTask.Kind(kind).label if kind in DueTask.Kind.values else "—"
    return text() % _Params({**params, "task": task})
