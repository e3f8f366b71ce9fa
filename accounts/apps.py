from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth import get_user_model

        from .names import use_vietnamese_order

        use_vietnamese_order(get_user_model())
