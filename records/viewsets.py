"""The records app in the Material site: employees (list, detail, history, propose, new hire,
transfer). The import pages (workflows.import_views) are joined to it in config.urls too.

The pages that propose changes to a person are workflows' change-set views; this app cannot
import workflows (which imports it), so it declares them as CHANGE_PAGES and config.urls joins
them."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import audit_views, export_views, exports, views
from .access import employee_page
from .models import AccessLog


def employee_change_page(view):
    """A change page of one person (a workflows view), reached from here: the person is accessed
    first (records.access): scope, the right to write, and the read log."""
    return employee_page(view, kind=AccessLog.Kind.PROPOSE, for_write=True)


def employee_propose_page(view):
    """The page proposing changes to a person and their sub-records: as employee_change_page,
    the person read with which kinds of sub-record they have (the page reads only those)."""
    return employee_page(view, kind=AccessLog.Kind.PROPOSE, for_write=True, with_kinds=True)


# (route, editor key or None, "propose" / "new" / "transfer", name, wrapper of the view or None)
CHANGE_PAGES = (
    ("employees/<int:pk>/propose/", "records.employee", "propose", "employee-propose", employee_propose_page),
    ("employees/<int:pk>/transfer/", None, "transfer", "employee-transfer", employee_change_page),
    ("units/<int:parent_pk>/new-employee/", "records.employee", "new", "employee-new", None),
)


class RecordsApp(Application):
    app_name = "records"
    title = _("Hồ sơ cán bộ")
    icon = "badge"
    menu_template_name = "records/menu.html"

    index_path = path("", views.employee_list, name="index")
    list_path = path("employees/", views.employee_list, name="employee-list")
    detail_path = path("employees/<int:pk>/", views.employee_detail, name="employee-detail")
    history_path = path("employees/<int:pk>/history/", views.employee_history, name="employee-history")
    export_path = path("employees/export/", export_views.employee_list_export, name="employee-export")
    export_list_path = path("exports/", export_views.export_list, name="export-list")
    export_detail_path = path("exports/<int:pk>/", export_views.export_detail, name="export-detail")
    export_status_path = path("exports/<int:pk>/status/", export_views.export_status, name="export-status")
    export_download_path = path("exports/<int:pk>/download/", export_views.export_download, name="export-download")
    form_2c_path = path("employees/<int:pk>/form-2c.pdf", exports.employee_form_2c, name="employee-form-2c")
    access_log_path = path("access-log/", audit_views.access_log, name="access-log")

    def has_view_permission(self, user, obj=None):
        # Every signed-in user has the list (scoped by records.selectors, maybe empty);
        # anonymous users reach the views, which send them to the login page.
        return True
