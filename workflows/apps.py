from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình phê duyệt")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .models import ApprovalPolicy, PolicyRule
        from .policy import renew_policy

        # The policy kept in the cache (workflows.policy) is renewed by any write to a policy or
        # a rule, the admin's included; a migration may write them without a model: after it too.
        for sender in (ApprovalPolicy, PolicyRule):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(renew_policy, sender=sender, dispatch_uid=f"qlcb_policy_{sender.__name__}_{name}")
        post_migrate.connect(renew_policy, dispatch_uid="qlcb_policy_migrate")
