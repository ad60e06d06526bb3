"""The tracker's per-claim scoring state, and the bounded cache that holds it.

A :class:`ClaimState` is what the tracker knows of one claim, built from the store's
:class:`~claimtrack.stores.ClaimRecords`: the claim's records in store order, which
of them stand withdrawn, the running tally of its evidence (with the default policy)
and its assessment as it stands.  :class:`ClaimCache` keeps the states of the claims
used most recently, up to a fixed number, so memory does not grow with the ledger.
"""

from __future__ import annotations

import array
import bisect
import datetime as _dt
import itertools
import math
import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from ._assessment import Assessment, Contribution
from ._contribs import TallyContributions, _Prefix
from ._dates import PartialDate, Precision
from ._model import Claim, Evidence, Forecast, Record, Retraction, Ruling, slot_setters
from ._scoring import (
    _CONCLUSIVE_AGAINST,
    _CONCLUSIVE_FOR,
    _END_ID,
    EvidenceWeighing,
    _evidence_key,
    evidence_key,
)
from ._sums import ExactSum, prefix_sums, total_of
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
    if not found.retractions:  # most claims
        return
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

    __slots__ = (
        "assessed", "claim", "evidence", "first_days", "forecasts", "retractions", "rulings",
        "tally", "withdrawn",
    )  # fmt: skip

    def __init__(self, found: ClaimRecords, path: str | None = None) -> None:
        check_order(found, path)
        self.claim: Claim = found.claim
        self.evidence: list[Evidence] = list(found.evidence)
        self.rulings: list[Ruling] = list(found.rulings)
        self.forecasts: list[Forecast] = list(found.forecasts)
        self.retractions: list[Retraction] = list(found.retractions)
        self.withdrawn: set[str] = withdrawn_ids(self.retractions)
        self.tally: _ClaimTally | None = None
        # the assessment as it stands (no as_of, no known_at), with the day judged on
        self.assessed: tuple[_dt.date, Assessment] | None = None
        # the first days it held and failed (the tracker's _first_days), with the
        # number of records they were found from
        self.first_days: Any = None

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
        weights: Weights,
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
        if isinstance(record, Forecast):
            self.forecasts.append(record)
        elif isinstance(record, Evidence):
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


# (the day judged on, the claim, whether it stands withdrawn, each forecaster's score)
ScoresEntry = tuple[_dt.date, Claim, bool, dict[str, Any]]


class ClaimCache:
    """The states of up to *limit* claims, the least recently used dropped first.

    Also the forecasters' scores on up to ``4 * limit`` claims as they stand (see
    :class:`~claimtrack._forecasting.ForecastMixin`), dropped with the claim's state
    and whenever a record about the claim arrives (:meth:`drop_scores`).
    """

    def __init__(self, limit: int = CACHE_CLAIMS) -> None:
        self.limit = limit
        self._states: OrderedDict[str, ClaimState] = OrderedDict()
        self._scores: OrderedDict[str, ScoresEntry] = OrderedDict()

    def scores(self, claim_id: str, day: _dt.date) -> ScoresEntry | None:
        """The scores kept for the claim judged on *day*, if any."""
        entry = self._scores.get(claim_id)
        if entry is None or entry[0] != day:
            return None
        self._scores.move_to_end(claim_id)
        return entry

    def keep_scores(self, claim_id: str, entry: ScoresEntry) -> None:
        scores = self._scores
        scores[claim_id] = entry
        scores.move_to_end(claim_id)
        while len(scores) > 4 * self.limit:
            scores.popitem(last=False)

    def drop_scores(self, claim_ids: Iterable[str]) -> None:
        for claim_id in claim_ids:
            self._scores.pop(claim_id, None)

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
            self._scores.pop(claim_id, None)

    def clear(self) -> None:
        self._states.clear()
        self._scores.clear()

    def __len__(self) -> int:
        return len(self._states)


# -- the running tally of one claim's evidence -------------------------------------------

# Up to this many prefix entries are recomputed at once when evidence arrives; a longer
# tail (evidence dated early in a claim with much evidence) waits for the next view.
# A claim of up to this many pieces, built and not yet summed, finds its total with
# math.fsum each time (see _ClaimTally._total).
_EAGER = 64

_CONCLUSIVE = _CONCLUSIVE_FOR | _CONCLUSIVE_AGAINST

_View = tuple[tuple[Contribution, ...], float, tuple[int, int, int, int]]
Weights = dict[tuple[str, str, float], tuple[int, float, float]]

_new = object.__new__
_CONTRIBUTION_SETTERS = slot_setters(Contribution)
_BITS = operator.itemgetter(0)
_COUNTED = operator.itemgetter(1)


def _weigh(
    policy: EvidenceWeighing,
    evidence: Evidence,
    key: tuple[str, str, float],
    weights: dict[tuple[str, str, float], tuple[int, float, float]],
) -> tuple[int, float, float]:
    """What *evidence* weighs, kept in *weights* by *key* (see _ClaimTally.build).

    ``(flag bits, share as counted in the sums, share of its Contribution)``:
    conclusive evidence that settles counts 0.0 in the sums, and its Contribution has
    a share of ``±inf``.
    """
    contribution = policy.weigh(evidence)
    bits = policy._flags(contribution)
    share = contribution.share
    if bits & _CONCLUSIVE:
        found = (bits, 0.0, math.inf if bits & _CONCLUSIVE_FOR else -math.inf)
    else:
        found = (bits, share, share)
    weights[key] = found
    return found


# A claim of up to this many pieces, its prefix sums not found yet, has them found one
# at a time when read (see _ClaimTally.sums): O(n) each, in C.
_SMALL = 16


class _SmallSums(Sequence[float]):
    """The prefix sums of a few *shares*, each found when read (see _ClaimTally.sums)."""

    __slots__ = ("_shares",)

    def __init__(self, shares: Sequence[float]) -> None:
        self._shares = shares

    def __len__(self) -> int:
        return len(self._shares) + 1

    def __getitem__(self, i: Any) -> Any:
        if not 0 <= i <= len(self._shares):
            raise IndexError("index out of range")
        return total_of(self._shares[:i])


# the flag bits (0 to 3) set in each flag value (0 to 15): a constant table
_FLAG_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(k for k in range(4) if value >> k & 1) for value in range(16)
)


class _ClaimTally:
    """The evidence of one claim, sorted by :func:`evidence_key`, with prefix sums.

    Kept compact, as there is one entry per piece of evidence in the ledger: the sorted
    evidence (a list of references), each piece's counted share (``shares``, doubles
    in an array; 0.0 for conclusive evidence that settles) and flag bits (``flags``,
    one byte each), and ``psum[i]``, the sum of the shares of the first *i* pieces, with
    retracted pieces adding 0: their exact sum rounded once (``math.fsum`` of them;
    see ``claimtrack._sums``), so that it does not depend on the order the evidence
    came in, and equals what a store that counts pieces by weight finds.  ``exact``
    holds the exact sum of the shares of every piece not retracted, kept up to date as
    pieces come and go (O(1) each); ``None`` after :meth:`build` until the prefix sums
    are first needed.  The flag counts of a prefix are counted when a view
    asks (``bytearray.count`` of each flag value present, in C), less the retracted
    pieces among them.  A view's contributions are a
    :class:`~claimtrack._contribs.TallyContributions` of the counted evidence, made
    when read; :meth:`views` (for a history) makes a :class:`Contribution` of each
    piece and keeps them from then on (``contribs``), so that a ledger that is loaded,
    or assessed but not asked why, holds none.

    ``psum`` is brought up to date from ``dirty``, the first position that changed: at
    once if at most 64 entries must be recomputed, else lazily at the next view that
    needs it (a view of everything needs only the total: ``exact``, rounded).  So
    adding evidence in date order costs O(1) amortised (the new last entry is
    ``exact``, rounded), and adding it earlier in the order costs O(number of later
    pieces), once (the exact sum before ``dirty`` is ``exact`` less the later pieces;
    the entries after it are found from there, in C).  :meth:`build` leaves them all
    to be found (in C) by the first view that needs them: a claim assessed once, as it
    stands, never needs them; its total is ``math.fsum`` of its shares.
    """

    __slots__ = (
        "contribs", "dirty", "evidence", "exact", "flags", "full", "policy", "present", "psum",
        "retracted", "shares", "weights",
    )  # fmt: skip

    def __init__(self, policy: EvidenceWeighing, weights: Weights) -> None:
        # the policy the tally weighs with, and what it weighs (see build())
        self.policy = policy
        self.weights = weights
        self.evidence: list[Evidence] = []
        self.shares: array.array[float] = array.array("d")
        self.flags = bytearray()
        self.present = 0  # bit v set: some piece has flags == v (v > 0)
        self.retracted: dict[str, Evidence] = {}  # retracted pieces by id
        # doubles in an array: 8 bytes a piece, not a float object each
        self.psum: array.array[float] = array.array("d", (0.0,))
        self.dirty = 0
        # the exact sum of the shares of every piece not retracted (None: not kept yet)
        self.exact: ExactSum | None = ExactSum()
        # Contributions of every piece (retracted too), in order, once a view asked.
        self.contribs: list[Contribution] | None = None
        # The view of everything (as_of=None), kept until the next change.
        self.full: _View | None = None

    @classmethod
    def build(
        cls,
        policy: EvidenceWeighing,
        evidence: Iterable[Evidence],
        retracted: Iterable[Evidence],
        weights: Weights,
    ) -> _ClaimTally:
        """A tally of *evidence* made at once: one sort; the sums are found when needed.

        The same state as :meth:`add` of each piece in any order, then
        :meth:`set_retracted` of each of *retracted*, once the prefix sums are brought
        up to date: the order is fixed by :func:`evidence_key` (ids are unique), and
        each prefix sum is the exact sum of its shares, rounded once, either way.
        Cost: O(n log n), against O(n) insertions for :meth:`add`.

        *weights* caches, for *policy*, what :meth:`EvidenceWeighing.weigh` and
        ``_flags`` give for a stance, strength and reliability: pass the same dict for
        the same policy, so that they are computed once per combination (a few dozen),
        not once per piece.

        No :class:`Contribution` is made: a view gives its contributions as a
        :class:`~claimtrack._contribs.TallyContributions`, made when read.
        """
        # (every slot is set below: no __init__, whose containers would be replaced)
        tally: _ClaimTally = _new(cls)
        tally.policy = policy
        tally.weights = weights
        ordered = tally.evidence = list(evidence)
        # By (end, id), a shorter key than evidence_key's (sorting a million pieces
        # spends most of its time making keys): the same order unless two pieces end
        # on one day and one of them is known only to the month or year.  A piece
        # known only to the month or year is noticed in the pass below, which is then
        # made again after sorting by evidence_key.
        ordered.sort(key=_END_ID)
        get = weights.get
        day = Precision.DAY
        sorted_by_key = False
        while True:
            partial = False
            found: list[tuple[int, float, float]] = []  # the weights of each piece
            keep = found.append
            for e in ordered:  # (a plain loop: faster here than maps of attrgetters)
                if e.observed_on.precision is not day:
                    partial = True
                source = e.source
                # enum values: str hashes are cached, Enum.__hash__ is Python code
                weight = (
                    e.stance._value_,
                    e.strength._value_,
                    1.0 if source is None else source.reliability,
                )
                keep(get(weight) or _weigh(policy, e, weight, weights))
            if not partial or sorted_by_key:
                break
            ordered.sort(key=_evidence_key)
            sorted_by_key = True
        flags = tally.flags = bytearray(map(_BITS, found))
        tally.shares = array.array("d", map(_COUNTED, found))
        present = 0
        for bits in set(flags):
            present |= 1 << bits
        tally.present = present & ~1
        tally.contribs = None
        tally.full = None
        tally.retracted = {e.id: e for e in retracted}
        # the sums are left to the first view that needs them (see view())
        tally.psum = array.array("d", (0.0,))
        tally.dirty = 0
        tally.exact = None
        return tally

    def _position(self, evidence: Evidence) -> int:
        return bisect.bisect_left(self.evidence, evidence_key(evidence), key=_evidence_key)

    def add(self, policy: EvidenceWeighing, evidence: Evidence) -> None:
        self.full = None
        contribution = policy.weigh(evidence)
        key = evidence_key(evidence)
        bits = policy._flags(contribution)
        share = 0.0 if bits & _CONCLUSIVE else contribution.share
        if self.exact is not None:
            self.exact.add(share)  # (a piece is never retracted before it arrives)
        ordered = self.evidence
        if not ordered or evidence_key(ordered[-1]) < key:
            i = len(ordered)
            ordered.append(evidence)
            self.shares.append(share)
            self.flags.append(bits)
            if self.contribs is not None:
                self.contribs.append(contribution)
        else:
            i = bisect.bisect_left(ordered, key, key=_evidence_key)
            ordered.insert(i, evidence)
            self.shares.insert(i, share)
            self.flags.insert(i, bits)
            if self.contribs is not None:
                self.contribs.insert(i, contribution)
        if bits:
            self.present |= 1 << bits
        if i < self.dirty:
            self.dirty = i
        if len(ordered) - self.dirty <= _EAGER and self.exact is not None:
            self._refresh()  # a short tail: bring the prefixes up to date now

    def set_retracted(self, evidence: Evidence, retracted: bool) -> None:
        if (evidence.id in self.retracted) == retracted:
            return
        self.full = None
        if retracted:
            self.retracted[evidence.id] = evidence
        else:
            del self.retracted[evidence.id]
        i = self._position(evidence)
        if self.exact is not None:
            self.exact.add(self.shares[i], -1 if retracted else 1)
        self.dirty = min(self.dirty, i)

    def _counted(self, start: int = 0) -> Sequence[float]:
        """The shares from position *start* on as the sums count them (retracted: 0)."""
        retracted = self.retracted
        tail = self.shares[start:]
        if not retracted:
            return tail
        pieces = itertools.islice(self.evidence, start, None)
        return [0.0 if e.id in retracted else s for e, s in zip(pieces, tail, strict=True)]

    def _refresh(self) -> None:
        """Bring ``psum`` (and ``exact``) up to date from ``dirty`` on."""
        d, n = self.dirty, len(self.evidence)
        if d >= n:
            return
        psum = self.psum
        del psum[d + 1 :]
        exact = self.exact
        if exact is None:  # (then d == 0) the first sums since build()
            exact = self.exact = ExactSum()
            psum.extend(prefix_sums(self._counted(), exact))
        elif d == n - 1:  # one piece more at the end (the usual case): the exact sum
            psum.append(exact.value())
        else:
            # found back from the exact sum of all of them (less the later pieces)
            psum.extend(prefix_sums(self._counted(d), exact, after=True))
        self.dirty = n

    def sums(self) -> Sequence[float]:
        """The prefix sums: item *i* is the sum of the first *i* counted shares.

        Each the exact sum rounded once (``math.fsum`` of them), as ``psum``.  A claim
        of at most :data:`_SMALL` pieces whose prefix sums are not found yet gets a
        :class:`_SmallSums` that adds up a prefix (in C) when it is read: cheaper than
        all of them for the few a first-days pass reads.  Otherwise ``psum``, brought
        up to date.
        """
        n = len(self.evidence)
        if self.dirty != n and n <= _SMALL and self.exact is None:
            return _SmallSums(self._counted() if self.retracted else self.shares.tolist())
        self._refresh()
        return self.psum

    def _total(self) -> float:
        """``psum[n]``, the sum of every counted share, without bringing ``psum`` up to date.

        Right after build() (no exact sum kept yet), a claim with few pieces adds up
        its shares with ``math.fsum`` (in C) each time; one with more keeps the exact
        sum from then on, so that adding evidence in order stays O(1).
        """
        n = len(self.evidence)
        if self.dirty == n:
            return self.psum[n]
        exact = self.exact
        if exact is not None:
            return exact.value()
        if n <= _EAGER:
            return total_of(self._counted() if self.retracted else self.shares)
        self._refresh()  # (the exact sum, and the prefix sums on the way)
        return self.psum[n]

    def _contributions(self) -> list[Contribution]:
        """The :class:`Contribution` of every piece, as :meth:`EvidenceWeighing.weigh` gives it.

        Conclusive evidence that settles (counted as 0.0 here) has a share of ``±inf``.
        """
        out: list[Contribution] = []
        append, new, inf = out.append, _new, math.inf
        set_evidence, set_stance, set_strength, set_reliability, set_share = _CONTRIBUTION_SETTERS
        for e, share, bits in zip(self.evidence, self.shares, self.flags, strict=True):
            if bits & _CONCLUSIVE:
                share = inf if bits & _CONCLUSIVE_FOR else -inf
            source = e.source
            contribution = new(Contribution)
            set_evidence(contribution, e)
            set_stance(contribution, e.stance)
            set_strength(contribution, e.strength)
            set_reliability(contribution, 1.0 if source is None else source.reliability)
            set_share(contribution, share)
            append(contribution)
        return out

    def view(self, as_of: PartialDate | None) -> _View:
        """The counted contributions, the finite total and the flag counts by *as_of*.

        Cost: O(log n + r log n) plus C-level counts and copies over the first pieces,
        for n pieces of evidence of which r are retracted (after any pending refresh);
        its contributions are made when read.
        """
        if as_of is None and self.full is not None:
            return self.full
        ordered = self.evidence
        n = len(ordered)
        if as_of is None:
            i = n
        else:
            # a key shorter than evidence_key's: compared by its date parts only
            bound = cast("tuple[_dt.date, _dt.date, str]", (as_of.end, _dt.date.max))
            i = bisect.bisect_right(ordered, bound, key=_evidence_key)
        flags = self.flags
        c = [0, 0, 0, 0]
        if self.present:
            for value in set(flags):  # (in C: a few values)
                if value:
                    found = flags.count(value, 0, i)
                    if found:
                        for k in _FLAG_BITS[value]:
                            c[k] += found
        if not self.retracted:
            counted = tuple(ordered) if i == n else tuple(ordered[:i])
        else:
            cut = sorted(self._position(e) for e in self.retracted.values())
            parts: list[Evidence] = []
            start = 0
            for j in cut:
                if j >= i:
                    break
                parts.extend(ordered[start:j])
                start = j + 1
                for k in _FLAG_BITS[flags[j]]:
                    c[k] -= 1
            parts.extend(ordered[start:i])
            counted = tuple(parts)
        # made when read (most assessments are never asked why)
        contributions = TallyContributions(self.policy, counted, self.weights)
        if i == n:  # (the usual case: the prefix sums are not needed)
            total = self._total()
        else:
            self._refresh()
            total = self.psum[i]
        found_view = (
            cast("tuple[Contribution, ...]", contributions),
            total,
            (c[0], c[1], c[2], c[3]),
        )
        if as_of is None:
            self.full = found_view
        return found_view

    def views(self, points: Sequence[PartialDate]) -> Iterator[_View]:
        """:meth:`view` at each of *points* (in date order), in one pass.

        The contributions of every view are a :class:`_Prefix` of one shared tuple,
        so k views of n pieces cost O(n + k) time and memory, not O(n · k).  The views
        are yielded one at a time, so that no more than one of them (and its tuples)
        is alive at once: fewer objects for the cyclic collector to walk.
        """
        self._refresh()
        contribs = self.contribs
        if contribs is None:
            contribs = self.contribs = self._contributions()
        ordered, flags, retracted, psum = self.evidence, self.flags, self.retracted, self.psum
        counted = (
            tuple(contribs)
            if not retracted
            else tuple(c for c, e in zip(contribs, ordered, strict=True) if e.id not in retracted)
        )
        n = len(ordered)
        j = k = 0
        c = [0, 0, 0, 0]
        for point in points:
            bound = point.end
            while j < n and ordered[j].observed_on.end <= bound:
                if not retracted or ordered[j].id not in retracted:
                    bits = flags[j]
                    if bits:
                        for b in range(4):
                            if bits >> b & 1:
                                c[b] += 1
                    k += 1
                j += 1
            shown = counted if k == len(counted) else _Prefix(counted, k)
            yield cast("tuple[Contribution, ...]", shown), psum[j], (c[0], c[1], c[2], c[3])
