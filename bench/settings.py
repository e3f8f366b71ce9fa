"""Settings of the approval-cycle benchmark: the project's, plus the bare viewflow flow
(bench.bareflow, served under /bare/) and a header with each response's SQL count."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.bareflow"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.query_count", *MIDDLEWARE]
