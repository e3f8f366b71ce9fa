from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuedatesConfig(AppConfig):
    name = "duedates"
    verbose_name = _("Việc đến hạn")

    def ready(self):
        # The due lists' export kind joins the registry (records.export_jobs.kinds) in the web
        # process and in the worker alike.
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import exports  # noqa: F401
        from .services import renew_rule_rows, renew_rule_rows_after_migrate

        # The rule rows kept in the cache are renewed by any write to them (duedates.services).
        for signal in (post_save, post_delete):
            signal.connect(renew_rule_rows, dispatch_uid="qlcb_duedates_rule_rows")
        # A migration may write them without saving a model (update, SQL): renewed after it.
        post_migrate.connect(renew_rule_rows_after_migrate, dispatch_uid="qlcb_duedates_rule_rows_migrate")
