from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuedatesConfig(AppConfig):
    name = "duedates"
    verbose_name = _("Việc đến hạn")

    def ready(self):
        # The due lists' export kind joins the registry (records.export_jobs.kinds) in the web
        # process and in the worker alike.
        from . import exports  # noqa: F401
