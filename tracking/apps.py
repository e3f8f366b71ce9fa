from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Theo dõi thay đổi")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .models import stamp_history_row

        pre_create_historical_record.connect(stamp_history_row, dispatch_uid="tracking.stamp_history_row")
