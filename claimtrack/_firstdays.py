"""The first days a claim was ``HELD`` and ``FAILED``, in one pass over its evidence.

A held or failed assessment carries ``resolved_on``, the first day the claim stood so;
the tracker keeps these days with the claim's state (:class:`FirstDays`), found by
:func:`first_days_pass` from the claim's running tally, then kept up to date
(``claimtrack._forecasting``).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ._dates import PartialDate
from ._enums import Verdict
from ._model import Evidence, Ruling
from ._scoring import ruling_in_effect

if TYPE_CHECKING:
    from ._scoring import EvidenceWeighing
    from ._tallies import ClaimState

__all__ = ["FirstDays", "first_days_pass"]

_OUTCOMES = (Verdict.HELD, Verdict.FAILED)
_END = operator.attrgetter("observed_on.end")
_ON_END = operator.attrgetter("on.end")
# the flag values (bits of _ClaimTally.present) of conclusive evidence, for or against
_ANY_CONCLUSIVE = sum(1 << value for value in range(16) if value & 3)


class FirstDays(NamedTuple):
    """The first days a claim was ``HELD`` and ``FAILED`` (see ``_first_days``)."""

    through: _dt.date  # the last change day counted
    held: PartialDate | None
    failed: PartialDate | None
    ruling: Ruling | None  # the ruling in effect on the last day
    # the number of the claim's records they were found from
    evidence: int
    rulings: int
    retractions: int

    def of(self, verdict: Verdict, as_of: PartialDate | None) -> PartialDate | None:
        """The first day with *verdict* (``HELD`` or ``FAILED``), if not after *as_of*."""
        day = self.held if verdict is Verdict.HELD else self.failed
        if verdict not in _OUTCOMES or day is None or (as_of is not None and day.end > as_of.end):
            return None
        return day


def first_days_pass(
    state: ClaimState,
    weighing: EvidenceWeighing,
    weights: dict[tuple[str, str, float], tuple[int, float, float]],
) -> FirstDays:
    """The first days a claim was ``HELD`` and ``FAILED``, in one pass over its evidence.

    The pass of the tracker's ``_first_days``, over the evidence in weighing order.

    The claim's tally (in the tracker's cache, ``claimtrack._tallies``), keeping
    the flag counts; at each change point the verdict is the ruling in effect's, or
    else ``HELD``/``FAILED``/neither as ``EvidenceWeighing._decide`` finds it from
    the prefix sum of the shares and those counts (conclusive evidence on one side
    settles it; else the log-odds against the thresholds).  No contributions are
    made, so a claim with n pieces of evidence costs O(n), not O(n²); a property
    test checks it against assessing each day.  The pass stops once it has found
    both days.  Without conclusive evidence, each change point's prefix is found by
    bisection, and its sum compared with the thresholds first as a running float
    sum (in C), within a bound of its rounding error: only a sum within that bound
    of a threshold is found exactly (the exact sum rounded once,
    :meth:`~claimtrack._tallies._ClaimTally.sums`), so the verdicts are the exact
    sums' either way.
    """
    claim = state.claim
    ordered: list[Evidence] = []
    retracted: Mapping[str, Evidence] = {}
    flags: Sequence[int] = b""
    withdrawn = state.withdrawn
    rulings = state.rulings
    if rulings:
        rulings = sorted((r for r in rulings if r.id not in withdrawn), key=_ON_END)
    days = {claim.stated_on.end, *map(_ON_END, rulings)}
    ends: list[_dt.date] = []
    prior, held_at, failed_at = weighing._cuts
    tally = None
    conclusive = False  # whether any piece is conclusive
    counted: Sequence[float] = ()
    if state.evidence:
        tally = state.tally_for(weighing, weights)
        ordered, retracted, flags = tally.evidence, tally.retracted, tally.flags
        ends = list(map(_END, ordered))
        conclusive = bool(tally.present & _ANY_CONCLUSIVE)
        days.update(ends if not retracted else (_END(e) for e in ordered if e.id not in retracted))
        if not conclusive:
            counted = tally._counted()
    # Without conclusive evidence: the running float sums of the counted shares, and
    # a bound on how far one of them, the prior added, is from the exact sum's.
    # Recursive summation of n terms is off by at most (n - 1) u sum|x| (u = 2**-53),
    # the exact sum rounded once by u |sum|, adding the prior by u of the result:
    # (n + 4) 2**-52 of these magnitudes bounds it all, with room for rounding the
    # comparisons themselves (an inf or nan bound decides nothing).
    # (the prior first: one more term of the recursive sum, within the same bound)
    approx = None if conclusive else list(itertools.accumulate(counted, initial=prior))
    bound = (
        (len(counted) + 4)
        * 2.0**-52
        * (sum(map(abs, counted)) + abs(prior) + abs(held_at) + abs(failed_at))
    )
    held_above, held_below = held_at + bound, held_at - bound
    failed_above, failed_below = failed_at + bound, failed_at - bound
    psum: Sequence[float] | None = None  # the exact prefix sums, once needed
    held_verdict, failed_verdict = Verdict.HELD, Verdict.FAILED
    conclusive_for = conclusive_against = 0
    i = j = 0
    n, n_rulings = len(ordered), len(rulings)
    ruling = None
    held = failed = None
    found: Verdict | None
    for day in sorted(days):
        if not conclusive:
            i = bisect.bisect_right(ends, day, i)
        else:
            while i < n and ends[i] <= day:
                if not retracted or ordered[i].id not in retracted:
                    bits = flags[i]
                    if bits:
                        conclusive_for += bits & 1
                        conclusive_against += bits >> 1 & 1
                i += 1
        if j < n_rulings and rulings[j].on.end <= day:
            while j < n_rulings and rulings[j].on.end <= day:
                j += 1
            ruling = ruling_in_effect(rulings[:j])
        if ruling is not None:
            found = ruling.verdict
        elif conclusive_for:
            found = None if conclusive_against else held_verdict  # (or contested)
        elif conclusive_against:
            found = failed_verdict
        else:
            exact = approx is None
            if approx is not None:
                log_odds = approx[i]
                if log_odds >= held_above:
                    found = held_verdict
                elif log_odds < held_below and log_odds <= failed_below:
                    found = failed_verdict
                elif log_odds < held_below and log_odds > failed_above:
                    found = None  # (an open verdict: not scored)
                else:
                    exact = True  # (near a threshold: the exact sum decides)
            if exact:
                if psum is None:
                    psum = (0.0,) if tally is None else tally.sums()
                log_odds = prior + psum[i]
                found = (
                    held_verdict
                    if log_odds >= held_at
                    else failed_verdict
                    if log_odds <= failed_at
                    else None  # (an open verdict: not scored)
                )
        if found is held_verdict:
            if held is None:
                held = day
                if failed is not None:
                    break
        elif found is failed_verdict and failed is None:
            failed = day
            if held is not None:
                break
    return FirstDays(
        max(days),
        None if held is None else PartialDate.coerce(held),
        None if failed is None else PartialDate.coerce(failed),
        ruling_in_effect(rulings) if rulings else None,
        len(state.evidence),
        len(state.rulings),
        len(state.retractions),
    )
