"""Adding up shares: the exact sum, rounded once.

A claim's log-odds is its prior plus the sum of the shares its evidence counts for.
Adding floating-point numbers one after another rounds at every step, so the result
depends on the order they are added in.  claimtrack defines the sum instead as the
exact (real-number) sum of the shares, rounded once to the nearest float: what
:func:`math.fsum` gives.  It is the same whatever order the evidence was added,
listed or stored in, and whether it is added up piece by piece or from counts of
pieces that weigh the same, which is how a store that keeps per-claim counts
(:class:`~claimtrack.stores.SQLiteStore`) answers :meth:`~claimtrack.Tracker.assess_all`
without reading every piece.

Every finite float is an integer multiple of a power of two, so the sums are kept as
integers over a common power-of-two denominator (exact, with Python's integers) and
divided once when read (Python's integer true division rounds correctly).

This module is the one place the rule is written; the running tallies, the whole-ledger
walks and :meth:`~claimtrack.EvidenceWeighing.assess` all use it.
"""

from __future__ import annotations

import array
import itertools
import math
import operator
from collections.abc import Iterable, Sequence

__all__ = ["ExactSum", "exact", "prefix_sums", "total_of"]


def exact(share: float) -> tuple[int, int]:
    """*share* as ``(numerator, shift)``: exactly ``numerator / 2**shift``, shift >= 0.

    Example:
        >>> exact(0.75), exact(-3.0)
        ((3, 2), (-3, 0))
    """
    numerator, denominator = share.as_integer_ratio()  # ValueError/OverflowError: nan, inf
    return numerator, denominator.bit_length() - 1


class ExactSum:
    """A running exact sum of finite floats, read rounded once (see the module docstring).

    Example:
        >>> import math
        >>> s = ExactSum()
        >>> for x in (0.1, 0.2, 0.3):
        ...     s.add(x)
        >>> s.value() == math.fsum([0.1, 0.2, 0.3]) == 0.6
        True
        >>> 0.1 + 0.2 + 0.3
        0.6000000000000001
        >>> s.add(0.25, times=4); s.value()
        1.6
    """

    __slots__ = ("numerator", "shift")

    def __init__(self) -> None:
        self.numerator = 0  # the sum is numerator / 2**shift, exactly
        self.shift = 0

    def add(self, share: float, times: int = 1) -> None:
        """Add *share*, *times* times (a negative *times* takes it away again)."""
        # (exact() written out: a running tally calls this per piece)
        numerator, denominator = share.as_integer_ratio()
        shift = denominator.bit_length() - 1
        if shift > self.shift:
            self.numerator <<= shift - self.shift
            self.shift = shift
        self.numerator += (numerator << (self.shift - shift)) * times

    def value(self) -> float:
        """The sum, rounded once to the nearest float (ties to even)."""
        return self.numerator / (1 << self.shift) if self.numerator else 0.0


def total_of(shares: Iterable[float]) -> float:
    """The exact sum of *shares*, rounded once: :func:`math.fsum` (in C), ``0.0`` for none.

    The same number as :class:`ExactSum` gives (a zero sum is ``0.0``, never ``-0.0``).

    Example:
        >>> total_of([0.1, 0.2, 0.3]), total_of([]), total_of([-0.0])
        (0.6, 0.0, 0.0)
    """
    return math.fsum(shares) + 0.0  # (+ 0.0: -0.0 becomes 0.0, as ExactSum.value())


def prefix_sums(
    shares: Sequence[float], total: ExactSum, *, after: bool = False
) -> array.array[float]:
    """The running sums as *shares* are added to *total*, each rounded once.

    Item k is the exact sum of *total* (as it was) and the first k + 1 *shares*,
    rounded once: ``math.fsum`` of them, not the running float sum, which rounds at
    every step.  *total* is left holding the exact sum of all of them.

    With *after*, *total* already holds the sum after the last of *shares* (and is
    left as it is): item k is *total* less the shares after the first k + 1.

    Cost: O(n) steps in C (integer additions and one correctly rounded conversion
    each).

    Example:
        >>> start = ExactSum()
        >>> list(prefix_sums([0.1, 0.2, 0.3], start)), start.value()
        ([0.1, 0.30000000000000004, 0.6], 0.6)
        >>> import itertools
        >>> list(itertools.accumulate([0.1, 0.2, 0.3]))
        [0.1, 0.30000000000000004, 0.6000000000000001]
        >>> list(prefix_sums([0.2, 0.3], start, after=True)), start.value()
        ([0.30000000000000004, 0.6], 0.6)
    """
    if not shares:
        return array.array("d")
    numerators, shift = _numerators(shares, total.shift)
    known = total.numerator << (shift - total.shift)
    added = sum(numerators)
    running = itertools.accumulate(numerators, initial=known - added if after else known)
    next(running)  # (the sum before the first share)
    if shift <= 1022:
        # float() rounds an integer correctly (to nearest, ties to even), and scaling
        # by a power of two is then exact: the result is a normal float (at least
        # 2**-shift) or zero
        try:
            out = array.array("d", map(operator.mul, map(float, running), _repeat(2.0**-shift)))
        except OverflowError:  # (a sum past 2**1024 / 2**shift: sums of large shares)
            running = itertools.accumulate(numerators, initial=known - added if after else known)
            next(running)
            out = array.array("d", map(operator.truediv, running, _repeat(1 << shift)))
    else:
        out = array.array("d", map(operator.truediv, running, _repeat(1 << shift)))
    if not after:
        total.numerator, total.shift = known + added, shift
    return out


_repeat = itertools.repeat

# The power of two tried first as the common denominator of a list of shares: past
# the ~53 bits a share of a few units needs, so that most lists need no more.
_GUESS = 64


def _numerators(shares: Sequence[float], shift: int) -> tuple[list[int], int]:
    """Each of *shares* as a numerator over ``2**s``, one *s* for all of them (>= *shift*).

    First tried in C: each share times ``2**s`` (exact: a power of two), which is an
    integer for every share whose own shift is at most *s* (checked).  Otherwise the
    numerator of each distinct share is found once (a claim's shares take a few
    values: one per stance, strength and reliability), then looked up.
    """
    top = max(shift, _GUESS)
    if top <= 1000:
        scaled = list(map(operator.mul, shares, _repeat(2.0**top)))
        if all(map(float.is_integer, scaled)):  # (inf, from a share too large, is not)
            return list(map(int, scaled)), top
    ratios = {share: exact(share) for share in set(shares)}
    top = max(shift, max(s for _, s in ratios.values()))
    table = {share: n << (top - s) for share, (n, s) in ratios.items()}
    return list(map(table.__getitem__, shares)), top
