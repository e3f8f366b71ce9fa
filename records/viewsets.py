"""The records app in the Material site: employee list, detail, history, propose."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from workflows.views import propose_change

from . import views


class RecordsApp(Application):
    app_name = "records"
    title = _("Hồ sơ cán bộ")
    icon = "badge"
    menu_template_name = "records/menu.html"

    index_path = path("", views.employee_list, name="index")
    list_path = path("employees/", views.employee_list, name="employee-list")
    detail_path = path("employees/<int:pk>/", views.employee_detail, name="employee-detail")
    history_path = path("employees/<int:pk>/history/", views.employee_history, name="employee-history")
    propose_path = path("employees/<int:pk>/propose/", propose_change, name="employee-propose")

    def has_view_permission(self, user, obj=None):
        # Anonymous users reach the views, which send them to the login page; what a
        # signed-in user sees is scoped by records.selectors.
        return True
