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

The SQLite store keeps these same dicts one column per key (``COLUMNS``, see
:mod:`claimtrack.stores._sqlite`): ``to_row`` and ``from_row`` are
:func:`~claimtrack.stores.to_dict` and :func:`~claimtrack.stores.from_dict` laid out as
a row, with the values that are not strings (booleans, numbers, lists, the source)
kept as their JSON text.

Format versions and migration: when the stored form of a record changes, bump
``FORMAT_VERSION`` and add a function to ``_UPGRADES`` that turns a dict of the
previous version into one of the next; :func:`~claimtrack.stores.from_dict` applies
them in turn, so old files stay readable and are never rewritten behind the user's back.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import json
import math
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, Final

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._dates import PartialDate, Precision
from ._model import (
    _BASES,
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
    "CLAIM_COLUMNS",
    "COLUMNS",
    "EVIDENCE_COLUMNS",
    "FORMAT_VERSION",
    "JSON_COLUMNS",
    "KIND_COLUMNS",
    "dumps",
    "from_claim_rows",
    "from_dict",
    "from_evidence_rows",
    "from_row",
    "from_rows",
    "loads",
    "loads_many",
    "to_dict",
    "to_row",
    "to_values",
    "to_values_many",
]

FORMAT_VERSION: Final = 1
"""The newest stored format of a record that this claimtrack writes and reads."""

MAX_LINE_BYTES: Final = 4 * 1024 * 1024
"""The largest stored record (one JSON text) that is read, in bytes."""

_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""``_UPGRADES[n]`` turns a stored dict of version *n* into one of version *n + 1*."""

_TYPES: dict[str, type[Record]] = {name: cls for cls, name in KIND_NAMES.items()}
_CACHE_LIMIT = 200_000


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


_dates: dict[str, PartialDate] = {}
_PRECISIONS = {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY}


def _partial_date(value: Any, _: Any) -> PartialDate:
    # PartialDate is immutable, so equal dates can share one instance: this saves the
    # parsing and the memory of a date per record.  Only the exact ISO forms that str()
    # writes are accepted.
    found = _dates.get(value) if type(value) is str else None
    if found is not None:
        return found
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
    if len(_dates) < _CACHE_LIMIT:
        _dates[value] = date
    return date


_day_texts: dict[_dt.date, str] = {}


def _unstructure_date(value: PartialDate) -> str:
    # the same text as str(value), without its Python-level formatting; the text of
    # a day is kept, as many records share a day (a dict lookup takes a quarter of
    # the time of isoformat())
    start, precision = value.start, value.precision
    if precision is Precision.DAY:
        text = _day_texts.get(start)
        if text is None:
            text = start.isoformat()
            if len(_day_texts) < _CACHE_LIMIT:
                _day_texts[start] = text
        return text
    text = start.isoformat()
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


_sources: dict[tuple[Any, ...], Source] = {}


# -- the converter -----------------------------------------------------------------------


def _is(tp: Any) -> Callable[[Any], bool]:
    return lambda t: bool(t == tp)


def _make_converter() -> tuple[cattrs.Converter, Callable[[Any, Any], Source | None]]:
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
    plain_source_dict = c.get_unstructure_hook(Source)
    source_dicts: dict[Source, dict[str, Any]] = {}

    def source_dict(value: Source) -> dict[str, Any]:
        # one article backs many records: convert it once (a copy, so callers may
        # change what they get without changing the cache)
        found = source_dicts.get(value)
        if found is None:
            found = plain_source_dict(value)
            if len(source_dicts) < _CACHE_LIMIT:
                source_dicts[value] = found
        return dict(found)

    c.register_unstructure_hook(Source, source_dict)

    def source(value: Any, _: Any) -> Source | None:
        # Sources repeat (one article, many pieces of evidence): share equal ones.
        if value is None:
            return None
        if type(value) is not dict:
            raise _BadValueError(f"expected an object for a Source, got {value!r:.80}")
        try:
            key = tuple(value.items())
            found = _sources.get(key)
        except TypeError:  # an unhashable value: let the full path report it
            found, key = None, ()
        if found is None:
            found = plain_source(value, Source)
            if key and len(_sources) < _CACHE_LIMIT:
                _sources[key] = found
        return found

    c.register_structure_hook_func(lambda t: t == Source | None, source)

    ref = override(struct_hook=_ref)
    dict_hooks(Speaker)
    dict_hooks(Claim, speaker_id=ref)
    dict_hooks(Evidence, claim_id=ref)
    dict_hooks(Ruling, claim_id=ref)
    dict_hooks(Retraction, target_id=ref)
    dict_hooks(Forecast, claim_id=ref, speaker_id=ref)
    return c, source


_converter, _source_hook = _make_converter()
_UNSTRUCTURE = {cls: _converter.get_unstructure_hook(cls) for cls in _TYPES.values()}
_STRUCTURE = {name: _converter.get_structure_hook(cls) for name, cls in _TYPES.items()}


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
        unstructure = _UNSTRUCTURE[type(record)]
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
    try:
        structure = _STRUCTURE[kind]  # type: ignore[index]  # a bad key is caught below
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
    except cattrs.ForbiddenExtraKeysError as exc:
        reason = f"unknown field(s) {sorted(exc.extra_fields)}"
    except KeyError as exc:
        reason = f"missing field {exc.args[0]!r}"
    except (TypeError, ValueError, AttributeError) as exc:
        reason = str(exc)
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
_intern = sys.intern
_EVIDENCE_SETTERS = slot_setters(Evidence)
_CLAIM_SETTERS = slot_setters(Claim)


def _fast_evidence(d: dict[str, Any]) -> Evidence | None:
    if tuple(d) != _EVIDENCE_KEYS or d["version"] != FORMAT_VERSION:
        return None
    source = d["source"]
    if source is not None:
        try:
            source = _source_hook(source, None)
        except (
            _BadValueError,
            ClaimtrackError,
            cattrs.ForbiddenExtraKeysError,
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
    set_claim(evidence, _intern(claim_id))
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


# -- columns: the same dicts, one column per field ---------------------------------------
#
# A table with one column per field (the SQLite store's schema version 2) is a view of
# to_dict(): a row holds the dict's values under their keys.  A value that is a JSON
# string or null in the dict is stored as that string or NULL; any other value (a
# boolean, a number, a list, an object) is stored as its JSON text, and null as NULL.
# Reading turns a row back into the dict and goes through from_dict() (or the fast path
# for plain evidence, which makes the same record), so there is still one mapping.


def _stored_as_text(tp: Any) -> bool:
    """Whether to_dict() gives a field of type *tp* as a string or None."""
    options = set(getattr(tp, "__args__", ())) if isinstance(tp, types.UnionType) else {tp}
    options.discard(type(None))
    return all(
        t in (str, PartialDate, _dt.datetime) or (isinstance(t, type) and issubclass(t, enum.Enum))
        for t in options
    )


def _columns() -> tuple[tuple[str, ...], frozenset[str]]:
    names: dict[str, bool] = {}
    for cls in _TYPES.values():
        for f in attrs.fields(cls):
            as_text = _stored_as_text(f.type)
            assert names.setdefault(f.name, as_text) == as_text, f.name
    return tuple(names), frozenset(name for name, as_text in names.items() if not as_text)


COLUMNS, JSON_COLUMNS = _columns()
"""Every field of every record type, once (``id`` first); those stored as JSON text."""

_KIND_COLUMNS: dict[str, tuple[tuple[int, str, bool], ...]] = {
    name: tuple((COLUMNS.index(f.name), f.name, f.name in JSON_COLUMNS) for f in attrs.fields(cls))
    for name, cls in _TYPES.items()
}
_EVIDENCE_AT = tuple(COLUMNS.index(f.name) for f in attrs.fields(Evidence))
_SOURCE_AT = COLUMNS.index("source")
_source_texts: dict[str, Source] = {}


KIND_COLUMNS: Final = {
    name: tuple(key for _, key, _ in cols) for name, cols in _KIND_COLUMNS.items()
}
"""The columns of each record type's fields, in the order the class declares them."""


def to_values(record: Record) -> tuple[Any, ...]:
    """``(type, version, *values of KIND_COLUMNS[type])``: :func:`to_dict` as stored.

    The values a row holds in its own record type's columns (the others are NULL).

    Example:
        >>> from claimtrack._codec import to_values
        >>> to_values(ct.Speaker("trump", "Donald Trump"))
        ('speaker', 1, 'trump', 'Donald Trump', '[]', 'false', '[]', None)

    .. versionadded:: 0.1.0
    """
    return next(to_values_many((record,)))


def to_row(record: Record) -> tuple[Any, ...]:
    """``(type, version, *values in COLUMNS order)``: :func:`to_values` as a whole row.

    Example:
        >>> from claimtrack._codec import COLUMNS, to_row
        >>> row = to_row(ct.Speaker("trump", "Donald Trump"))
        >>> row[:2], dict(zip(COLUMNS, row[2:]))["organization"]
        (('speaker', 1), 'false')

    .. versionadded:: 0.1.0
    """
    return _widen(to_values(record))


def _widen(values: tuple[Any, ...]) -> tuple[Any, ...]:
    row: list[Any] = list(_EMPTY_ROW)
    row[0], row[1] = values[0], values[1]
    for (i, _, _), value in zip(_KIND_COLUMNS[values[0]], values[2:], strict=True):
        row[i + 2] = value
    return tuple(row)


def _values_of_dict(record: Record) -> tuple[Any, ...]:
    data = to_dict(record)
    kind = data["type"]
    return (
        kind,
        data["version"],
        *(
            value if value is None or not as_json else _encode(value)
            for value, (_, _, as_json) in zip(
                (data[key] for _, key, _ in _KIND_COLUMNS[kind]), _KIND_COLUMNS[kind], strict=True
            )
        ),
    )


_EMPTY_ROW = (None,) * (len(COLUMNS) + 2)
_source_json: dict[int, tuple[Source, str]] = {}


def to_values_many(records: Iterable[Record]) -> Iterator[tuple[Any, ...]]:
    """:func:`to_values` of each of *records*, in order: the rows of a bulk insert.

    Evidence, the bulk of a ledger, is encoded here without making its dict, and with
    the encoding of its dates in line, and claims without their dicts too;
    tests/test_codec.py checks that the rows are those of the dicts
    (``_values_of_dict``).

    Example:
        >>> from claimtrack._codec import to_values_many
        >>> [row[:3] for row in to_values_many([ct.Speaker("trump", "Donald Trump")])]
        [('speaker', 1, 'trump')]

    .. versionadded:: 0.1.0
    """
    day_texts, utc, day = _day_texts, _dt.UTC, Precision.DAY
    # The records of one import are mostly stamped within a second or so of each other
    # (often with one and the same time): the text up to the second is kept for the
    # second [second, upto) last formatted.
    second = upto = _dt.datetime.max.replace(tzinfo=utc)
    prefix = ""
    one_second = _dt.timedelta(seconds=1)
    for record in records:
        if type(record) is not Evidence:
            yield _claim_values(record) if type(record) is Claim else _values_of_dict(record)
            continue
        source = record.source
        on = record.observed_on
        on_text = (day_texts.get(on.start) if on.precision is day else None) or (
            _unstructure_date(on)
        )
        at = record.recorded_at
        if at is None:
            at_text = None
        elif at.tzinfo is not utc:
            at_text = _unstructure_datetime(at)
        elif second <= at < upto:  # the same text as _unstructure_datetime(at)
            at_text = "%s%06dZ" % (prefix, at.microsecond)  # noqa: UP031 (see there)
        else:
            at_text = _unstructure_datetime(at)
            prefix = at_text[:20]  # "2025-02-18T09:30:00."
            second = at.replace(microsecond=0)
            upto = second + one_second
        yield (
            "evidence",
            FORMAT_VERSION,
            record.id,
            record.claim_id,
            record.text,
            record.stance._value_,
            record.strength._value_,
            on_text,
            None if source is None else _source_text(source),
            at_text,
        )


def _source_text(source: Source) -> str:
    """The stored JSON text of a source (one article backs many records: kept)."""
    # keyed by identity: the cache holds the Source, so its id is not reused
    found = _source_json.get(id(source))
    if found is None or found[0] is not source:
        found = (source, _encode(_converter.unstructure(source, Source)))
        if len(_source_json) < _CACHE_LIMIT:
            _source_json[id(source)] = found
    return found[1]


_topics_json: dict[frozenset[str], str] = {}


def _claim_values(claim: Claim) -> tuple[Any, ...]:
    """:func:`_values_of_dict` of a claim, without making the dict (see to_values_many)."""
    topics = _topics_json.get(claim.topics)
    if topics is None:
        topics = _encode(sorted(claim.topics))
        if len(_topics_json) < _CACHE_LIMIT:
            _topics_json[claim.topics] = topics
    source, due, confidence, at = claim.source, claim.due, claim.confidence, claim.recorded_at
    return (
        "claim",
        FORMAT_VERSION,
        claim.id,
        claim.speaker_id,
        claim.text,
        claim.quote,
        claim.kind._value_,
        _unstructure_date(claim.stated_on),
        None if source is None else _source_text(source),
        None if due is None else _unstructure_date(due),
        topics,
        None if confidence is None else float.__repr__(confidence),  # as json writes it
        claim.confidence_basis,
        None if at is None else _unstructure_datetime(at),
    )


def _row_dict(row: Sequence[Any], path: str | None, line: int | None) -> dict[str, Any]:
    """The stored dict a row holds (as :func:`to_dict` made it)."""
    kind, version = row[0], row[1]
    columns = _KIND_COLUMNS.get(kind) if type(kind) is str else None
    if columns is None:
        known = ", ".join(sorted(_TYPES))
        raise CorruptStoreError(
            f"unknown record type {kind!r:.80} (known: {known})", path=path, line=line
        )
    data: dict[str, Any] = {"type": kind, "version": version}
    for i, key, as_json in columns:
        value = row[i + 2]
        if as_json and value is not None:
            if type(value) is not str:
                raise CorruptStoreError(
                    f"bad {kind} record: column {key} is not JSON text: {value!r:.80}",
                    path=path,
                    line=line,
                )
            try:
                value = _decoder.decode(value)
            except (ValueError, RecursionError) as exc:
                raise CorruptStoreError(
                    f"bad {kind} record: column {key} is not valid JSON: {exc}",
                    path=path,
                    line=line,
                ) from None
        data[key] = value
    values = row[2:]
    if values.count(None) != len(COLUMNS) - len(columns) + sum(
        values[i] is None for i, _, _ in columns
    ):
        extra = sorted(
            name
            for name, value in zip(COLUMNS, row[2:], strict=True)
            if value is not None and name not in data
        )
        raise CorruptStoreError(
            f"bad {kind} record {data.get('id')!r:.80}: unknown field(s) {extra}",
            path=path,
            line=line,
        )
    return data


def from_row(row: Sequence[Any], *, path: str | None = None, line: int | None = None) -> Record:
    """Read a record back from the row :func:`to_row` made.

    Raises:
        CorruptStoreError: the row is not a valid record (naming *path* and *line*).
        SchemaVersionError: the record is of a newer format version.

    Example:
        >>> from claimtrack._codec import from_row, to_row
        >>> speaker = ct.Speaker("trump", "Donald Trump")
        >>> from_row(to_row(speaker)) == speaker
        True

    .. versionadded:: 0.1.0
    """
    return from_dict(_row_dict(row, path, line), path=path, line=line)


EVIDENCE_COLUMNS: Final = tuple(f.name for f in attrs.fields(Evidence))
"""The columns of a piece of evidence, in the order the class declares them."""


def from_evidence_rows(rows: Sequence[Sequence[Any]], *, path: str | None = None) -> list[Record]:
    """:func:`from_rows`, for rows known to hold evidence of the current format version.

    Each of *rows* is ``(line, *values of EVIDENCE_COLUMNS)``, read from a row whose
    ``type`` is ``"evidence"``, whose ``version`` is ``FORMAT_VERSION`` and whose other
    columns are all NULL (the SQLite store selects them so, and reads every other row
    in full).  Reading only these columns costs a third of a full row.  Plain evidence
    (see :func:`_plain_evidence`, whose checks are inlined here) is built from the
    values as they are; anything else goes through :func:`from_row`, which says what
    is wrong.  (Unlike the other paths, ``claim_id`` is not interned: for a million
    rows that costs more than the rest of the record, and the tracker that indexes
    them looks each one up anyway.)

    Raises:
        CorruptStoreError: a row is not a valid record (naming its line).
    """
    out: list[Record] = []
    append = out.append
    sources, dates, stances, strengths = _source_texts, _dates, _STANCES, _STRENGTHS
    new, fromisoformat = _new, _dt.datetime.fromisoformat
    set_id, set_claim, set_text, set_stance, set_strength, set_on, set_source, set_at = (
        _EVIDENCE_SETTERS
    )
    for row in rows:
        seq, rid, claim_id, text, stance, strength, on, source_text, at = row
        # the checks of _plain_evidence, in line: a million rows pay for every call
        if (
            type(rid) is str
            and type(claim_id) is str
            and type(text) is str
            and 0 < len(rid) <= MAX_ID
            and 0 < len(claim_id) <= MAX_ID
            and 0 < len(text) <= MAX_TEXT
            and rid.isprintable()
            and claim_id.isprintable()
            and text.isprintable()
            and rid[0] != " " != rid[-1]
            and claim_id[0] != " " != claim_id[-1]
            and text[0] != " " != text[-1]
            and type(at) is str
            and len(at) == 27
            and at[26] == "Z"
            and at[10] == "T"
        ):
            # (every value SQLite gives is hashable: one of another type is not found)
            source = None if source_text is None else sources.get(source_text)
            stance = stances.get(stance)
            strength = strengths.get(strength)
            observed_on = dates.get(on)
            if observed_on is None:  # not seen yet; if bad, the full path says what is wrong
                with contextlib.suppress(_BadValueError):
                    observed_on = _partial_date(on, None)
            if (
                (source is not None or source_text is None)
                and stance is not None
                and strength is not None
                and observed_on is not None
            ):
                try:
                    recorded_at = fromisoformat(at)
                except ValueError:
                    pass  # the full path says what is wrong
                else:
                    evidence: Evidence = new(Evidence)
                    set_id(evidence, rid)
                    set_claim(evidence, claim_id)
                    set_text(evidence, text)
                    set_stance(evidence, stance)
                    set_strength(evidence, strength)
                    set_on(evidence, observed_on)
                    set_source(evidence, source)
                    set_at(evidence, recorded_at)
                    append(evidence)
                    continue
        # the full way, from the whole row as from_rows would have it
        values: list[Any] = list(_EMPTY_ROW)
        values[0], values[1] = "evidence", FORMAT_VERSION
        for i, value in zip(_EVIDENCE_AT, row[1:], strict=True):
            values[i + 2] = value
        append(_from_full_row((seq, *values), path, sources))
    return out


CLAIM_COLUMNS: Final = tuple(f.name for f in attrs.fields(Claim))
"""The columns of a claim, in the order the class declares them."""
_CLAIM_AT_COLUMN = tuple(COLUMNS.index(name) for name in CLAIM_COLUMNS)


def from_claim_rows(rows: Sequence[Sequence[Any]], *, path: str | None = None) -> list[Record]:
    """:func:`from_rows`, for rows known to hold claims of the current format version.

    Each of *rows* is ``(line, *values of CLAIM_COLUMNS)``, read from a row whose
    ``type`` is ``"claim"``, whose ``version`` is ``FORMAT_VERSION`` and whose other
    columns are all NULL (see :func:`from_evidence_rows`).  A plain claim is built by
    the checks :func:`from_rows` makes of it; anything else goes through
    :func:`from_row`, which says what is wrong.

    Raises:
        CorruptStoreError: a row is not a valid record (naming its line).
    """
    out: list[Record] = []
    sources = _source_texts
    for row in rows:
        claim = _plain_claim_values(row[1:], sources)
        if claim is None:  # the full way, from the whole row as from_rows would have it
            values: list[Any] = list(_EMPTY_ROW)
            values[0], values[1] = "claim", FORMAT_VERSION
            for i, value in zip(_CLAIM_AT_COLUMN, row[1:], strict=True):
                values[i + 2] = value
            out.append(_from_full_row((row[0], *values), path, sources))
        else:
            out.append(claim)
    return out


_KINDS = {m.value: m for m in ClaimKind}
_CLAIM_AT = itemgetter(*(COLUMNS.index(f.name) + 3 for f in attrs.fields(Claim)))
_CLAIM_NONES = len(COLUMNS) - len(attrs.fields(Claim))  # other types' columns: NULL
_CLAIM_ROW = len(COLUMNS) + 3  # (seq, type, version, *COLUMNS)
_topic_texts: dict[str, frozenset[str]] = {}
_confidence_texts: dict[str, float] = {}


def _plain(value: Any, limit: int) -> bool:
    """Whether *value* is text that :func:`~claimtrack._model.clean_text` keeps as it is."""
    # see _plain_evidence: isprintable() plus the edge checks exclude what strip()
    # removes, control characters and lone surrogates
    return (
        type(value) is str
        and 0 < len(value) <= limit
        and value.isprintable()
        and value[0] != " " != value[-1]
    )


def _plain_topics(text: Any) -> frozenset[str] | None:
    """The topics of a stored ``topics`` column if they are plain, else ``None``."""
    found = _topic_texts.get(text) if type(text) is str else None
    if found is not None or type(text) is not str:
        return found
    try:
        topics = _fast_decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    if type(topics) is not list or not all(_plain(t, 200) and t == t.lower() for t in topics):
        return None
    found = frozenset(topics)
    if len(_topic_texts) < _CACHE_LIMIT:
        _topic_texts[text] = found
    return found


def _plain_confidence(text: Any) -> float | None:
    """The number of a stored ``confidence`` column if it is in [0, 1], else ``None``."""
    found = _confidence_texts.get(text) if type(text) is str else None
    if found is not None or type(text) is not str:
        return found
    try:
        number = _fast_decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    # int or float, not bool; NaN and the infinities fail the comparison
    if type(number) not in (int, float) or not 0 <= number <= 1:
        return None
    found = float(number)
    if len(_confidence_texts) < _CACHE_LIMIT:
        _confidence_texts[text] = found
    return found


def _plain_claim(row: Sequence[Any], sources: dict[str, Source]) -> Claim | None:
    """The claim of a full row ``(line, type, version, *COLUMNS)`` if plain, else ``None``.

    As for evidence (see :func:`_plain_evidence`), every check is a strict subset of
    what the full path and the record's own converters do, and each value accepted is
    one they return unchanged; anything else goes the full way, which says what is
    wrong.  Claim's converters depend on each other: ``confidence_basis`` on
    ``confidence`` (here both NULL, or a confidence and a stored basis), and the
    post-init check of ``due`` against ``stated_on`` is made here too.
    """
    if len(row) != _CLAIM_ROW or row[1] != "claim" or row[2] != FORMAT_VERSION:
        return None
    values = _CLAIM_AT(row)
    if row.count(None) != _CLAIM_NONES + values.count(None):
        return None  # another type's column is set: the full path names it
    return _plain_claim_values(values, sources)


def _plain_claim_values(values: Sequence[Any], sources: dict[str, Source]) -> Claim | None:
    """The claim of the values of ``CLAIM_COLUMNS`` if plain, else ``None`` (see above)."""
    rid, speaker_id, text, quote, kind, stated_on, source_text, due, topics_text = values[:9]
    confidence_text, basis, recorded_at = values[9:]
    if not (
        _plain(rid, MAX_ID)
        and _plain(speaker_id, MAX_ID)
        and _plain(text, MAX_TEXT)
        and (quote is None or _plain(quote, MAX_TEXT))
    ):
        return None
    kind = _KINDS.get(kind) if type(kind) is str else None
    topics = _plain_topics(topics_text)
    if kind is None or topics is None:
        return None
    if confidence_text is None:
        confidence = None
        if basis is not None:
            return None
    else:
        confidence = _plain_confidence(confidence_text)
        if confidence is None or type(basis) is not str or basis not in _BASES:
            return None
    source = None
    if source_text is not None:
        source = sources.get(source_text) if type(source_text) is str else None
        if source is None:
            return None
    try:
        stated_on = _partial_date(stated_on, None)
        if due is not None:
            due = _partial_date(due, None)
        if recorded_at is not None:
            recorded_at = _datetime(recorded_at, None)
    except _BadValueError:
        return None
    if due is not None and due.end < stated_on.start:
        return None  # Claim's post-init check: the full path raises
    claim: Claim = _new(Claim)
    values = (
        rid, _intern(speaker_id), text, quote, kind, stated_on, source, due, topics,
        confidence, basis, recorded_at,
    )  # fmt: skip
    for put, value in zip(_CLAIM_SETTERS, values, strict=True):
        put(claim, value)
    return claim


def _from_full_row(row: Sequence[Any], path: str | None, sources: dict[str, Source]) -> Record:
    """:func:`from_row` of ``row[1:]`` (line ``row[0]``), keeping the source it read.

    A plain claim is built by :func:`_plain_claim`, without the full path.
    """
    if row[1] == "claim":
        claim = _plain_claim(row, sources)
        if claim is not None:
            return claim
    record = from_row(row[1:], path=path, line=row[0])
    if isinstance(record, Evidence | Claim) and record.source is not None:
        text = row[_SOURCE_AT + 3]
        if type(text) is str and len(sources) < _CACHE_LIMIT:
            sources[text] = record.source
    return record


def from_rows(rows: Sequence[Sequence[Any]], *, path: str | None = None) -> list[Record]:
    """:func:`from_row` for each of *rows*, each ``(line, *row)``.

    A plain claim is built by :func:`_plain_claim`; anything else goes through
    :func:`from_row`, which is the authority.  (Plain evidence is read narrow, by
    :func:`from_evidence_rows`, so the rows that come here are the others.)
    """
    sources = _source_texts
    return [_from_full_row(row, path, sources) for row in rows]
