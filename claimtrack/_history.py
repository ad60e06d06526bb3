"""What :meth:`~claimtrack.Tracker.history` returns: a claim's assessments, made on read.

A claim with many pieces of evidence has as many change points, and a history that
held one :class:`~claimtrack.Assessment` per point (each with its view of the
contributions) left two long-lived objects per point for Python's cyclic garbage
collector to walk, again and again: at 160,000 points the collector's full passes over
the whole process took longer than the history itself.  So a :class:`History` keeps
each point's tally in flat arrays (the number of contributions counted, the total of
their shares, the flag counts, the ruling in effect) and makes an entry's assessment
when it is read, from the one tuple of contributions the entries share.
"""

from __future__ import annotations

import array
import bisect
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from ._assessment import Assessment, Contribution
from ._contribs import _Prefix, _TupleLike
from ._dates import PartialDate
from ._enums import Verdict
from ._forecasting import _resolved
from ._model import Claim, Ruling
from ._scoring import EvidenceWeighing, ruling_in_effect
from .errors import InvalidRecordError

__all__ = ["History", "rulings_in_effect"]

_OUTCOMES = (Verdict.HELD, Verdict.FAILED)
_SET_RESOLVED_ON = vars(Assessment)["resolved_on"].__set__


def _prefix(items: tuple[Contribution, ...], n: int) -> tuple[Contribution, ...]:
    """The first *n* of *items*, as a read-only view of them that equals their tuple."""
    return items if n == len(items) else _Prefix(items, n)  # type: ignore[return-value]


def rulings_in_effect(
    rulings: Sequence[Ruling], points: Sequence[PartialDate]
) -> list[Ruling | None]:
    """The ruling in effect (or ``None``) at each of *points* (in date order).

    *rulings* are those that count, in store order; those dated by a point count by
    then, and the one in effect among them (:func:`~claimtrack._scoring.ruling_in_effect`)
    is chosen again only where that set grows.
    """
    if not rulings:
        return [None] * len(points)
    ends = sorted(r.on.end for r in rulings)
    found: list[Ruling | None] = []
    counted, ruling = 0, None
    for point in points:
        now = bisect.bisect_right(ends, point.end)
        if now != counted:
            counted = now
            ruling = ruling_in_effect([r for r in rulings if r.on.end <= point.end])
        found.append(ruling)
    return found


class History(_TupleLike[Assessment]):
    """A claim's assessment at each change point, oldest first, then as it stands.

    What :meth:`Tracker.history <claimtrack.Tracker.history>` returns: a read-only
    sequence of :class:`~claimtrack.Assessment` that stands for the tuple of them.  It
    has a length, indexes (negative too), slices (a slice is a tuple), iterates
    (also reversed), answers ``in``, ``index()`` and ``count()``; it is equal to (and
    hashed as) the tuple of its assessments, and to another history of the same
    assessments; it pickles, and copies, as that tuple; its ``repr`` is the tuple's.

    With the default policy and no ``known_at``, a history keeps, for each change point,
    only the tally of that date (how many of the claim's contributions counted, the
    total of their shares, the flag counts and the ruling in effect), and makes the
    entry's :class:`~claimtrack.Assessment` each time it is read: equal every time,
    not the same object.  Read an entry once and keep it if you need it again.  A
    history is a snapshot: records added to the tracker later do not change it.

    Args:
        assessments: the entries, oldest first (a history is usually made by
            :meth:`Tracker.history <claimtrack.Tracker.history>`, not built by hand).

    Raises:
        InvalidRecordError: an entry is not an :class:`~claimtrack.Assessment`.

    Example:
        >>> import claimtrack as ct
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
        ...                 stated_on="2025-02-18")
        >>> _ = t.add_evidence("c", "Jeddah talks.", stance="supports",
        ...                    strength="conclusive", observed_on="2025-03-11")
        >>> steps = t.history("c")
        >>> len(steps), steps[-1] == t.assess("c"), steps[1].verdict.value
        (3, True, 'held')
        >>> steps == tuple(steps) == ct.History(steps)
        True
        >>> [str(a.as_of) for a in steps[:2]]
        ['2025-02-18', '2025-03-11']

    .. versionadded:: 0.2.0
    """

    __slots__ = (
        "_claim", "_counted", "_counts", "_entries", "_first", "_last", "_points",
        "_policy", "_ruling_at", "_rulings", "_sizes", "_totals",
    )  # fmt: skip

    _entries: tuple[Assessment, ...] | None
    _claim: Claim
    _policy: EvidenceWeighing
    _counted: tuple[Contribution, ...]
    _points: tuple[PartialDate, ...]
    _sizes: array.array[int]
    _totals: array.array[float]
    _counts: array.array[int]
    _rulings: tuple[Ruling, ...]
    _ruling_at: array.array[int]
    _first: dict[Verdict, PartialDate]
    _last: Assessment

    def __init__(self, assessments: Iterable[Assessment]) -> None:
        entries = tuple(assessments)
        for entry in entries:
            if not isinstance(entry, Assessment):
                raise InvalidRecordError("assessments", entry, "must hold Assessment values")
        self._entries = entries

    @classmethod
    def _of(cls, entries: tuple[Assessment, ...]) -> History:
        """A history of assessments already made (and checked) by the tracker."""
        made: History = object.__new__(cls)
        made._entries = entries
        return made

    @classmethod
    def _tallied(
        cls,
        claim: Claim,
        policy: EvidenceWeighing,
        points: Sequence[PartialDate],
        views: Iterable[tuple[Sequence[Contribution], float, tuple[int, int, int, int]]],
        rulings: Sequence[Ruling | None],
        last: Assessment,
    ) -> History:
        """A history kept as the tally of each of *points* (see the class docstring).

        *views* gives, for each point in order, the contributions counted by then (each
        a prefix of the last one's, which is the tuple all entries share), the total of
        their shares and the flag counts; *rulings* the ruling in effect at each point;
        *last* is the claim as it stands.  Each entry's ``resolved_on`` is the first
        point with its verdict (``HELD`` or ``FAILED``), found here from the tallies,
        so that no entry is made.

        Cost: O(k) for k points (plus the views), no object per point.
        """
        made: History = object.__new__(cls)
        made._entries = None
        made._claim, made._policy, made._points = claim, policy, tuple(points)
        sizes, totals, counts = array.array("q"), array.array("d"), array.array("q")
        ruling_at = array.array("i")
        distinct: dict[int, int] = {}  # id(ruling) -> its position in made._rulings
        kept: list[Ruling] = []
        first: dict[Verdict, PartialDate] = {}
        due = claim.due
        verdict_of = policy._verdict
        counted: Sequence[Contribution] = ()
        for point, (shown, total, c), ruling in zip(made._points, views, rulings, strict=True):
            counted = shown
            sizes.append(len(shown))
            totals.append(total)
            counts.extend(c)
            if ruling is None:
                ruling_at.append(-1)
                verdict = verdict_of(total, c, due is not None and point.end > due.end)[0]
            else:
                at = distinct.get(id(ruling))
                if at is None:
                    at = distinct[id(ruling)] = len(kept)
                    kept.append(ruling)
                ruling_at.append(at)
                verdict = ruling.verdict
            if verdict in _OUTCOMES and verdict not in first:
                first[verdict] = point
        # the last view counts every piece: its contributions are the tuple they share
        made._counted = counted if isinstance(counted, tuple) else tuple(counted)
        made._sizes, made._totals, made._counts = sizes, totals, counts
        made._rulings, made._ruling_at, made._first = tuple(kept), ruling_at, first
        day = first.get(last.verdict)
        made._last = last if day is None else _resolved(last, day)
        return made

    # -- the entries ------------------------------------------------------------------

    def _entry(self, i: int) -> Assessment:
        """The entry at *i*, ``0 <= i < len(self)``, made from its tally."""
        points = self._points
        if i == len(points):
            return self._last
        counts = self._counts
        j = 4 * i
        at = self._ruling_at[i]
        point = points[i]
        made = self._policy._decide(
            self._claim,
            _prefix(self._counted, self._sizes[i]),
            self._totals[i],
            (counts[j], counts[j + 1], counts[j + 2], counts[j + 3]),
            () if at < 0 else (self._rulings[at],),
            as_of=point,
            known_at=None,
            judged_on=point,
        )
        verdict = made.verdict
        if verdict in _OUTCOMES:
            # a new object, seen by no one yet: its field is set in place
            _SET_RESOLVED_ON(made, self._first.get(verdict))
        return made

    def __len__(self) -> int:
        if self._entries is not None:
            return len(self._entries)
        return len(self._points) + 1

    @overload
    def __getitem__(self, index: int) -> Assessment: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Assessment, ...]: ...

    def __getitem__(self, index: int | slice) -> Assessment | tuple[Assessment, ...]:
        entries = self._entries
        if entries is not None:
            return entries[index]
        n = len(self)
        if isinstance(index, slice):
            return tuple(self._entry(i) for i in range(*index.indices(n)))
        i = operator.index(index)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("history index out of range")
        return self._entry(i)

    def __iter__(self) -> Iterator[Assessment]:
        if self._entries is not None:
            return iter(self._entries)
        return map(self._entry, range(len(self)))

    def __reversed__(self) -> Iterator[Assessment]:
        if self._entries is not None:
            return reversed(self._entries)
        return map(self._entry, range(len(self) - 1, -1, -1))

    def __contains__(self, value: object) -> bool:
        return any(entry is value or entry == value for entry in self)

    def _tuple(self) -> tuple[Assessment, ...]:
        # equality, hashing, +, repr and pickling are _TupleLike's, through this
        entries = self._entries
        return entries if entries is not None else tuple(self)
