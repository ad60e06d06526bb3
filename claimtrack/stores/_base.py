"""The :class:`Store` protocol."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from claimtrack._model import Record

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """An append-only log of records.

    Implementations must make :meth:`append` all-or-nothing: either every record of
    the call is kept, or none is and the call raises.

    .. versionadded:: 0.1.0
    """

    def append(self, records: Sequence[Record]) -> None:
        """Keep *records*, in order, atomically."""

    def load(self) -> Iterator[Record]:
        """Yield every record kept so far, in the order it was appended."""

    def close(self) -> None:
        """Release any file or connection; further calls may fail."""
