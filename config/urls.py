"""URL map: the Material site (records, units, inspection work, approval workflow), auth, admin,
language switch. The site is assembled here, above every app, so no app imports one above it:
inspections declares the change-set pages it needs and they are joined to workflows' views
here; the quota report (reports, above units) is joined to the units section here."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from config import security
from inspections.viewsets import CHANGE_PAGES as INSPECTION_CHANGE_PAGES
from inspections.viewsets import InspectionsApp
from records.viewsets import RecordsApp
from reports.urls import UNIT_PAGES as REPORT_PAGES
from units.viewsets import UnitsApp
from workflows.views import propose_changes, propose_new
from workflows.viewsets import DelegationApp, PolicyApp, change_request_app

CHANGE_VIEWS = {"propose": propose_changes, "new": propose_new}


def change_pages(pages) -> list:
    """The change-set pages an app declares as (route, editor key, kind, name), served by
    workflows' propose views."""
    return [path(route, CHANGE_VIEWS[kind], {"key": key}, name=name) for route, key, kind, name in pages]


site = Site(
    title=_("Quản lý cán bộ"),
    viewsets=[
        RecordsApp(),
        UnitsApp(urlpatterns=REPORT_PAGES),
        InspectionsApp(urlpatterns=change_pages(INSPECTION_CHANGE_PAGES)),
        change_request_app(),
        PolicyApp(),
        DelegationApp(),
    ],
)

urlpatterns = [
    path("accounts/otp/", security.otp_verify, name="otp-verify"),
    path("accounts/otp/enrol/", security.otp_enrol, name="otp-enrol"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", site.urls),
]
