"""The tracked bulk path on PostgreSQL: rows and their history rows written with COPY.

`bulk_create_tracked` (tracking.models) calls this once it has checked the change context, so
the write guard is the same: no change context, no write. The rows written are the ones
Django's `bulk_create` and simple-history's `bulk_history_create` would write (every column,
each field's `pre_save`, the same history columns: who, approver, why, which request, when),
but without building a historical model instance, an INSERT of 1,000 × 50 parameters and
Django's per-value preparation for each row: ids are taken from the table's sequence first, then
the rows go in one COPY per batch.
"""

from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

# Types psycopg writes exactly as Django's get_db_prep_save would prepare them for PostgreSQL;
# any other field (JSON, datetimes, UUIDs…) goes through Django's own preparation.
AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DecimalField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def can_copy(connection) -> bool:
    """COPY needs PostgreSQL through psycopg 3; anything else takes Django's bulk_create."""
    return connection.vendor == "postgresql" and is_psycopg3


def copy_tracked(connection, model, objs: list, history: dict, batch_size: int) -> None:
    """Insert `objs` (ids taken from the sequence when unset) and one history row each.

    `history` holds the history columns by simple-history's names (history_user,
    history_change_reason and the custom attributes: proposed_by, approved_by, …), filled as
    bulk_history_create fills them: an object's own _history_user, _change_reason or
    _history_date first, the time of each row otherwise."""
    history_model = model.history.model
    rows = _Table(connection, model, model._meta.concrete_fields)
    history_rows = _Table(
        connection, history_model, [f for f in history_model._meta.concrete_fields if f is not history_model._meta.pk]
    )
    tracked = [f.attname for f in history_model.tracked_fields]
    columns = {
        name: history_model._meta.get_field(name).attname
        for name in {*history, "history_user", "history_change_reason"}
    }
    defaults = {f.attname: f.get_default() for f in history_rows.fields}
    for start in range(0, len(objs), batch_size):
        batch = objs[start : start + batch_size]
        _take_ids(connection, model, batch)
        rows.copy([[f.pre_save(obj, True) for f in rows.fields] for obj in batch])
        for obj in batch:
            obj._state.adding, obj._state.db = False, connection.alias
        history_rows.copy(
            [
                [values.get(f.attname, defaults[f.attname]) for f in history_rows.fields]
                for obj in batch
                for values in [_history_values(history_model, obj, tracked, columns, history)]
            ]
        )


def _history_values(history_model, obj, tracked: list, columns: dict, history: dict) -> dict:
    """{column attname: value} of an object's history row, as bulk_history_create sets them."""
    values = {name: getattr(obj, name) for name in tracked}
    for name, value in history.items():
        values[columns[name]] = value.pk if hasattr(value, "_meta") else value
    user = getattr(obj, "_history_user", history.get("history_user") or history_model.get_default_history_user(obj))
    values[columns["history_user"]] = user.pk if user is not None else None
    values[columns["history_change_reason"]] = get_change_reason_from_object(obj) or history.get(
        "history_change_reason", ""
    )
    values["history_date"] = getattr(obj, "_history_date", None) or timezone.now()
    values["history_type"] = "+"
    return values


class _Table:
    """The columns COPY writes to a model's table, and how each value is prepared."""

    def __init__(self, connection, model, fields):
        self.connection = connection
        self.fields = list(fields)
        self.prepare = [
            None if f.get_internal_type() in AS_IS else (lambda value, f=f: f.get_db_prep_save(value, connection))
            for f in self.fields
        ]
        self.prepared = all(p is None for p in self.prepare)
        quote = connection.ops.quote_name
        self.sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        )

    def copy(self, rows: list) -> None:
        with self.connection.cursor() as cursor, cursor.copy(self.sql) as copy:
            for row in rows:
                if not self.prepared:
                    row = [v if p is None else p(v) for v, p in zip(row, self.prepare, strict=True)]
                copy.write_row(row)


def _take_ids(connection, model, objs: list) -> None:
    """Give the objects without a primary key the next values of the table's sequence, in order."""
    missing = [obj for obj in objs if obj.pk is None]
    if not missing:
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column, len(missing)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk in zip(missing, ids, strict=True):
        obj.pk = pk
