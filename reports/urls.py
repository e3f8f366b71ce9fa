"""The report pages. They are shown in the organisation section of the site (URL names
units:quota-report…), so config.urls joins UNIT_PAGES to the units app: units cannot import
this app, which reads it."""

from django.urls import path

from . import views

UNIT_PAGES = [
    path("quota-report/", views.quota_report_page, name="quota-report"),
    path("quota-report/export.xlsx", views.quota_report_xlsx, name="quota-report-xlsx"),
]
