"""Read-only sequences of contributions that stand for a tuple, made cheaply.

An :class:`~claimtrack.Assessment` holds its contributions as a tuple.  Making one
:class:`~claimtrack.Contribution` per piece of evidence is most of the cost of a claim's
first assessment, and most assessments are never asked why.  So the tracker's running
tallies (``claimtrack._tallies``) give an assessment a :class:`TallyContributions`: the
counted evidence, in weighing order, whose contributions are made on first read; and
the entries of :meth:`~claimtrack.Tracker.history` share one tuple through a
:class:`_Prefix` of it.  Each is equal to (and hashed as) the tuple it stands for, and
pickled or copied as that tuple.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ._assessment import Contribution
from ._model import Evidence, slot_setters

if TYPE_CHECKING:
    from ._scoring import EvidenceWeighing

__all__ = ["TallyContributions"]

_new = object.__new__
_CONTRIBUTION_SETTERS = slot_setters(Contribution)

# what a stance, strength and reliability weigh: (flag bits, share as counted in the
# sums, share of its Contribution); see claimtrack._tallies._weigh
Weights = dict[tuple[str, str, float], tuple[int, float, float]]


def make_contributions(
    policy: EvidenceWeighing, evidence: Sequence[Evidence], weights: Weights
) -> list[Contribution]:
    """The :class:`Contribution` of each of *evidence*, as ``policy.weigh`` gives it.

    *weights* holds what each stance, strength and reliability weighs for *policy*
    (filled in here when one is missing): conclusive evidence that settles has a share
    of ``±inf``.  Each contribution's fields are set directly, from values already
    checked.
    """
    from ._tallies import _weigh  # (_tallies imports this module)

    out: list[Contribution] = []
    append, new, get = out.append, _new, weights.get
    set_evidence, set_stance, set_strength, set_reliability, set_share = _CONTRIBUTION_SETTERS
    for e in evidence:
        source = e.source
        reliability = 1.0 if source is None else source.reliability
        stance, strength = e.stance, e.strength
        key = (stance._value_, strength._value_, reliability)
        share = (get(key) or _weigh(policy, e, key, weights))[2]
        contribution = new(Contribution)
        set_evidence(contribution, e)
        set_stance(contribution, stance)
        set_strength(contribution, strength)
        set_reliability(contribution, reliability)
        set_share(contribution, share)
        append(contribution)
    return out


_T = TypeVar("_T", covariant=True)


class _TupleLike(Sequence[_T]):
    """A read-only sequence equal to, hashed and pickled as the tuple :meth:`_tuple` gives.

    The base of every lazy sequence the tracker hands out in place of a tuple: these
    contributions, a history's (:class:`claimtrack.History`) and ``assess_all()``'s
    (``claimtrack._walk.DerivedContributions``).
    """

    __slots__ = ()

    def _tuple(self) -> tuple[_T, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __getitem__(self, index: Any) -> Any:
        return self._tuple()[index]

    def __iter__(self) -> Any:
        return iter(self._tuple())

    def __contains__(self, value: object) -> bool:
        return value in self._tuple()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple | _TupleLike):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __add__(self, other: Any) -> Any:
        return self._tuple() + other

    def __radd__(self, other: Any) -> Any:
        return other + self._tuple()

    def __repr__(self) -> str:
        return repr(self._tuple())

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled (and copied) as the tuple it stands for
        return tuple, (self._tuple(),)


class TallyContributions(_TupleLike[Contribution]):
    """The contributions of the counted *evidence* (in weighing order), made on first read.

    Stands for the tuple ``tuple(policy.weigh(e) for e in evidence)`` (conclusive
    evidence that settles with a share of ``±inf``, as :class:`EvidenceWeighing` gives
    it): equal to it, hashed as it, pickled as it.  Its length needs no contribution
    made.  *evidence* is a tuple of its own, so that evidence added to the claim later
    does not change it.

    Example:
        >>> from claimtrack._contribs import TallyContributions
        >>> e = ct.Evidence("e", "c", "Jeddah.", stance="supports", strength="strong",
        ...                 observed_on="2025-03-11")
        >>> policy = ct.EvidenceWeighing()
        >>> lazy = TallyContributions(policy, (e,), {})
        >>> len(lazy), lazy == (policy.weigh(e),), lazy[0].share == policy.weigh(e).share
        (1, True, True)
    """

    __slots__ = ("_evidence", "_items", "_policy", "_weights")

    def __init__(
        self, policy: EvidenceWeighing, evidence: tuple[Evidence, ...], weights: Weights
    ) -> None:
        self._policy: EvidenceWeighing | None = policy
        self._evidence = evidence
        self._weights: Weights | None = weights
        self._items: tuple[Contribution, ...] | None = None

    def _tuple(self) -> tuple[Contribution, ...]:
        items = self._items
        if items is None:
            policy, weights = self._policy, self._weights
            assert policy is not None
            assert weights is not None
            items = self._items = tuple(make_contributions(policy, self._evidence, weights))
            self._policy = self._weights = None  # not needed any more
        return items

    def __len__(self) -> int:
        return len(self._evidence)

    def __bool__(self) -> bool:
        return bool(self._evidence)


class _Prefix(_TupleLike[Contribution]):
    """The first *n* items of a tuple shared with other views, read-only.

    Equal to (and hashed as) the tuple of those items, which it stands for in an
    :class:`Assessment` of :meth:`~claimtrack.Tracker.history`.
    """

    __slots__ = ("_items", "_n")

    def __init__(self, items: tuple[Contribution, ...], n: int) -> None:
        self._items = items
        self._n = n

    def _tuple(self) -> tuple[Contribution, ...]:
        return self._items[: self._n]

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return self._items[: self._n][index]
        i = operator.index(index)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("index out of range")
        return self._items[i]

    def __iter__(self) -> Any:
        return itertools.islice(self._items, self._n)
