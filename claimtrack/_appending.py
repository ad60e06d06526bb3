"""The tracker's append path: validate, stamp, store, then take in what was stored.

Also how a tracker keeps up with its store: what other writers committed is read at
the start of every public call (:meth:`Appending._sync`), and the cached state of the
claims it touches is dropped.  An id the tracker makes is checked against what is
committed, and made again if another writer takes it first (:meth:`Appending._add_new`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from ._assessing import Assessing
from ._dates import refuse_future
from ._ids import free_id, suffixed
from ._model import (
    KIND_NAMES,
    RECORD_TYPES,
    Claim,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Speaker,
    clean_id,
)
from .errors import DuplicateRecordError, InvalidRecordError, UnknownRecordError

__all__ = ["Appending"]

_R = TypeVar("_R", bound=Record)

# A claim that gets more than this many records in one append has its cached state
# dropped (and rebuilt once, when next asked) rather than updated record by record.
_REBUILD_AT = 64
# Tries at an automatic id that other writers keep taking before giving up.
_RETRIES = 1000
# The world-time date of each kind of record that cannot lie after the tracker's clock
# (unless the call passes allow_future=True).  A claim's due date may.
_WORLD_DATES: dict[type, str] = {
    Claim: "stated_on",
    Evidence: "observed_on",
    Ruling: "on",
    Forecast: "made_on",
}


class Appending(Assessing):
    """The append path of :class:`~claimtrack.Tracker` (a mixin; see there)."""

    # -- keeping up with the store ------------------------------------------------------

    def _sync(self) -> tuple[Record, ...]:
        """Take in what other writers committed: forget the state of the claims it touches."""
        new = tuple(self._store.read_new())
        if new:
            self._saw(new)
        return new

    def _saw(self, records: Iterable[Record]) -> None:
        """Forget the cached state of every claim *records* bear on."""
        touched = set()
        for record in records:
            claim_id = self._claim_of(record, {})
            if claim_id is not None:
                touched.add(claim_id)
        self._cache.drop(touched)

    def _claim_of(self, record: Record, batch: dict[str, str | None]) -> str | None:
        """The id of the claim *record* bears on (through retractions), if any.

        *batch* maps the ids of records of the same append to theirs.
        """
        if isinstance(record, Claim):
            return record.id
        if isinstance(record, Evidence | Ruling | Forecast):
            return record.claim_id
        if not isinstance(record, Retraction):
            return getattr(record, "claim_id", None)
        target = record.target_id
        if target in batch:
            return batch[target]
        claim_of = getattr(self._store, "claim_of", None)
        if claim_of is not None:
            return claim_of(target)  # type: ignore[no-any-return]
        seen = {record.id}
        found = self._store.get(target)
        while isinstance(found, Retraction) and found.id not in seen:  # a walk, cycle-safe
            seen.add(found.id)
            found = self._store.get(found.target_id)
        if isinstance(found, Claim):
            return found.id
        return getattr(found, "claim_id", None)

    # -- the append path --------------------------------------------------------------

    def _append(self, records: Sequence[Record], allow_future: bool = False) -> list[Record]:
        """Validate, stamp, store, then take in *records*: all of them, or none."""
        now: _dt.datetime | None = None
        today: _dt.date | None = None
        pending: dict[str, Record] = {}  # the records to append by id, stamped, in order
        seen: dict[str, Record | None] = {}  # look-ups in the store, for this call
        for record in records:
            if not isinstance(record, RECORD_TYPES):
                raise InvalidRecordError("record", record, "is not a claimtrack record")
            if record.recorded_at is None:
                if now is None:
                    now = self._now()
                record = attrs.evolve(record, recorded_at=now)
            world = None if allow_future else _WORLD_DATES.get(type(record))
            if world is not None:
                if today is None:  # one reading of the clock for the call
                    if now is None:
                        now = self._now()
                    today = now.date()
                refuse_future(getattr(record, world), today, field=world, record_id=record.id)
            self._check(record, pending, seen, records)
            pending[record.id] = record
        stamped = list(pending.values())
        # The store gives back what other processes appended since we last read: those
        # come first in the store.  (A failed append keeps them for the next read_new.)
        others = self._store.append(stamped) or ()
        if others:
            self._saw(others)
        self._took(stamped)
        return stamped

    def _took(self, stamped: Sequence[Record]) -> None:
        """Bring the cached state of the claims *stamped* bear on up to date."""
        batch: dict[str, str | None] = {}
        by_claim: dict[str, list[Record]] = {}
        for record in stamped:
            claim_id = batch[record.id] = self._claim_of(record, batch)
            if claim_id is not None and not isinstance(record, Claim):
                by_claim.setdefault(claim_id, []).append(record)
        cache = self._cache
        cache.drop_scores(by_claim)
        for claim_id, found in by_claim.items():
            state = cache.peek(claim_id)
            if state is None:
                continue
            if len(found) > _REBUILD_AT:
                cache.drop((claim_id,))
                continue
            for record in found:
                state.add(record, self._weighing)

    def _lookup(
        self, record_id: str, pending: dict[str, Record], seen: dict[str, Record | None]
    ) -> Record | None:
        found = pending.get(record_id)
        if found is not None:
            return found
        if record_id not in seen:
            seen[record_id] = self._store.get(record_id)
        return seen[record_id]

    def _check(
        self,
        record: Record,
        pending: dict[str, Record],
        seen: dict[str, Record | None],
        records: Sequence[Record],
    ) -> None:
        """Refuse a record whose id is taken or whose references do not resolve.

        Ids taken in the store are refused by the store (its unique constraint
        decides, also against other writers); ids repeated in one call here.
        """
        taken = pending.get(record.id)
        if taken is not None:
            raise DuplicateRecordError(record.id, kind=KIND_NAMES[type(taken)])
        if isinstance(record, Claim):
            if not isinstance(self._lookup(record.speaker_id, pending, seen), Speaker):
                raise UnknownRecordError(record.speaker_id, kind="speaker")
        elif isinstance(record, Evidence | Ruling):
            if not isinstance(self._lookup(record.claim_id, pending, seen), Claim):
                raise UnknownRecordError(record.claim_id, kind="claim")
        elif isinstance(record, Forecast):
            claim = self._lookup(record.claim_id, pending, seen)
            if not isinstance(claim, Claim):
                raise UnknownRecordError(record.claim_id, kind="claim")
            if not isinstance(self._lookup(record.speaker_id, pending, seen), Speaker):
                raise UnknownRecordError(record.speaker_id, kind="speaker")
            if record.made_on.end < claim.stated_on.start:
                raise InvalidRecordError(
                    "made_on",
                    record.made_on,
                    f"is before the claim was stated ({claim.stated_on})",
                    record_id=record.id,
                )
        elif isinstance(record, Retraction):
            target = self._lookup(record.target_id, pending, seen)
            if target is None:
                self._no_cycle(record, records)
                raise UnknownRecordError(record.target_id, kind="record")
            if isinstance(target, Speaker):
                raise InvalidRecordError(
                    "target_id", record.target_id, "is a speaker; speakers cannot be retracted"
                )
            assert target.recorded_at is not None  # stamped before it was stored
            assert record.recorded_at is not None
            if record.recorded_at < target.recorded_at:
                raise InvalidRecordError(
                    "recorded_at",
                    record.recorded_at,
                    f"is before the retracted record's recorded_at {target.recorded_at}",
                    record_id=record.id,
                )

    @staticmethod
    def _no_cycle(retraction: Retraction, records: Sequence[Record]) -> None:
        """Refuse a retraction of itself, or one of a cycle of retractions in *records*."""
        if retraction.target_id == retraction.id:
            raise InvalidRecordError(
                "target_id",
                retraction.target_id,
                f"is the retraction's own id: {retraction.id!r} cannot retract itself",
                record_id=retraction.id,
            )
        targets = {r.id: r.target_id for r in records if isinstance(r, Retraction)}
        cycle, node = [retraction.id], retraction.target_id
        while node in targets and node not in cycle:
            cycle.append(node)
            node = targets[node]
        if node == retraction.id:
            shown = " → ".join(repr(n) for n in (*cycle, node))
            raise InvalidRecordError(
                "target_id",
                retraction.target_id,
                f"makes a cycle of retractions: {shown}",
                record_id=retraction.id,
            )

    def _add_new(
        self,
        given: str | None,
        make: Callable[[str], _R],
        base: Callable[[], str],
        fallback: str,
        *,
        allow_future: bool = False,
    ) -> _R:
        """Make and append one record; its id is *given*, or one made free in the store.

        An id the tracker made that another writer takes first is not the caller's
        error: the tracker reads what arrived and makes the next one.
        """
        self._sync()
        if given is not None:
            return self._add(make(clean_id(given)), allow_future)
        for _ in range(_RETRIES):
            record = make(free_id(base(), fallback, self._taken))
            try:
                return self._add(record, allow_future)
            except DuplicateRecordError as exc:
                if exc.record_id != record.id:
                    raise
                self._sync()
        raise DuplicateRecordError(record.id, kind=KIND_NAMES[type(record)])

    def _taken(self, record_id: str) -> bool:
        return self._store.get(record_id) is not None

    def _add(self, record: _R, allow_future: bool = False) -> _R:
        (stored,) = self._append([record], allow_future)
        return stored  # type: ignore[return-value]

    def _count_on(self, claim: Claim | str, what: str) -> Callable[[], str]:
        """The id base ``<claim id>-<what><n>``, *n* one more than the claim has now."""

        def base() -> str:
            state = self._state(claim)
            n = len(
                state.evidence if what == "e" else state.forecasts if what == "f" else state.rulings
            )
            n += 1
            return suffixed(state.claim.id, f"-{what}{n}")

        return base
