from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AccountsConfig(AppConfig):
    default = True  # the module holds other configs (below): this one is the app's
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth import get_user_model

        from .names import use_vietnamese_order

        use_vietnamese_order(get_user_model())


# Third-party apps under Vietnamese names in the admin (their own configs have none: the admin's
# index showed "AXES" and "OTP_TOTP"); settings.INSTALLED_APPS names these instead of theirs.
class AxesConfig(AxesAppConfig):
    default = False
    verbose_name = _("Chống dò mật khẩu")


class TOTPConfig(TOTPAppConfig):
    default = False
    verbose_name = _("Xác thực hai lớp")
