"""Exports of any size, written by a Celery task while the user waits on a progress page, then
offered for download to the one who asked (issue #9).

kinds       what an export is (rows and a header, who may take it, its filters) and the
            registry of them; other apps register theirs in their AppConfig.ready()
employees   the employee list, as the list page shows it (scope, filters, masking)
running     the task's work: stream the rows into an xlsx file, progress, failure; the sweeps
services    start an export, the jobs a user may open, the logged download

Nothing is imported here, so records.tasks can import `running` without a cycle (services
queues the task)."""
