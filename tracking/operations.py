"""Migration operations for what only PostgreSQL has (extensions, trigram and other special
indexes): run there, skipped elsewhere, so every migration still runs on SQLite."""

from django.db import migrations


def postgresql_only(sql: str, reverse_sql: str = "") -> migrations.RunPython:
    """Run `sql` forwards and `reverse_sql` (if any) backwards, on PostgreSQL only."""

    def run(statement):
        def execute(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(statement)

        return execute

    return migrations.RunPython(run(sql), run(reverse_sql) if reverse_sql else migrations.RunPython.noop)
