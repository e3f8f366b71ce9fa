"""Test URLconf: the site's URLs plus the anomaly pages under the namespace "oversight", as
config.urls will join them (the oversight section is assembled there by another change)."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from oversight.anomaly_urls import ANOMALY_PAGES

urlpatterns = [path("oversight/", include((ANOMALY_PAGES, "oversight"), namespace="oversight")), *site_urlpatterns]
