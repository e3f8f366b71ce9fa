from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from workflows.signals import change_request_event


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Rà soát hồ sơ định kỳ")

    def ready(self):
        from .receivers import link_change_request  # models: once the registry is ready

        change_request_event.connect(link_change_request, dispatch_uid="campaigns.link_change_request")

        # Whether a campaign is running, kept in the cache (services.any_campaign_running).
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .models import Campaign
        from .services import renew_running

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(renew_running, sender=Campaign, dispatch_uid=f"campaigns.running_{name}")
        post_migrate.connect(renew_running, dispatch_uid="campaigns.running_migrate")
