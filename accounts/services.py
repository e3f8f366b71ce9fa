"""Writes about accounts: marking an account as a demo account."""

from .models import DemoAccount


def mark_demo_account(*, user) -> bool:
    """Marks user as a demo account; True if the mark is new."""
    _account, created = DemoAccount.objects.get_or_create(user=user)
    return created
