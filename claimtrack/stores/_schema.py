"""The SQLite ledger's schema and its migrations (see :mod:`claimtrack.stores._sqlite`).

Migration path: ``_MIGRATIONS[n]`` takes a database from schema version *n* to a
later one; a new, empty file gets the newest schema on opening, and an older ledger is
migrated only by :meth:`~claimtrack.stores.SQLiteStore.upgrade`.  Each migration runs in
one ``BEGIN IMMEDIATE`` transaction that ends by setting ``PRAGMA user_version`` (never
``executescript()``, which commits first), so a crash leaves the file at one version or
the next.  Every writer checks ``user_version`` inside its transaction, so a process
that still had the file open in the old layout writes the new one after an upgrade.

File format, schema version 4 (kept in ``PRAGMA user_version``), which new files get::

    CREATE TABLE records (
        seq       INTEGER PRIMARY KEY,   -- the order of appending, 1, 2, 3 ...
        id        TEXT NOT NULL UNIQUE,  -- the record's id: one namespace for all kinds
        type      TEXT NOT NULL,         -- "speaker", "claim", "evidence", "ruling", ...
        version   INTEGER NOT NULL,      -- the record's format version (claimtrack._codec)
        claim_key TEXT,                  -- the claim the record bears on (NULL: speakers)
        name, roles, organization, same_as, recorded_at, speaker_id, text, quote, kind,
        stated_on, source, due, topics, confidence, confidence_basis, claim_id, stance,
        strength, observed_on, verdict, "on", rationale, by, target_id, reason,
        probability, made_on            -- forecasts (0.2.0)
    );
    CREATE INDEX records_claim ON records (claim_key, seq);
    CREATE INDEX records_speaker ON records (speaker_id, seq) WHERE speaker_id IS NOT NULL;
    CREATE INDEX records_type ON records (type, seq);
    CREATE INDEX records_target ON records (target_id) WHERE target_id IS NOT NULL;
    CREATE TABLE topics (topic TEXT NOT NULL, seq INTEGER NOT NULL,
                         PRIMARY KEY (topic, seq)) WITHOUT ROWID;
    CREATE VIRTUAL TABLE records_text USING fts5(text, content='records', content_rowid='seq');
    -- version 4: weighing counts (claimtrack.stores._weights)
    CREATE TABLE weights (claim_key TEXT PRIMARY KEY, counts TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;  -- weights_upto
    CREATE TRIGGER weights_on_update AFTER UPDATE ON records BEGIN
        DELETE FROM weights WHERE claim_key IN (OLD.claim_key, NEW.claim_key); END;
    CREATE TRIGGER weights_on_delete AFTER DELETE ON records BEGIN
        DELETE FROM weights WHERE claim_key = OLD.claim_key; END;

One column per field of any record type (``claimtrack.stores._rows.COLUMNS``,
declared without a type so that SQLite stores values as given); a row fills the
columns of its record's fields and leaves the others NULL.  The values are those of
the record's stored dict (:func:`~claimtrack.stores.to_dict`): a string stays a
string, ``null`` is NULL, and a boolean, number, list or object is kept as its JSON
text.  ``claim_key`` is the claim a record bears on: a claim's own id, the
``claim_id`` of evidence and rulings, and for a retraction that of its target (so
through a chain of retractions of retractions), set on appending: everything bearing
on one claim is one indexed range
(:meth:`~claimtrack.stores.SQLiteStore.claim_records`).  ``topics`` indexes claims by
topic; ``records_text`` is a full-text index (FTS5) of the text of claims and evidence,
for :meth:`~claimtrack.stores.SQLiteStore.search`.  ``weights`` holds, for each claim,
how many of its pieces of evidence have each (stance, strength, reliability), written
in the transaction of the records it counts, so that
:meth:`~claimtrack.Tracker.assess_all` weighs a claim without reading its evidence;
``meta`` notes the last ``seq`` the counts take in, and the triggers drop the counts of
a claim whose rows another program edits (see ``claimtrack.stores._weights`` for
when counts are used).  If this Python's SQLite lacks
FTS5, a new file gets no ``records_text`` and search falls back to ``LIKE`` over the
text (every word must be there; each result scores 1.0).

Older files: schema version 3 (without ``weights``, ``meta`` and the triggers: it
answers every query from its indexes, and ``assess_all`` reads every claim's records),
version 2 (the same table, without ``claim_key`` or any index but ``id``'s) and
version 1 (one JSON text a row, ``data``).  A file of an older
version is opened, read and appended to in its own layout, never rewritten on
opening; it has no indexes to answer from, so it is read whole into in-memory indexes
on opening (as a JSON Lines file is): slower, and memory in proportion to the
ledger.  :meth:`~claimtrack.stores.SQLiteStore.upgrade` migrates it to version 4.

Forecasts (0.2.0) added the columns ``probability`` and ``made_on``.  A file of
version 2 or 3 written without them gets them on opening, when it can be written
(``ALTER TABLE ... ADD COLUMN`` of a nullable column rewrites no row, and older
releases, which name their columns, read the file as before); a file opened read-only
is read through a temporary view that adds them as NULL, never changing the file.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Final

from claimtrack._codec import FORMAT_VERSION, dumps, loads
from claimtrack._model import KIND_NAMES, Claim, Record, Retraction
from claimtrack.errors import CorruptStoreError, DuplicateRecordError, StoreError

from ._rows import (
    COLUMNS,
    EVIDENCE_COLUMNS,
    KIND_COLUMNS,
    Memo,
    decode_rows,
    to_row,
    to_values_many,
)
from ._weights import TRIGGERS, UPTO, count, merge

_KIND = itemgetter(0)

__all__ = ["SCHEMA_VERSION"]

SCHEMA_VERSION: Final = 4
"""The schema version this claimtrack writes (``PRAGMA user_version``)."""

_FIELDS = ", ".join(f'"{name}"' for name in COLUMNS[1:])  # "on" is an SQL keyword
_CREATE_TABLE = (
    "CREATE TABLE {table} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, version INTEGER NOT NULL{extra}, {fields})"
)
_INDEXES = (
    "CREATE INDEX records_claim ON records (claim_key, seq)",
    "CREATE INDEX records_speaker ON records (speaker_id, seq) WHERE speaker_id IS NOT NULL",
    "CREATE INDEX records_type ON records (type, seq)",
    "CREATE INDEX records_target ON records (target_id) WHERE target_id IS NOT NULL",
    (
        "CREATE TABLE topics (topic TEXT NOT NULL, seq INTEGER NOT NULL,"
        " PRIMARY KEY (topic, seq)) WITHOUT ROWID"
    ),
)
# Version 4: each claim's weighing counts (claimtrack.stores._weights), the last seq
# they take in, and the triggers that drop the counts of a claim whose rows are edited.
_WEIGHTS = (
    "CREATE TABLE weights (claim_key TEXT PRIMARY KEY, counts TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID",
    f"INSERT INTO meta (name, value) VALUES ('{UPTO}', 0)",
    (
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER UPDATE ON records BEGIN"
        " DELETE FROM weights WHERE claim_key IN (OLD.claim_key, NEW.claim_key); END"
    ),
    (
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON records BEGIN"
        " DELETE FROM weights WHERE claim_key = OLD.claim_key; END"
    ),
)
_SELECT_UPTO = f"SELECT value FROM meta WHERE name = '{UPTO}'"
_SET_UPTO = f"UPDATE meta SET value = ? WHERE name = '{UPTO}'"
_WRITE_WEIGHTS = (
    "INSERT INTO weights (claim_key, counts) VALUES (?, ?)"
    " ON CONFLICT (claim_key) DO UPDATE SET counts = excluded.counts"
)
_CREATE_FTS = (
    "CREATE VIRTUAL TABLE records_text USING fts5(text, content='records', content_rowid='seq')"
)
_FILL_FTS = (
    "INSERT INTO records_text (rowid, text) SELECT seq, text FROM records"
    " WHERE seq > ? AND type IN ('claim', 'evidence') AND text IS NOT NULL"
)
_INSERT_V1 = "INSERT INTO records (id, type, data) VALUES (?, ?, ?)"
_INSERT_V2 = (
    f"INSERT INTO records (type, version, id, {_FIELDS})"
    f" VALUES ({', '.join('?' * (len(COLUMNS) + 2))})"
)
# Rows of one record type name only its columns: binding the NULLs of the other
# types' columns would cost more than the rest of the insert.
_INSERT_KIND = {
    (kind, keyed): (
        "INSERT INTO records (type, version, "
        + ("claim_key, " if keyed else "")
        + ", ".join(f'"{name}"' for name in columns)
        + f") VALUES ({', '.join('?' * (len(columns) + 2 + keyed))})"
    )
    for kind, columns in KIND_COLUMNS.items()
    for keyed in (False, True)
}
_FULL = f"seq, type, version, id, {_FIELDS}"
_FULL_QUALIFIED = ", ".join(
    f'records."{name}"' for name in ("seq", "type", "version", "id", *COLUMNS[1:])
)
_SELECT_V1 = "SELECT seq, data FROM records WHERE seq > ? ORDER BY seq LIMIT ?"
_SELECT_CLAIMS_AND_EVIDENCE = (
    f"SELECT {_FULL} FROM records WHERE seq > ? AND +type IN ('claim', 'evidence')"
    " ORDER BY seq LIMIT ?"
)
_SELECT_AFTER = f"SELECT {_FULL} FROM records WHERE seq > ? ORDER BY seq LIMIT ?"
# The records of a group of claims, read as two statements: the plain evidence (of the
# current format version, every other column NULL: most rows) through its own columns
# only, and the rest in full.  (No ORDER BY: the reader puts each claim's rows in seq
# order, which costs less than asking SQLite to.)
_NOT_EVIDENCE = ", ".join(f'"{name}"' for name in COLUMNS if name not in EVIDENCE_COLUMNS)
_NARROW = f"type = 'evidence' AND version = {FORMAT_VERSION} AND coalesce({_NOT_EVIDENCE}) IS NULL"
# (``+type``: look rows up by claim_key, never scan every row of a type)
_NARROW_OF = f"+{_NARROW}"
SELECT_EVIDENCE_OF = (
    "SELECT claim_key, seq, "
    + ", ".join(f'"{name}"' for name in EVIDENCE_COLUMNS)
    + " FROM records WHERE claim_key IN ({marks}) AND "
    + _NARROW_OF
)
SELECT_OTHERS_OF = (
    f"SELECT claim_key, {_FULL} FROM records WHERE claim_key IN ({{marks}})"
    f" AND +type != 'claim' AND NOT ({_NARROW})"
)
_CHUNK = 10_000


def _fts5_available() -> bool:
    """Whether this Python's SQLite has the FTS5 extension."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def _create(conn: sqlite3.Connection, path: str) -> None:
    conn.execute(_CREATE_TABLE.format(table="records", extra=", claim_key TEXT", fields=_FIELDS))
    for statement in (*_INDEXES, *_WEIGHTS):
        conn.execute(statement)
    if _fts5_available():
        conn.execute(_CREATE_FTS)


def _v1_to_v2(conn: sqlite3.Connection, path: str) -> None:
    """Rewrite every row of a version 1 table as a version 2 row, keeping ``seq``.

    Each record is read through the codec (so a damaged row stops the migration with a
    CorruptStoreError naming it) and written as :func:`~claimtrack.stores._rows.to_row`.
    """
    conn.execute(_CREATE_TABLE.format(table="records_v2", extra="", fields=_FIELDS))
    insert = _INSERT_V2.replace("INTO records (", "INTO records_v2 (seq, ").replace(
        "VALUES (", "VALUES (?, "
    )
    cursor = conn.execute("SELECT seq, data FROM records ORDER BY seq")
    while rows := cursor.fetchmany(_CHUNK):
        out = []
        for seq, data in rows:
            if type(data) is not str:
                raise CorruptStoreError(f"row data is not text: {data!r:.80}", path=path, line=seq)
            out.append((seq, *to_row(loads(data, path=path, line=seq))))
        conn.executemany(insert, out)
    conn.execute("DROP TABLE records")
    conn.execute("ALTER TABLE records_v2 RENAME TO records")


def _v2_to_v3(conn: sqlite3.Connection, path: str) -> None:
    """Add ``claim_key``, the indexes, the topics and the full-text index.

    Every row is kept as it is; the ``claim_key`` of a retraction is that of its
    target, resolved in seq order (a retraction must follow its target).
    """
    conn.execute("ALTER TABLE records ADD COLUMN claim_key TEXT")
    conn.execute("UPDATE records SET claim_key = id WHERE type = 'claim'")
    conn.execute(
        "UPDATE records SET claim_key = claim_id WHERE type NOT IN ('speaker', 'claim',"
        " 'retraction')"
    )
    rows = conn.execute(
        "SELECT seq, id, target_id FROM records WHERE type = 'retraction' ORDER BY seq"
    ).fetchall()
    for seq, record_id, target_id in rows:
        found = conn.execute(
            "SELECT seq, type, claim_key FROM records WHERE id = ?", (target_id,)
        ).fetchone()
        if found is None or found[0] >= seq or found[1] == "speaker" or found[2] is None:
            raise CorruptStoreError(
                f"retraction {record_id!r} retracts {target_id!r}, which is not a record "
                "that comes before it (a cycle of retractions or a dangling reference)",
                path=path,
                line=seq,
            )
        conn.execute("UPDATE records SET claim_key = ? WHERE seq = ?", (found[2], seq))
    for statement in _INDEXES:
        conn.execute(statement)
    topics: list[tuple[str, int]] = []
    for seq, text in conn.execute("SELECT seq, topics FROM records WHERE type = 'claim'"):
        try:
            found_topics = json.loads(text) if isinstance(text, str) else []
        except ValueError:
            found_topics = []  # the row is refused, naming itself, when it is read
        if isinstance(found_topics, list):
            topics.extend((t, seq) for t in set(found_topics) if isinstance(t, str))
    conn.executemany("INSERT INTO topics (topic, seq) VALUES (?, ?)", topics)
    if _fts5_available():
        conn.execute(_CREATE_FTS)
        conn.execute(_FILL_FTS, (0,))


def _v3_to_v4(conn: sqlite3.Connection, path: str) -> None:
    """Add the weighing counts (``weights``, ``meta``, two triggers), counted from the rows.

    Every claim and piece of evidence is read through the codec, so a damaged row stops
    the migration with a CorruptStoreError naming it.
    """
    for statement in _WEIGHTS:
        conn.execute(statement)
    fold(conn, [], lambda upto: _claims_and_evidence(conn, path))


def _claims_and_evidence(conn: sqlite3.Connection, path: str) -> Iterator[Record]:
    """Every claim and piece of evidence in the file, in seq order, a chunk at a time."""
    memo, seq = Memo(), 0
    while rows := conn.execute(_SELECT_CLAIMS_AND_EVIDENCE, (seq, _CHUNK)).fetchall():
        yield from decode_rows(rows, path=path, memo=memo)
        seq = rows[-1][0]


_MIGRATIONS: Final[dict[int, tuple[int, Callable[[sqlite3.Connection, str], None]]]] = {
    0: (SCHEMA_VERSION, _create),  # a new file: the newest schema
    1: (2, _v1_to_v2),
    2: (3, _v2_to_v3),
    3: (4, _v3_to_v4),
}
"""``_MIGRATIONS[n]``: the version a migration from *n* reaches, and the migration."""


def _keys(conn: sqlite3.Connection, records: Sequence[Record]) -> list[str | None]:
    """The ``claim_key`` of each of *records* (see the module docstring)."""
    batch: dict[str, str | None] = {}
    keys: list[str | None] = []
    for record in records:
        if isinstance(record, Claim):
            key: str | None = record.id
        elif isinstance(record, Retraction):
            target = record.target_id
            if target in batch:
                key = batch[target]
            else:
                row = conn.execute(
                    "SELECT claim_key FROM records WHERE id = ?", (target,)
                ).fetchone()
                key = None if row is None else row[0]
        else:
            key = getattr(record, "claim_id", None)
        batch[record.id] = key
        keys.append(key)
    return keys


def insert(
    conn: sqlite3.Connection,
    version: int,
    records: Sequence[Record],
    before: int,
    caught_up: Callable[[int], Iterable[Record]],
) -> None:
    """Insert the rows of *records* (in the file's layout), inside a transaction.

    *before* is the last seq in the file; from version 4 on, the weighing counts take
    in *records* and, through *caught_up(seq)* (the records after *seq*, up to
    *before*), whatever another program appended since they were last brought up to
    date (see :func:`fold`).
    """
    if version < 2:
        rows = ((r.id, KIND_NAMES[type(r)], dumps(r)) for r in records)
        conn.executemany(_INSERT_V1, rows)
        return
    memo = Memo()
    if version < 3:
        for kind, group in itertools.groupby(to_values_many(records, memo), _KIND):
            conn.executemany(_INSERT_KIND[kind, False], group)
        return
    keys = iter(_keys(conn, records))
    keyed = ((v[0], v[1], next(keys), *v[2:]) for v in to_values_many(records, memo))
    for kind, group in itertools.groupby(keyed, _KIND):
        conn.executemany(_INSERT_KIND[kind, True], group)
    topics = [
        (topic, before + i)
        for i, record in enumerate(records, start=1)
        if isinstance(record, Claim)
        for topic in record.topics
    ]
    if topics:
        conn.executemany("INSERT INTO topics (topic, seq) VALUES (?, ?)", topics)
    has_fts = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'records_text'"
    ).fetchone()[0]
    if has_fts:
        conn.execute(_FILL_FTS, (before,))
    if version >= 4:
        fold(conn, records, caught_up)


def weights_upto(conn: sqlite3.Connection) -> int | None:
    """The last seq the weighing counts take in (``None``: not a number, so none)."""
    row = conn.execute(_SELECT_UPTO).fetchone()
    return row[0] if row is not None and type(row[0]) is int else None


def fold(
    conn: sqlite3.Connection,
    records: Sequence[Record],
    caught_up: Callable[[int], Iterable[Record]],
) -> None:
    """Bring the weighing counts up to date with *records*, just inserted (in a transaction).

    First with the records between the counts' last seq and *records* (written by some
    other program: ``caught_up(seq)`` reads them, through the codec), then with
    *records*; then the last seq is the file's.  Counts of a claim they bear on that
    are not stored stay so (the claim is read from its records).
    """
    upto = weights_upto(conn)
    if upto is None:
        return  # the mark was damaged: no counts are used (see _sqlite.SQLiteStore)
    # (the file's own last seq, not the caller's: rows another program deleted at the
    # end are not counted as if still there)
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0]
    first = last - len(records)
    found: Sequence[Record] = records
    if upto < first:
        found = [*caught_up(upto), *records]
    claims, counts = count(found)
    stored: dict[str, object] = {}
    new = set(claims)
    wanted = [c for c in counts if c not in new]
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        stored.update(
            conn.execute(
                f"SELECT claim_key, counts FROM weights WHERE claim_key IN ({marks})", chunk
            ).fetchall()
        )
    conn.executemany(_WRITE_WEIGHTS, merge(claims, counts, stored))
    conn.execute(_SET_UPTO, (last,))


def duplicate(
    conn: sqlite3.Connection, path: str, records: Sequence[Record]
) -> StoreError | DuplicateRecordError:
    """The error for an append the unique constraint refused."""
    ids = [r.id for r in records]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found = conn.execute(
            f"SELECT id, type FROM records WHERE id IN ({marks}) LIMIT 1",
            chunk,
        ).fetchone()
        if found is not None:
            return DuplicateRecordError(found[0], kind=found[1])
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            return DuplicateRecordError(record.id, kind=KIND_NAMES[type(record)])
        seen.add(record.id)
    return StoreError(f"{path}: a constraint failed", path=path)


def backup(conn: sqlite3.Connection, path: str | os.PathLike[str]) -> None:
    """Copy the ledger of *conn* to a new SQLite file at *path* (see ``SQLiteStore.backup``)."""
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.backup")
    try:
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise StoreError(f"{target}: cannot write the backup: {exc}", path=target) from exc
