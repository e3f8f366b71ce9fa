"""URL map: the Material site (records, units, inspection work, approval workflow), auth, admin,
language switch. The site is assembled here, above every app, so no app imports one above it:
records, units and inspections declare the change-set pages they need and they are joined to
workflows' views here; the import pages (workflows) are joined to the records section and the quota report (reports,
above units) to the units section here."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from campaigns.viewsets import CampaignsApp
from config import security
from duedates.viewsets import DueDatesApp
from home.search_views import search_page
from home.viewsets import HomeApp
from inspections.viewsets import CHANGE_PAGES as INSPECTION_CHANGE_PAGES
from inspections.viewsets import InspectionsApp
from notifications import language
from notifications.viewsets import NotificationsApp
from oversight.anomaly_urls import ANOMALY_PAGES
from oversight.asof_urls import EMPLOYEE_ASOF_PAGES, UNIT_ASOF_PAGES
from oversight.viewsets import OversightApp
from records.viewsets import CHANGE_PAGES as RECORD_CHANGE_PAGES
from records.viewsets import RecordsApp
from reports.urls import UNIT_PAGES as REPORT_PAGES
from units.viewsets import CHANGE_PAGES as UNIT_CHANGE_PAGES
from units.viewsets import UnitsApp
from workflows.import_views import IMPORT_PAGES
from workflows.views import propose_changes, propose_new, transfer_employee
from workflows.viewsets import DelegationApp, PolicyApp, change_request_app

CHANGE_VIEWS = {"propose": propose_changes, "new": propose_new, "transfer": transfer_employee}


def change_pages(pages) -> list:
    """The change-set pages an app declares as (route, editor key, kind, name[, wrapper]), served
    by workflows' views; the app's wrapper, if any, runs first (records accesses the person)."""
    urls = []
    for route, key, kind, name, *wrapper in pages:
        view = CHANGE_VIEWS[kind]
        if wrapper and wrapper[0] is not None:
            view = wrapper[0](view)
        urls.append(path(route, view, {"key": key} if key else {}, name=name))
    return urls


site = Site(
    title=_("Quản lý cán bộ"),
    viewsets=[
        HomeApp(),  # first: the site's "/" (and so the login) lands on each user's home page
        RecordsApp(urlpatterns=change_pages(RECORD_CHANGE_PAGES) + IMPORT_PAGES + EMPLOYEE_ASOF_PAGES),
        UnitsApp(urlpatterns=change_pages(UNIT_CHANGE_PAGES) + REPORT_PAGES + UNIT_ASOF_PAGES),
        InspectionsApp(urlpatterns=change_pages(INSPECTION_CHANGE_PAGES)),
        change_request_app(),
        DueDatesApp(),
        PolicyApp(),
        DelegationApp(),
        CampaignsApp(),
        NotificationsApp(),
        OversightApp(urlpatterns=ANOMALY_PAGES),
    ],
)

# The admin's own titles ("Django site admin"), in the site's words.
admin.site.site_header = _("Quản trị hệ thống quản lý cán bộ")
admin.site.site_title = _("Quản trị hệ thống")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("accounts/otp/", security.otp_verify, name="otp-verify"),
    path("accounts/otp/enrol/", security.otp_enrol, name="otp-enrol"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("search/", search_page, name="search"),  # the search box of the top bar (home.search)
    path("", site.urls),
]
