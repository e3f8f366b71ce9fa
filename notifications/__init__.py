"""Reminders, escalation and digests by email; the Celery tasks live here."""
