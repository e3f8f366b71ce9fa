"""Thin Celery tasks of the workflows app: validating and applying xlsx imports (workflows.imports),
and deleting the files of imports that will never be applied."""

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


@shared_task
def purge_refused_import_files():
    """Delete the stored files of refused imports (a daily sweep; most go when they are refused)."""
    return imports.purge_refused_import_files()


@shared_task
def recover_interrupted_imports():
    """Close the imports left in progress by a worker that died (beat: every ten minutes)."""
    return imports.recover_interrupted_imports()


@shared_task
def escalate_overdue_approvals():
    """Remind and escalate approvals waiting longer than their level's ladder (idempotent)."""
    from .escalation import escalate_overdue_approvals as escalate

    return len(escalate())
