"""Thin Celery tasks of the records app: validating and applying xlsx imports (records.imports)."""

from celery import shared_task

from . import imports


@shared_task
def validate_import(batch_id):
    """Check a whole uploaded file, then submit it for approval when it is clean."""
    return imports.validate_import_batch(batch_id=batch_id)


@shared_task
def apply_import(batch_id):
    """Write an approved import in one transaction and resume the waiting flow."""
    return imports.apply_import_batch(batch_id=batch_id)
