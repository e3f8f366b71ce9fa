"""Thin Celery tasks of the records app: background exports (records.export_jobs) and their sweeps."""

from celery import shared_task

from .export_jobs import running


@shared_task
def run_export(job_id):
    """Write the file of a queued export job; safe to run twice."""
    return running.run_export_job(job_id=job_id)


@shared_task
def fail_stale_export_jobs():
    """Give up jobs whose worker died (beat: every ten minutes)."""
    return running.fail_stale_export_jobs()


@shared_task
def purge_old_export_files():
    """Delete export files past their keeping time (beat: daily)."""
    return running.purge_old_export_files()
