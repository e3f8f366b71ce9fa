from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Hồ sơ cán bộ")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .tracking import stamp_history_row

        pre_create_historical_record.connect(stamp_history_row, dispatch_uid="records.stamp_history_row")
