from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Giám sát lịch sử")

    def ready(self):
        # The timeline's export kind joins the registry (records.export_jobs.kinds) in the web
        # process and in the worker alike.
        from . import exports  # noqa: F401
