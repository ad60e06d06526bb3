"""The weighing counts of a PostgreSQL ledger (schema version 2): kept, caught up, read.

Part of :mod:`claimtrack.stores._postgresql` (split off to keep modules small).  What
the counts are, and when they may be used, is :mod:`claimtrack.stores._weights`; the
tables and triggers are described in :mod:`claimtrack.stores._pgschema`.  Here:

- :data:`CREATE`, the statements that add them to a version 1 schema, and
  :func:`count_all`, which counts every row through the codec (the migration);
- :class:`Pending`, made by every append before it takes the head's row lock (its
  records counted), and finished inside the append's transaction once it holds the
  lock (appends are serialised by it, so this is race-free): the stored counts of the
  claims it adds to are read with one query and merged, the new counts written, and
  ``weights_upto`` moved to the append's last ``seq`` -- after :func:`fold` has caught
  up on the claims and evidence between ``weights_upto`` and the append, if another
  program wrote some;
- :func:`read`, which answers :meth:`PostgreSQLStore._weighing_counts` in one snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from claimtrack._model import Claim, Record, Ruling

from ._rows import COLUMNS, Memo, decode_rows
from ._weights import TRIGGERS as _EDIT_TRIGGERS
from ._weights import LedgerWeights, count, merge

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "CHANGED",
    "CHANGED_FUNCTION",
    "CREATE",
    "TRIGGERS",
    "Pending",
    "count_all",
    "counting",
    "fold",
    "read",
]

TRIGGERS: Final = (*_EDIT_TRIGGERS, "weights_on_truncate")
"""The triggers on ``records`` that keep edited claims out of the counts (the two of
:data:`claimtrack.stores._weights.TRIGGERS`, and one for ``TRUNCATE``)."""

_FUNCTION = "claimtrack_weights_drop"
CHANGED_FUNCTION: Final = "claimtrack_weights_changed"
"""A function that fails with SQLSTATE :data:`CHANGED` (see ``append_statement``)."""
CHANGED: Final = "CTW01"
"""The SQLSTATE of an append whose counts changed while it waited: it is made again."""
_ROW = "seq, type, version, id, " + ", ".join(f'"{name}"' for name in COLUMNS[1:])
_CHUNK = 10_000  # rows read at a time while catching up
_ARRAY_WRITE = 2_000  # more rows of counts than this are written through COPY

# the claim a row is (a claim) or bears on (claim_id); NULL for speakers and retractions
_KEY = "CASE type WHEN 'claim' THEN id ELSE claim_id END"
_QUOTED_KEY = _KEY.replace("'", "''")  # inside a string literal of the function

CREATE: Final = (
    "ALTER TABLE ledger_head ADD COLUMN weights_upto bigint",
    "CREATE TABLE weights (claim_key text PRIMARY KEY, counts text NOT NULL)",
    # (TG_TABLE_SCHEMA: the weights of the ledger edited, whatever the search_path)
    f"""CREATE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('DELETE FROM %I.weights', TG_TABLE_SCHEMA);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('DELETE FROM %I.weights WHERE claim_key IN'
            ' (SELECT {_QUOTED_KEY} FROM old_rows)', TG_TABLE_SCHEMA);
    ELSE
        EXECUTE format('DELETE FROM %I.weights WHERE claim_key IN'
            ' (SELECT {_QUOTED_KEY} FROM old_rows UNION ALL SELECT {_QUOTED_KEY} FROM new_rows)',
            TG_TABLE_SCHEMA);
    END IF;
    RETURN NULL;
END
$body$""",
    f"""CREATE FUNCTION {CHANGED_FUNCTION}() RETURNS bigint LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'the weighing counts changed while this append waited for its turn'
        USING ERRCODE = '{CHANGED}', HINT = 'claimtrack makes the append again';
END
$body$""",
    (
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER UPDATE ON records"
        " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
    ),
    (
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON records REFERENCING OLD TABLE AS old_rows"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
    ),
    (
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER TRUNCATE ON records"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
    ),
)
"""The statements that add the counts to a version 1 schema (then :func:`count_all`)."""

_COUNTS = "SELECT claim_key, counts FROM weights"
_STORED = "SELECT claim_key, counts FROM weights WHERE claim_key = ANY(%s)"
_UPSERT = (
    "INSERT INTO weights (claim_key, counts) SELECT * FROM {source}"
    " ON CONFLICT (claim_key) DO UPDATE SET counts = excluded.counts"
)
_SET_UPTO = "UPDATE ledger_head SET weights_upto = %s"
_BETWEEN = (
    f"SELECT {_ROW} FROM records WHERE seq > %s AND seq <= %s"
    " AND type IN ('claim', 'evidence') ORDER BY seq LIMIT %s"
)
# the claims a retraction reaches, through chains of retractions (UNION: a cycle ends)
_RETRACTED = """
    WITH RECURSIVE chain(target) AS (
        SELECT target_id FROM records WHERE type = 'retraction'
        UNION
        SELECT r.target_id FROM chain c JOIN records r ON r.id = c.target
        WHERE r.type = 'retraction'
    )
    SELECT DISTINCT CASE t.type WHEN 'claim' THEN t.id ELSE t.claim_id END
    FROM chain c JOIN records t ON t.id = c.target WHERE t.type <> 'retraction'"""
_AFTER = f"SELECT DISTINCT {_KEY} FROM records WHERE seq > %s"
_MAY_COUNT = (
    "SELECT has_table_privilege('weights', 'SELECT') AND has_table_privilege('weights', 'INSERT')"
    " AND has_table_privilege('weights', 'UPDATE')"
    " AND has_database_privilege(current_database(), 'TEMPORARY')"
)
_STATE = """
    SELECT h.weights_upto,
        coalesce(has_table_privilege(to_regclass('weights'), 'SELECT'), false),
        (SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('records')
         AND tgname = ANY(%s) AND tgenabled IN ('O', 'A'))
    FROM ledger_head h"""


def counting(conn: psycopg.Connection[Any]) -> bool:
    """Whether the connection's role may keep the counts (read and write ``weights``).

    (And make a temporary table, for large appends: PostgreSQL grants ``TEMPORARY`` on
    every database to every role unless told otherwise.)

    A writing role without those grants still appends: its appends leave the counts and
    ``weights_upto`` as they were, so the claims they touch are read from their records
    until an append by a role that may catches up on them.
    """
    row = conn.execute(_MAY_COUNT).fetchone()
    return bool(row and row[0])


def _between(
    conn: psycopg.Connection[Any], after: int, upto: int, where: str
) -> Iterator[list[Record]]:
    """The claims and evidence with ``after < seq <= upto``, through the codec, in chunks."""
    memo = Memo()
    while rows := conn.execute(_BETWEEN, [after, upto, _CHUNK]).fetchall():
        yield decode_rows(rows, path=where, memo=memo)
        after = rows[-1][0]


class Pending:
    """What an append adds to the counts, worked out before it takes the head's lock.

    The counting (:func:`~claimtrack.stores._weights.count`) is done first, so that
    the lock, which every other writer waits for, is held only for the reading of the
    stored counts it needs (one ``= ANY`` query, see :meth:`ask`), their merging and
    the writing (:meth:`finish`).
    """

    __slots__ = ("claims", "counts", "records", "wanted")

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        self.claims, self.counts = count(records)
        new = set(self.claims)
        self.wanted = [claim_id for claim_id in self.counts if claim_id not in new]

    def merged(self, conn: psycopg.Connection[Any]) -> list[Any] | None:
        """The counts to write in the append's one statement, or ``None``: not that way.

        Read (before the head's lock is taken) and merged with the stored counts of the
        claims the append adds to; as the parameters of ``append_statement(counts=True)``:
        claim ids, new counts, the stored counts merged with (``None`` for claims new in
        the append), and the number of those.  ``None`` when a claim it adds to has no
        stored counts it can use (it stays read from its records): only an append
        holding the lock can tell that no other writer made them meanwhile.
        """
        stored: dict[str, object] = {}
        if self.wanted:
            stored.update(conn.execute(_STORED, [self.wanted]).fetchall())
        rows = merge(self.claims, self.counts, stored)
        if len(rows) != len(self.wanted) + len(set(self.claims)):
            return None
        return [
            [key for key, _ in rows],
            [text for _, text in rows],
            [stored.get(key) for key, _ in rows],
            len(self.wanted),
        ]

    def ask(self, conn: psycopg.Connection[Any]) -> psycopg.Cursor[Any] | None:
        """Send the read of the stored counts this append merges with (after the lock)."""
        return conn.execute(_STORED, [self.wanted]) if self.wanted else None

    def finish(
        self,
        conn: psycopg.Connection[Any],
        last: int,
        upto: int | None,
        asked: psycopg.Cursor[Any] | None,
        where: str,
        *,
        copy: bool = True,
    ) -> None:
        """Write the counts of the append, which ends at seq *last*, and move the mark.

        Inside the append's transaction, after it took the head's row lock; *upto* is
        ``weights_upto`` as read under that lock, *asked* what :meth:`ask` sent after
        the lock was taken.  If the mark is behind the append, the records between
        are taken in first (see :func:`fold`).  *copy*: large writes may use ``COPY``
        (not in pipeline mode).
        """
        if upto is None:
            return  # the mark is unreadable: no counts are used (see read())
        if upto != last - len(self.records):
            fold(conn, self.records, last, upto, where, copy=copy)
            return
        stored: dict[str, object] = {} if asked is None else dict(asked.fetchall())
        _write(conn, merge(self.claims, self.counts, stored), last, copy=copy)


def fold(
    conn: psycopg.Connection[Any],
    records: Sequence[Record],
    last: int,
    upto: int,
    where: str,
    *,
    copy: bool = True,
) -> None:
    """Bring the counts up to date with *records*, just inserted, ending at seq *last*.

    Inside a transaction holding the head's row lock; *upto* is ``weights_upto`` as
    read under that lock.  The claims and evidence between *upto* and *records* (written
    by some other program, or every row, for the migration) are read first, a chunk at
    a time, through the codec: a damaged row is a
    :class:`~claimtrack.errors.CorruptStoreError` naming it, and the transaction fails.
    """
    rows: dict[str, str] = {}  # the counts to write, by claim, as they build up

    def take(found: Sequence[Record]) -> None:
        claims, counts = count(found)
        new = set(claims)
        stored: dict[str, object] = {}
        wanted = []
        for claim_id in counts:
            if claim_id in rows:
                stored[claim_id] = rows[claim_id]
            elif claim_id not in new:
                wanted.append(claim_id)
        if wanted:
            stored.update(conn.execute(_STORED, [wanted]).fetchall())
        rows.update(merge(claims, counts, stored))

    before = last - len(records)
    if upto < before:
        for chunk in _between(conn, upto, before, where):
            take(chunk)
    take(records)
    _write(conn, list(rows.items()), last, copy=copy)


def count_all(conn: psycopg.Connection[Any], where: str) -> None:
    """Count every claim's evidence from the rows, and mark the counts current (migration).

    Takes the head's row lock first, so an append by an older claimtrack waits.
    """
    last = conn.execute("SELECT last FROM ledger_head FOR UPDATE").fetchone()[0]  # type: ignore[index]
    fold(conn, [], last, 0, where)


def _write(
    conn: psycopg.Connection[Any], rows: list[tuple[str, str]], last: int, *, copy: bool = True
) -> None:
    """Upsert *rows* ``(claim id, counts)`` and set ``weights_upto`` to *last*."""
    if copy and len(rows) > _ARRAY_WRITE:
        conn.execute("CREATE TEMPORARY TABLE new_weights (k text, c text) ON COMMIT DROP")
        with conn.cursor() as cursor, cursor.copy("COPY new_weights FROM STDIN") as copying:
            for row in rows:
                copying.write_row(row)
        conn.execute(_UPSERT.format(source="new_weights"))
        conn.execute(_SET_UPTO, [last])
        return
    keys = [key for key, _ in rows]
    texts = [text for _, text in rows]
    conn.execute(
        f"WITH w AS ({_UPSERT.format(source='unnest(%s::text[], %s::text[])')}) {_SET_UPTO}",
        [keys, texts, last],
    )


def read(conn: psycopg.Connection[Any], where: str) -> LedgerWeights | None:
    """Every claim, the current counts, the rulings: in the snapshot of *conn*'s transaction.

    ``None`` when the counts cannot be trusted: the schema is older than version 2, the
    triggers are missing or disabled, ``weights_upto`` is NULL, or the role may not read
    ``weights``.  The counts of a claim a retraction reaches, or with a row after
    ``weights_upto``, are left out (see :mod:`claimtrack.stores._weights`).
    """
    version = conn.execute("SELECT version FROM claimtrack_schema").fetchone()
    if version is None or version[0] < 2:
        return None
    state = conn.execute(_STATE, [list(TRIGGERS)]).fetchone()
    if state is None:
        return None
    upto, readable, triggers = state
    if upto is None or not readable or triggers != len(TRIGGERS):
        return None
    memo = Memo()
    claims: list[Claim] = []
    with conn.cursor(name="claimtrack_claims") as cursor:
        cursor.execute(f"SELECT {_ROW} FROM records WHERE type = 'claim' ORDER BY seq")
        while rows := cursor.fetchmany(_CHUNK):
            claims += decode_rows(rows, path=where, memo=memo)  # type: ignore[arg-type]
    counts: dict[str, object] = dict(conn.execute(_COUNTS).fetchall())
    for query, params in (_RETRACTED, None), (_AFTER, [upto]):
        for (key,) in conn.execute(query, params).fetchall():
            counts.pop(key, None)
    rulings: dict[str, list[Ruling]] = {}
    rows = conn.execute(f"SELECT {_ROW} FROM records WHERE type = 'ruling' ORDER BY seq").fetchall()
    for ruling in decode_rows(rows, path=where, memo=memo):
        if type(ruling) is Ruling:
            rulings.setdefault(ruling.claim_id, []).append(ruling)
    return LedgerWeights(claims, counts, rulings)
