from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuedatesConfig(AppConfig):
    name = "duedates"
    verbose_name = _("Việc đến hạn")
