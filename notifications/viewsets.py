"""The notification centre as a section of the Material site (joined in config/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views


class NotificationsApp(Application):
    app_name = "notifications"
    title = _("Thông báo")
    icon = "notifications"
    menu_template_name = "notifications/menu.html"

    index_path = path("", views.notification_list, name="index")
    read_path = path("read/", views.mark_read, name="read")
    settings_path = path("settings/", views.notification_settings, name="settings")
