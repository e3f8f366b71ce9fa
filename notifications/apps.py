from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from campaigns.signals import campaign_late, campaign_started
from duedates.signals import due_items_refreshed
from records.signals import read_alert_raised
from workflows.signals import change_request_events


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from . import language
        from .receivers import (  # models: once the registry is ready
            notify_campaign_late,
            notify_campaign_started,
            notify_change_request_events,
            queue_due_work_sweep,
            queue_read_alert,
        )

        read_alert_raised.connect(queue_read_alert, dispatch_uid="notifications.queue_read_alert")
        change_request_events.connect(notify_change_request_events, dispatch_uid="notifications.change_request_events")
        campaign_started.connect(notify_campaign_started, dispatch_uid="notifications.campaign_started")
        campaign_late.connect(notify_campaign_late, dispatch_uid="notifications.campaign_late")
        due_items_refreshed.connect(queue_due_work_sweep, dispatch_uid="notifications.queue_due_work_sweep")
        user_logged_in.connect(language.on_login, dispatch_uid="notifications.language_on_login")

        # Each user's settings kept in the cache (services.kept_settings): renewed by any write.
        from django.db.models.signals import post_delete, post_save

        from .models import NotificationSettings
        from .services import renew_settings

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(renew_settings, sender=NotificationSettings, dispatch_uid=f"notifications.settings_{name}")

        # The approvers of each unit kept in the cache (recipients.kept_candidates): renewed by
        # any write to a grant, a delegation, an account or a unit, the admin's included.
        from django.contrib.auth import get_user_model

        from units.models import RoleGrant, Unit
        from workflows.models import Delegation

        from .recipients import renew_candidates

        for sender in (get_user_model(), RoleGrant, Delegation, Unit):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    renew_candidates, sender=sender, dispatch_uid=f"notifications.candidates_{sender.__name__}_{name}"
                )
