"""The PostgreSQL store's schema, its migrations, and its connection strings.

Schema version 2, created in the ledger's own PostgreSQL schema on first use::

    CREATE TABLE claimtrack_schema (version integer NOT NULL);   -- one row
    CREATE TABLE ledger_head (one boolean PRIMARY KEY DEFAULT true CHECK (one),
                              last bigint,                       -- one row: the last seq
                              weights_upto bigint);              -- (version 2) see below
    CREATE TABLE records (
        seq     bigint PRIMARY KEY,     -- 1, 2, 3 ...: gap-free, from ledger_head
        id      text NOT NULL UNIQUE,   -- one namespace for every record type
        type    text NOT NULL,          -- "speaker", "claim", "evidence", ...
        version integer NOT NULL,       -- the record's format version (claimtrack._codec)
        name text, roles text, ..., reason text,   -- one column per codec field (COLUMNS)
        stated_end date GENERATED ALWAYS AS (...) STORED   -- last day of stated_on
    );

The columns hold the values of the record's stored dict, exactly as in the SQLite
store (:mod:`claimtrack.stores._sqlite`): strings as they are, ``null`` as NULL, and
the JSON-valued fields (``roles``, ``organization``, ``same_as``, ``source``,
``topics``, ``confidence``) as their JSON *text*, not ``jsonb``: the stored form stays
byte for byte the codec's (the golden files hold for every store), reading a row
parses no JSON on the server or in psycopg (1.4 s against 3.9 s typed for a million
rows, measured), and a ledger copies between stores unchanged.  The one query on a JSON
value, claims by topic, uses an expression index on ``topics::jsonb``.

Indexes: ``(claim_id, seq)``, ``(speaker_id, seq)``, ``(type, seq)``, ``(target_id)``,
``(stated_end)`` for claims, a GIN index on ``(topics::jsonb)`` for claims, and a GIN
index on ``to_tsvector('simple', text)`` for claims and evidence (search).

Version 2 adds each claim's weighing counts (``claimtrack.stores._weights``, which
says when they may be used), kept by every append in its own transaction::

    CREATE TABLE weights (claim_key text PRIMARY KEY, counts text NOT NULL);
    -- ledger_head.weights_upto: the last seq the counts take in
    CREATE FUNCTION claimtrack_weights_drop() RETURNS trigger ...;   -- PL/pgSQL
    CREATE TRIGGER weights_on_update AFTER UPDATE ON records
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION claimtrack_weights_drop();
    CREATE TRIGGER weights_on_delete AFTER DELETE ON records
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ...;
    CREATE TRIGGER weights_on_truncate AFTER TRUNCATE ON records
        FOR EACH STATEMENT EXECUTE FUNCTION ...;
    CREATE FUNCTION claimtrack_weights_changed() RETURNS bigint ...;  -- raises CTW01

The mark ``weights_upto`` lives in ``ledger_head``, beside the head it is compared
with, rather than in a table of its own: every append already locks and updates that
row first, so it reads the mark in the same statement, race-free, and a role that may
append or read needs no grant beyond those it had.  The triggers drop the counts of
every claim an ``UPDATE`` or ``DELETE`` of records touches (the claim a row is, or the
one it bears on: ``claim_id``; a retraction's own changes need nothing, as a claim a
retraction reaches is never weighed from its counts), and empty ``weights`` on
``TRUNCATE``.  They are statement-level with transition tables (one ``DELETE`` per
statement: an ``UPDATE`` of 200,000 rows took 0.5 s with them, 4.3 s with a row-level
trigger), and the function names the ``weights`` table of the schema the trigger fired
in (``TG_TABLE_SCHEMA``), whatever the editing session's ``search_path``.
``claimtrack_weights_changed()`` only raises: an append's one statement calls it when
the counts it merged with changed while it waited for the head (see
``append_statement()``).

Migrations follow the SQLite store's rules: ``MIGRATIONS[n]`` takes a schema from
version *n* to a later one, each in one transaction (holding an advisory lock, so two
processes opening a new ledger at once create it once) that ends by writing the new
version; an empty schema gets the newest version on first use; a newer version raises
:class:`~claimtrack.errors.SchemaVersionError`; a schema holding other tables but no
``claimtrack_schema`` is not a ledger (:class:`~claimtrack.errors.CorruptStoreError`)
and is left untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ._pgweights import CHANGED_FUNCTION as _CHANGED_FUNCTION
from ._pgweights import CREATE as _CREATE_WEIGHTS
from ._pgweights import count_all
from ._rows import COLUMNS

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "append_statement",
    "describe",
    "is_dsn",
    "redact",
    "shown",
]

SCHEMA_VERSION: Final = 2
"""The schema version this claimtrack writes (in ``claimtrack_schema``)."""

FIELDS: Final = ", ".join(f'"{name}"' for name in COLUMNS[1:])  # "on" is an SQL keyword
SELECT_COLUMNS: Final = f"seq, type, version, id, {FIELDS}"
"""A full row as :func:`claimtrack.stores._rows.decode_rows` reads it:
``(seq, type, version, *COLUMNS)``."""

COPY: Final = f"COPY records (seq, type, version, id, {FIELDS}) FROM STDIN"
_VALUES_ROW = f"(%s::bigint, %s, %s::integer, {', '.join(['%s'] * len(COLUMNS))})"


def append_statement(n: int, *, counted: bool = False, counts: bool = False) -> str:
    """One statement that moves the head by *n*, inserts *n* rows and notifies.

    Parameters: *n*, then each row as ``(k, type, version, *COLUMNS)`` with ``k`` its
    place from 1, then (with *counts*) the counts to write, then the notification
    channel.  Returns the new head; with *counted* or *counts* (schema version 2) also
    ``weights_upto``.  (The other writers' records are read by a second statement:
    this one's snapshot was taken before it waited for the head's row lock.)

    With *counts*, the statement also writes the append's weighing counts, merged
    beforehand with the stored counts read before the head's lock was taken: three
    arrays, claim ids, their new counts, and the stored counts they were merged with
    (NULL for a claim new in the append), then the number of stored ones.  It checks,
    under the lock, that nothing it relied on changed meanwhile: ``weights_upto`` was
    the head (no rows to catch up on), and every stored row still holds the counts
    read (an ``UPDATE ... WHERE counts = read``, which PostgreSQL re-checks against the
    newest version of a row another append changed); if not, it fails whole with
    SQLSTATE ``CTW01``
    (:data:`claimtrack.stores._pgweights.CHANGED`), stores nothing, and the append is made
    again, holding the lock while it reads and merges.  So an append is one round
    trip under the lock whenever no other writer touched the same claims between
    its read and its turn.
    """
    counted = counted or counts
    returning = "last, weights_upto" if counted else "last"
    upto = f", weights_upto = CASE WHEN weights_upto = last THEN last + {n} END" if counts else ""
    ctes = [
        f"head AS (UPDATE ledger_head SET last = last + %s{upto} RETURNING {returning})",
        f"new (k, type, version, id, {FIELDS}) AS (VALUES {', '.join([_VALUES_ROW] * n)})",
        (
            f"ins AS (INSERT INTO records (seq, type, version, id, {FIELDS})"
            f" SELECT head.last - {n} + new.k, new.type, new.version, new.id,"
            f" {', '.join(f'new.{name}' for name in FIELDS.split(', '))} FROM head, new)"
        ),
    ]
    check = ""
    if counts:
        # (each joined with head, so that it runs after the head's lock is taken)
        ctes += [
            "merged (k, c, read) AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]))",
            (
                "fresh AS (INSERT INTO weights (claim_key, counts) SELECT merged.k, merged.c"
                " FROM merged, head WHERE merged.read IS NULL"
                " ON CONFLICT (claim_key) DO UPDATE SET counts = excluded.counts)"
            ),
            (
                "added AS (UPDATE weights SET counts = merged.c FROM merged, head"
                " WHERE weights.claim_key = merged.k AND weights.counts = merged.read RETURNING 1)"
            ),
        ]
        check = (
            ", CASE WHEN weights_upto IS NULL OR (SELECT count(*) FROM added) <> %s"
            f" THEN {_CHANGED_FUNCTION}() END"
        )
    return f"WITH {', '.join(ctes)} SELECT {returning}, pg_notify(%s, last::text){check} FROM head"


# The last day a partial date ("2025", "2025-02", "2025-02-18") covers, with immutable
# functions only (a generated column needs them; text::date depends on DateStyle).
_END = (
    "CASE length(stated_on)"
    " WHEN 4 THEN make_date(substr(stated_on, 1, 4)::int, 12, 31)"
    " WHEN 7 THEN (make_date(substr(stated_on, 1, 4)::int, substr(stated_on, 6, 2)::int, 1)"
    " + interval '1 month' - interval '1 day')::date"
    " WHEN 10 THEN make_date(substr(stated_on, 1, 4)::int, substr(stated_on, 6, 2)::int,"
    " substr(stated_on, 9, 2)::int) END"
)

_CREATE_V1 = (
    "CREATE TABLE claimtrack_schema (version integer NOT NULL)",
    "CREATE TABLE ledger_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), last bigint)",
    "INSERT INTO ledger_head (last) VALUES (0)",  # (never NULL: only ever incremented)
    "CREATE TABLE records (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE,"
    " type text NOT NULL, version integer NOT NULL, "
    + ", ".join(f'"{name}" text' for name in COLUMNS[1:])
    + f", stated_end date GENERATED ALWAYS AS ({_END}) STORED)",
    "CREATE INDEX records_claim ON records (claim_id, seq) WHERE claim_id IS NOT NULL",
    "CREATE INDEX records_speaker ON records (speaker_id, seq) WHERE speaker_id IS NOT NULL",
    "CREATE INDEX records_type ON records (type, seq)",
    "CREATE INDEX records_target ON records (target_id) WHERE target_id IS NOT NULL",
    "CREATE INDEX records_stated ON records (stated_end) WHERE type = 'claim'",
    "CREATE INDEX records_topics ON records USING gin ((topics::jsonb)) WHERE type = 'claim'",
    (
        "CREATE INDEX records_text ON records USING gin (to_tsvector('simple', text))"
        " WHERE type IN ('claim', 'evidence')"
    ),
)


def _create(conn: psycopg.Connection[Any], where: str) -> None:
    for statement in _CREATE_V1:
        conn.execute(statement)
    _v1_to_v2(conn, where)


def _v1_to_v2(conn: psycopg.Connection[Any], where: str) -> None:
    """Add the weighing counts (``weights``, ``weights_upto``, triggers), counted from the rows.

    Every claim and piece of evidence is read through the codec, so a damaged row stops
    the migration with a CorruptStoreError naming it (and the schema stays version 1).
    """
    for statement in _CREATE_WEIGHTS:
        conn.execute(statement)
    count_all(conn, where)


MIGRATIONS: Final[dict[int, tuple[int, Callable[[psycopg.Connection[Any], str], None]]]] = {
    0: (SCHEMA_VERSION, _create),  # an empty schema: the newest layout
    1: (2, _v1_to_v2),
}
"""``MIGRATIONS[n]``: the version a migration from *n* reaches, and the migration
(given the connection, in the migration's transaction, and where the ledger is, for
error messages)."""

# -- connection strings -----------------------------------------------------------------

_URI = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
_KEYWORD = re.compile(
    r"^\s*(host|hostaddr|port|dbname|user|password|passfile|service|options|sslmode"
    r"|application_name|connect_timeout|target_session_attrs)\s*=",
)


def is_dsn(text: str) -> bool:
    """Whether *text* names a PostgreSQL database (a URI or a libpq conninfo string).

    Example:
        >>> is_dsn("postgresql://desk@db.example/claims"), is_dsn("host=/tmp dbname=x")
        (True, True)
        >>> is_dsn("riyadh.db")
        False
    """
    return bool(_URI.match(text) or _KEYWORD.match(text))


def describe(params: dict[str, Any]) -> str:
    """Where a connection goes, for messages and reprs: never the password.

    Example:
        >>> describe({"host": "db.example", "port": "5433", "dbname": "claims",
        ...           "user": "desk", "password": "s3cret"})
        'desk@db.example:5433/claims'
    """
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    user = f"{params['user']}@" if params.get("user") else ""
    return f"{user}{host}{port}/{params.get('dbname') or ''}"


def shown(ledger: str) -> str:
    """A ledger's name as it may be shown: a connection string without its password.

    Example:
        >>> shown("postgresql://desk:s3cret@db.example/claims"), shown("riyadh.db")
        ('desk@db.example/claims', 'riyadh.db')
    """
    if not is_dsn(ledger):
        return ledger
    from psycopg.conninfo import conninfo_to_dict

    return describe(dict(conninfo_to_dict(ledger)))


def redact(message: str, secrets: list[str]) -> str:
    """*message* with every one of *secrets* (passwords) replaced by ``***``.

    Example:
        >>> redact("password=s3cret failed", ["s3cret"])
        'password=*** failed'
    """
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message
