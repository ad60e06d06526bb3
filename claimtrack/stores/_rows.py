"""The SQLite row layout: the codec's dicts, one column per field.

A table with one column per field (the SQLite store's schema versions 2 and 3) is a
view of :func:`~claimtrack.stores.to_dict`: a row holds the dict's values under their
keys.  A value that is a JSON string or null in the dict is stored as that string or
NULL; any other value (a boolean, a number, a list, an object) is stored as its JSON
text, and null as NULL.  Reading turns a row back into the dict and goes through
:func:`~claimtrack.stores.from_dict` (or a fast path for plain evidence and claims,
which makes the same record, checked against the full path by the tests), so there
is still one mapping.

Values that repeat (sources, topics, dates) are shared through a ``Memo`` that
lives for one read or one write (one call of the store), never longer: nothing here
outlives a call, and a memo only ever holds values the full path accepted.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Final

import attrs

from claimtrack._codec import (
    _STANCES,
    _STRENGTHS,
    _TYPES,
    FORMAT_VERSION,
    _BadValueError,
    _datetime,
    _decoder,
    _encode,
    _fast_decoder,
    _hooks,
    _new,
    _partial_date,
    _unstructure_date,
    _unstructure_datetime,
    from_dict,
    to_dict,
)
from claimtrack._dates import PartialDate, Precision
from claimtrack._model import (
    _BASES,
    MAX_ID,
    MAX_TEXT,
    Claim,
    ClaimKind,
    Evidence,
    Record,
    Retraction,
    Source,
    slot_setters,
)
from claimtrack.errors import CorruptStoreError

__all__ = [
    "CLAIM_COLUMNS",
    "COLUMNS",
    "EVIDENCE_COLUMNS",
    "JSON_COLUMNS",
    "KIND_COLUMNS",
    "Memo",
    "from_claim_rows",
    "from_evidence_rows",
    "from_row",
    "from_rows",
    "to_row",
    "to_values",
    "to_values_many",
]

_EVIDENCE_SETTERS = slot_setters(Evidence)
_CLAIM_SETTERS = slot_setters(Claim)


class Memo:
    """Values shared while one call reads or writes many rows (see the module docstring)."""

    __slots__ = (
        "confidence_texts", "dates", "day_texts", "source_json", "source_texts",
        "topic_texts", "topics_json",
    )  # fmt: skip

    def __init__(self) -> None:
        self.dates: dict[str, PartialDate] = {}
        self.day_texts: dict[_dt.date, str] = {}
        self.source_texts: dict[str, Source] = {}
        self.source_json: dict[int, tuple[Source, str]] = {}
        self.topics_json: dict[frozenset[str], str] = {}
        self.topic_texts: dict[str, frozenset[str]] = {}
        self.confidence_texts: dict[str, float] = {}


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
        hints = typing.get_type_hints(cls)  # the annotations are text (PEP 563)
        for f in attrs.fields(cls):
            as_text = _stored_as_text(hints[f.name])
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


KIND_COLUMNS: Final = {
    name: tuple(key for _, key, _ in cols) for name, cols in _KIND_COLUMNS.items()
}
"""The columns of each record type's fields, in the order the class declares them."""


def to_values(record: Record) -> tuple[Any, ...]:
    """``(type, version, *values of KIND_COLUMNS[type])``: :func:`to_dict` as stored.

    The values a row holds in its own record type's columns (the others are NULL).

    Example:
        >>> from claimtrack.stores._rows import to_values
        >>> to_values(ct.Speaker("trump", "Donald Trump"))
        ('speaker', 1, 'trump', 'Donald Trump', '[]', 'false', '[]', None)

    .. versionadded:: 0.1.0
    """
    return next(to_values_many((record,)))


def to_row(record: Record) -> tuple[Any, ...]:
    """``(type, version, *values in COLUMNS order)``: :func:`to_values` as a whole row.

    Example:
        >>> from claimtrack.stores._rows import COLUMNS, to_row
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


def to_values_many(
    records: Iterable[Record], memo: Memo | None = None
) -> Iterator[tuple[Any, ...]]:
    """:func:`to_values` of each of *records*, in order: the rows of a bulk insert.

    Evidence, the bulk of a ledger, is encoded here without making its dict, and with
    the encoding of its dates in line, and claims without their dicts too;
    tests/test_codec.py checks that the rows are those of the dicts
    (``_values_of_dict``).

    Example:
        >>> from claimtrack.stores._rows import to_values_many
        >>> [row[:3] for row in to_values_many([ct.Speaker("trump", "Donald Trump")])]
        [('speaker', 1, 'trump')]

    .. versionadded:: 0.1.0
    """
    memo = Memo() if memo is None else memo
    day_texts, utc, day = memo.day_texts, _dt.UTC, Precision.DAY
    # The records of one import are mostly stamped within a second or so of each other
    # (often with one and the same time): the text up to the second is kept for the
    # second [second, upto) last formatted.
    second = upto = _dt.datetime.max.replace(tzinfo=utc)
    prefix = ""
    one_second = _dt.timedelta(seconds=1)
    for record in records:
        if type(record) is not Evidence:
            yield _claim_values(record, memo) if type(record) is Claim else _values_of_dict(record)
            continue
        source = record.source
        on = record.observed_on
        on_text = day_texts.get(on.start) if on.precision is day else None
        if on_text is None:
            on_text = _unstructure_date(on)
            if on.precision is day:
                day_texts[on.start] = on_text
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
            None if source is None else _source_text(source, memo),
            at_text,
        )


def _source_text(source: Source, memo: Memo) -> str:
    """The stored JSON text of a source (one article backs many records: kept)."""
    # keyed by identity: the memo holds the Source, so its id is not reused
    found = memo.source_json.get(id(source))
    if found is None or found[0] is not source:
        found = (source, _encode(_hooks().converter.unstructure(source, Source)))
        memo.source_json[id(source)] = found
    return found[1]


def _claim_values(claim: Claim, memo: Memo) -> tuple[Any, ...]:
    """:func:`_values_of_dict` of a claim, without making the dict (see to_values_many)."""
    topics = memo.topics_json.get(claim.topics)
    if topics is None:
        topics = memo.topics_json[claim.topics] = _encode(sorted(claim.topics))
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
        None if source is None else _source_text(source, memo),
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
        >>> from claimtrack.stores._rows import from_row, to_row
        >>> speaker = ct.Speaker("trump", "Donald Trump")
        >>> from_row(to_row(speaker)) == speaker
        True

    .. versionadded:: 0.1.0
    """
    return from_dict(_row_dict(row, path, line), path=path, line=line)


EVIDENCE_COLUMNS: Final = tuple(f.name for f in attrs.fields(Evidence))
"""The columns of a piece of evidence, in the order the class declares them."""


def from_evidence_rows(
    rows: Sequence[Sequence[Any]], *, path: str | None = None, memo: Memo | None = None
) -> list[Record]:
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
    memo = Memo() if memo is None else memo
    sources, dates, stances, strengths = memo.source_texts, memo.dates, _STANCES, _STRENGTHS
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
                    observed_on = dates[on] = _partial_date(on, None)
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
        append(_from_full_row((seq, *values), path, memo))
    return out


CLAIM_COLUMNS: Final = tuple(f.name for f in attrs.fields(Claim))
"""The columns of a claim, in the order the class declares them."""
_CLAIM_AT_COLUMN = tuple(COLUMNS.index(name) for name in CLAIM_COLUMNS)


def from_claim_rows(
    rows: Sequence[Sequence[Any]], *, path: str | None = None, memo: Memo | None = None
) -> list[Record]:
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
    memo = Memo() if memo is None else memo
    for row in rows:
        claim = _plain_claim_values(row[1:], memo)
        if claim is None:  # the full way, from the whole row as from_rows would have it
            values: list[Any] = list(_EMPTY_ROW)
            values[0], values[1] = "claim", FORMAT_VERSION
            for i, value in zip(_CLAIM_AT_COLUMN, row[1:], strict=True):
                values[i + 2] = value
            out.append(_from_full_row((row[0], *values), path, memo))
        else:
            out.append(claim)
    return out


_KINDS = {m.value: m for m in ClaimKind}
_CLAIM_AT = itemgetter(*(COLUMNS.index(f.name) + 3 for f in attrs.fields(Claim)))
_CLAIM_NONES = len(COLUMNS) - len(attrs.fields(Claim))  # other types' columns: NULL
_CLAIM_ROW = len(COLUMNS) + 3  # (seq, type, version, *COLUMNS)


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


def _plain_topics(text: Any, memo: Memo) -> frozenset[str] | None:
    """The topics of a stored ``topics`` column if they are plain, else ``None``."""
    found = memo.topic_texts.get(text) if type(text) is str else None
    if found is not None or type(text) is not str:
        return found
    try:
        topics = _fast_decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    if type(topics) is not list or not all(_plain(t, 200) and t == t.lower() for t in topics):
        return None
    found = memo.topic_texts[text] = frozenset(topics)
    return found


def _plain_confidence(text: Any, memo: Memo) -> float | None:
    """The number of a stored ``confidence`` column if it is in [0, 1], else ``None``."""
    found = memo.confidence_texts.get(text) if type(text) is str else None
    if found is not None or type(text) is not str:
        return found
    try:
        number = _fast_decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    # int or float, not bool; NaN and the infinities fail the comparison
    if type(number) not in (int, float) or not 0 <= number <= 1:
        return None
    found = memo.confidence_texts[text] = float(number)
    return found


def _plain_claim(row: Sequence[Any], memo: Memo) -> Claim | None:
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
    return _plain_claim_values(values, memo)


def _plain_claim_values(values: Sequence[Any], memo: Memo) -> Claim | None:
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
    topics = _plain_topics(topics_text, memo)
    if kind is None or topics is None:
        return None
    if confidence_text is None:
        confidence = None
        if basis is not None:
            return None
    else:
        confidence = _plain_confidence(confidence_text, memo)
        if confidence is None or type(basis) is not str or basis not in _BASES:
            return None
    source = None
    if source_text is not None:
        source = memo.source_texts.get(source_text) if type(source_text) is str else None
        if source is None:
            return None
    try:
        dates = memo.dates
        stored = stated_on
        stated_on = dates.get(stored) if type(stored) is str else None
        if stated_on is None:
            stated_on = dates[stored] = _partial_date(stored, None)
        if due is not None:
            stored = due
            due = dates.get(stored) if type(stored) is str else None
            if due is None:
                due = dates[stored] = _partial_date(stored, None)
        if recorded_at is not None:
            recorded_at = _datetime(recorded_at, None)
    except _BadValueError:
        return None
    if due is not None and due.end < stated_on.start:
        return None  # Claim's post-init check: the full path raises
    claim: Claim = _new(Claim)
    values = (
        rid, speaker_id, text, quote, kind, stated_on, source, due, topics,
        confidence, basis, recorded_at,
    )  # fmt: skip
    for put, value in zip(_CLAIM_SETTERS, values, strict=True):
        put(claim, value)
    return claim


_RETRACTION_AT = itemgetter(*(COLUMNS.index(f.name) + 3 for f in attrs.fields(Retraction)))
_RETRACTION_NONES = len(COLUMNS) - len(attrs.fields(Retraction))
_RETRACTION_SETTERS = slot_setters(Retraction)


def _plain_retraction(row: Sequence[Any]) -> Retraction | None:
    """The retraction of a full row if plain, else ``None`` (see :func:`_plain_claim`).

    A long chain of retractions of retractions is read by the row: the full path is
    the authority for anything doubtful, and says what is wrong.
    """
    if row[2] != FORMAT_VERSION:
        return None
    rid, target_id, reason, recorded_at = _RETRACTION_AT(row)
    if row.count(None) != _RETRACTION_NONES + (recorded_at is None):
        return None
    if not (_plain(rid, MAX_ID) and _plain(target_id, MAX_ID) and _plain(reason, MAX_TEXT)):
        return None
    if recorded_at is not None:
        try:
            recorded_at = _datetime(recorded_at, None)
        except _BadValueError:
            return None
    retraction: Retraction = _new(Retraction)
    for put, value in zip(_RETRACTION_SETTERS, (rid, target_id, reason, recorded_at), strict=True):
        put(retraction, value)
    return retraction


def _from_full_row(row: Sequence[Any], path: str | None, memo: Memo) -> Record:
    """:func:`from_row` of ``row[1:]`` (line ``row[0]``), keeping the source it read.

    A plain claim is built by :func:`_plain_claim`, without the full path.
    """
    if row[1] == "claim":
        claim = _plain_claim(row, memo)
        if claim is not None:
            return claim
    elif row[1] == "retraction":
        retraction = _plain_retraction(row)
        if retraction is not None:
            return retraction
    record = from_row(row[1:], path=path, line=row[0])
    if isinstance(record, Evidence | Claim) and record.source is not None:
        text = row[_SOURCE_AT + 3]
        if type(text) is str:
            memo.source_texts[text] = record.source
    return record


def from_rows(
    rows: Sequence[Sequence[Any]], *, path: str | None = None, memo: Memo | None = None
) -> list[Record]:
    """:func:`from_row` for each of *rows*, each ``(line, *row)``.

    A plain claim is built by :func:`_plain_claim`; anything else goes through
    :func:`from_row`, which is the authority.  (Plain evidence is read narrow, by
    :func:`from_evidence_rows`, so the rows that come here are the others.)
    """
    memo = Memo() if memo is None else memo
    return [_from_full_row(row, path, memo) for row in rows]


_FULL_EVIDENCE_AT = tuple(i + 3 for i in _EVIDENCE_AT)  # in (seq, type, version, *COLUMNS)
_FULL_NOT_EVIDENCE = tuple(i + 3 for i, name in enumerate(COLUMNS) if name not in EVIDENCE_COLUMNS)


def decode_rows(
    rows: Sequence[Sequence[Any]], *, path: str | None = None, memo: Memo | None = None
) -> list[Record]:
    """The records of full rows ``(seq, type, version, *COLUMNS)``, in order.

    Plain evidence (of the current format version, every other column NULL) goes the
    narrow way of :func:`from_evidence_rows`, claims that of :func:`_plain_claim`,
    everything else the full way, which is the authority.

    Raises:
        CorruptStoreError: a row is not a valid record (naming its ``seq``).
    """
    memo = Memo() if memo is None else memo
    out: list[Record] = []
    run: list[tuple[Any, ...]] = []
    at, others = _FULL_EVIDENCE_AT, _FULL_NOT_EVIDENCE
    for row in rows:
        if (
            row[1] == "evidence"
            and row[2] == FORMAT_VERSION
            and all(row[i] is None for i in others)
        ):
            run.append((row[0], *(row[i] for i in at)))
            continue
        if run:
            out.extend(from_evidence_rows(run, path=path, memo=memo))
            run = []
        out.append(_from_full_row(row, path, memo))
    if run:
        out.extend(from_evidence_rows(run, path=path, memo=memo))
    return out
