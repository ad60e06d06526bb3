"""The enumerations of a ledger: claim kinds, stances, strengths and verdicts.

With the helpers that read them from what people type (``"partly held"``,
``"PARTLY_HELD"``, a member itself), raising
:class:`~claimtrack.errors.InvalidRecordError` that names the field.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from attrs import Converter

from .errors import InvalidRecordError

__all__ = ["ClaimKind", "Stance", "Strength", "Verdict", "enum_converter", "to_enum"]

_E = TypeVar("_E", bound=enum.Enum)


class ClaimKind(enum.Enum):
    """What sort of statement a claim is.

    Example:
        >>> ClaimKind("promise")
        <ClaimKind.PROMISE: 'promise'>

    .. versionadded:: 0.1.0
    """

    ASSERTION = "assertion"
    """A statement of fact about the past or present."""
    PREDICTION = "prediction"
    """A statement that something will happen, not in the speaker's power."""
    PROMISE = "promise"
    """An undertaking by the speaker to do something."""
    ASSURANCE = "assurance"
    """A reassurance that something will (or will not) happen to others."""
    COMMITMENT = "commitment"
    """A stated position the speaker says they will hold to."""


class Stance(enum.Enum):
    """How a piece of evidence bears on a claim.

    .. versionadded:: 0.1.0
    """

    SUPPORTS = "supports"
    """Makes it more likely that the claim held."""
    REFUTES = "refutes"
    """Makes it less likely that the claim held."""
    MIXED = "mixed"
    """Points both ways; moves no probability but counts toward ``CONTESTED``."""
    CONTEXT = "context"
    """Relevant background that bears on neither side."""


class Strength(enum.Enum):
    """How strongly a piece of evidence bears on a claim.

    The default scoring policy reads these as likelihood ratios of 2, 4 and 16;
    ``CONCLUSIVE`` settles the claim.

    .. versionadded:: 0.1.0
    """

    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"
    CONCLUSIVE = "conclusive"


class Verdict(enum.Enum):
    """Whether a claim held up.

    Example:
        >>> Verdict.HELD.is_resolved, Verdict.PENDING.is_resolved
        (True, False)

    .. versionadded:: 0.1.0
    """

    HELD = "held"
    """It held up."""
    PARTLY_HELD = "partly_held"
    """Part of it held up (from a ruling, or a policy that knows partial outcomes)."""
    FAILED = "failed"
    """It did not hold up."""
    PENDING = "pending"
    """Not yet clear, and not yet due."""
    UNRESOLVED = "unresolved"
    """Past its due date and still not clear."""
    CONTESTED = "contested"
    """Strong evidence on both sides."""
    UNVERIFIABLE = "unverifiable"
    """Reality stayed unclear; only from a ruling."""
    VOID = "void"
    """A premise failed, so the claim no longer applies; only from a ruling."""

    @property
    def is_resolved(self) -> bool:
        """Whether this verdict counts in a hit rate (held, partly held or failed)."""
        return self in _RESOLVED

    @property
    def label(self) -> str:
        """The verdict in words, e.g. ``"partly held"``."""
        return self.value.replace("_", " ")


_RESOLVED = frozenset({Verdict.HELD, Verdict.PARTLY_HELD, Verdict.FAILED})


def to_enum(cls: type[_E], value: Any, name: str) -> _E:
    """Convert *value* (a member of *cls*, its value or its name) to a member of *cls*.

    Raises:
        InvalidRecordError: naming the argument *name* and listing the allowed values.
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if key in (str(member.value).lower(), member.name.lower()):
                return member
    allowed = ", ".join(repr(m.value) for m in cls)
    raise InvalidRecordError(name, value, f"is not a {cls.__name__}; allowed: {allowed}")


def enum_converter(cls: type[_E], name: str) -> Converter[Any, _E]:
    """An attrs converter for :func:`to_enum`."""
    return Converter(lambda value: to_enum(cls, value, name))
