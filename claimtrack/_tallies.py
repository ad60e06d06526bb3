"""The tracker's per-claim scoring state, and the bounded cache that holds it.

A :class:`ClaimState` is what the tracker knows of one claim, built from the store's
:class:`~claimtrack.stores.ClaimRecords`: the claim's records in store order, which
of them stand withdrawn, the running tally of its evidence (with the default policy)
and its assessment as it stands.  :class:`ClaimCache` keeps the states of the claims
used most recently, up to a fixed number, so memory does not grow with the ledger.
"""

from __future__ import annotations

import datetime as _dt
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from ._model import Claim, Evidence, Record, Retraction, Ruling
from ._scoring import Assessment, EvidenceWeighing, _ClaimTally
from .errors import CorruptStoreError
from .stores._base import ClaimRecords

__all__ = ["ClaimCache", "ClaimState", "withdrawn_ids"]

# Claims whose state a tracker keeps (most recently used first out when full).
CACHE_CLAIMS = 4096


def withdrawn_ids(
    retractions: Sequence[Retraction], known_at: _dt.datetime | None = None
) -> set[str]:
    """The ids that stand withdrawn under *retractions* (in store order), at *known_at*.

    A record is withdrawn when a retraction of it, recorded by *known_at* (``None``:
    any), is not withdrawn itself.  A retraction always follows what it retracts, so
    walking them last to first decides each one before its target: O(len).

    Example:
        >>> x1 = ct.Retraction("x1", "e1", reason="wrong")
        >>> x2 = ct.Retraction("x2", "x1", reason="it was right")
        >>> sorted(withdrawn_ids([x1])), sorted(withdrawn_ids([x1, x2]))
        (['e1'], ['x1'])
    """
    active: set[str] = set()
    for retraction in reversed(retractions):
        if known_at is not None:
            at = retraction.recorded_at
            if at is None or at > known_at:
                continue
        if retraction.id not in active:
            active.add(retraction.target_id)
    return active


def check_order(found: ClaimRecords, path: str | None) -> None:
    """Refuse a claim's records where a retraction does not follow what it retracts.

    Raises:
        CorruptStoreError: naming the retraction and its target (a cycle of
            retractions, or one of a record that is not about this claim).
    """
    known = {found.claim.id}
    known.update(e.id for e in found.evidence)
    known.update(r.id for r in found.rulings)
    known.update(r.id for r in found.forecasts)
    for retraction in found.retractions:
        if retraction.target_id not in known:
            what = (
                "itself"
                if retraction.target_id == retraction.id
                else f"{retraction.target_id!r}, which does not come before it"
            )
            raise CorruptStoreError(
                f"retraction {retraction.id!r} retracts {what} "
                f"(claim {found.claim.id!r}: a cycle of retractions or a dangling reference)",
                path=path,
            )
        known.add(retraction.id)


class ClaimState:
    """What the tracker keeps of one claim (see the module docstring)."""

    __slots__ = ("assessed", "claim", "evidence", "retractions", "rulings", "tally", "withdrawn")

    def __init__(self, found: ClaimRecords, path: str | None = None) -> None:
        check_order(found, path)
        self.claim: Claim = found.claim
        self.evidence: list[Evidence] = list(found.evidence)
        self.rulings: list[Ruling] = list(found.rulings)
        self.retractions: list[Retraction] = list(found.retractions)
        self.withdrawn: set[str] = withdrawn_ids(self.retractions)
        self.tally: _ClaimTally | None = None
        # the assessment as it stands (no as_of, no known_at), with the day judged on
        self.assessed: tuple[_dt.date, Assessment] | None = None

    def withdrawn_at(self, known_at: _dt.datetime | None) -> set[str]:
        """The ids withdrawn at *known_at* (``None``: as it stands)."""
        if known_at is None or not self.retractions:
            return self.withdrawn
        return withdrawn_ids(self.retractions, known_at)

    def counted(self, record: Evidence | Ruling, known_at: _dt.datetime | None) -> bool:
        """Whether *record* was known at *known_at* and not withdrawn then."""
        if known_at is not None:
            at = record.recorded_at
            if at is None or at > known_at:
                return False
        return record.id not in self.withdrawn_at(known_at)

    def tally_for(
        self,
        weighing: EvidenceWeighing,
        weights: dict[tuple[str, str, float], tuple[int, float, float]],
    ) -> _ClaimTally:
        """The running tally of the claim's evidence, built on first use."""
        tally = self.tally
        if tally is None:
            withdrawn = self.withdrawn
            tally = self.tally = _ClaimTally.build(
                weighing,
                self.evidence,
                [e for e in self.evidence if e.id in withdrawn] if withdrawn else (),
                weights,
            )
        return tally

    def add(self, record: Record, weighing: EvidenceWeighing | None) -> None:
        """Take in a record about the claim that the store has just kept."""
        self.assessed = None
        if isinstance(record, Evidence):
            self.evidence.append(record)
            if self.tally is not None and weighing is not None:
                self.tally.add(weighing, record)
        elif isinstance(record, Ruling):
            self.rulings.append(record)
        elif isinstance(record, Retraction):
            self.retractions.append(record)
            before = self.withdrawn
            after = self.withdrawn = withdrawn_ids(self.retractions)
            if self.tally is not None:
                changed = before ^ after
                for evidence in self.evidence:
                    if evidence.id in changed:
                        self.tally.set_retracted(evidence, evidence.id in after)


class ClaimCache:
    """The states of up to *limit* claims, the least recently used dropped first."""

    def __init__(self, limit: int = CACHE_CLAIMS) -> None:
        self.limit = limit
        self._states: OrderedDict[str, ClaimState] = OrderedDict()

    def get(self, claim_id: str) -> ClaimState | None:
        state = self._states.get(claim_id)
        if state is not None:
            self._states.move_to_end(claim_id)
        return state

    def peek(self, claim_id: str) -> ClaimState | None:
        return self._states.get(claim_id)

    def put(self, claim_id: str, state: ClaimState) -> None:
        states = self._states
        states[claim_id] = state
        states.move_to_end(claim_id)
        while len(states) > self.limit:
            states.popitem(last=False)

    def drop(self, claim_ids: Iterable[str]) -> None:
        for claim_id in claim_ids:
            self._states.pop(claim_id, None)

    def clear(self) -> None:
        self._states.clear()

    def __len__(self) -> int:
        return len(self._states)
