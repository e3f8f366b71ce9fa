from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Hồ sơ cán bộ")

    def ready(self):
        # The export kinds of this app join the registry (records.export_jobs.kinds) in the
        # web process and in the worker alike.
        from django.db.models.signals import post_delete, post_save

        from .export_jobs import employees  # noqa: F401
        from .models.salary import renew_salary_index

        for signal in (post_save, post_delete):
            signal.connect(renew_salary_index, dispatch_uid="qlcb_salary_index")
