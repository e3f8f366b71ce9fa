from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Theo dõi thay đổi")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from simple_history.signals import pre_create_historical_record

        from .ledger import install_after_migrate, register_sqlite_functions
        from .models import stamp_history_row

        pre_create_historical_record.connect(stamp_history_row, dispatch_uid="tracking.stamp_history_row")
        # The hash chain (tracking.ledger): SQLite's triggers call Python functions registered on
        # each connection; the triggers of every covered table are (re)made after each migrate.
        connection_created.connect(register_sqlite_functions, dispatch_uid="tracking.ledger_functions")
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="tracking.ledger_install")
