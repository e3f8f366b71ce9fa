"""Reads about accounts."""

from .models import DemoAccount


def is_demo_account(user) -> bool:
    """One of the demo loader's accounts (marked by the loader or an administrator)."""
    return bool(user.is_authenticated) and DemoAccount.objects.filter(user_id=user.pk).exists()
