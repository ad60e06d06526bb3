"""The SQLite store: the default for ledger files (``ct.open("riyadh.db")``).

File format, schema version 2 (kept in ``PRAGMA user_version``), which new files get::

    CREATE TABLE records (
        seq     INTEGER PRIMARY KEY,   -- the order of appending, 1, 2, 3 ...
        id      TEXT NOT NULL UNIQUE,  -- the record's id: one namespace for all kinds
        type    TEXT NOT NULL,         -- "speaker", "claim", "evidence", "ruling", ...
        version INTEGER NOT NULL,      -- the record's format version (claimtrack._codec)
        name, roles, organization, same_as, recorded_at, speaker_id, text, quote, kind,
        stated_on, source, due, topics, confidence, confidence_basis, claim_id, stance,
        strength, observed_on, verdict, "on", rationale, by, target_id, reason,
        probability, made_on   -- forecasts (0.2.0): added to older files on opening
    )

One column per field of any record type (``claimtrack._codec.COLUMNS``, declared
without a type so that SQLite stores values as given); a row fills the columns of its
record's fields and leaves the others NULL.  The values are those of the record's
stored dict (:func:`~claimtrack.stores.to_dict`): a string stays a string, ``null`` is
NULL, and a boolean, number, list or object is kept as its JSON text (``roles``,
``organization``, ``same_as``, ``source``, ``topics``, ``confidence``).  So reading a
ledger parses no JSON but for those few values, which repeat and are parsed once each.

Schema version 1 (claimtrack before the column layout) kept each record as one JSON
object, the text of a JSON Lines line::

    CREATE TABLE records (
        seq  INTEGER PRIMARY KEY,
        id   TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        data TEXT NOT NULL          -- the record as one JSON object (see claimtrack._codec)
    )

A version 1 file is read, and appended to, as it is: opening never rewrites a file.
:meth:`~claimtrack.stores.SQLiteStore.upgrade` migrates it to version 2 when asked to.

Rows are only ever inserted.  The ``UNIQUE`` constraint on ``id`` makes two processes
that add the same id at the same time fail cleanly: the second gets a
:class:`~claimtrack.errors.DuplicateRecordError`.

Durability and concurrency: the connection runs with ``isolation_level=None`` (no
implicit transactions), the journal in WAL mode, ``synchronous=FULL`` and a busy
timeout; every append is one explicit ``BEGIN IMMEDIATE ... COMMIT``, so an append that
has returned is on disk, a crash leaves either all of an append or none of it, and
concurrent writers queue instead of losing updates.

Migration path: ``_MIGRATIONS[n]`` takes a database from schema version *n* to a
later one; a new, empty file gets the newest schema on opening, and an older ledger is
migrated only by :meth:`~claimtrack.stores.SQLiteStore.upgrade`.  Each migration runs in one
``BEGIN IMMEDIATE`` transaction that ends by setting ``PRAGMA user_version`` (never
``executescript()``, which commits first), so a crash leaves the file at one version or
the next.  Every writer checks ``user_version`` inside its transaction, so a process
that still had the file open in the old layout writes the new one after an upgrade.

A database newer than ``SCHEMA_VERSION`` raises
:class:`~claimtrack.errors.SchemaVersionError` and is not touched; a SQLite database
that is not a ledger, or a file that is not SQLite at all, raises
:class:`~claimtrack.errors.CorruptStoreError` and is not touched either.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Final

from claimtrack._codec import (
    CLAIM_COLUMNS,
    COLUMNS,
    EVIDENCE_COLUMNS,
    FORMAT_VERSION,
    KIND_COLUMNS,
    dumps,
    from_claim_rows,
    from_evidence_rows,
    from_rows,
    loads,
    loads_many,
    to_row,
    to_values_many,
)
from claimtrack._model import KIND_NAMES, Record
from claimtrack.errors import (
    CorruptStoreError,
    DuplicateRecordError,
    InvalidRecordError,
    SchemaVersionError,
    StoreError,
)

from ._base import without_gc

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION: Final = 2
"""The schema version this claimtrack writes (``PRAGMA user_version``)."""

_FIELDS = ", ".join(f'"{name}"' for name in COLUMNS[1:])  # "on" is an SQL keyword
_CREATE_V2 = (
    "CREATE TABLE {table} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    f" type TEXT NOT NULL, version INTEGER NOT NULL, {_FIELDS})"
)
_INSERT = {
    1: "INSERT INTO records (id, type, data) VALUES (?, ?, ?)",
    2: (
        f"INSERT INTO records (type, version, id, {_FIELDS})"
        f" VALUES ({', '.join('?' * (len(COLUMNS) + 2))})"
    ),
}
# Rows of one record type name only its columns: binding the NULLs of the other
# types' columns would cost more than the rest of the insert.
_INSERT_KIND = {
    kind: (
        "INSERT INTO records (type, version, "
        + ", ".join(f'"{name}"' for name in columns)
        + f") VALUES ({', '.join('?' * (len(columns) + 2))})"
    )
    for kind, columns in KIND_COLUMNS.items()
}
# Schema version 2 is read in one read transaction (one snapshot, whatever other
# writers do meanwhile) with two statements.  The first reads only the evidence
# columns of the rows of plain evidence: those of type "evidence" and the current
# format version whose every other column is NULL, which are most rows.  Fetching
# the NULL columns of other types would cost more than fetching the values.  The
# second reads in full the rows between them, if there are any: the other types, and
# evidence with any other column set (damage, which the full path reports), a range
# of seq at a time, so that a run of plain evidence (most of a large ledger) is never
# read twice.
_OTHERS = ", ".join(f'"{name}"' for name in COLUMNS if name not in EVIDENCE_COLUMNS)
_NARROW = f"type = 'evidence' AND version = {FORMAT_VERSION} AND coalesce({_OTHERS}) IS NULL"
_SELECT = {
    1: "SELECT seq, data FROM records WHERE seq > ? ORDER BY seq",
    2: (
        "SELECT seq, "
        + ", ".join(f'"{name}"' for name in EVIDENCE_COLUMNS)
        + f" FROM records WHERE seq > ? AND {_NARROW} ORDER BY seq"
    ),
}
# Claims, a tenth of a large ledger, are read the same way between the evidence.
_NOT_CLAIM = ", ".join(f'"{name}"' for name in COLUMNS if name not in CLAIM_COLUMNS)
_NARROW_CLAIM = f"type = 'claim' AND version = {FORMAT_VERSION} AND coalesce({_NOT_CLAIM}) IS NULL"
_SELECT_CLAIMS = (
    "SELECT seq, "
    + ", ".join(f'"{name}"' for name in CLAIM_COLUMNS)
    + f" FROM records WHERE seq > ? AND seq <= ? AND {_NARROW_CLAIM} ORDER BY seq"
)
_SELECT_WIDE = (
    f"SELECT seq, type, version, id, {_FIELDS} FROM records"
    f" WHERE seq > ? AND seq <= ? AND NOT ({_NARROW}) AND NOT ({_NARROW_CLAIM}) ORDER BY seq"
)
_SELECT_LAST = "SELECT max(seq) FROM records"
_CHUNK = 10_000
_SEQ = itemgetter(0)


def _create(conn: sqlite3.Connection) -> None:
    conn.execute(_CREATE_V2.format(table="records"))


def _v1_to_v2(conn: sqlite3.Connection, path: str) -> None:
    """Rewrite every row of a version 1 table as a version 2 row, keeping ``seq``.

    Each record is read through the codec (so a damaged row stops the migration with a
    CorruptStoreError naming it) and written as :func:`~claimtrack._codec.to_row`.
    """
    conn.execute(_CREATE_V2.format(table="records_v2"))
    insert = (
        _INSERT[2]
        .replace("INTO records (", "INTO records_v2 (seq, ")
        .replace("VALUES (", "VALUES (?, ")
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


def _add_new_columns(conn: sqlite3.Connection) -> None:
    """Add the columns of record fields newer than the file (forecasts: 0.2.0).

    Schema version 2 has one nullable column per field of any record type; a file
    written before a record type was added lacks its columns.  Adding a nullable
    column rewrites no row, and older releases, which name their columns, read the
    file as before.  One ``BEGIN IMMEDIATE`` transaction, re-checked inside it, so
    that two processes opening the file at once do not both add them.
    """

    def missing() -> list[str]:
        have = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
        return [name for name in COLUMNS if name not in have]

    if not missing():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in missing():
            conn.execute(f'ALTER TABLE records ADD COLUMN "{name}"')
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


_MIGRATIONS: Final[dict[int, tuple[int, Callable[[sqlite3.Connection, str], None]]]] = {
    0: (SCHEMA_VERSION, lambda conn, _: _create(conn)),  # a new file: the newest schema
    1: (2, _v1_to_v2),
}
"""``_MIGRATIONS[n]``: the version a migration from *n* reaches, and the migration."""


_Run = tuple[list[int], list[Record]]  # records, in seq order, and their seqs


def _merged(first: _Run, second: _Run) -> _Run:
    """Two runs of records, each in seq order, as one."""
    if not second[0]:
        return first
    if not first[0]:
        return second
    pairs = list(heapq.merge(zip(*first, strict=True), zip(*second, strict=True), key=_SEQ))
    return [seq for seq, _ in pairs], [record for _, record in pairs]


class SQLiteStore:
    """Keeps records in a SQLite database file.

    Args:
        path: the database file; created (with the schema) if it does not exist.
        timeout: how long, in seconds, to wait for another writer to finish.

    Raises:
        CorruptStoreError: the file is not a SQLite database, or not a ledger.
        SchemaVersionError: the file was written by a newer claimtrack.
        StoreError: the file cannot be opened.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.db")
        >>> with ct.Tracker(SQLiteStore(path)) as tracker:
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> with ct.Tracker(SQLiteStore(path)) as again:
        ...     again.speaker("trump").name
        'Donald Trump'

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self._path = os.fspath(path)
        self._cursor = 0  # the seq of the last row handed out
        self._version = SCHEMA_VERSION  # the layout of the file, read on opening
        try:
            self._conn = sqlite3.connect(
                self._path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: cannot open: {exc}", path=self._path) from exc
        try:
            self._open(timeout)
        except BaseException:
            self._conn.close()
            raise

    def _open(self, timeout: float) -> None:
        conn = self._conn
        try:
            # Reading first: on a file that is not a database this fails before
            # anything (like the WAL switch below) could write to it.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"not a SQLite database ({exc})", path=self._path) from None
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(path=self._path, found=version, supported=SCHEMA_VERSION)
        if version == 0 and tables:
            raise CorruptStoreError(
                "a SQLite database, but not a claimtrack ledger", path=self._path
            )
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        self._migrate(upto=0)  # a new file gets the schema; a ledger stays as it is
        if self._version >= 2:
            _add_new_columns(conn)

    def _migrate(self, upto: int) -> None:
        """Run the migrations from every version up to *upto*, one transaction each."""
        conn = self._conn
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > upto or version >= SCHEMA_VERSION:  # perhaps by another process
                    conn.execute("COMMIT")
                    self._version = version
                    return
                target, migrate = _MIGRATIONS[version]
                migrate(conn, self._path)
                conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def upgrade(self) -> int:
        """Migrate the file to the newest schema version, in one transaction.

        Opening a ledger never rewrites it: a file of an older schema is read and
        appended to in its own layout (which older claimtrack releases can still read)
        until this is called.  Other processes with the file open carry on in the new
        layout.

        Returns:
            The schema version the file had before.

        Raises:
            CorruptStoreError: a row cannot be read as a record (naming its ``seq``);
                the file is left as it was.

        Example:
            >>> import os, tempfile
            >>> store = SQLiteStore(os.path.join(tempfile.mkdtemp(), "new.db"))
            >>> store.upgrade()  # a new file already has the newest layout
            2
            >>> store.close()

        .. versionadded:: 0.1.0
        """
        before = self._version
        self._migrate(upto=SCHEMA_VERSION)
        return before

    @property
    def schema_version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``) when last checked.

        .. versionadded:: 0.1.0
        """
        return self._version

    def _check_version(self) -> None:
        """Follow an upgrade another process made since this one last looked."""
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(path=self._path, found=version, supported=SCHEMA_VERSION)
        self._version = version

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    # -- reading -----------------------------------------------------------------------

    def _decode(self, seq: int) -> Iterator[Record]:
        """The records of the rows after *seq*, in order (the cyclic GC paused)."""
        if self._version >= 2:
            return self._decode_columns(seq)
        return without_gc(self._decode_json(seq))

    def _decode_json(self, seq: int) -> Iterator[Record]:
        """:meth:`_decode` of a schema version 1 table (one JSON text a row)."""
        path = self._path
        for rows in self._rows_after(seq, _SELECT[1]):
            seqs = [row[0] for row in rows]
            texts = [row[1] for row in rows]
            for line, data in rows:
                if type(data) is not str:
                    raise CorruptStoreError(
                        f"row data is not text: {data!r:.80}", path=path, line=line
                    )
            yield from loads_many(texts, path=path, lines=seqs)
            self._cursor = seqs[-1]

    def _decode_columns(self, seq: int) -> Iterator[Record]:
        """:meth:`_decode` of a schema version 2 table (see ``_SELECT``).

        The cyclic garbage collector is paused meanwhile (see
        ``without_gc`` in ``stores._base``), here rather than by another
        generator around this one, through which each of a million records would pass.
        """
        conn, path = self._conn, self._path
        own = not conn.in_transaction  # append() reads inside its own transaction
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            if own:
                conn.execute("BEGIN")
            last = conn.execute(_SELECT_LAST).fetchone()[0]  # the snapshot starts here
            if last is None or last <= seq:
                return
            done = seq  # every row up to here has been handed out
            for rows in self._rows_after(seq, _SELECT[2]):
                records = from_evidence_rows(rows, path=path)
                end = rows[-1][0]
                if end - done != len(rows):  # other rows lie between these
                    records = _merged(([row[0] for row in rows], records), self._wide(done, end))[1]
                yield from records
                self._cursor = done = end
            if done < last:
                yield from self._wide(done, last)[1]
                self._cursor = last
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"cannot read records: {exc}", path=path) from None
        finally:
            if own and conn.in_transaction:
                conn.execute("ROLLBACK")  # a read: nothing to keep
            if gc_was_enabled:
                gc.enable()

    def _wide(self, after: int, upto: int) -> _Run:
        """The seqs and records of the rows in (*after*, *upto*] but plain evidence.

        Plain claims are read narrow, the rest in full.
        """
        conn, path = self._conn, self._path
        claims = conn.execute(_SELECT_CLAIMS, (after, upto)).fetchall()
        rows = conn.execute(_SELECT_WIDE, (after, upto)).fetchall()
        return _merged(
            ([row[0] for row in claims], from_claim_rows(claims, path=path)),
            ([row[0] for row in rows], from_rows(rows, path=path)),
        )

    def _rows_after(self, seq: int, select: str) -> Iterator[list[tuple[Any, ...]]]:
        try:
            cursor = self._conn.execute(select, (seq,))
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"cannot read records: {exc}", path=self._path) from None
        return self._chunks(cursor)

    def _chunks(self, cursor: sqlite3.Cursor) -> Iterator[list[tuple[Any, ...]]]:
        try:
            while rows := cursor.fetchmany(_CHUNK):
                yield rows
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"cannot read records: {exc}", path=self._path) from None

    def load(self) -> Iterator[Record]:
        """Yield every record, in the order appended.

        Raises:
            CorruptStoreError: a row cannot be read as a record (naming its ``seq``).
            SchemaVersionError: a row was written by a newer claimtrack.
        """
        self._cursor = 0
        self._check_version()
        return self._decode(0)

    def read_new(self) -> Iterator[Record]:
        """Yield the records other writers appended since this store last read."""
        self._check_version()
        return self._decode(self._cursor)

    # -- writing -----------------------------------------------------------------------

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Insert *records* in one ``BEGIN IMMEDIATE ... COMMIT`` transaction.

        Returns:
            The records other writers appended since this store last read.

        Raises:
            DuplicateRecordError: another writer stored one of the ids first.
            InvalidRecordError: a record holds text SQLite cannot store.
            CorruptStoreError: a row written by another writer cannot be read.
        """
        if not records:
            return ()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: cannot write: {exc}", path=self._path) from exc
        start = self._cursor
        try:
            self._check_version()
            others = list(self._decode(start))
            if self._version >= 2:
                for kind, rows in itertools.groupby(to_values_many(records), itemgetter(0)):
                    conn.executemany(_INSERT_KIND[kind], rows)
            else:
                rows = ((r.id, KIND_NAMES[type(r)], dumps(r)) for r in records)
                conn.executemany(_INSERT[1], rows)
            last = conn.execute("SELECT max(seq) FROM records").fetchone()[0]
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            self._cursor = start
            raise self._duplicate(records) from None
        except UnicodeEncodeError as exc:
            conn.execute("ROLLBACK")
            self._cursor = start
            raise InvalidRecordError("text", exc.object, "contains a lone surrogate") from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._cursor = start
            raise
        self._cursor = last
        return others

    def _duplicate(self, records: Sequence[Record]) -> StoreError | DuplicateRecordError:
        ids = [r.id for r in records]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found = self._conn.execute(
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
        return StoreError(f"{self._path}: a constraint failed", path=self._path)

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SQLiteStore {self._path!r}>"

    def backup(self, path: str | os.PathLike[str]) -> None:
        """Copy the ledger to a new SQLite file at *path*, while others may write to it.

        SQLite's online backup API (``sqlite3.Connection.backup``) copies a
        consistent snapshot page by page; the copy goes to a new file beside *path*,
        which then replaces *path*, so a failed backup leaves *path* as it was.

        Raises:
            StoreError: the copy cannot be made (the message names *path*).

        Example:
            >>> import os, tempfile, claimtrack as ct
            >>> folder = tempfile.mkdtemp()
            >>> with ct.open(os.path.join(folder, "a.db")) as t:
            ...     _ = t.add_speaker("Donald Trump", id="trump")
            ...     t.store.backup(os.path.join(folder, "copy.db"))
            >>> with ct.open(os.path.join(folder, "copy.db")) as copy:
            ...     [s.id for s in copy.speakers()]
            ['trump']
        """
        target = os.fspath(path)
        folder = os.path.dirname(target) or "."
        tmp = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.backup")
        try:
            copy = sqlite3.connect(tmp, isolation_level=None)
            try:
                self._conn.backup(copy)
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
