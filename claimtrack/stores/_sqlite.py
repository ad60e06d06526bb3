"""The SQLite store: the default for ledger files (``ct.open("riyadh.db")``).

File format (schema version 1, kept in ``PRAGMA user_version``)::

    CREATE TABLE records (
        seq  INTEGER PRIMARY KEY,   -- the order of appending, 1, 2, 3 ...
        id   TEXT NOT NULL UNIQUE,  -- the record's id: one namespace for all kinds
        type TEXT NOT NULL,         -- "speaker", "claim", "evidence", "ruling", "retraction"
        data TEXT NOT NULL          -- the record as one JSON object (see claimtrack._codec)
    )

Rows are only ever inserted.  The ``UNIQUE`` constraint on ``id`` makes two processes
that add the same id at the same time fail cleanly: the second gets a
:class:`~claimtrack.errors.DuplicateRecordError`.

Durability and concurrency: the connection runs with ``isolation_level=None`` (no
implicit transactions), the journal in WAL mode, ``synchronous=FULL`` and a busy
timeout; every append is one explicit ``BEGIN IMMEDIATE ... COMMIT``, so an append that
has returned is on disk, a crash leaves either all of an append or none of it, and
concurrent writers queue instead of losing updates.

Migration path: ``_MIGRATIONS[n]`` lists the statements that take a database from
schema version *n* to *n + 1*.  On opening, each pending migration runs in its own
``BEGIN IMMEDIATE`` transaction that ends by setting ``PRAGMA user_version`` (never
``executescript()``, which commits first), so a crash leaves the file at one version or
the next.  A database newer than ``SCHEMA_VERSION`` raises
:class:`~claimtrack.errors.SchemaVersionError` and is not touched; a SQLite database
that is not a ledger, or a file that is not SQLite at all, raises
:class:`~claimtrack.errors.CorruptStoreError` and is not touched either.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from claimtrack._codec import dumps, loads_many
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

SCHEMA_VERSION: Final = 1
"""The schema version this claimtrack writes (``PRAGMA user_version``)."""

_MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    0: (
        (
            "CREATE TABLE records ("
            " seq INTEGER PRIMARY KEY,"
            " id TEXT NOT NULL UNIQUE,"
            " type TEXT NOT NULL,"
            " data TEXT NOT NULL)"
        ),
    ),
}

_INSERT = "INSERT INTO records (id, type, data) VALUES (?, ?, ?)"
_CHUNK = 10_000


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
        self._migrate()

    def _migrate(self) -> None:
        conn = self._conn
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:  # done, perhaps by another process
                    conn.execute("COMMIT")
                    return
                for statement in _MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    # -- reading -----------------------------------------------------------------------

    def _decode(self, chunks: Iterable[list[tuple[int, str]]]) -> Iterator[Record]:
        path = self._path
        for rows in chunks:
            seqs = [row[0] for row in rows]
            texts = [row[1] for row in rows]
            for seq, data in rows:
                if type(data) is not str:
                    raise CorruptStoreError(
                        f"row data is not text: {data!r:.80}", path=path, line=seq
                    )
            yield from loads_many(texts, path=path, lines=seqs)
            self._cursor = seqs[-1]

    def _rows_after(self, seq: int) -> Iterator[list[tuple[int, str]]]:
        try:
            cursor = self._conn.execute(
                "SELECT seq, data FROM records WHERE seq > ? ORDER BY seq", (seq,)
            )
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
        return without_gc(self._decode(self._rows_after(0)))

    def read_new(self) -> Iterator[Record]:
        """Yield the records other writers appended since this store last read."""
        return without_gc(self._decode(self._rows_after(self._cursor)))

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
        rows = ((r.id, KIND_NAMES[type(r)], dumps(r)) for r in records)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: cannot write: {exc}", path=self._path) from exc
        start = self._cursor
        try:
            others = list(self._decode(self._rows_after(start)))
            conn.executemany(_INSERT, rows)
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
