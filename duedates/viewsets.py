"""The due lists as a section of the Material site (joined in config/urls.py); the section and
its menu entry are there exactly for those who may see due items (duedates.permissions)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views
from .permissions import can_view_due_items


class DueDatesApp(Application):
    app_name = "duedates"
    title = _("Việc đến hạn")
    icon = "event_upcoming"
    menu_template_name = "duedates/menu.html"

    index_path = path("", views.due_list, name="index")
    list_path = path("items/", views.due_list, name="due-list")
    person_path = path("people/<int:pk>/", views.due_person, name="due-person")
    export_path = path("export/", views.due_export, name="due-export")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the app's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_due_items(user)
