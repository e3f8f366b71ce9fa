"""The organisation app in the Material site: units, quotas, positions, role grants.

The pages that propose changes to a unit are workflows' change-set views; this app cannot
import workflows (which imports it), so it declares them as CHANGE_PAGES and config.urls joins
them."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import grant_views, views

# (route, editor key, "propose" for changes to a row or "new" for a row under a parent, name)
CHANGE_PAGES = (
    ("units/<int:pk>/propose/", "units.unit", "propose", "unit-propose"),
    ("units/<int:parent_pk>/new-unit/", "units.unit", "new", "unit-new"),
)


class UnitsApp(Application):
    app_name = "units"
    title = _("Tổ chức, biên chế")
    icon = "account_tree"
    menu_template_name = "units/menu.html"

    index_path = path("", views.unit_list, name="index")
    list_path = path("units/", views.unit_list, name="unit-list")
    detail_path = path("units/<int:pk>/", views.unit_detail, name="unit-detail")
    history_path = path("units/<int:pk>/history/", views.unit_history, name="unit-history")

    grants_path = path("grants/", grant_views.grant_list, name="grant-list")
    grant_new_path = path("grants/new/", grant_views.grant_new, name="grant-new")
    grant_revoke_path = path("grants/<int:pk>/revoke/", grant_views.grant_revoke, name="grant-revoke")
    grant_history_path = path("grants/history/", grant_views.grant_history, name="grant-history")

    def has_view_permission(self, user, obj=None):
        return True
