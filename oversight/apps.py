from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Giám sát lịch sử")

    def ready(self):
        # The start-up checks of the anomaly settings, and the timeline's export kind joining the
        # registry (records.export_jobs.kinds) in the web process and in the worker alike.
        from . import checks, exports  # noqa: F401
