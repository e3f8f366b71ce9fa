"""The records app in the Material site: employees (list, detail, history, propose, new hire,
transfer)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from workflows.views import propose_changes, propose_new, transfer_employee

from . import audit_views, exports, import_views, views
from .access import employee_page
from .models import AccessLog

# The change pages of one person live in the workflows app; reached from here, the person is
# accessed first (records.access): scope, the right to write, and the read log.
employee_propose = employee_page(propose_changes, kind=AccessLog.Kind.PROPOSE, for_write=True)
employee_transfer = employee_page(transfer_employee, kind=AccessLog.Kind.PROPOSE, for_write=True)


class RecordsApp(Application):
    app_name = "records"
    title = _("Hồ sơ cán bộ")
    icon = "badge"
    menu_template_name = "records/menu.html"

    index_path = path("", views.employee_list, name="index")
    list_path = path("employees/", views.employee_list, name="employee-list")
    detail_path = path("employees/<int:pk>/", views.employee_detail, name="employee-detail")
    history_path = path("employees/<int:pk>/history/", views.employee_history, name="employee-history")
    export_path = path("employees/export.xlsx", exports.employee_list_xlsx, name="employee-export")
    form_2c_path = path("employees/<int:pk>/form-2c.pdf", exports.employee_form_2c, name="employee-form-2c")
    propose_path = path(
        "employees/<int:pk>/propose/", employee_propose, {"key": "records.employee"}, name="employee-propose"
    )
    transfer_path = path("employees/<int:pk>/transfer/", employee_transfer, name="employee-transfer")
    imports_path = path("imports/", import_views.import_list, name="import-list")
    import_new_path = path("imports/new/", import_views.import_new, name="import-new")
    import_template_path = path("imports/template.xlsx", import_views.import_template, name="import-template")
    import_detail_path = path("imports/<int:pk>/", import_views.import_detail, name="import-detail")
    import_status_path = path("imports/<int:pk>/status/", import_views.import_status, name="import-status")
    import_errors_path = path("imports/<int:pk>/errors.xlsx", import_views.import_errors, name="import-errors")
    access_log_path = path("access-log/", audit_views.access_log, name="access-log")
    new_path = path(
        "units/<int:parent_pk>/new-employee/", propose_new, {"key": "records.employee"}, name="employee-new"
    )

    def has_view_permission(self, user, obj=None):
        # Every signed-in user has the list (scoped by records.selectors, maybe empty);
        # anonymous users reach the views, which send them to the login page.
        return True
