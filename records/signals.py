"""Signals records sends for the apps above it (records may not import them): a read alert was
raised, so whoever tells people about it (notifications) can do so."""

from django.dispatch import Signal

# Sent inside the transaction that recorded the alert, with `alert` (a records.ReadAlert).
read_alert_raised = Signal()
