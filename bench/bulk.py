"""Bulk loading of generated rows: what the ORM writes, without the ORM's per-row cost.

The ORM writes a template record; its row gives every column the generator does
not set itself. The generator then writes each table once with COPY, in the
order the records would have been created (ids follow creation time, as in a
database that grew over the years), while the table's plain indexes are dropped
and foreign keys are dropped; both are built again afterwards from their own
definitions, so the schema is unchanged and every reference is checked once.
"""

import contextlib
import io
import json
import time
from datetime import date, datetime

COPY_CHUNK = 50_000  # rows per COPY call


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def template_row(cr, table, record_id):
    """The row of ``record_id`` in ``table`` as a dict of column -> value (JSON types)."""
    cr.execute(f'SELECT row_to_json(t)::text FROM "{table}" t WHERE id = %s', [record_id])
    return json.loads(cr.fetchone()[0])


def reserve_ids(cr, table, count):
    """Take ``count`` consecutive ids from ``table``'s sequence; return the first one."""
    cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cr.fetchone()[0]
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    used = cr.fetchone()[0]
    cr.execute("SELECT nextval(%s)", [sequence])
    first = max(cr.fetchone()[0], used + 1)
    cr.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def _text(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    else:
        value = str(value)
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


class Copier:
    """Write rows to ``table`` with COPY; columns not given come from ``template``.

    ``own`` names the columns each row gives, in order; a template value of a
    column that the ORM leaves to the database default is written as is.
    """

    def __init__(self, cr, table, own, template):
        self.cr = cr
        self.table = table
        columns = table_columns(cr, table)
        missing = set(own) - set(columns)
        if missing:
            raise ValueError(f"{table} has no column {sorted(missing)}")
        self.own = list(own)
        self.others = [c for c in columns if c not in own]
        self.columns = [*own, *self.others]
        self.constant = self._constant(template)
        self.constants = {}
        self.buffer = io.StringIO()
        self.pending = 0
        self.count = 0

    def _constant(self, template):
        return "\t".join(_text(template.get(c)) for c in self.others)

    def add(self, values, constant=None):
        line = "\t".join(_text(v) for v in values)
        if self.others:
            line = f"{line}\t{self.constant if constant is None else constant}"
        self.buffer.write(line + "\n")
        self.pending += 1
        if self.pending >= COPY_CHUNK:
            self.flush()

    def add_row(self, values, template):
        """Add a row given as a dict of the own columns, the others from ``template``."""
        key = id(template)
        if key not in self.constants:
            self.constants[key] = self._constant(template)
        self.add([values[c] for c in self.own], self.constants[key])

    def flush(self):
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        self.cr.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', self.buffer)
        self.count += self.pending
        self.buffer = io.StringIO()
        self.pending = 0

    def close(self):
        self.flush()
        return self.count


@contextlib.contextmanager
def bulk_load(cr, tables):
    """Drop the plain indexes and the foreign keys of ``tables``; restore both afterwards.

    Indexes that back a constraint (primary keys, unique constraints) stay. The
    foreign keys are added again from their own definitions, which checks every
    loaded row as the triggers would have. Only the tables' owner is needed (the
    role Odoo connects as), never a superuser: ``session_replication_role`` would
    need one.
    """
    cr.execute(
        """
        SELECT i.indexname, i.indexdef
          FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conindid = (quote_ident(i.indexname))::regclass)
         ORDER BY i.tablename, i.indexname
        """,
        [list(tables)],
    )
    indexes = cr.fetchall()
    cr.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
         ORDER BY 1, 2
        """,
        [list(tables)],
    )
    foreign_keys = cr.fetchall()
    for table, name, _definition in foreign_keys:
        cr.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cr.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.monotonic()
        # sorting in memory rather than on disk: the big indexes build several times
        # faster (a setting of the session, which any role may change)
        cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cr.execute(definition)
        for table, name, definition in foreign_keys:
            cr.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        log(
            f"  {len(indexes)} indexes and {len(foreign_keys)} foreign keys of "
            f"{', '.join(tables)} built in {time.monotonic() - started:.0f} s"
        )


def broken_foreign_keys(cr, tables):
    """``{constraint: rows}`` of the foreign keys of ``tables`` that rows break (none, we hope).

    The bulk load writes without foreign keys; adding them back checks every row, and
    this says which rows would break one, by name, for a readable test failure.
    """
    cr.execute(
        """
        SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
               array_agg(a.attname ORDER BY k.n), array_agg(af.attname ORDER BY k.n)
          FROM pg_constraint c
          CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, fcol, n)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fcol
         WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
         GROUP BY c.conname, c.conrelid, c.confrelid
        """,
        [list(tables)],
    )
    broken = {}
    for name, table, target, columns, target_columns in cr.fetchall():
        present = " AND ".join(f't."{c}" IS NOT NULL' for c in columns)
        match = " AND ".join(
            f'r."{fc}" = t."{c}"' for c, fc in zip(columns, target_columns, strict=True)
        )
        cr.execute(
            f"SELECT count(*) FROM {table} t WHERE {present} "
            f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE {match})"
        )
        count = cr.fetchone()[0]
        if count:
            broken[name] = count
    return broken
