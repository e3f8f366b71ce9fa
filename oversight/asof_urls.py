"""The as-of pages (oversight.asof_views), joined by config.urls to the sections of what they
show: a person's to records ("records:employee-asof", "records:employee-compare"), a unit's to
units ("units:unit-asof", "units:unit-compare"). They are for whoever may see the person or the
unit now (records.access / units.access), not only for the inspectors' section."""

from django.urls import path

from . import asof_views

EMPLOYEE_ASOF_PAGES = [
    path("employees/<int:pk>/as-of/", asof_views.employee_asof, name="employee-asof"),
    path("employees/<int:pk>/compare/", asof_views.employee_compare, name="employee-compare"),
]
UNIT_ASOF_PAGES = [
    path("units/<int:pk>/as-of/", asof_views.unit_asof, name="unit-asof"),
    path("units/<int:pk>/compare/", asof_views.unit_compare, name="unit-compare"),
]
