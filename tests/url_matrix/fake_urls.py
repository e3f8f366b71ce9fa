"""The project's URLconf plus views nobody declared: what the test of the test runs against."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def always_200(request, pk):
    """A write page that forgot to check anything."""
    return HttpResponse("ok")


urlpatterns = [
    *project_urlpatterns,
    path("matrix-probe/undeclared/", lambda request: HttpResponse("new"), name="matrix-undeclared"),
    path("matrix-probe/employees/<int:pk>/propose/", always_200, name="matrix-unchecked-write"),
]
