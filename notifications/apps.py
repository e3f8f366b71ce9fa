from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from records.signals import read_alert_raised


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from .receivers import queue_read_alert  # imports models: only once the registry is ready

        read_alert_raised.connect(queue_read_alert, dispatch_uid="notifications.queue_read_alert")
