"""Start-up checks of the anomaly settings (config/settings.py): each sensitive category must
be one of the approval policy's (workflows.policy.Category)."""

from django.conf import settings
from django.core import checks

from workflows.policy import Category


@checks.register()
def check_sensitive_categories(app_configs, **kwargs):
    """qlcb.E101 names each value of ANOMALY_SENSITIVE_CATEGORIES that is not a policy category."""
    errors = []
    for value in getattr(settings, "ANOMALY_SENSITIVE_CATEGORIES", []):
        if value not in Category.values:
            errors.append(
                checks.Error(
                    f"ANOMALY_SENSITIVE_CATEGORIES: {value!r} is not a category of the approval policy",
                    hint="Use some of: " + ", ".join(Category.values),
                    id="qlcb.E101",
                )
            )
    return errors
