"""The one mapping between records and plain, JSON-ready data.

Every store (and every exporter) turns records into dicts and back through this module,
and nothing else writes a dict of a record by hand.  It is a :class:`cattrs.Converter`
configured explicitly for every type a record holds, so that a cattrs upgrade that
changes a default cannot change the stored format (the golden files in
``tests/golden/`` would catch it).

The stored form of a record (format version 1) is a JSON object whose first two keys
are ``type`` (``"speaker"``, ``"claim"``, ``"evidence"``, ``"ruling"``,
``"retraction"``, ``"forecast"``) and ``version`` (an integer), followed by every
field of the record in the order the class declares them, each present even when ``None``:

* text and ids: JSON strings; ``None``: ``null``; ``organization``: a JSON boolean;
  ``confidence``, ``reliability``, ``probability``: JSON numbers (never NaN);
* every :class:`~claimtrack.PartialDate`: its ISO form, ``"2025-02-18"``, ``"2025-02"``
  or ``"2025"``, which :meth:`~claimtrack.PartialDate.parse` reads back;
* ``recorded_at``: ISO 8601 in UTC with microseconds, ``"2025-02-18T09:30:00.000000Z"``;
* enums: their values (``"refutes"``); ``topics``: a sorted list of strings;
  ``roles``, ``same_as``: lists; ``source``: a nested object of the fields of
  :class:`~claimtrack.Source`.

Example::

    {"type": "evidence", "version": 1, "id": "c-e1", "claim_id": "c",
     "text": "Ukraine was not at the Riyadh meeting.", "stance": "refutes",
     "strength": "moderate", "observed_on": "2025-02-18", "source": null,
     "recorded_at": "2025-02-18T12:00:00.000000Z"}

A forecast (added in 0.2.0, still format version 1: the stored form of the other
types did not change) is ``{"type": "forecast", "version": 1, "id", "claim_id",
"speaker_id", "probability", "made_on", "source", "recorded_at"}``.

Reading is strict: an unknown ``type``, a missing or extra key, a value of the wrong
JSON type, or a value a record refuses is a :class:`~claimtrack.errors.CorruptStoreError`;
a ``version`` newer than ``FORMAT_VERSION`` is a
:class:`~claimtrack.errors.SchemaVersionError`.  Every record read goes through its
class's own validation.

The SQLite store keeps these same dicts one column per key: its row layout is in
:mod:`claimtrack.stores._rows`, a view of this mapping.  Nothing here is cached
between calls: what is accepted never depends on what was read before.

Format versions and migration: when the stored form of a record changes, bump
``FORMAT_VERSION`` and add a function to ``_UPGRADES`` that turns a dict of the
previous version into one of the next; :func:`~claimtrack.stores.from_dict` applies
them in turn, so old files stay readable and are never rewritten behind the user's back.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._dates import PartialDate, Precision
from ._model import (
    KIND_NAMES,
    MAX_ID,
    MAX_TEXT,
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
    slot_setters,
)
from .errors import ClaimtrackError, CorruptStoreError, SchemaVersionError

__all__ = [
    "FORMAT_VERSION",
    "MAX_LINE_BYTES",
    "dumps",
    "from_dict",
    "loads",
    "loads_many",
    "to_dict",
]

FORMAT_VERSION: Final = 1
"""The newest stored format of a record that this claimtrack writes and reads."""

MAX_LINE_BYTES: Final = 4 * 1024 * 1024
"""The largest stored record (one JSON text) that is read, in bytes."""

_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""``_UPGRADES[n]`` turns a stored dict of version *n* into one of version *n + 1*."""

_TYPES: dict[str, type[Record]] = {name: cls for cls, name in KIND_NAMES.items()}


class _BadValueError(Exception):
    """A stored value of the wrong JSON type (turned into CorruptStoreError)."""


# -- scalar hooks ------------------------------------------------------------------------


def _str(value: Any, _: Any) -> str:
    if type(value) is not str:
        raise _BadValueError(f"expected a string, got {value!r:.80}")
    return value


def _ref(value: Any, _: Any) -> str:
    # ids that refer to another record repeat across records: share one string object
    if type(value) is not str:
        raise _BadValueError(f"expected an id string, got {value!r:.80}")
    return sys.intern(value)


def _bool(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        raise _BadValueError(f"expected true or false, got {value!r:.80}")
    return value


def _float(value: Any, _: Any) -> float:
    if type(value) in (int, float):
        try:
            number = float(value)  # an int too large for a float overflows here
        except OverflowError:
            pass
        else:
            if math.isfinite(number):
                return number
    raise _BadValueError(f"expected a number, got {value!r:.80}")


_PRECISIONS = {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY}


def _partial_date(value: Any, _: Any) -> PartialDate:
    # Only the exact ISO forms that str() writes are accepted.  (A reader of many rows
    # shares equal dates through its own memo: see stores._rows.Memo.)
    if type(value) is not str or len(value) not in _PRECISIONS or not value.isascii():
        raise _BadValueError(f"expected an ISO date, got {value!r:.80}")
    precision = _PRECISIONS[len(value)]
    padded = value + ("-01-01" if precision is Precision.YEAR else "-01")[: 10 - len(value)]
    try:
        day = _dt.date.fromisoformat(padded)
    except ValueError:
        raise _BadValueError(f"expected an ISO date, got {value!r:.80}") from None
    date = PartialDate(day, precision)
    if str(date) != value:  # e.g. "2025-2-1" padded into something else
        raise _BadValueError(f"expected an ISO date, got {value!r:.80}")
    return date


def _unstructure_date(value: PartialDate) -> str:
    # the same text as str(value), without its Python-level formatting
    start, precision = value.start, value.precision
    text = start.isoformat()
    if precision is Precision.DAY:
        return text
    return text[:7] if precision is Precision.MONTH else text[:4]


def _unstructure_datetime(value: _dt.datetime) -> str:
    if value.tzinfo is not _dt.UTC:
        value = value.astimezone(_dt.UTC)
    # value.isoformat(timespec="microseconds") with "Z" for "+00:00", in half the time
    # (an aware isoformat() asks the tzinfo for its offset): "2025-02-18T09:30:00.000000Z"
    # (printf-style: a formatted string literal takes twice as long here)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond,
    )  # fmt: skip


def _datetime(value: Any, _: Any) -> _dt.datetime:
    # exactly the form _unstructure_datetime writes: 2025-02-18T09:30:00.000000Z
    if type(value) is not str or len(value) != 27 or value[-1] != "Z" or value[10] != "T":
        raise _BadValueError(
            f"expected an ISO 8601 UTC time like 2025-02-18T09:30:00.000000Z, got {value!r:.80}"
        )
    try:
        return _dt.datetime.fromisoformat(value)  # "Z" reads as datetime.UTC
    except ValueError:
        raise _BadValueError(f"expected an ISO 8601 UTC time, got {value!r:.80}") from None


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    members = {m.value: m for m in cls}

    def structure(value: Any, _: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            allowed = ", ".join(repr(v) for v in members)
            raise _BadValueError(f"expected one of {allowed}, got {value!r:.80}") from None

    return structure


def _list_of(item: Callable[[Any, Any], Any]) -> Callable[[Any, Any], tuple[Any, ...]]:
    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _BadValueError(f"expected a list, got {value!r:.80}")
        return tuple(item(v, None) for v in value)

    return structure


# -- the converter -----------------------------------------------------------------------


def _is(tp: Any) -> Callable[[Any], bool]:
    return lambda t: bool(t == tp)


if TYPE_CHECKING:
    import cattrs


def _make_converter() -> tuple[cattrs.Converter, Callable[[Any, Any], Source | None]]:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)

    def exact(
        tp: Any, unstructure: Callable[[Any], Any], structure: Callable[[Any, Any], Any]
    ) -> None:
        # generic aliases cannot go through singledispatch: match them exactly
        c.register_unstructure_hook_func(lambda t: t == tp, unstructure)
        c.register_structure_hook_func(lambda t: t == tp, structure)

    c.register_structure_hook(str, _str)
    c.register_structure_hook(bool, _bool)
    c.register_structure_hook(float, _float)
    c.register_unstructure_hook(PartialDate, _unstructure_date)
    c.register_structure_hook(PartialDate, _partial_date)
    c.register_unstructure_hook(_dt.datetime, _unstructure_datetime)
    c.register_structure_hook(_dt.datetime, _datetime)
    for enum_cls in (ClaimKind, Stance, Strength, Verdict):
        c.register_unstructure_hook(enum_cls, lambda m: m.value)
        c.register_structure_hook(enum_cls, _enum_hook(enum_cls))
    exact(frozenset[str], sorted, lambda v, _: frozenset(_list_of(_str)(v, None)))
    exact(tuple[str, ...], list, _list_of(_str))

    # None or a value; cattrs' own Optional handling varies between releases.
    def optional(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        return lambda v, _: None if v is None else hook(v, None)

    for tp, hook in (
        (str | None, _str),
        (float | None, _float),
        (PartialDate | None, _partial_date),
        (_dt.datetime | None, _datetime),
    ):
        c.register_structure_hook_func(_is(tp), optional(hook))

    def dict_hooks(cls: type[Any], **overrides: Any) -> None:
        unstructure = make_dict_unstructure_fn(cls, c)
        structure = make_dict_structure_fn(
            cls, c, _cattrs_prefer_attrib_converters=False, **overrides
        )

        def checked(value: Any, _: Any) -> Any:
            if type(value) is not dict:
                raise _BadValueError(f"expected an object for a {cls.__name__}, got {value!r:.80}")
            return structure(value, cls)

        c.register_unstructure_hook(cls, unstructure)
        c.register_structure_hook(cls, checked)

    dict_hooks(Role)
    role = c.get_unstructure_hook(Role)
    exact(
        tuple[Role, ...],
        lambda roles: [role(r) for r in roles],
        _list_of(c.get_structure_hook(Role)),
    )

    dict_hooks(Source)
    plain_source = c.get_structure_hook(Source)

    def source(value: Any, _: Any) -> Source | None:
        # no cache: what is accepted never depends on what was read before
        if value is None:
            return None
        if type(value) is not dict:
            raise _BadValueError(f"expected an object for a Source, got {value!r:.80}")
        return plain_source(value, Source)  # type: ignore[no-any-return]

    c.register_structure_hook_func(lambda t: t == Source | None, source)

    ref = override(struct_hook=_ref)
    dict_hooks(Speaker)
    dict_hooks(Claim, speaker_id=ref)
    dict_hooks(Evidence, claim_id=ref)
    dict_hooks(Ruling, claim_id=ref)
    dict_hooks(Retraction, target_id=ref)
    dict_hooks(Forecast, claim_id=ref, speaker_id=ref)
    return c, source


@attrs.frozen
class _Hooks:
    """The configured converter and its hooks (configuration, no data)."""

    converter: cattrs.Converter
    source: Callable[[Any, Any], Source | None]
    unstructure: dict[type[Any], Callable[[Any], dict[str, Any]]]
    structure: dict[str, Callable[[Any, Any], Any]]
    extra_keys: type[Exception]


_built: list[_Hooks] = []


def _hooks() -> _Hooks:
    """The converter, made when first needed.

    Importing cattrs and generating its hooks costs some tens of milliseconds that a
    command-line call may not need.
    """
    if not _built:
        import cattrs

        converter, source = _make_converter()
        _built.append(
            _Hooks(
                converter,
                source,
                {cls: converter.get_unstructure_hook(cls) for cls in _TYPES.values()},
                {name: converter.get_structure_hook(cls) for name, cls in _TYPES.items()},
                cattrs.ForbiddenExtraKeysError,
            )
        )
    return _built[0]


# -- public functions --------------------------------------------------------------------


def to_dict(record: Record) -> dict[str, Any]:
    """Turn a record into plain data that :func:`json.dumps` writes as it is.

    Args:
        record: a :class:`~claimtrack.Speaker`, :class:`~claimtrack.Claim`,
            :class:`~claimtrack.Evidence`, :class:`~claimtrack.Ruling` or
            :class:`~claimtrack.Retraction`.

    Returns:
        A dict with ``type`` and ``version`` first, then every field (see the module
        docstring for the format).

    Raises:
        TypeError: *record* is not a record.

    Example:
        >>> from claimtrack.stores import to_dict
        >>> to_dict(ct.Retraction("x1", "e1", reason="misreported"))
        {'type': 'retraction', 'version': 1, 'id': 'x1', 'target_id': 'e1',
         'reason': 'misreported', 'recorded_at': None}

    .. versionadded:: 0.1.0
    """
    try:
        unstructure = _hooks().unstructure[type(record)]
    except KeyError:
        raise TypeError(f"not a claimtrack record: {record!r:.80}") from None
    return {"type": KIND_NAMES[type(record)], "version": FORMAT_VERSION, **unstructure(record)}


def from_dict(
    data: Mapping[str, Any], *, path: str | None = None, line: int | None = None
) -> Record:
    """Read a record back from the plain data :func:`to_dict` made.

    Args:
        data: the dict, as :func:`json.loads` gives it.
        path: the file it came from, for error messages.
        line: the line (or row) it came from, for error messages.

    Returns:
        The record, validated by its class.

    Raises:
        CorruptStoreError: an unknown ``type``, a missing, extra or malformed field, or a
            value the record refuses; names *path* and *line*.
        SchemaVersionError: a ``version`` newer than ``FORMAT_VERSION``.

    Example:
        >>> from claimtrack.stores import from_dict, to_dict
        >>> speaker = ct.Speaker("trump", "Donald Trump")
        >>> from_dict(to_dict(speaker)) == speaker
        True

    .. versionadded:: 0.1.0
    """
    if type(data) is not dict:
        raise CorruptStoreError(
            f"a record must be a JSON object, not {data!r:.80}", path=path, line=line
        )
    version = data.get("version")
    if version != FORMAT_VERSION:
        data = _upgrade(data, version, path, line)
    kind = data.get("type")
    hooks = _hooks()
    try:
        structure = hooks.structure[kind]  # type: ignore[index]  # a bad key is caught below
    except (KeyError, TypeError):
        known = ", ".join(sorted(_TYPES))
        raise CorruptStoreError(
            f"unknown record type {kind!r:.80} (known: {known})", path=path, line=line
        ) from None
    fields = dict(data)
    del fields["type"], fields["version"]
    try:
        return structure(fields, None)  # type: ignore[no-any-return]
    except _BadValueError as exc:
        reason = str(exc)
    except ClaimtrackError as exc:  # InvalidRecordError from the record's own checks
        reason = str(exc)
    except hooks.extra_keys as exc:
        reason = f"unknown field(s) {sorted(exc.extra_fields)}"  # type: ignore[attr-defined]
    except KeyError as exc:
        reason = f"missing field {exc.args[0]!r}"
    # (any other exception is a bug of the codec, not damage of the stored data: it
    # propagates as it is, never as a CorruptStoreError)
    record_id = fields.get("id")
    raise CorruptStoreError(f"bad {kind} record {record_id!r:.80}: {reason}", path=path, line=line)


def _upgrade(
    data: dict[str, Any], version: Any, path: str | None, line: int | None
) -> dict[str, Any]:
    if type(version) is not int or version < 1:
        raise CorruptStoreError(f"bad format version {version!r:.80}", path=path, line=line)
    if version > FORMAT_VERSION:
        raise SchemaVersionError(path=path, found=version, supported=FORMAT_VERSION, line=line)
    while version < FORMAT_VERSION:  # pragma: no cover - no older version exists yet
        data = _UPGRADES[version](data)
        version += 1
    return data


def dumps(record: Record) -> str:
    """The stored JSON text of a record: one line, UTF-8 safe, no NaN.

    Example:
        >>> from claimtrack._codec import dumps
        >>> dumps(ct.Speaker("trump", "Donald Trump"))
        '{"type":"speaker","version":1,"id":"trump","name":"Donald Trump","roles":[],...}'

    .. versionadded:: 0.1.0
    """
    return _encode(to_dict(record))


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r:.80}")
            seen.add(key)
    return result


_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


# -- the fast path for reading ------------------------------------------------------------
#
# Reading a ledger of a million records through every converter of every record costs
# several seconds.  Most stored evidence is plain: short printable text, no escapes.
# For such a line, the checks below are a strict subset of the record's own validation
# (each accepted value is one the record's converter returns unchanged), so the record
# can be built without running its converters again.  Anything the fast path is not
# sure of goes the full way, which is the authority (and raises for bad data).
# tests/test_codec.py checks that the two paths agree on valid and damaged input.

_fast_decoder = json.JSONDecoder(parse_constant=_no_constant)
_EVIDENCE_KEYS = ("type", "version", *attrs.fields_dict(Evidence))
_STANCES = {m.value: m for m in Stance}
_STRENGTHS = {m.value: m for m in Strength}
_new = object.__new__
_EVIDENCE_SETTERS = slot_setters(Evidence)
_CLAIM_SETTERS = slot_setters(Claim)


def _fast_evidence(d: dict[str, Any]) -> Evidence | None:
    if tuple(d) != _EVIDENCE_KEYS or d["version"] != FORMAT_VERSION:
        return None
    source = d["source"]
    if source is not None:
        try:
            hooks = _hooks()
            source = hooks.source(source, None)
        except (
            _BadValueError,
            ClaimtrackError,
            hooks.extra_keys,
            LookupError,
            TypeError,
        ):
            return None  # the full path says what is wrong
    return _plain_evidence(
        d["id"], d["claim_id"], d["text"], d["stance"], d["strength"], d["observed_on"],
        source, d["recorded_at"],
    )  # fmt: skip


def _plain_evidence(
    record_id: Any,
    claim_id: Any,
    text: Any,
    stance: Any,
    strength: Any,
    observed_on: Any,
    source: Source | None,
    recorded_at: Any,
) -> Evidence | None:
    """The evidence of these stored values if they are plain, else ``None``."""
    # isprintable() is False for control characters, lone surrogates and every
    # whitespace character but the ASCII space, which the edge checks exclude: so
    # these are texts that clean_id / clean_text return unchanged.
    if not (
        type(record_id) is str
        and type(claim_id) is str
        and type(text) is str
        and 0 < len(record_id) <= MAX_ID
        and 0 < len(claim_id) <= MAX_ID
        and 0 < len(text) <= MAX_TEXT
        and record_id.isprintable()
        and claim_id.isprintable()
        and text.isprintable()
        and record_id[0] != " " != record_id[-1]
        and claim_id[0] != " " != claim_id[-1]
        and text[0] != " " != text[-1]
    ):
        return None
    stance = _STANCES.get(stance) if type(stance) is str else None
    strength = _STRENGTHS.get(strength) if type(strength) is str else None
    if stance is None or strength is None:
        return None
    try:
        observed_on = _partial_date(observed_on, None)
        if recorded_at is not None:
            recorded_at = _datetime(recorded_at, None)
    except _BadValueError:
        return None  # the full path says what is wrong
    evidence: Evidence = _new(Evidence)
    set_id, set_claim, set_text, set_stance, set_strength, set_on, set_source, set_at = (
        _EVIDENCE_SETTERS
    )
    set_id(evidence, record_id)
    set_claim(evidence, claim_id)
    set_text(evidence, text)
    set_stance(evidence, stance)
    set_strength(evidence, strength)
    set_on(evidence, observed_on)
    set_source(evidence, source)
    set_at(evidence, recorded_at)
    return evidence


def _fast(text: str, data: Any) -> Record | None:
    """The record of *text* (decoded as *data*) if the fast path is sure of it."""
    if type(data) is not dict or data.get("type") != "evidence" or "\\" in text:
        return None
    keys = len(data)
    source = data.get("source")
    if type(source) is dict:
        keys += len(source)
    # Without backslashes every '"' delimits a string and only a key is followed by
    # ':', so this counts the keys in the text: more than in the dicts means a
    # duplicate key, which the full path then reports.
    if text.count('":') != keys:
        return None
    return _fast_evidence(data)


def loads_many(
    texts: Sequence[str], *, path: str | None = None, lines: Sequence[int | None] | None = None
) -> list[Record]:
    """Read many stored records: :func:`loads` for each, with a fast path for plain ones.

    Args:
        texts: the stored JSON texts, in order.
        path: the file, for error messages.
        lines: the line (or row) number of each text, for error messages.

    Raises:
        CorruptStoreError: a text is not a valid record (naming its line).
        SchemaVersionError: a record is of a newer format version.
    """
    numbers = [None] * len(texts) if lines is None else lines
    scan = _fast_decoder.scan_once  # type: ignore[attr-defined]  # json's C scanner, undeclared
    out: list[Record] = []
    append = out.append
    for text, n in zip(texts, numbers, strict=True):
        record: Record | None = None
        if len(text) <= MAX_LINE_BYTES:
            try:
                data, end = scan(text, 0)
            except (ValueError, StopIteration, RecursionError):
                pass
            else:
                if end == len(text):
                    record = _fast(text, data)
        append(loads(text, path=path, line=n) if record is None else record)
    return out


def loads(text: str | bytes, *, path: str | None = None, line: int | None = None) -> Record:
    """Read a record from its stored JSON text, refusing anything doubtful.

    The text is capped at :data:`MAX_LINE_BYTES`; duplicate keys, ``NaN`` and
    ``Infinity`` and overly deep nesting are refused.

    Raises:
        CorruptStoreError: the text is not one valid record (naming *path*, *line*).
        SchemaVersionError: the record is of a newer format version.

    Example:
        >>> from claimtrack._codec import dumps, loads
        >>> loads(dumps(ct.Speaker("trump", "Donald Trump"))).name
        'Donald Trump'

    .. versionadded:: 0.1.0
    """
    if len(text) > MAX_LINE_BYTES:
        raise CorruptStoreError(f"record longer than {MAX_LINE_BYTES} bytes", path=path, line=line)
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        data = _decoder.decode(text)
    except (ValueError, RecursionError) as exc:
        raise CorruptStoreError(f"not valid JSON: {exc}", path=path, line=line) from None
    return from_dict(data, path=path, line=line)
