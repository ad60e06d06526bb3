"""The in-memory store, the default of :class:`~claimtrack.Tracker`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack._model import Record

from ._index import IndexedStore, LedgerIndex

__all__ = ["MemoryStore"]


class MemoryStore(IndexedStore):
    """Keeps records in memory, indexed for every query; nothing outlives the process.

    Queries are answered from in-memory indexes (``claimtrack.stores._index``):
    a record by id, a claim's records, claims by speaker, topic or kind in O(1) per
    result.  Only the process that made it writes to it.

    Example:
        >>> import claimtrack as ct
        >>> store = MemoryStore()
        >>> tracker = ct.Tracker(store)
        >>> _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> [r.id for r in store.records()], store.counts()["speaker"]
        (['trump'], 1)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Answers the queries of the :class:`~claimtrack.stores.Store` protocol.
    """

    def __init__(self) -> None:
        self._index = LedgerIndex()

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Keep *records*, all or none; no one else writes here, so returns ``()``.

        Raises:
            DuplicateRecordError: an id is taken.
            UnknownRecordError: a record refers to one that is not stored before it.
        """
        index = self._index
        index.check(records)
        for record in records:
            index.add(record)
        return ()

    def read_new(self) -> Iterator[Record]:
        """Nothing: only this process writes to a memory store."""
        return iter(())

    load = IndexedStore.records  # the name before 0.2.0

    def close(self) -> None:
        """Nothing to release."""

    def __len__(self) -> int:
        return len(self._index.by_id)

    def __repr__(self) -> str:
        return f"<MemoryStore {len(self._index.by_id)} records>"
