"""The in-memory store, the default of :class:`~claimtrack.Tracker`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack._model import Record

__all__ = ["MemoryStore"]


class MemoryStore:
    """Keeps records in a list; nothing outlives the process.

    Example:
        >>> import claimtrack as ct
        >>> store = MemoryStore()
        >>> tracker = ct.Tracker(store)
        >>> _ = tracker.add_speaker("Donald Trump", id="trump")
        >>> [r.id for r in store.load()]
        ['trump']

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._records: list[Record] = []

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Keep *records* (a list append cannot half-fail); no one else writes here."""
        self._records.extend(records)
        return ()

    def load(self) -> Iterator[Record]:
        """Yield every record kept so far, in order."""
        return iter(list(self._records))

    def read_new(self) -> Iterator[Record]:
        """Nothing: only this process writes to a memory store."""
        return iter(())

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"<MemoryStore {len(self._records)} records>"
