"""The :class:`Store` protocol."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from typing import Protocol, TypeVar, runtime_checkable

from claimtrack._model import Record

__all__ = ["Store"]

_T = TypeVar("_T")


@runtime_checkable
class Store(Protocol):
    """An append-only log of records.

    A store hands out every record exactly once: :meth:`load` gives what it held when
    opened, :meth:`append` gives back what other writers added before the call (so the
    caller can apply those first and keep the store's order), and :meth:`read_new` gives
    what other writers added since.

    Implementations must make :meth:`append` all-or-nothing: either every record of
    the call is kept, or none is and the call raises.

    .. versionadded:: 0.1.0
    """

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Keep *records*, in order, atomically; durably once it returns.

        Returns:
            The records other writers appended since this store last handed records
            out, in the store's order; they come before *records* in the store.

        Raises:
            DuplicateRecordError: another writer already stored one of the ids.
            StoreError: the store cannot be written.
        """

    def load(self) -> Iterator[Record]:
        """Yield every record kept so far, in the order it was appended."""

    def read_new(self) -> Iterator[Record]:
        """Yield the records other writers appended since records were last handed out."""

    def close(self) -> None:
        """Release any file or connection; further calls may fail."""


def without_gc(records: Iterator[_T]) -> Iterator[_T]:
    """Yield from *records* with the cyclic garbage collector paused.

    Reading a large ledger makes millions of objects that live on; every collection
    would walk all of them again, which makes loading quadratic.  Records hold no
    reference cycles, so pausing collection loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield from records
    finally:
        if was_enabled:
            gc.enable()
