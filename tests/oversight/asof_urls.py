"""Test only: the site (config.urls) with the as-of pages under the "oversight" namespace, until
config.urls joins oversight.asof_urls.ASOF_PAGES to the oversight section itself."""

from django.urls import include, path

from config.urls import urlpatterns as site_patterns
from oversight.asof_urls import ASOF_PAGES

urlpatterns = [path("oversight/", include((ASOF_PAGES, "oversight"))), *site_patterns]
