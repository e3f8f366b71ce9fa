from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from workflows.signals import change_request_event


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Rà soát hồ sơ định kỳ")

    def ready(self):
        from .receivers import link_change_request  # models: once the registry is ready

        change_request_event.connect(link_change_request, dispatch_uid="campaigns.link_change_request")
