"""``claimtrack.copy``: move a ledger between stores (SQLite, PostgreSQL, JSON Lines)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from ._model import Record
from ._tracker import Tracker
from .errors import StoreError
from .stores import Store, open_store
from .stores._pgschema import is_dsn

__all__ = ["copy"]

Ledger = str | os.PathLike[str] | Store | Tracker
"""A ledger to copy from or to: a file, a PostgreSQL connection string, a store or a tracker."""


def _records(store: Store) -> Iterator[Record]:
    return store.records()


@contextlib.contextmanager
def _opened(ledger: Ledger) -> Iterator[Store]:
    """The store of *ledger*, closed afterwards if it was opened here."""
    if isinstance(ledger, Tracker):
        yield ledger.store
    elif isinstance(ledger, Store):
        yield ledger
    else:
        store = open_store(ledger)
        try:
            yield store
        finally:
            store.close()


def _sidecars(path: str) -> list[str]:
    return [path, f"{path}-wal", f"{path}-shm", f"{path}-journal"]


def copy(src: Ledger, dst: Ledger) -> int:
    """Copy every record of one ledger into another, empty one: all or nothing.

    Works between any two stores: a SQLite file, a JSON Lines log, a PostgreSQL
    database (a connection string, see :func:`claimtrack.open`), or a store or tracker
    you hold.  Ids, the order of the records and their ``recorded_at`` are kept
    exactly; the records are written in one append (one transaction), so the
    destination ends up with all of them or, if anything fails, none.  The source is
    read whole into memory first (about 600 bytes a record).

    Args:
        src: the ledger to read.
        dst: the ledger to fill; created if it does not exist, and it must hold no
            record yet.  A destination file this call created is removed again if the
            copy fails.

    Returns:
        The number of records copied.

    Raises:
        StoreError: *dst* already holds records, or either store fails.
        CorruptStoreError: a record of *src* cannot be read.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> with ct.open(os.path.join(folder, "riyadh.db")) as tracker:
        ...     _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> ct.copy(os.path.join(folder, "riyadh.db"), os.path.join(folder, "riyadh.jsonl"))
        1
        >>> with ct.open(os.path.join(folder, "riyadh.jsonl")) as copied:
        ...     [s.id for s in copied.speakers()]
        ['trump']

    .. versionadded:: 0.2.0
    """
    created = None
    if isinstance(dst, str | os.PathLike) and not (isinstance(dst, str) and is_dsn(dst)):
        path = os.fspath(dst)
        if not os.path.exists(path):
            created = path
    try:
        with _opened(src) as source, _opened(dst) as target:
            if next(iter(_records(target)), None) is not None:
                raise StoreError(f"cannot copy into {target!r}: it already holds records")
            records = list(_records(source))
            if records and isinstance(dst, Tracker):
                dst.add_many(records)  # (keeps recorded_at; the tracker sees them)
            elif records:
                target.append(records)
            return len(records)
    except BaseException:
        if created is not None:
            for name in _sidecars(created):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(name)
        raise
