"""Assessing claims straight from their records, for whole-ledger walks.

:meth:`~claimtrack.Tracker.assess_all` assesses each claim once, so it does not build
the running tally a claim keeps in the tracker's cache (sorted evidence, prefix sums,
a :class:`~claimtrack.Contribution` per piece) only to throw it away: it weighs the
claim's counted evidence in one pass (the shares' exact sum, rounded once, as the
tally's: the same, bit for bit, in any order), and gives each
:class:`~claimtrack.Assessment` a :class:`DerivedContributions` in place of its tuple
of contributions.  That view holds no evidence: on first use it reads the claim's
records from the store again and makes them, as :meth:`~claimtrack.Tracker.assess`
would have.  So the memory of the returned assessments grows with the number of
claims, not with the number of evidence records.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
from typing import TYPE_CHECKING

import attrs

from ._assessment import Assessment, Contribution
from ._contribs import _TupleLike
from ._dates import PartialDate
from ._model import Evidence, Source, Stance, Strength
from ._scoring import EvidenceWeighing
from ._sums import total_of
from ._tallies import ClaimState, _weigh, check_order, withdrawn_ids
from .errors import UnknownRecordError
from .stores._base import ClaimRecords
from .stores._weights import LedgerWeights, decode, parse_key

if TYPE_CHECKING:
    from ._assessing import Assessing

__all__ = ["DerivedContributions", "assess_counted", "assess_records"]

_NO_IDS: frozenset[str] = frozenset()


def assess_records(
    tracker: Assessing,
    found: ClaimRecords,
    weighing: EvidenceWeighing,
    as_of: PartialDate | None,
    judged_on: PartialDate,
) -> Assessment | None:
    """The assessment of one claim as it stands (no *known_at*), from its records.

    ``None`` when the claim itself stands retracted.  The same assessment as
    ``tracker.assess(claim, as_of=as_of)`` judged on *judged_on*, with its
    contributions held as a :class:`DerivedContributions`.

    Cost: O(n) in the claim's n pieces of evidence (the sum is exact, so it needs no
    sort), no :class:`~claimtrack.Contribution` made.
    """
    claim = found.claim
    retractions = found.retractions
    if retractions:
        check_order(found, tracker._path)
        withdrawn: set[str] | frozenset[str] = withdrawn_ids(retractions)
        if claim.id in withdrawn:
            return None
    else:
        withdrawn = _NO_IDS
    bound = None if as_of is None else as_of.end
    evidence = [
        e
        for e in found.evidence
        if (bound is None or e.observed_on.end <= bound) and e.id not in withdrawn
    ]
    total = 0.0
    c0 = c1 = c2 = c3 = 0
    if evidence:
        weights = tracker._weights
        get = weights.get
        shares: list[float] = []
        keep = shares.append
        for e in evidence:
            source = e.source
            key = (
                e.stance._value_,
                e.strength._value_,
                1.0 if source is None else source.reliability,
            )
            bits, share, _ = get(key) or _weigh(weighing, e, key, weights)
            keep(share)
            if bits:
                c0 += bits & 1
                c1 += bits >> 1 & 1
                c2 += bits >> 2 & 1
                c3 += bits >> 3 & 1
        total = total_of(shares)  # the exact sum, rounded once, as the tally's
    rulings = [
        r for r in found.rulings if (bound is None or r.on.end <= bound) and r.id not in withdrawn
    ]
    derived = DerivedContributions(
        tracker, claim.id, as_of, judged_on, len(found.evidence), len(retractions)
    )
    return weighing._decide(
        claim,
        derived,  # type: ignore[arg-type]  # a read-only Sequence standing for the tuple
        total,
        (c0, c1, c2, c3),
        rulings,
        as_of=as_of,
        known_at=None,
        judged_on=judged_on,
        derived=True,
    )


class DerivedContributions(_TupleLike[Contribution]):
    """The contributions of an assessment, made from the store on first use.

    Stands for the tuple :meth:`~claimtrack.Tracker.assess` would have given: equal to
    it (and hashed as it), read-only.  It keeps the tracker, the claim's id, the dates
    judged at and how many evidence records and retractions the claim had then; the
    store only appends, so the claim's first records, that many, are the ones the
    assessment was made from, whatever was added since.  Reading it needs the tracker
    open.  (Equality, hashing, pickling and the rest are :class:`_TupleLike`'s, as for
    the tracker's and a history's lazy contributions.)
    """

    __slots__ = ("_as_of", "_claim_id", "_items", "_judged_on", "_n_evidence", "_n_retractions",
                 "_tracker")  # fmt: skip

    def __init__(
        self,
        tracker: Assessing,
        claim_id: str,
        as_of: PartialDate | None,
        judged_on: PartialDate,
        n_evidence: int,
        n_retractions: int,
    ) -> None:
        self._tracker: Assessing | None = tracker
        self._claim_id = claim_id
        self._as_of = as_of
        self._judged_on = judged_on
        self._n_evidence = n_evidence
        self._n_retractions = n_retractions
        self._items: tuple[Contribution, ...] | None = None

    def _tuple(self) -> tuple[Contribution, ...]:
        items = self._items
        if items is None:
            tracker = self._tracker
            assert tracker is not None
            tracker._sync()
            found = tracker._store.claim_records(self._claim_id)
            if found is None:  # pragma: no cover - a store never forgets a claim
                raise UnknownRecordError(self._claim_id, kind="claim")
            found = attrs.evolve(
                found,
                evidence=found.evidence[: self._n_evidence],
                retractions=found.retractions[: self._n_retractions],
            )
            state = ClaimState(found, tracker._path)
            items = tuple(
                tracker._assess_now(state, self._as_of, None, self._judged_on).contributions
            )
            self._items = items
            self._tracker = None  # not needed any more
        return items

    def __len__(self) -> int:
        return len(self._tuple())


def assess_counted(
    tracker: Assessing,
    ledger: LedgerWeights,
    weighing: EvidenceWeighing,
    today: PartialDate,
) -> list[Assessment]:
    """``assess_all()`` as it stands (no *as_of*, no *known_at*) from a store's counts.

    *ledger* is what a store that keeps weighing counts answers with (see
    :mod:`claimtrack.stores._weights`): every claim, the counts of pieces of evidence
    by weight key of each claim whose counts are current, and every ruling.  A claim
    with counts is weighed from them, without reading its evidence: each weight key is
    weighed once, by the policy's own rule, and the claim's total is the exact sum of
    its counted shares, rounded once (``math.fsum`` of each share repeated as often as
    it counts: see :mod:`claimtrack._sums`), the same as the tally's.  A claim in the
    tracker's cache is assessed from its state; any other claim from its records.  The
    contributions of each assessment are a :class:`DerivedContributions`, read from the
    store on first use.

    Cost: O(claims + their weight keys) steps, most of them in C, plus the claims read
    from their records.
    """
    share_of: dict[str, float] = {}  # key text -> its counted share
    flags_of: tuple[dict[str, int], ...] = ({}, {}, {}, {})  # key text -> 0 or 1, by flag
    peek, store = tracker._cache.peek, tracker._store
    counted, rulings = ledger.counts, ledger.rulings
    found: list[Assessment] = []
    keep = found.append
    f0, f1, f2, f3 = (f.__getitem__ for f in flags_of)
    for claim in ledger.claims:
        claim_id = claim.id
        state = peek(claim_id)
        if state is not None:
            if claim_id not in state.withdrawn:
                keep(tracker._assess(state, None, None, today))
            continue
        times = decode(counted.get(claim_id))
        if times is not None:
            shares = list(map(share_of.get, times))
            if None in shares:  # a weight key not weighed yet
                if not _learn(tracker, weighing, times, share_of, flags_of):
                    times = None  # not a key as stored: read the claim from its records
                else:
                    shares = list(map(share_of.get, times))
        if times is None:
            records = store.claim_records(claim_id)
            if records is not None:
                assessed = assess_records(tracker, records, weighing, None, today)
                if assessed is not None:
                    keep(assessed)
            continue
        n = times.values()
        keep(
            weighing._decide(
                claim,
                DerivedContributions(tracker, claim_id, None, today, sum(n), 0),  # type: ignore[arg-type]
                total_of(itertools.chain.from_iterable(map(itertools.repeat, shares, n))),  # type: ignore[arg-type]
                (
                    sum(map(operator.mul, map(f0, times), n)),
                    sum(map(operator.mul, map(f1, times), n)),
                    sum(map(operator.mul, map(f2, times), n)),
                    sum(map(operator.mul, map(f3, times), n)),
                ),
                rulings.get(claim_id, ()),
                as_of=None,
                known_at=None,
                judged_on=today,
                derived=True,
            )
        )
    return found


def _learn(
    tracker: Assessing,
    weighing: EvidenceWeighing,
    times: dict[str, int],
    share_of: dict[str, float],
    flags_of: tuple[dict[str, int], ...],
) -> bool:
    """Weigh the key texts of *times* not weighed yet; ``False`` if one is not a key."""
    weights = tracker._weights
    for text in times:
        if text in share_of:
            continue
        key = parse_key(text)
        if key is None:
            return False
        weighed = weights.get(key) or _weigh(weighing, _stand_in(key), key, weights)
        bits = weighed[0]
        share_of[text] = weighed[1]
        for k, flags in enumerate(flags_of):
            flags[text] = bits >> k & 1
    return True


_SOME_DAY = PartialDate(_dt.date(2000, 1, 1))


def _stand_in(key: tuple[str, str, float]) -> Evidence:
    """A piece of evidence with this weight key, to weigh the key by the policy's own rule."""
    stance, strength, reliability = key
    return Evidence(
        "weight",
        "weight",
        "weight",
        stance=Stance(stance),
        strength=Strength(strength),
        observed_on=_SOME_DAY,
        source=None if reliability == 1.0 else Source(title="weight", reliability=reliability),
    )
