"""Indexes for the flow's list pages (workflows.list_pages): each page walks its rows in the order
(-created, -pk) from the cursor and stops after one page, whatever the number of tasks.

viewflow's task and process tables are viewflow's: the indexes are added here, by name, with
IF NOT EXISTS (PostgreSQL and SQLite both take partial indexes)."""

from django.db import migrations

INDEXES = {
    # The queue: open tasks, newest first.
    "qlcb_task_open_created": "viewflow_task (created DESC, id DESC) WHERE status = 'NEW'",
    # The inbox (owner, ASSIGNED) and the archive (owner, finished).
    "qlcb_task_owner_status_created": "viewflow_task (owner_id, status, created DESC, id DESC)",
    "qlcb_task_owner_finished_created": "viewflow_task (owner_id, created DESC, id DESC) WHERE finished IS NOT NULL",
    # The task and process lists.
    "qlcb_task_created_id": "viewflow_task (created DESC, id DESC)",
    "qlcb_process_created_id": "viewflow_process (created DESC, id DESC)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0010_history_reason_text"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
