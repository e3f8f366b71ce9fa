"""URL map: the Material site (records, units + approval workflow), auth, admin, language switch."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from config import security
from records.viewsets import RecordsApp
from units.viewsets import UnitsApp
from workflows.viewsets import DelegationApp, PolicyApp, change_request_app

site = Site(
    title=_("Quản lý cán bộ"),
    viewsets=[RecordsApp(), UnitsApp(), change_request_app(), PolicyApp(), DelegationApp()],
)

urlpatterns = [
    path("accounts/otp/", security.otp_verify, name="otp-verify"),
    path("accounts/otp/enrol/", security.otp_enrol, name="otp-enrol"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", site.urls),
]
