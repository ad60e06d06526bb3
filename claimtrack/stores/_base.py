"""The :class:`Store` protocol and :class:`ClaimRecords`, the value a store answers with.

A store is the ledger's only home: an append-only log of records that also answers
queries.  The :class:`~claimtrack.Tracker` validates records and appends them; to
answer a question about one claim it asks the store for that claim's records
(:meth:`Store.claim_records`), so it never needs the whole ledger in memory.

Consistency: every query sees what was committed, by any process, before the call
began.  Order everywhere is the store's ``seq``: gap-free and total (1, 2, 3, ...).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import attrs

from claimtrack._model import (
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Speaker,
)

__all__ = ["ClaimRecords", "Store"]


@attrs.frozen
class ClaimRecords:
    """Everything bearing on one claim, each tuple in store (``seq``) order.

    Args:
        claim: the :class:`~claimtrack.Claim`.
        evidence: its :class:`~claimtrack.Evidence`, retracted pieces too.
        rulings: its :class:`~claimtrack.Ruling` s, retracted ones too.
        forecasts: its :class:`~claimtrack.Forecast` s, retracted ones too.
        retractions: every :class:`~claimtrack.Retraction` reaching the claim, one of
            its evidence, rulings or forecasts, or another retraction in this tuple,
            transitively (a retraction of a retraction ...).

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.stores import MemoryStore
        >>> store = MemoryStore()
        >>> t = ct.Tracker(store)
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
        ...                 stated_on="2025-02-18")
        >>> e = t.add_evidence("c", "Jeddah talks.", stance="supports",
        ...                    observed_on="2025-03-11")
        >>> found = store.claim_records("c")
        >>> found.claim.id, [r.id for r in found.evidence], found.retractions
        ('c', ['c-e1'], ())

    .. versionadded:: 0.2.0
    """

    claim: Claim
    evidence: tuple[Evidence, ...] = ()
    rulings: tuple[Ruling, ...] = ()
    forecasts: tuple[Forecast, ...] = ()
    retractions: tuple[Retraction, ...] = ()


@runtime_checkable
class Store(Protocol):
    """An append-only log of records that answers queries.

    Every query sees what was committed, by any process, before the call began.  Order
    everywhere is the store's ``seq``: gap-free and total.  Ids are one namespace
    across all record types.  A retraction's target always precedes it; a stored
    ledger where it does not (a cycle of retractions) is a
    :class:`~claimtrack.errors.CorruptStoreError` naming the records, never a hang.

    :class:`~claimtrack.stores.MemoryStore` answers from in-memory indexes;
    :class:`~claimtrack.stores.JSONLinesStore` loads its file into the same kind of
    index on opening; :class:`~claimtrack.stores.SQLiteStore` answers with SQL over
    indexes.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The store answers queries (``get``, ``claim_records``, ``claims`` ...);
       ``load()`` became ``records()``.
    """

    # -- writing

    def append(self, records: Sequence[Record]) -> Sequence[Record]:
        """Keep *records* atomically, in order; durably once it returns.

        Returns:
            The records other writers appended since this store last handed records
            out (by :meth:`read_new` or :meth:`append`), in order; they precede
            *records* in the store.

        Raises:
            DuplicateRecordError: an id is taken (also by another writer: the store's
                unique constraint decides).  A failed append loses nothing: the
                other writers' records it read are handed out by the next
                :meth:`read_new`.
            StoreError: the store cannot be written.
        """

    # -- what arrived

    def read_new(self) -> Iterator[Record]:
        """Records other writers committed since records were last handed out, in order.

        Cheap when nothing changed (SQLite: ``PRAGMA data_version``).
        """

    # -- queries

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or ``None``."""

    def claim_records(self, claim_id: str) -> ClaimRecords | None:
        """Everything bearing on the claim (:class:`ClaimRecords`); ``None`` if no claim."""

    def retractions_of(self, record_id: str) -> tuple[Retraction, ...]:
        """Every retraction below *record_id*, transitively, in seq order."""

    def claims(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[Claim]:
        """Claims matching every filter, retracted ones included, in seq order.

        *topic* matches the stored (lower-case) topic exactly; *stated_from* and
        *stated_until* compare against ``stated_on.end``, inclusive.
        """

    def speakers(self) -> Iterator[Speaker]:
        """Every speaker, in seq order."""

    def counts(self) -> dict[str, int]:
        """Records per type name, each type present, 0 included.

        The names: ``"speaker"``, ``"claim"``, ``"evidence"``, ``"ruling"``,
        ``"retraction"``, ``"forecast"``.
        """

    def records(self) -> Iterator[Record]:
        """Every record in seq order, streamed: memory bounded, not the whole ledger."""

    def each_claim(
        self,
        *,
        speaker_id: str | None = None,
        topic: str | None = None,
        kind: ClaimKind | None = None,
        stated_from: _dt.date | None = None,
        stated_until: _dt.date | None = None,
    ) -> Iterator[ClaimRecords]:
        """The :class:`ClaimRecords` of every claim matching the filters, streamed.

        In claim seq order; the filters are those of :meth:`claims`.  Memory is bounded
        by the records of a group of claims at a time, never the whole ledger.
        """

    def forecasts(
        self, *, speaker_id: str | None = None, claim_id: str | None = None
    ) -> Iterator[Forecast]:
        """The forecasts by *speaker_id* and of *claim_id* (``None``: any), in seq order.

        Retracted ones included.  Memory bounded: streamed, or one speaker's or one
        claim's forecasts at a time.

        .. versionadded:: 0.2.0
        """

    def search(self, words: str, *, limit: int = 20) -> list[tuple[Record, float]]:
        """Claims and evidence whose text matches *words*, best first, with a score.

        A higher score is a better match.
        """

    def close(self) -> None:
        """Release any file or connection; further calls may fail."""


def type_counts() -> dict[str, int]:
    """A zero count for every record type name (the base of :meth:`Store.counts`)."""
    return {
        "speaker": 0,
        "claim": 0,
        "evidence": 0,
        "ruling": 0,
        "retraction": 0,
        "forecast": 0,
    }
