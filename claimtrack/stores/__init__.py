"""Where a tracker keeps its records.

A store is an append-only log of records that also answers queries (the
:class:`Store` protocol): a record by id, everything bearing on one claim
(:class:`ClaimRecords`), claims by speaker, topic, kind, date and words, speakers,
counts, and a stream of every record.  The tracker validates every record before it
reaches the store, and asks the store whenever it needs to know something, so a
store that fails leaves the tracker as it was.

* :class:`MemoryStore`: in-memory indexes, the default of :class:`~claimtrack.Tracker`.
* :class:`SQLiteStore`: a SQLite database file (``.db``, ``.sqlite``, ``.sqlite3``), the
  default for files; answers with SQL over indexes; WAL, one ``BEGIN IMMEDIATE``
  transaction per append.
* :class:`JSONLinesStore`: a JSON Lines file (``.jsonl``), one record per line, for
  ledgers kept in git; loaded into in-memory indexes on opening; one ``write`` +
  ``fsync`` per append under ``flock``.

:func:`claimtrack.open` picks one by the file's suffix.  Both file stores hold each record
in the form :func:`to_dict` gives (see :mod:`claimtrack._codec` for the format and
:mod:`claimtrack.stores._sqlite` for the database schema and its migration path).
The constants ``FORMAT_VERSION`` (of a stored record), ``SCHEMA_VERSION`` (of a SQLite
ledger) and ``SUFFIXES`` (what :func:`open_store` knows) can be imported from here.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from claimtrack import _codec
from claimtrack._codec import FORMAT_VERSION as FORMAT_VERSION  # a constant, importable here
from claimtrack._model import Record

from ._base import ClaimRecords, Store
from ._jsonl import JSONLinesStore
from ._memory import MemoryStore
from ._pgschema import is_dsn as _is_dsn
from ._postgresql import PostgreSQLStore
from ._sqlite import SCHEMA_VERSION as SCHEMA_VERSION  # a constant, importable here
from ._sqlite import SQLiteStore

__all__ = [
    "ClaimRecords",
    "JSONLinesStore",
    "MemoryStore",
    "PostgreSQLStore",
    "SQLiteStore",
    "Store",
    "from_dict",
    "open_store",
    "repair",
    "to_dict",
]

SUFFIXES: dict[str, type[SQLiteStore] | type[JSONLinesStore]] = {
    ".db": SQLiteStore,
    ".sqlite": SQLiteStore,
    ".sqlite3": SQLiteStore,
    ".jsonl": JSONLinesStore,
}
"""The file suffixes :func:`open_store` knows, and the store each one opens."""


def to_dict(record: Record) -> dict[str, Any]:
    """Turn a record into plain data, exactly as the file stores keep it.

    The dict has ``type`` and ``version`` (``FORMAT_VERSION``) first, then every
    field of the record: dates as ISO text (``"2025-02"``), ``recorded_at`` as ISO 8601
    UTC (``"2025-02-18T09:30:00.000000Z"``), enums as their values, ``topics`` as a
    sorted list, ``source`` as a nested dict.  :func:`json.dumps` writes it as it is.

    Args:
        record: a :class:`~claimtrack.Speaker`, :class:`~claimtrack.Claim`,
            :class:`~claimtrack.Evidence`, :class:`~claimtrack.Ruling` or
            :class:`~claimtrack.Retraction`.

    Returns:
        A new dict of JSON types.

    Raises:
        TypeError: *record* is not a record.

    Example:
        >>> to_dict(ct.Retraction("x1", "e1", reason="misreported"))
        {'type': 'retraction', 'version': 1, 'id': 'x1', 'target_id': 'e1',
         'reason': 'misreported', 'recorded_at': None}

    .. versionadded:: 0.1.0
    """
    return _codec.to_dict(record)


def from_dict(data: Mapping[str, Any]) -> Record:
    """Read a record back from the plain data :func:`to_dict` made.

    Reading is strict: every field must be there with the JSON type :func:`to_dict`
    writes, and the record's own validation runs.

    Args:
        data: the dict, as :func:`json.loads` gives it.

    Returns:
        The record.

    Raises:
        CorruptStoreError: an unknown ``type``, a missing, extra or malformed field, or
            a value the record refuses.
        SchemaVersionError: a ``version`` newer than this claimtrack reads.

    Example:
        >>> speaker = ct.Speaker("trump", "Donald Trump")
        >>> from_dict(to_dict(speaker)) == speaker
        True

    .. versionadded:: 0.1.0
    """
    return _codec.from_dict(data)


def open_store(
    path: str | os.PathLike[str], *, readonly: bool = False, **options: float
) -> SQLiteStore | JSONLinesStore | PostgreSQLStore:
    """Open the store for a ledger file, chosen by its suffix (see ``SUFFIXES``).

    Args:
        path: the file; created if it does not exist (unless *readonly*).
        readonly: open it for reading only (see :func:`claimtrack.open`).
        **options: passed to the store (``timeout=`` for SQLite).

    Returns:
        A :class:`SQLiteStore`, a :class:`JSONLinesStore`, or a
        :class:`PostgreSQLStore` for a PostgreSQL connection string.

    Raises:
        InvalidRecordError: the suffix is not one of ``SUFFIXES`` (the message
            lists them).
        CorruptStoreError: the file is damaged or of another kind.
        SchemaVersionError: the file was written by a newer claimtrack.

    Example:
        >>> import os, tempfile
        >>> store = open_store(os.path.join(tempfile.mkdtemp(), "ledger.jsonl"))
        >>> type(store).__name__
        'JSONLinesStore'
        >>> store.close()

    .. versionadded:: 0.1.0
    """
    from claimtrack.errors import InvalidRecordError

    if isinstance(path, str) and _is_dsn(path):  # postgresql://, postgres://, "host=… dbname=…"
        if readonly:
            raise InvalidRecordError(
                "readonly",
                readonly,
                "is for ledger files; on PostgreSQL, connect as a read-only role "
                "(see the team how-to)",
            )
        return PostgreSQLStore(path, **options)  # type: ignore[arg-type]
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    try:
        cls = SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(SUFFIXES)
        raise InvalidRecordError(
            "path", os.fspath(path), f"has an unknown suffix; claimtrack knows: {known}"
        ) from None
    return cls(path, readonly=readonly, **options)


def repair(path: str | os.PathLike[str]) -> int:
    """Remove an unfinished write from the end of a ledger file, after a crash.

    For a JSON Lines file, cuts off a torn last line (or an incomplete batch) and
    returns how many bytes were removed; every other line is read and checked first, and
    a bad line elsewhere is not repaired but raised.  A SQLite database recovers from a
    crash by itself: it is opened and checked, and 0 is returned.  Call it when no other
    process is writing to the file.

    Args:
        path: the ledger file.

    Returns:
        The number of bytes removed.

    Raises:
        CorruptStoreError: the file is damaged in a way repair does not fix.

    Example:
        >>> import os, pathlib, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "ledger.jsonl")
        >>> _ = pathlib.Path(path).write_text('{"type":"spea')
        >>> repair(path), os.path.getsize(path)
        (13, 0)

    .. versionadded:: 0.1.0
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if SUFFIXES.get(suffix) is JSONLinesStore:
        # not opened the usual way, which reads (and indexes) the file first
        lines: JSONLinesStore = JSONLinesStore.__new__(JSONLinesStore)
        lines._open_file(path)
        try:
            return lines._repair()
        finally:
            lines.close()
    store = open_store(path)
    try:
        if isinstance(store, JSONLinesStore):  # pragma: no cover - handled above
            return store._repair()
        for _ in store.records():
            pass
        return 0
    finally:
        store.close()
