"""Where a tracker keeps its records.

A store is an append-only log of records.  The tracker validates every record before
it reaches the store, and applies it to its in-memory indexes only after the store has
accepted it, so a store that fails leaves the tracker as it was.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ._base import Store
from ._memory import MemoryStore

__all__ = ["MemoryStore", "Store"]
