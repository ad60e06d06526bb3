"""The records of a ledger: speakers, claims, evidence, forecasts, rulings, retractions.

Every record is a frozen, slotted attrs class.  Converters normalise what people type
(strings to enums and dates, lists to tuples, names stripped); validators refuse what
cannot be right, raising :class:`~claimtrack.errors.InvalidRecordError` that names the
field and the value.  Records never change: a correction is a new record.
"""

# mypy's attrs plugin cannot read attrs.Converter objects ("Unsupported converter"),
# which we use so that every converter knows its field's name for error messages.
# The generated __init__ then takes Any for those fields, which is honest: they
# convert what people type.  Everything else in this module is checked strictly.
# mypy: disable-error-code="misc"

from __future__ import annotations

import datetime as _dt
import math
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

import attrs
from attrs import Converter, field, frozen

from ._dates import PartialDate, RelativeDeadline, check_recorded_at
from ._enums import ClaimKind, Stance, Strength, Verdict, enum_converter, to_enum
from .errors import InvalidRecordError

__all__ = [
    "Claim",
    "ClaimKind",
    "Evidence",
    "Forecast",
    "Record",
    "Retraction",
    "Role",
    "Ruling",
    "Source",
    "Speaker",
    "Stance",
    "Strength",
    "Verdict",
]

MAX_TEXT = 20_000
"""The longest text a record field may hold, in characters."""
MAX_ID = 200
"""The longest id, in characters."""


def slot_setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of the slot of each field of the attrs class *cls*, in field order.

    Calling one sets the slot directly, as ``object.__setattr__`` does past a frozen
    class's ``__setattr__``, in about half the time.  Only for building, from values
    already checked, records and results that nothing else has seen yet: the bulk
    paths (reading a ledger, the first assessment of every claim) make a million
    objects with them.
    """
    return tuple(vars(cls)[f.name].__set__ for f in attrs.fields(cls))


# -- field helpers ---------------------------------------------------------------------


def _check_plain_text(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRecordError(name, value, "contains a lone surrogate") from None
    if "\x00" in value:
        raise InvalidRecordError(name, value, "contains a NUL character")


def clean_text(value: Any, name: str, *, limit: int = MAX_TEXT) -> str:
    """Strip *value* and check it is non-empty, well-formed text of at most *limit*."""
    if not isinstance(value, str):
        raise InvalidRecordError(name, value, "must be a string")
    text = value.strip()
    if not text:
        raise InvalidRecordError(name, value, "must not be empty")
    if len(text) > limit:
        raise InvalidRecordError(name, value, f"is longer than {limit} characters")
    _check_plain_text(name, text)
    return text


def _text(value: Any, fld: attrs.Attribute[Any]) -> str:
    return clean_text(value, fld.name)


def _optional_text(value: Any, fld: attrs.Attribute[Any]) -> str | None:
    return None if value is None else clean_text(value, fld.name)


_ID_BAD = re.compile(r"[\x00-\x1f\x7f]")


def clean_id(value: Any, name: str = "id") -> str:
    """Check an id: a non-empty string without surrounding space or control characters."""
    if not isinstance(value, str):
        raise InvalidRecordError(name, value, "must be a string")
    if not value or value != value.strip():
        raise InvalidRecordError(name, value, "must be non-empty, without surrounding spaces")
    if len(value) > MAX_ID:
        raise InvalidRecordError(name, value, f"is longer than {MAX_ID} characters")
    if _ID_BAD.search(value):
        raise InvalidRecordError(name, value, "contains a control character")
    _check_plain_text(name, value)
    return value


def _id(value: Any, fld: attrs.Attribute[Any]) -> str:
    return clean_id(value, fld.name)


def _ref(value: Any, fld: attrs.Attribute[Any]) -> str:
    # an id that refers to another record repeats across records (many forecasts of one
    # claim): share one string object, as the codec does on reading
    return sys.intern(clean_id(value, fld.name))


def _date(value: Any, fld: attrs.Attribute[Any]) -> PartialDate:
    return PartialDate.coerce(value, field=fld.name)


def _optional_date(value: Any, fld: attrs.Attribute[Any]) -> PartialDate | None:
    return None if value is None else PartialDate.coerce(value, field=fld.name)


def _unit_float(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRecordError(name, value, "must be a number in [0, 1]")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range
        raise InvalidRecordError(name, value, "must lie in [0, 1]") from None
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise InvalidRecordError(name, value, "must lie in [0, 1]")
    return number


def _recorded_at(value: Any, fld: attrs.Attribute[Any]) -> _dt.datetime | None:
    return None if value is None else check_recorded_at(value, field=fld.name)


def _str_tuple(value: Any, fld: attrs.Attribute[Any]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        raise InvalidRecordError(fld.name, value, "must be a list of strings")
    return tuple(clean_text(v, fld.name, limit=2_000) for v in value)


def _conv(fn: Any) -> Converter[Any, Any]:
    return Converter(fn, takes_field=True)


# -- records ---------------------------------------------------------------------------


def _roles(value: Any, fld: attrs.Attribute[Any]) -> tuple[Role, ...]:
    if isinstance(value, Role):
        value = (value,)
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidRecordError(fld.name, value, "must be a list of Role")
    roles = tuple(value)
    for role in roles:
        if not isinstance(role, Role):
            raise InvalidRecordError(fld.name, role, "must be a Role")
    return roles


@frozen
class Role:
    """An office or title a speaker held, from *start* to *end* (inclusive, open if ``None``).

    Args:
        title: the title, e.g. ``"President of the United States"``.
        start: when the speaker took it up (any date input), or ``None`` if unknown.
        end: when they left it, or ``None`` while they hold it.

    Example:
        >>> role = Role("President of the United States", start="2025-01-20")
        >>> role.covers("2025-02-18"), role.covers("2024")
        (True, False)

    .. versionadded:: 0.1.0
    """

    title: str = field(converter=_conv(_text))
    start: PartialDate | None = field(default=None, converter=_conv(_optional_date))
    end: PartialDate | None = field(default=None, converter=_conv(_optional_date))

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end.end < self.start.start:
            raise InvalidRecordError("end", self.end, f"is before start {self.start}")

    def covers(self, when: Any) -> bool:
        """Whether the speaker held this role on *when* (any date input).

        A partial *when* counts if it overlaps the role's span at all.
        """
        date = PartialDate.coerce(when, field="when")
        if self.start is not None and date.end < self.start.start:
            return False
        return not (self.end is not None and date.start > self.end.end)


@frozen
class Speaker:
    """A person or organisation whose claims are tracked.

    Args:
        id: the speaker's id, unique in the tracker.
        name: the name to show.
        roles: the roles they held (:class:`Role` values), in any order.
        organization: ``True`` for an organisation (a government, a party, a company).
        same_as: URLs that identify the speaker elsewhere (Wikidata, a homepage);
            used to match speakers on import.
        recorded_at: when the tracker learned of the speaker (set on append).

    Example:
        >>> s = Speaker("trump", "Donald Trump",
        ...             roles=[Role("President of the United States", start="2025-01-20")])
        >>> s.role_on("2025-02-18").title
        'President of the United States'

    .. versionadded:: 0.1.0
    """

    id: str = field(converter=_conv(_id))
    name: str = field(converter=_conv(_text))
    roles: tuple[Role, ...] = field(default=(), converter=_conv(_roles))
    organization: bool = field(default=False, kw_only=True)
    same_as: tuple[str, ...] = field(default=(), kw_only=True, converter=_conv(_str_tuple))
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )

    @organization.validator
    def _check_org(self, _: attrs.Attribute[bool], value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidRecordError("organization", value, "must be True or False")

    def roles_on(self, when: Any) -> tuple[Role, ...]:
        """All roles the speaker held on *when*, latest-started first."""
        held = [r for r in self.roles if r.covers(when)]
        held.sort(key=lambda r: r.start.start if r.start else _dt.date.min, reverse=True)
        return tuple(held)

    def role_on(self, when: Any) -> Role | None:
        """The role the speaker held on *when*, or ``None``.

        When several roles overlap the date, the one taken up most recently wins.
        """
        held = self.roles_on(when)
        return held[0] if held else None


def _reliability(value: Any) -> float:
    return _unit_float(value, "reliability")


@frozen
class Source:
    """Where a claim was made or a piece of evidence was reported.

    Every field is keyword-only and optional, but a source must name at least a title,
    a publisher or a URL.

    Args:
        title: the headline or document title.
        publisher: who published it.
        author: who wrote it.
        published: when (any date input).
        url: an absolute http or https URL (others, such as ``javascript:``,
            are refused).
        reliability: how far to trust it, in [0, 1]; scales the weight of evidence
            from it. Default 1.

    Example:
        >>> Source(title="Joint statement", publisher="US Department of State",
        ...        published="2025-03-11").published
        PartialDate('2025-03-11')

    .. versionadded:: 0.1.0
    """

    title: str | None = field(default=None, kw_only=True, converter=_conv(_optional_text))
    publisher: str | None = field(default=None, kw_only=True, converter=_conv(_optional_text))
    author: str | None = field(default=None, kw_only=True, converter=_conv(_optional_text))
    published: PartialDate | None = field(
        default=None, kw_only=True, converter=_conv(_optional_date)
    )
    url: str | None = field(default=None, kw_only=True, converter=_conv(_optional_text))
    reliability: float = field(default=1.0, kw_only=True, converter=_reliability)

    @url.validator
    def _check_url(self, _: attrs.Attribute[str | None], value: str | None) -> None:
        if value is None:
            return
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError:  # e.g. "http://[::1": an unclosed IPv6 host
            raise InvalidRecordError("url", value, "is not a URL") from None
        if any(c.isspace() for c in value):
            raise InvalidRecordError("url", value, "must not contain spaces")
        if not parts.scheme or not parts.netloc:
            raise InvalidRecordError("url", value, "must be an absolute URL")
        # Only web addresses: a javascript:, data: or file: URL in a source would be
        # published as a live link by every report and ClaimReview export.
        if parts.scheme.lower() not in ("http", "https"):
            raise InvalidRecordError("url", value, "must be an http or https URL")

    def __attrs_post_init__(self) -> None:
        if self.title is None and self.publisher is None and self.url is None:
            raise InvalidRecordError("source", self, "must have a title, a publisher or a url")

    def describe(self) -> str:
        """The source in words: title, publisher and date, as far as known."""
        parts = [p for p in (self.title, self.publisher) if p]
        if self.published is not None:
            parts.append(self.published.describe())
        return ", ".join(parts) if parts else str(self.url)


def _optional_source(value: Any, fld: attrs.Attribute[Any]) -> Source | None:
    if value is None or isinstance(value, Source):
        return value
    raise InvalidRecordError(fld.name, value, "must be a Source or None")


def _topics(value: Any, fld: attrs.Attribute[Any]) -> frozenset[str]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        raise InvalidRecordError(fld.name, value, "must be a set of strings")
    return frozenset(clean_text(v, fld.name, limit=200).lower() for v in value)


def _confidence(value: Any, fld: attrs.Attribute[Any]) -> float | None:
    return None if value is None else _unit_float(value, fld.name)


_BASES = ("stated", "wording")


def _confidence_basis(value: Any, self_: Any, fld: attrs.Attribute[Any]) -> str | None:
    if self_.confidence is None:
        if value is not None:
            raise InvalidRecordError(fld.name, value, "must be None when confidence is None")
        return None
    if value is None:
        return "stated"
    if value not in _BASES:
        raise InvalidRecordError(fld.name, value, f"must be one of: {', '.join(_BASES)}")
    return str(value)


def _due(value: Any, self_: Any, fld: attrs.Attribute[Any]) -> PartialDate | None:
    if value is None:
        return None
    if isinstance(value, RelativeDeadline):
        return value.resolve(self_.stated_on)
    return PartialDate.coerce(value, field=fld.name)


@frozen
class Claim:
    """Something a speaker said, on a date, that can turn out to hold or not.

    Args:
        id: the claim's id, unique in the tracker.
        speaker_id: the id of the :class:`Speaker` who made it.
        text: the claim in a full sentence.
        quote: the speaker's own words, if the claim paraphrases them.
        kind: a :class:`ClaimKind` (or its value). Default ``ASSERTION``.
        stated_on: when it was said (any date input).
        source: where it was said or reported.
        due: by when it should have come true, as a date or a :func:`within`
            deadline counted from *stated_on*; ``None`` for no deadline.
        topics: tags for selecting claims; stored lower-case.
        confidence: the probability the speaker themselves gave, in [0, 1], or ``None``.
            claimtrack never invents one.
        confidence_basis: ``"stated"`` (the default when there is a confidence) or
            ``"wording"`` (read off hedging words).
        recorded_at: when the tracker learned of it (set on append).

    Example:
        >>> c = Claim("c1", "trump", "Ukraine will be involved.", stated_on="2025-02-18",
        ...           kind="assurance", due=within(months=10))
        >>> c.kind, c.due
        (<ClaimKind.ASSURANCE: 'assurance'>, PartialDate('2025-12-18'))

    .. versionadded:: 0.1.0
    """

    id: str = field(converter=_conv(_id))
    speaker_id: str = field(converter=_conv(_id))
    text: str = field(converter=_conv(_text), repr=False)
    quote: str | None = field(
        default=None, kw_only=True, converter=_conv(_optional_text), repr=False
    )
    kind: ClaimKind = field(
        default=ClaimKind.ASSERTION, kw_only=True, converter=enum_converter(ClaimKind, "kind")
    )
    stated_on: PartialDate = field(kw_only=True, converter=_conv(_date))
    source: Source | None = field(
        default=None, kw_only=True, converter=_conv(_optional_source), repr=False
    )
    due: PartialDate | None = field(
        default=None, kw_only=True, converter=Converter(_due, takes_self=True, takes_field=True)
    )
    topics: frozenset[str] = field(
        default=frozenset(), kw_only=True, converter=_conv(_topics), repr=False
    )
    confidence: float | None = field(default=None, kw_only=True, converter=_conv(_confidence))
    confidence_basis: str | None = field(
        default=None,
        kw_only=True,
        converter=Converter(_confidence_basis, takes_self=True, takes_field=True),
        repr=False,
    )
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )

    def __attrs_post_init__(self) -> None:
        if self.due is not None and self.due.end < self.stated_on.start:
            raise InvalidRecordError(
                "due", self.due, f"is before stated_on {self.stated_on}", record_id=self.id
            )


@frozen
class Evidence:
    """Something observed that bears on whether a claim held.

    Args:
        id: the evidence's id, unique in the tracker.
        claim_id: the id of the :class:`Claim` it bears on.
        text: what was observed.
        stance: a :class:`Stance` (or its value, e.g. ``"refutes"``).
        strength: a :class:`Strength` (or its value). Default ``MODERATE``.
        observed_on: when it happened in the world (any date input).
        source: where it was reported; its reliability scales the evidence's weight.
        recorded_at: when the tracker learned of it (set on append).

    Example:
        >>> e = Evidence("e1", "c1", "US and Ukrainian delegations met in Jeddah.",
        ...              stance="supports", strength="strong", observed_on="2025-03-11")
        >>> e.stance, e.strength
        (<Stance.SUPPORTS: 'supports'>, <Strength.STRONG: 'strong'>)

    .. versionadded:: 0.1.0
    """

    id: str = field(converter=_conv(_id))
    claim_id: str = field(converter=_conv(_id))
    text: str = field(converter=_conv(_text), repr=False)
    stance: Stance = field(kw_only=True, converter=enum_converter(Stance, "stance"))
    strength: Strength = field(
        default=Strength.MODERATE, kw_only=True, converter=enum_converter(Strength, "strength")
    )
    observed_on: PartialDate = field(kw_only=True, converter=_conv(_date))
    source: Source | None = field(
        default=None, kw_only=True, converter=_conv(_optional_source), repr=False
    )
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )

    @property
    def reliability(self) -> float:
        """The reliability of the source, or 1.0 without one."""
        return 1.0 if self.source is None else self.source.reliability


def _ruling_verdict(value: Any) -> Verdict:
    verdict = to_enum(Verdict, value, "verdict")
    if verdict is Verdict.PENDING:
        raise InvalidRecordError(
            "verdict", value, "cannot be ruled; retract the earlier ruling instead"
        )
    return verdict


@frozen
class Ruling:
    """An editorial decision on a claim, overriding the computed verdict from its date on.

    Args:
        id: the ruling's id, unique in the tracker.
        claim_id: the claim ruled on.
        verdict: any :class:`Verdict` but ``PENDING``.
        on: the date from which the ruling applies (world time).
        rationale: why, in words.
        by: who ruled (an editor, a desk).
        recorded_at: when the tracker learned of it (set on append).

    Example:
        >>> Ruling("r1", "c1", "held", on="2025-03-11").verdict
        <Verdict.HELD: 'held'>

    .. versionadded:: 0.1.0
    """

    id: str = field(converter=_conv(_id))
    claim_id: str = field(converter=_conv(_id))
    verdict: Verdict = field(converter=_ruling_verdict)
    on: PartialDate = field(kw_only=True, converter=_conv(_date))
    rationale: str | None = field(
        default=None, kw_only=True, converter=_conv(_optional_text), repr=False
    )
    by: str | None = field(default=None, kw_only=True, converter=_conv(_optional_text))
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )


@frozen
class Retraction:
    """Withdraws an earlier record: evidence, a forecast, a ruling, a claim or a retraction.

    The retracted record stays in the ledger and is excluded from assessments made
    with a knowledge time (``known_at``) at or after this retraction's ``recorded_at``.
    Retracting a retraction restores its target.

    Args:
        id: the retraction's id, unique in the tracker.
        target_id: the id of the record withdrawn.
        reason: why, in words.
        recorded_at: when the tracker learned of it (set on append).

    Example:
        >>> Retraction("x1", "e1", reason="misreported").target_id
        'e1'

    .. versionadded:: 0.1.0
    """

    id: str = field(converter=_conv(_id))
    target_id: str = field(converter=_conv(_id))
    reason: str = field(kw_only=True, converter=_conv(_text), repr=False)
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )


def _probability(value: Any) -> float:
    return _unit_float(value, "probability")


@frozen
class Forecast:
    """Someone's probability, on a day, that a claim will hold.

    Anyone on record may forecast any claim, any number of times: the latest forecast
    a speaker made on or before a day is the one *standing* that day (forecasts made on
    the same day: the one recorded last, by ``recorded_at``, then by the order
    appended).  A forecast made on a partial date ("March
    2025") stands from its last day.

    Args:
        id: the forecast's id, unique in the tracker.
        claim_id: the id of the :class:`Claim` forecast.
        speaker_id: the id of the :class:`Speaker` who made the forecast.
        probability: the probability, in [0, 1], that the claim will hold.
        made_on: when the forecast was made (any date input).
        source: where it was published, if anywhere.
        recorded_at: when the tracker learned of it (set on append).

    Example:
        >>> f = Forecast("f1", "c1", "alice", 0.7, made_on="2025-03-01")
        >>> f.probability, f.made_on
        (0.7, PartialDate('2025-03-01'))

    .. versionadded:: 0.2.0
    """

    id: str = field(converter=_conv(_id))
    claim_id: str = field(converter=_conv(_ref))
    speaker_id: str = field(converter=_conv(_ref))
    probability: float = field(converter=_probability)
    made_on: PartialDate = field(kw_only=True, converter=_conv(_date))
    source: Source | None = field(
        default=None, kw_only=True, converter=_conv(_optional_source), repr=False
    )
    recorded_at: _dt.datetime | None = field(
        default=None, kw_only=True, converter=_conv(_recorded_at), repr=False
    )


Record: TypeAlias = Speaker | Claim | Evidence | Forecast | Ruling | Retraction
"""Any record a ledger holds: a :class:`Speaker`, :class:`Claim`, :class:`Evidence`,
:class:`Forecast`, :class:`Ruling` or :class:`Retraction`."""

RECORD_TYPES: tuple[type[Record], ...] = (Speaker, Claim, Evidence, Forecast, Ruling, Retraction)
KIND_NAMES: dict[type[Any], str] = {
    Speaker: "speaker",
    Claim: "claim",
    Evidence: "evidence",
    Ruling: "ruling",
    Retraction: "retraction",
    Forecast: "forecast",
}
