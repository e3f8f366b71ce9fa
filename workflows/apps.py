from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình phê duyệt")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .policy import renew_current_policy

        for signal in (post_save, post_delete):
            signal.connect(renew_current_policy, dispatch_uid="qlcb_current_policy")
