"""Django's SQLite backend, with the hash chain's triggers (tracking.ledger) taken off while a
schema editor changes tables and put back after: SQLite refuses to drop a column a trigger names
and drops a remade table's triggers. Rows written meanwhile (data migrations) are linked when
the triggers come back. Selected by config/settings.py for SQLite (tests, demo)."""

from django.db.backends.sqlite3 import base, schema

from tracking import ledger


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def __enter__(self):
        ledger.drop_sqlite_triggers(self.connection)
        return super().__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        result = super().__exit__(exc_type, exc_value, traceback)
        ledger.install(self.connection.alias)
        return result


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
