"""Review campaigns as a section of the Material site (joined in config/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views
from .permissions import can_view_campaigns


class CampaignsApp(Application):
    app_name = "campaigns"
    title = _("Rà soát hồ sơ")
    icon = "fact_check"
    menu_template_name = "campaigns/menu.html"

    index_path = path("", views.campaign_list, name="index")
    start_path = path("start/", views.campaign_start, name="start")
    detail_path = path("<int:pk>/", views.campaign_detail, name="detail")
    xlsx_path = path("<int:pk>/progress.xlsx", views.campaign_xlsx, name="progress-xlsx")
    close_path = path("<int:pk>/close/", views.campaign_close, name="close")
    status_path = path("<int:pk>/status/", views.campaign_status, name="status")
    retry_path = path("<int:pk>/retry/", views.campaign_retry, name="retry")
    items_confirm_path = path("<int:pk>/confirm/", views.items_confirm, name="items-confirm")
    items_path = path("items/", views.item_list, name="items")
    confirm_path = path("items/<int:pk>/confirm/", views.item_confirm, name="item-confirm")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the app's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_campaigns(user)
