"""Opening a SQLite ledger file: connection, checks, read-only modes, migrations.

The base of :class:`~claimtrack.stores.SQLiteStore` (see :mod:`claimtrack.stores._sqlite`
for the file format and :mod:`claimtrack.stores._schema` for the migrations).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Final

from claimtrack.errors import CorruptStoreError, SchemaVersionError, StoreError

from ._rows import COLUMNS
from ._schema import _MIGRATIONS, SCHEMA_VERSION
from ._schema import backup as _online_backup

__all__ = ["SQLiteFile"]

# The columns a ledger's records table has in each schema version (at least), by which
# another application's database that happens to have a table called records is told
# apart from a ledger; any version from 2 on has those of version 2.
_LEDGER_COLUMNS: Final = {1: {"seq", "id", "type", "data"}, 2: {"seq", "id", "type", "version"}}


def _write_error(path: str, exc: sqlite3.Error) -> StoreError:
    """The StoreError for a write SQLite refused, naming the file and the cause."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        cause = "the disk is full"
    elif name.startswith("SQLITE_READONLY"):
        cause = "the file or its folder is read-only"
    elif name.startswith("SQLITE_IOERR"):
        cause = "the disk could not be written (it may be full, or the file too large)"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        cause = "another process kept the ledger locked for longer than the timeout"
    elif name.startswith(("SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN")):
        cause = "permission denied"
    else:
        cause = "SQLite refused the write"
    return StoreError(f"{path}: cannot write: {cause} ({exc})", path=path)


class SQLiteFile:
    """A SQLite ledger file's connection, checks and schema version (a base class)."""

    _path: str
    _timeout: float
    _version: int
    _readonly: str | None
    _conn: sqlite3.Connection

    def _start(self) -> None:  # pragma: no cover - defined by SQLiteStore
        raise NotImplementedError

    def _connect(self, uri_mode: str | None) -> sqlite3.Connection:
        """Connect, to the path or to its ``file:`` URI with *uri_mode* (``mode=ro`` ...)."""
        try:
            if uri_mode is None:
                target, uri = self._path, False
            else:
                target, uri = f"{Path(self._path).absolute().as_uri()}?{uri_mode}", True
            return sqlite3.connect(
                target,
                timeout=self._timeout,
                isolation_level=None,
                check_same_thread=False,
                uri=uri,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: cannot open: {exc}", path=self._path) from exc

    def _peek(self) -> tuple[int, int, set[str]]:
        """``user_version``, the number of tables and the records table's columns."""
        conn = self._conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        columns = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
        return version, tables, columns

    def _read_only_folder(self) -> tuple[int, int, set[str]]:
        """:meth:`_peek` of a ledger whose folder cannot hold WAL's ``-wal``/``-shm`` files.

        Read as an immutable snapshot, which needs no files beside it, unless a ``-wal``
        file holds commits that only a writer can apply.
        """
        wal = f"{self._path}-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            raise StoreError(
                f"{self._path}: cannot read: its folder is read-only and its write-ahead log"
                f" ({wal}) holds commits that only a process that can write there applies",
                path=self._path,
            )
        self._conn.close()
        self._conn = self._connect("immutable=1")
        self._readonly = self._readonly or "the file's folder is read-only"
        return self._peek()

    def _open(self, timeout: float) -> None:
        # Reading first: on a file that is not a ledger this fails before anything (like
        # the WAL switch below) could write to it.
        try:
            try:
                version, tables, columns = self._peek()
            except sqlite3.OperationalError as exc:
                name = getattr(exc, "sqlite_errorname", "") or ""
                if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                    raise
                version, tables, columns = self._read_only_folder()
        except sqlite3.DatabaseError as exc:
            name = getattr(exc, "sqlite_errorname", "") or ""
            if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
                raise CorruptStoreError(f"not a SQLite database ({exc})", path=self._path) from None
            raise StoreError(f"{self._path}: cannot read: {exc}", path=self._path) from None
        needed = _LEDGER_COLUMNS[min(version, 2)] if version >= 1 else set()
        if (version == 0 and tables) or version < 0 or not needed <= columns:
            raise CorruptStoreError(
                "a SQLite database, but not a claimtrack ledger", path=self._path
            )
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(path=self._path, found=version, supported=SCHEMA_VERSION)
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        if self._readonly is not None:
            if version == 0:
                raise StoreError(
                    f"{self._path}: cannot open read-only: the file holds no ledger yet",
                    path=self._path,
                )
            self._version = version
            self._view_new_columns(version, columns)
            return
        conn.execute("PRAGMA synchronous = FULL")
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            self._migrate(upto=0)  # a new file gets the schema; a ledger stays as it is
            if version >= 2:
                self._add_new_columns()
        except sqlite3.OperationalError as exc:
            error = _write_error(self._path, exc)
            name = getattr(exc, "sqlite_errorname", "") or ""
            if version == 0 or not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise error from None
            # a ledger this process may read but not write (its folder, say): read it
            self._readonly = str(error).split(": cannot write: ", 1)[-1]
            self._version = version
            self._view_new_columns(version, columns)

    def _add_new_columns(self) -> None:
        """Add the columns of record fields newer than the file (forecasts: 0.2.0).

        A file of schema 2 or 3 written before a record type was added lacks its
        columns.  Adding a nullable column rewrites no row, and older releases, which
        name their columns, read the file as before.  One ``BEGIN IMMEDIATE``
        transaction, checked again inside it, so that two processes opening the file
        at once do not both add them.
        """
        conn = self._conn

        def missing() -> list[str]:
            have = {row[1] for row in conn.execute("PRAGMA main.table_info(records)")}
            return [name for name in COLUMNS if name not in have]

        if not missing():
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            for name in missing():
                conn.execute(f'ALTER TABLE main.records ADD COLUMN "{name}"')
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _view_new_columns(self, version: int, columns: set[str]) -> None:
        """Read a file without the newer columns through a temporary view that adds them.

        The view (in the connection's own ``temp`` schema, never in the file) is named
        ``records`` and so is what every query's ``records`` means; the columns it adds
        are NULL, as no record in the file can have those fields.
        """
        missing = [name for name in COLUMNS if name not in columns]
        if version < 2 or not missing:
            return
        added = ", ".join(f'NULL AS "{name}"' for name in missing)
        self._conn.execute(f"CREATE TEMP VIEW records AS SELECT *, {added} FROM main.records")

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
        """Migrate the file to the newest schema version, one transaction a step.

        Opening a ledger never rewrites it: a file of an older schema is read and
        appended to in its own layout (which older claimtrack releases can still read)
        until this is called.  Other processes with the file open carry on in the new
        layout.

        Returns:
            The schema version the file had before.

        Raises:
            CorruptStoreError: a row cannot be read as a record, or a retraction does
                not follow what it retracts (naming its ``seq``); the file is left at
                the last version reached.

        Example:
            >>> import os, tempfile
            >>> from claimtrack.stores import SQLiteStore
            >>> store = SQLiteStore(os.path.join(tempfile.mkdtemp(), "new.db"))
            >>> store.upgrade()  # a new file already has the newest layout
            4
            >>> store.close()

        .. versionadded:: 0.1.0
        """
        before = self._version
        if self._readonly is not None:
            raise StoreError(f"{self._path}: cannot upgrade: {self._readonly}", path=self._path)
        try:
            self._migrate(upto=SCHEMA_VERSION)
        except sqlite3.OperationalError as exc:
            raise _write_error(self._path, exc) from None
        if before < SCHEMA_VERSION:
            self._start()
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

    @property
    def readonly(self) -> bool:
        """Whether the store only reads (opened with ``readonly=True``, or unwritable).

        .. versionadded:: 0.2.0
        """
        return self._readonly is not None

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
        _online_backup(self._conn, path)
