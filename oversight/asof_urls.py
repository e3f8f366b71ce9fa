"""The as-of pages (oversight.asof_views), joined to the site by config.urls under the
"oversight" namespace."""

from django.urls import path

from . import asof_views

ASOF_PAGES = [
    path("employees/<int:pk>/as-of/", asof_views.employee_asof, name="employee-asof"),
    path("employees/<int:pk>/compare/", asof_views.employee_compare, name="employee-compare"),
    path("units/<int:pk>/as-of/", asof_views.unit_asof, name="unit-asof"),
    path("units/<int:pk>/compare/", asof_views.unit_compare, name="unit-compare"),
]
