from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Giám sát lịch sử")

    def ready(self):
        from . import checks  # noqa: F401  (registers the start-up checks of the anomaly settings)
