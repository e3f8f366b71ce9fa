"""The inspectors' section of the Material site (joined in config/urls.py, with the anomaly
pages of oversight.anomaly_urls): the timeline of every change and the signals. The section and
its menu entry are there exactly for those who may read the timeline
(workflows.permissions.can_view_timeline); the anomaly pages and their menu entry ask their own,
narrower decision (records.permissions.can_view_anomalies)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from workflows.permissions import can_view_timeline

from . import timeline_views


class OversightApp(Application):
    app_name = "oversight"
    title = _("Thanh tra, giám sát")
    icon = "policy"
    menu_template_name = "oversight/menu.html"

    index_path = path("", timeline_views.timeline, name="index")
    timeline_path = path("timeline/", timeline_views.timeline, name="timeline")
    timeline_export_path = path("timeline/export/", timeline_views.timeline_export, name="timeline-export")
    timeline_pdf_path = path("timeline/report.pdf", timeline_views.timeline_pdf, name="timeline-pdf")

    def has_view_permission(self, user, obj=None):
        # viewflow's middleware guards the section's URLs with this and its menu shows the entry
        # by it: one rule. Anonymous users pass, so the views send them to the login page.
        return not user.is_authenticated or can_view_timeline(user)
