"""The inspection app in the Material site: the plans, a plan with its inspections, its history.

The pages that propose inspection work are workflows' change-set views; this app cannot import
workflows (which imports it), so it declares them as CHANGE_PAGES and config.urls joins them."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views

# (route, editor key, "propose" for changes to a row or "new" for a row under a parent, name)
CHANGE_PAGES = (
    ("units/<int:parent_pk>/new-plan/", "inspections.inspectionplan", "new", "plan-new"),
    ("plans/<int:pk>/propose/", "inspections.inspectionplan", "propose", "plan-propose"),
    ("plans/<int:parent_pk>/new-inspection/", "inspections.inspection", "new", "inspection-new"),
    ("inspections/<int:pk>/propose/", "inspections.inspection", "propose", "inspection-propose"),
)


class InspectionsApp(Application):
    app_name = "inspections"
    title = _("Công tác kiểm tra")
    icon = "fact_check"
    menu_template_name = "inspections/menu.html"

    index_path = path("", views.plan_list, name="index")
    plan_list_path = path("plans/", views.plan_list, name="plan-list")
    plan_path = path("plans/<int:pk>/", views.plan_detail, name="plan-detail")
    plan_history_path = path("plans/<int:pk>/history/", views.plan_history, name="plan-history")

    def has_view_permission(self, user, obj=None):
        # Anonymous users reach the views, which send them to the login page; a signed-in
        # user sees the plans of the units they may see (inspections.selectors).
        return True
