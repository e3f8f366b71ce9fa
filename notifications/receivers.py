"""What notifications does when the apps below it send their signals (connected in
NotificationsConfig.ready)."""

from .tasks import send_read_alert


def queue_read_alert(sender, alert, **kwargs):
    """Queue the email of a read alert once the transaction that recorded it commits."""
    send_read_alert.delay_on_commit(alert.pk)
