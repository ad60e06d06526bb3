"""``claimtrack.open``: a tracker over a ledger file."""

from __future__ import annotations

import os

from ._dates import DateOrder
from ._tracker import Clock, Tracker
from .stores import open_store

__all__ = ["open"]


def open(  # shadows the builtin inside this module only: DESIGN.md names it ct.open
    path: str | os.PathLike[str],
    *,
    clock: Clock | None = None,
    date_order: DateOrder | None = None,
    readonly: bool = False,
    **options: float,
) -> Tracker:
    """Open (or create) a ledger file and return a tracker over it.

    The suffix chooses the store: ``.db``, ``.sqlite`` or ``.sqlite3`` for SQLite
    (:class:`~claimtrack.stores.SQLiteStore`), ``.jsonl`` for a JSON Lines log
    (:class:`~claimtrack.stores.JSONLinesStore`); a PostgreSQL URI
    (``postgresql://user@host/dbname``, ``postgres://…``) or libpq connection string
    (``"host=… dbname=…"``) a ledger on a server
    (:class:`~claimtrack.stores.PostgreSQLStore`, the ``postgresql`` extra).
    Every record in the file is loaded; the file itself is never rewritten on
    opening.  Use the tracker as a context manager to close the file.

    Args:
        path: the ledger file; created if it does not exist.
        clock: passed to :class:`~claimtrack.Tracker` (for ``recorded_at``).
        date_order: passed to :class:`~claimtrack.Tracker`: how to read all-numeric
            date strings (``"DMY"``, ``"MDY"``, or ``None`` to refuse ambiguous ones).
        readonly: open the file for reading only: it must exist, nothing is ever
            written to it, and every write is a :class:`~claimtrack.errors.StoreError`.
            A file the process cannot write is opened for reading without it.
        **options: passed to the store (``timeout=`` seconds for SQLite).

    Returns:
        A :class:`~claimtrack.Tracker` holding every record of the file.

    Raises:
        InvalidRecordError: the suffix is not a known one (the message lists them).
        CorruptStoreError: the file is damaged or not a ledger (naming the line or row).
        SchemaVersionError: the file was written by a newer claimtrack.
        StoreError: the file cannot be opened (with *readonly*: it does not exist).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "riyadh.db")
        >>> with ct.open(path) as tracker:
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> with ct.open(path) as tracker:
        ...     [s.id for s in tracker.speakers()]
        ['trump']

    .. versionadded:: 0.1.0
    """
    store = open_store(path, readonly=readonly, **options)
    try:
        return Tracker(store, clock=clock, date_order=date_order)
    except BaseException:
        store.close()
        raise
