"""The home page as the Material site's first section (config/urls.py registers it first), so
the site's "/" and the login land on it."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views


class HomeApp(Application):
    app_name = "home"
    title = _("Trang chủ")
    icon = "home"
    menu_template_name = "home/menu.html"

    index_path = path("", views.home, name="index")
