"""Tamper evidence: every row of the append-only tables is linked into a hash chain.

Covered: every history table of django-simple-history (the tracked records, the grants, the
requests, the due rules…) and the models that say `HASH_CHAINED = True` (approval decisions, the
read log, the export log). One chain per table, numbered by its name (`chain_id`); each row gets
one `LedgerLink`:

    digest = SHA-256(the row's content, its primary key left out, as canonical JSON, nulls left out)
    hash   = SHA-256(previous link's hash (32 zero bytes first) ‖ chain id (4 bytes) ‖ seq (8)
                     ‖ row id (8) ‖ digest)

The links are written by the database, so every insert path is covered (save, bulk_create,
simple-history's bulk_history_create, COPY of tracking.copying, raw SQL):

- PostgreSQL: a deferred constraint trigger per table (AFTER INSERT, FOR EACH ROW, run at commit)
  takes a transaction advisory lock on the chain, reads the head once per transaction and links
  the rows in commit order; the unique (chain, seq) makes a fork impossible whatever the
  isolation level. The lock is held only while the committing transaction links its rows. A
  second trigger refuses UPDATE and DELETE (the tables are append-only; TRUNCATE needs the owner).
- SQLite (tests, demo): a trigger per table computes the same link with two functions registered
  on each connection (`qlcb_digest`, `qlcb_link_hash`); SQLite has one writer at a time.

`install()` (run after every `migrate`, tracking.apps) creates the functions and triggers of every
covered table, idempotently, and links the rows a table already has when its chain is new.
`verify()` walks each chain a chunk at a time and names every broken link.
"""

import hashlib
import time
import zlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, transaction
from django.utils.translation import gettext as _

ZERO = bytes(32)
LOCK_SPACE = 0x71636C62  # the first key of the chain's advisory lock (the second is the chain id)
CHUNK = 5000
LINK_TABLE = "tracking_ledgerlink"
# The canonical text of a row must not depend on the session: fixed for the functions that make it.
PG_SETTINGS = "SET timezone = 'UTC' SET extra_float_digits = 1 SET intervalstyle = 'iso_8601'"


def link_hash(prev: bytes | None, chain_id: int, seq: int, row_id: int, digest: bytes) -> bytes:
    """The link of one row, as the triggers compute it."""
    return hashlib.sha256(
        bytes(prev or ZERO)
        + chain_id.to_bytes(4, "big", signed=True)
        + seq.to_bytes(8, "big", signed=True)
        + row_id.to_bytes(8, "big", signed=True)
        + bytes(digest)
    ).digest()


def chain_id(table: str) -> int:
    """The number of a table's chain: fixed by its name, so links need no registry row."""
    return zlib.crc32(table.encode()) & 0x7FFFFFFF


def chains(tables=None) -> list[tuple[str, str, int]]:
    """(table, primary key column, chain id) of every covered table (or of `tables`)."""
    found = [(m._meta.db_table, m._meta.pk.column, chain_id(m._meta.db_table)) for m in covered_models()]
    ids = [c for _t, _p, c in found]
    assert len(set(ids)) == len(ids), "two covered tables share a chain number"
    return [c for c in found if not tables or c[0] in tables]


def text_digest(text: str | None) -> bytes | None:
    return None if text is None else hashlib.sha256(text.encode()).digest()


def covered_models() -> list:
    """The models whose table is chained: simple-history's historical models and those that
    declare HASH_CHAINED, ordered by table."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and (
            getattr(model, "HASH_CHAINED", False)
            or (hasattr(model, "instance_type") and model._meta.pk.name == "history_id")
        )
    ]
    return sorted(models, key=lambda m: m._meta.db_table)


def append_only_tables() -> list[str]:
    return [m._meta.db_table for m in covered_models()] + [LINK_TABLE, "tracking_senthead"]


def heads(models, using: str = "default") -> dict[str, int]:
    """{table: seq of its chain's last committed link (0: none)} of the models' tables. The links
    are made in commit order, so a row committed after this read lies past the head it returns."""
    found = {}
    with connections[using].cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT max(seq) FROM {LINK_TABLE} WHERE chain_id = %s", [chain_id(table)])
            found[table] = cursor.fetchone()[0] or 0
    return found


def linked_since(model, seq: int, using: str = "default") -> list[int]:
    """The ids of the model's rows linked after `seq` of its chain: committed since `heads` said `seq`."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT row_id FROM {LINK_TABLE} WHERE chain_id = %s AND seq > %s ORDER BY seq",
            [chain_id(model._meta.db_table), seq],
        )
        return [row_id for (row_id,) in cursor.fetchall()]


# --- SQLite ------------------------------------------------------------------------------


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created: the functions the SQLite triggers and verify() call."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("qlcb_digest", 1, text_digest, deterministic=True)
    connection.connection.create_function(
        "qlcb_link_hash", 5, lambda p, c, s, r, d: link_hash(p, c, s, r, d), deterministic=True
    )


def _sqlite_columns(cursor, connection, table: str, pk: str) -> list[str]:
    return sorted(c.name for c in connection.introspection.get_table_description(cursor, table) if c.name != pk)


def _sqlite_json(connection, columns: list[str], alias: str) -> str:
    """The row as JSON with its keys in order and nulls left out (a merge patch drops them);
    json_object takes at most 127 arguments, so it is built 40 columns at a time."""
    quote = connection.ops.quote_name
    text = "'{}'"
    for start in range(0, len(columns), 40):
        pairs = ", ".join(f"'{c}', {alias}.{quote(c)}" for c in columns[start : start + 40])
        text = f"json_patch({text}, json_object({pairs}))"
    return text


def _sqlite_digest_sql(cursor, connection, table, pk, alias):
    return f"qlcb_digest({_sqlite_json(connection, _sqlite_columns(cursor, connection, table, pk), alias)})"


def drop_sqlite_triggers(connection):
    """Before SQLite changes a schema (tracking.sqlite): a trigger names its table's columns."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'qlcb_ledger_%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")


def _install_sqlite(connection, chains):
    """The triggers again, from the columns the tables have now; then the rows written while
    they were off (a data migration) are linked. SQLite is for tests and the demo: it has no
    append-only triggers, so this guards against nothing it could not do anyway."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk, chain_id, _new in chains:
            name = quote(f"qlcb_ledger_{table}")
            digest = _sqlite_digest_sql(cursor, connection, table, pk, "NEW")
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER INSERT ON {quote(table)} BEGIN "
                f"INSERT INTO {LINK_TABLE} (chain_id, seq, row_id, digest, hash) "
                f"SELECT {chain_id}, p.seq + 1, NEW.{quote(pk)}, d.digest, "
                f"qlcb_link_hash(p.hash, {chain_id}, p.seq + 1, NEW.{quote(pk)}, d.digest) "
                f"FROM (SELECT {digest} AS digest) d, "
                f"(SELECT coalesce(max(seq), 0) AS seq, (SELECT hash FROM {LINK_TABLE} WHERE chain_id = {chain_id} "
                f"ORDER BY seq DESC LIMIT 1) AS hash FROM {LINK_TABLE} WHERE chain_id = {chain_id}) p; END"
            )
            _seal_python(cursor, connection, table, pk, chain_id)


def _seal_python(cursor, connection, table, pk, chain_id):
    """Link the rows no link names yet, in id order, after the chain's head (SQLite)."""
    quote = connection.ops.quote_name
    digest = _sqlite_digest_sql(cursor, connection, table, pk, "t")
    cursor.execute(
        f"SELECT t.{quote(pk)}, {digest} FROM {quote(table)} t WHERE NOT EXISTS (SELECT 1 FROM {LINK_TABLE} l "
        f"WHERE l.chain_id = %s AND l.row_id = t.{quote(pk)}) ORDER BY t.{quote(pk)}",
        [chain_id],
    )
    rows = cursor.fetchall()
    if not rows:
        return
    cursor.execute(f"SELECT seq, hash FROM {LINK_TABLE} WHERE chain_id = %s ORDER BY seq DESC LIMIT 1", [chain_id])
    head = cursor.fetchone()
    start, prev = (head[0] + 1, bytes(head[1])) if head else (1, None)
    links = []
    for seq, (row_id, row_digest) in enumerate(rows, start=start):
        prev = link_hash(prev, chain_id, seq, row_id, row_digest)
        links.append((chain_id, seq, row_id, row_digest, prev))
    cursor.executemany(
        f"INSERT INTO {LINK_TABLE} (chain_id, seq, row_id, digest, hash) VALUES (%s, %s, %s, %s, %s)", links
    )


# --- PostgreSQL --------------------------------------------------------------------------

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION qlcb_ledger_digest(r anyelement, pk text) RETURNS bytea
LANGUAGE sql STABLE {PG_SETTINGS} AS $$
  SELECT sha256(convert_to((jsonb_strip_nulls(to_jsonb(r)) - pk)::text, 'UTF8'))
$$;

-- Wait for the other writers of the chain, then read its head; the lock is held to the commit.
CREATE OR REPLACE FUNCTION qlcb_ledger_head(chain integer, OUT head_seq bigint, OUT head_hash bytea)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_SPACE}, chain);
  SELECT l.seq, l.hash INTO head_seq, head_hash FROM {LINK_TABLE} l
    WHERE l.chain_id = chain ORDER BY l.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    head_seq := 0;
    head_hash := '\\x{ZERO.hex()}'::bytea;
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION qlcb_ledger_link() RETURNS trigger
LANGUAGE plpgsql {PG_SETTINGS} AS $$
DECLARE
  chain integer := TG_ARGV[0]::integer;
  pk text := TG_ARGV[1];
  head_key text := 'qlcb_ledger.head_' || TG_ARGV[0];
  head text := current_setting(head_key, true);
  prev_seq bigint;
  prev_hash bytea;
  doc jsonb := to_jsonb(NEW);  -- as qlcb_ledger_digest, without making the JSON twice
  row_id bigint := (doc ->> pk)::bigint;
  digest bytea := sha256(convert_to((jsonb_strip_nulls(doc) - pk)::text, 'UTF8'));
  link bytea;
BEGIN
  IF head IS NULL OR head = '' THEN
    -- The first link of this chain in this transaction: the head, locked to the commit;
    -- later rows of the transaction take it from the setting.
    SELECT h.head_seq, h.head_hash INTO prev_seq, prev_hash FROM qlcb_ledger_head(chain) h;
  ELSE
    prev_seq := split_part(head, ':', 1)::bigint;
    prev_hash := decode(split_part(head, ':', 2), 'hex');
  END IF;
  prev_seq := prev_seq + 1;
  link := sha256(prev_hash || int4send(chain) || int8send(prev_seq) || int8send(row_id) || digest);
  INSERT INTO {LINK_TABLE} (chain_id, seq, row_id, digest, hash) VALUES (chain, prev_seq, row_id, digest, link);
  PERFORM set_config(head_key, prev_seq::text || ':' || encode(link, 'hex'), true);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION qlcb_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Bảng % chỉ được ghi thêm: không được % dòng (chuỗi băm chống sửa đổi).',
    TG_TABLE_NAME, CASE TG_OP WHEN 'UPDATE' THEN 'sửa' ELSE 'xoá' END
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION qlcb_ledger_seal(chain integer, tbl text, pk text) RETURNS bigint
LANGUAGE plpgsql {PG_SETTINGS} AS $$
DECLARE
  r record;
  prev_seq bigint;
  prev_hash bytea;
BEGIN
  SELECT h.head_seq, h.head_hash INTO prev_seq, prev_hash FROM qlcb_ledger_head(chain) h;
  FOR r IN EXECUTE format(
    'SELECT t.%1$I::bigint AS row_id, qlcb_ledger_digest(t, %2$L) AS digest FROM %3$I t '
    'WHERE NOT EXISTS (SELECT 1 FROM {LINK_TABLE} l WHERE l.chain_id = $1 AND l.row_id = t.%1$I) '
    'ORDER BY t.%1$I', pk, pk, tbl) USING chain
  LOOP
    prev_seq := prev_seq + 1;
    prev_hash := sha256(prev_hash || int4send(chain) || int8send(prev_seq) || int8send(r.row_id) || r.digest);
    INSERT INTO {LINK_TABLE} (chain_id, seq, row_id, digest, hash)
      VALUES (chain, prev_seq, r.row_id, r.digest, prev_hash);
  END LOOP;
  RETURN prev_seq;
END
$$;
"""


def _install_postgresql(connection, chains):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(PG_FUNCTIONS)
        for table, pk, chain_id, new in chains:
            cursor.execute(f"DROP TRIGGER IF EXISTS qlcb_ledger_link ON {quote(table)}")
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER qlcb_ledger_link AFTER INSERT ON {quote(table)} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION qlcb_ledger_link('{chain_id}', '{pk}')"
            )
            if new:
                cursor.execute("SELECT qlcb_ledger_seal(%s, %s, %s)", [chain_id, table, pk])
        for table in append_only_tables():
            cursor.execute(f"DROP TRIGGER IF EXISTS qlcb_append_only ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER qlcb_append_only BEFORE UPDATE OR DELETE ON {quote(table)} "
                "FOR EACH ROW EXECUTE FUNCTION qlcb_append_only()"
            )


def install(using: str = "default") -> None:
    """Create (again) the functions and triggers of every covered table; a new chain first links
    the rows its table already has, in id order. Idempotent; run after every migrate."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if LINK_TABLE not in tables:
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        found = []
        for table, pk, chain in chains():
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {LINK_TABLE} WHERE chain_id = %s LIMIT 1", [chain])
                found.append((table, pk, chain, cursor.fetchone() is None))
        if connection.vendor == "postgresql":
            _install_postgresql(connection, found)
        else:
            _install_sqlite(connection, found)


def install_after_migrate(sender, using="default", **kwargs):
    install(using)


# --- Verification ------------------------------------------------------------------------


@dataclass
class Break:
    table: str
    kind: str  # content, missing, extra, order, link, gap, head
    detail: str
    row_id: int | None = None
    seq: int | None = None

    def __str__(self):
        where = [self.table]
        if self.row_id is not None:
            where.append(_("dòng %(id)s") % {"id": self.row_id})
        if self.seq is not None:
            where.append(_("mắt xích %(seq)s") % {"seq": self.seq})
        return f"{' · '.join(where)} [{self.kind}]: {self.detail}"


@dataclass
class Report:
    breaks: list = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0
    heads: dict = field(default_factory=dict)  # {table: (chain id, seq, hash bytes)}

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _digest_sql(connection, cursor, table, pk, alias):
    if connection.vendor == "postgresql":
        return f"qlcb_ledger_digest({alias}, '{pk}')"
    return _sqlite_digest_sql(cursor, connection, table, pk, alias)


def _chunks(connection, chain_id, table, pk, chunk):
    """The links of a chain in order, a chunk at a time, each with its row's digest (None: no row).
    Two queries a chunk, not a join: each is an index range or index lookups whatever the planner
    knows (a restored database has no statistics until ANALYZE)."""
    quote = connection.ops.quote_name
    last_seq = 0
    with connection.cursor() as cursor:
        links_sql = (
            f"SELECT seq, row_id, digest, hash FROM {LINK_TABLE} WHERE chain_id = %s AND seq > %s ORDER BY seq LIMIT %s"
        )
        rows_sql = (
            f"SELECT t.{quote(pk)}, {_digest_sql(connection, cursor, table, pk, 't')} "
            f"FROM {quote(table)} t WHERE t.{quote(pk)} "
        )
        while True:
            cursor.execute(links_sql, [chain_id, last_seq, chunk])
            links = cursor.fetchall()
            if not links:
                return
            ids = [row_id for _seq, row_id, _d, _h in links]
            if connection.vendor == "postgresql":
                cursor.execute(rows_sql + "= ANY(%s)", [ids])
            else:
                cursor.execute(rows_sql + f"IN ({', '.join(['%s'] * len(ids))})", ids)
            actual = {row_id: bytes(digest) for row_id, digest in cursor.fetchall()}
            for seq, row_id, recorded, stored_hash in links:
                yield seq, row_id, bytes(recorded), bytes(stored_hash), actual.get(row_id)
            last_seq = links[-1][0]
            if len(links) < chunk:
                return


def _walk_chain(connection, chain_id, table, pk, report, chunk):
    """Each link against its predecessor and its row; returns how many links found their row."""
    changed = []  # (row id, seq, recorded digest, actual digest) of rows whose content differs
    prev, last_seq, present = None, 0, 0
    for seq, row_id, recorded, stored_hash, actual in _chunks(connection, chain_id, table, pk, chunk):
        if seq != last_seq + 1:
            detail = _("thiếu mắt xích %(seqs)s (bị xoá)") % {"seqs": f"{last_seq + 1}…{seq - 1}"}
            report.breaks.append(Break(table, "gap", detail, seq=seq))
        if link_hash(prev, chain_id, seq, row_id, recorded) != stored_hash:
            detail = _("mắt xích không khớp với mắt xích trước nó (chuỗi bị sửa)")
            report.breaks.append(Break(table, "link", detail, row_id, seq))
        if actual is None:
            detail = _("dòng có trong chuỗi nhưng không còn trong bảng (bị xoá)")
            report.breaks.append(Break(table, "missing", detail, row_id, seq))
        else:
            present += 1
            if actual != recorded:
                changed.append((row_id, seq, recorded, actual))
        prev, last_seq = stored_hash, seq
        report.rows += 1
    # Two rows that traded places carry each other's recorded content: named as an order break.
    recorded_by = {recorded: row_id for row_id, _seq, recorded, _actual in changed}
    for row_id, seq, _recorded, actual in changed:
        other = recorded_by.get(actual)
        if other is not None and other != row_id:
            detail = _("dòng mang nội dung đã ghi cho dòng %(other)s (thứ tự bị đảo)") % {"other": other}
            report.breaks.append(Break(table, "order", detail, row_id, seq))
        else:
            detail = _("nội dung dòng không khớp với băm đã ghi (dòng bị sửa)")
            report.breaks.append(Break(table, "content", detail, row_id, seq))
    if last_seq:
        report.heads[table] = (chain_id, last_seq, prev)
    return present


def _extra_rows(connection, chain_id, table, pk, report, linked):
    """Rows of the table that no link names (inserted with the triggers off)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Each row is linked at most once: as many rows as links to present rows, none is extra.
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        if cursor.fetchone()[0] == linked:
            return
        cursor.execute(
            f"SELECT t.{quote(pk)} FROM {quote(table)} t WHERE NOT EXISTS (SELECT 1 FROM {LINK_TABLE} l "
            f"WHERE l.chain_id = %s AND l.row_id = t.{quote(pk)}) ORDER BY t.{quote(pk)}",
            [chain_id],
        )
        while batch := cursor.fetchmany(1000):
            for (row_id,) in batch:
                report.breaks.append(
                    Break(table, "extra", _("dòng không có trong chuỗi (được chèn ngoài ứng dụng)"), row_id)
                )


def head_token(heads: dict) -> str:
    """A short text naming each chain's head (chain id:seq) and a digest of their hashes: what the
    nightly email carries, so that `verify_history --token` can check it later."""
    items = sorted((chain_id, seq, bytes(h)) for chain_id, seq, h in heads.values())
    combined = hashlib.sha256(b"".join(c.to_bytes(4, "big") + s.to_bytes(8, "big") + h for c, s, h in items))
    return ",".join(f"{c}:{s}" for c, s, _h in items) + "#" + combined.hexdigest()[:32]


def _check_token(connection, token: str, label: str, report, stored_heads=None):
    """Does every head the token names still lie on its chain, with the same hash?"""
    try:
        positions, digest = token.strip().rsplit("#", 1)
        pairs = [tuple(int(x) for x in p.split(":")) for p in positions.split(",") if p]
    except ValueError:
        report.breaks.append(Break("-", "head", _("mã đầu chuỗi không đọc được: %(t)s") % {"t": token}))
        return
    names = {chain: table for table, _pk, chain in chains()}
    found = {}
    with connection.cursor() as cursor:
        for chain_id, seq in pairs:
            cursor.execute(f"SELECT hash FROM {LINK_TABLE} WHERE chain_id = %s AND seq = %s", [chain_id, seq])
            row = cursor.fetchone()
            table = names.get(chain_id, str(chain_id))
            if row is None:
                detail = _("đầu chuỗi đã gửi (%(label)s) không còn trên chuỗi") % {"label": label}
                report.breaks.append(Break(table, "head", detail, seq=seq))
                continue
            found[table] = (chain_id, seq, bytes(row[0]))
            sent = (stored_heads or {}).get(table)
            if sent is not None and sent[1] != bytes(row[0]).hex():
                detail = _(
                    "đầu chuỗi đã gửi (%(label)s) không còn trên chuỗi: chuỗi bị viết lại từ một dòng trở đi"
                ) % {"label": label}
                report.breaks.append(Break(table, "head", detail, seq=seq))
    if len(found) == len(pairs) and head_token(found).rsplit("#", 1)[1] != digest:
        detail = _("mã đầu chuỗi đã gửi (%(label)s) không khớp: chuỗi bị viết lại từ một dòng trở đi") % {
            "label": label
        }
        if not any(b.kind == "head" for b in report.breaks):
            report.breaks.append(Break("-", "head", detail))


def verify(using: str = "default", *, tables=None, tokens=(), chunk: int = CHUNK) -> Report:
    """Walk every chain (or those of `tables`): each link against the one before and its row,
    every row against the links; then every head already sent (SentHead) and each `token`."""
    from .models import SentHead

    connection = connections[using]
    report = Report()
    started = time.monotonic()
    existing = set(connection.introspection.table_names())
    for table, pk, chain in chains(tables):
        if table in existing:
            linked = _walk_chain(connection, chain, table, pk, report, chunk)
            _extra_rows(connection, chain, table, pk, report, linked)
    for sent in SentHead.objects.using(using).order_by("sent_at", "pk"):
        label = _("gửi ngày %(date)s") % {"date": f"{sent.sent_at:%d/%m/%Y %H:%M}"}
        _check_token(connection, sent.token, label, report, stored_heads=sent.heads)
    for token in tokens:
        _check_token(connection, token, _("mã đã nhập"), report)
    report.seconds = time.monotonic() - started
    return report
