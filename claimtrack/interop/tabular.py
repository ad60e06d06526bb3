"""CSV for spreadsheets, and pandas DataFrames for analysis.

The column layout
-----------------

One file holds one kind of record (``"speakers"``, ``"claims"``, ``"evidence"``,
``"rulings"``, ``"retractions"``, ``"forecasts"``), or assessments (write-only).  Its
columns are the keys of the record's plain dict from claimtrack's codec (the same form every store
writes), in the same order, without ``type`` and ``version``:

- a nested object is spread over dotted columns: a claim's ``source`` becomes
  ``source.title``, ``source.publisher``, ``source.author``, ``source.published``,
  ``source.url``, ``source.reliability``;
- a list (``topics``, ``same_as``, ``roles``) is one cell holding a JSON array
  (``["peace-talks", "ukraine"]``); when reading, a cell that does not start with
  ``[`` is read as a list of words separated by ``;``;
- ``None`` is an empty cell; ``True`` / ``False`` are ``true`` / ``false``; dates are
  ISO (``2025-02-18``, ``2025-02``, ``2025``) but any date text is read.

So ``claims.csv`` has the columns ``id, speaker_id, text, quote, kind, stated_on,
source.title, …, source.reliability, due, topics, confidence, confidence_basis,
recorded_at`` (see :func:`columns`).  When reading, every column but the required
ones may be left out; an empty ``id`` gets one made as :class:`~claimtrack.Tracker`
would; an empty ``recorded_at`` is stamped by the tracker.  Columns a file has but the
layout does not are ignored and listed in the report.  Another layout is read with
``columns={"Their header": "our_column", …}``.

Reading is all or nothing, like every importer: all problems are raised at once as an
``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError`, each naming file,
line and column (``claims.csv:17: stated_on: 'Smarch 31' is not a date``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, Literal

import attrs

from claimtrack import _model
from claimtrack._codec import FORMAT_VERSION, from_dict, to_dict
from claimtrack._dates import PartialDate, as_utc_datetime
from claimtrack._files import write_text_atomically
from claimtrack._model import (
    KIND_NAMES,
    Claim,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Source,
    Speaker,
)
from claimtrack._tracker import Tracker, _slug
from claimtrack.errors import ClaimtrackError, ImportFormatError, InvalidRecordError
from claimtrack.interop._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportReport,
    Skipped,
    check_count,
    check_limits,
    fail,
    group,
    parse_json,
    read_bounded,
)

__all__ = ["columns", "read_csv", "to_frame", "write_csv"]

Kind = Literal["speakers", "claims", "evidence", "rulings", "retractions", "forecasts"]
_KINDS: dict[str, type[Record]] = {
    "speakers": Speaker,
    "claims": Claim,
    "evidence": Evidence,
    "rulings": Ruling,
    "retractions": Retraction,
    "forecasts": Forecast,
}
_ASSESSMENT_COLUMNS = (
    "claim_id",
    "speaker_id",
    "verdict",
    "computed_verdict",
    "probability",
    "log_odds",
    "as_of",
    "due_passed",
    "ruling_id",
    "evidence_counted",
)
_SOURCE_KEYS = tuple(a.name for a in attrs.fields(Source))


# -- the layout ------------------------------------------------------------------------


def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(_model))


def _shape(hint: Any) -> str:
    """What a field's cell holds: 'bool', 'float', 'list', 'source' or 'text'."""
    args = set(typing.get_args(hint)) - {type(None)}
    base = typing.get_origin(hint)
    if hint is bool:
        return "bool"
    if hint is float or args == {float}:
        return "float"
    if base in (tuple, frozenset) or hint is tuple:
        return "list"
    if args == {Source}:
        return "source"
    return "text"


def _layout(cls: type[Record]) -> dict[str, str]:
    """Column name -> cell shape, in the codec's key order."""
    hints = _hints(cls)
    layout: dict[str, str] = {}
    for fld in attrs.fields(cls):
        shape = _shape(hints[fld.name])
        if shape == "source":
            source_hints = _hints(Source)
            for key in _SOURCE_KEYS:
                layout[f"{fld.name}.{key}"] = _shape(source_hints[key])
        else:
            layout[fld.name] = shape
    return layout


_LAYOUTS = {kind: _layout(cls) for kind, cls in _KINDS.items()}


def _kind(what: Any, *, assessments: bool = False) -> str:
    allowed = [*_KINDS, "assessments"] if assessments else list(_KINDS)
    if what not in allowed:
        raise InvalidRecordError("what", what, f"must be one of: {', '.join(allowed)}")
    return str(what)


def columns(what: str) -> tuple[str, ...]:
    """The columns of a file of *what*, in order.

    Args:
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"``, ``"forecasts"`` or ``"assessments"``.

    Raises:
        InvalidRecordError: *what* is none of those.

    Example:
        >>> from claimtrack.interop.tabular import columns
        >>> columns("speakers")
        ('id', 'name', 'roles', 'organization', 'same_as', 'recorded_at')

    .. versionadded:: 0.1.0
    """
    kind = _kind(what, assessments=True)
    if kind == "assessments":
        return _ASSESSMENT_COLUMNS
    return tuple(_LAYOUTS[kind])


# -- writing ----------------------------------------------------------------------------


def _flatten(record: Record) -> dict[str, Any]:
    """The record's codec dict, flattened to one value per column."""
    data = to_dict(record)
    del data["type"], data["version"]
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) or (value is None and f"{key}.title" in _source_columns()):
            for sub in _SOURCE_KEYS:
                row[f"{key}.{sub}"] = None if value is None else value[sub]
        else:
            row[key] = value
    return row


def _source_columns() -> frozenset[str]:
    return frozenset(c for layout in _LAYOUTS.values() for c in layout if "." in c)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return str(value)


def _rows(tracker: Tracker, kind: str) -> Iterator[Record]:
    cls = _KINDS[kind]
    return (r for r in tracker.records() if type(r) is cls)


def _assessment_rows(tracker: Tracker, as_of: Any) -> Iterator[dict[str, Any]]:
    for claim in tracker.claims():
        a = tracker.assess(claim, as_of=as_of)
        yield {
            "claim_id": claim.id,
            "speaker_id": claim.speaker_id,
            "verdict": a.verdict.value,
            "computed_verdict": a.computed_verdict.value,
            "probability": a.probability,
            "log_odds": a.log_odds,
            "as_of": None if a.as_of is None else str(a.as_of),
            "due_passed": a.due_passed,
            "ruling_id": None if a.ruling is None else a.ruling.id,
            "evidence_counted": len(a.contributions),
        }


def write_csv(
    tracker: Tracker,
    path_or_file: str | os.PathLike[str] | IO[str],
    what: str,
    *,
    as_of: Any = None,
) -> int:
    """Write one kind of record (or the assessments) as CSV in the documented layout.

    A path is written to a temporary file beside it and moved into place, so a failure
    leaves no half-written file.  Records are written in the order they were added,
    retracted ones too (a retraction is a record of its own).

    Args:
        tracker: the tracker to write from.
        path_or_file: a path, or a text file opened with ``newline=""``.
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"``, ``"forecasts"`` or ``"assessments"`` (each claim not
            retracted, assessed at *as_of*).
        as_of: for assessments, the date to judge at (any date input).

    Returns:
        The number of rows written.

    Raises:
        InvalidRecordError: *what* or *as_of* is not valid.

    Example:
        >>> import io
        >>> from claimtrack.interop.tabular import write_csv
        >>> t = ct.Tracker()
        >>> import datetime
        >>> _ = t.add_speaker("Keith Kellogg", id="kellogg",
        ...                   recorded_at=datetime.datetime(2025, 2, 18, tzinfo=datetime.UTC))
        >>> out = io.StringIO()
        >>> write_csv(t, out, "speakers")
        1
        >>> print(out.getvalue())
        id,name,roles,organization,same_as,recorded_at
        kellogg,Keith Kellogg,[],false,[],2025-02-18T00:00:00.000000Z

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    kind = _kind(what, assessments=True)
    header = columns(kind)
    if kind == "assessments":
        when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
        rows = list(_assessment_rows(tracker, when))
    else:
        rows = [_flatten(r) for r in _rows(tracker, kind)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(row.get(c)) for c in header] for row in rows)
    text = buffer.getvalue()
    if isinstance(path_or_file, str | os.PathLike):
        write_text_atomically(os.fspath(path_or_file), text)
    elif hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        raise InvalidRecordError("path_or_file", path_or_file, "must be a path or a text file")
    return len(rows)


# -- reading ----------------------------------------------------------------------------


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")


def _parse_cell(column: str, shape: str, text: str, limits: ImportLimits) -> Any:
    if text == "":
        return None
    if shape == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise _RowError(column, f"{text!r:.80} is not true or false")
    if shape == "float":
        try:
            number = float(text.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise _RowError(column, f"{text!r:.80} is not a number")
        return number
    if shape == "list":
        stripped = text.strip()
        if stripped.startswith("["):
            try:
                value = parse_json(stripped)
                check_limits(value, limits)
            except ExceptionGroup as exc:
                reason = str(exc.exceptions[0]).removeprefix("$: ")
                raise _RowError(column, f"{text!r:.80} is not a JSON array: {reason}") from None
            if not isinstance(value, list):
                raise _RowError(column, f"{text!r:.80} is not a JSON array")
            return value
        return [part.strip() for part in stripped.split(";") if part.strip()]
    return text


_DATE_COLUMNS = frozenset({"stated_on", "due", "observed_on", "on", "made_on", "source.published"})


def _check_date(column: str, value: Any) -> Any:
    """Read any date text, and give the codec its ISO form."""
    if column not in _DATE_COLUMNS or value is None:
        return value
    try:
        return str(PartialDate.parse(value, field=column))
    except InvalidRecordError:
        raise _RowError(column, f"{value!r:.80} is not a date") from None


def _recorded_at(value: Any) -> Any:
    """Read any knowledge time (naive ones as UTC), and give the codec its form."""
    if value is None:
        return None
    if len(value) == 27 and value[10] == "T" and value.endswith("Z"):
        return value  # already the codec's form (as write_csv writes it); the codec checks it
    try:
        stamp = as_utc_datetime(value, field="recorded_at")
    except InvalidRecordError as exc:
        raise _RowError("recorded_at", f"{value!r:.80} {exc.reason}") from None
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _defaults(cls: type[Record]) -> dict[str, Any]:
    """The codec form of each optional field's default."""
    out: dict[str, Any] = {}
    for fld in attrs.fields(cls):
        if fld.default is attrs.NOTHING:
            continue
        value = fld.default
        if isinstance(value, tuple | frozenset):
            value = []
        elif hasattr(value, "value") and not isinstance(value, bool | float | int):
            value = value.value
        out[fld.name] = value
    return out


def read_csv(
    tracker: Tracker,
    source: str | bytes | os.PathLike[str] | IO[str] | IO[bytes],
    what: str,
    *,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportReport:
    r"""Import one kind of record from CSV: every row, or none.

    Args:
        tracker: the tracker to add to.
        source: a path, an open file, or the CSV text (``str`` / ``bytes``).
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"`` or ``"forecasts"``.
        columns: for another layout, a mapping from the file's headers to the
            documented column names (``{"Statement": "text", "Said on": "stated_on"}``).
        name: the file name used in error messages; a path's own name by default.
        limits: how much to accept from this untrusted file (bytes, rows, cell length).

    Returns:
        An :class:`~claimtrack.interop.ImportReport`: the records added, and the rows
        and columns skipped (blank rows, rows already in the tracker, unknown columns).

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per bad
            cell or row, each naming ``file:line``; nothing is added.
        InvalidRecordError: *what*, *columns* or *limits* is not valid.

    Example:
        >>> from claimtrack.interop.tabular import read_csv
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> sheet = "Who,Statement,Said on\nlavrov,Talks will focus on relations.,18 Feb 2025\n"
        >>> report = read_csv(t, sheet, "claims", name="claims.csv",
        ...                   columns={"Who": "speaker_id", "Statement": "text",
        ...                            "Said on": "stated_on"})
        >>> report.records[0].id, report.records[0].stated_on
        ('lavrov-talks-will-focus-on-relations', PartialDate('2025-02-18'))
        >>> try:
        ...     read_csv(t, "speaker_id,text,stated_on\nlavrov,x,Smarch 31\n", "claims",
        ...              name="claims.csv")
        ... except ExceptionGroup as group:
        ...     print(group.exceptions[0])
        claims.csv:2: stated_on: 'Smarch 31' is not a date

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    kind = _kind(what)
    cls = _KINDS[kind]
    layout = _LAYOUTS[kind]
    mapping = dict(columns or {})
    for their, ours in mapping.items():
        if not isinstance(their, str) or ours not in layout:
            raise InvalidRecordError(
                "columns", {their: ours}, f"must map headers to {kind} columns: {', '.join(layout)}"
            )
    if name is None:
        name = (
            os.path.basename(os.fspath(source))
            if isinstance(source, os.PathLike)
            else kind + ".csv"
        )
    text = read_bounded(source, limits, name=name)
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise fail(name, f"is not valid CSV: {exc}") from None
    if not table:
        raise fail(f"{name}:1", "has no header row")
    check_count(len(table) - 1, limits, path=name, what="rows")
    header = [mapping.get(h.strip(), h.strip()) for h in table[0]]
    skipped: list[Skipped] = []
    used: dict[int, str] = {}
    errors: list[ImportFormatError] = []
    for i, column in enumerate(header):
        if column in layout and column not in used.values():
            used[i] = column
        elif column in used.values():
            errors.append(ImportFormatError(f"{name}:1", f"column {column!r} appears twice"))
        else:
            skipped.append(
                Skipped(f"{name}:1", f"column {table[0][i]!r} is not a {kind} column; ignored")
            )
    defaults = _defaults(cls)
    reader = _Rows(tracker, kind, name)
    for line, row in enumerate(table[1:], start=2):
        where = f"{name}:{line}"
        if not any(cell.strip() for cell in row):
            skipped.append(Skipped(where, "blank row"))
            continue
        if len(row) > len(header):
            errors.append(
                ImportFormatError(where, f"has {len(row)} cells but the header {len(header)}")
            )
            continue
        values: dict[str, Any] = {}
        row_errors: list[str] = []
        for i, column in used.items():
            cell = row[i] if i < len(row) else ""
            if len(cell) > limits.max_string:
                row_errors.append(
                    f"{column}: a cell of {len(cell)} characters, over the limit of "
                    f"{limits.max_string} (ImportLimits.max_string)"
                )
                continue
            try:
                value = _parse_cell(column, layout[column], cell, limits)
                value = (
                    _recorded_at(value) if column == "recorded_at" else _check_date(column, value)
                )
            except _RowError as exc:
                row_errors.append(str(exc))
                continue
            values[column] = value
        if row_errors:
            errors.extend(ImportFormatError(where, reason) for reason in row_errors)
            continue
        outcome = reader.add(values, defaults, where)
        if isinstance(outcome, ImportFormatError):
            errors.append(outcome)
        elif isinstance(outcome, Skipped):
            skipped.append(outcome)
    if errors:
        raise group(f"{name} cannot be imported", errors)
    added = tracker.add_many(reader.records)
    return ImportReport(records=added, skipped=skipped)


class _Rows:
    """Builds records from rows through the codec, checking ids and references."""

    def __init__(self, tracker: Tracker, kind: str, name: str) -> None:
        self.tracker = tracker
        self.kind = kind
        self.cls = _KINDS[kind]
        self.name = name
        self.records: list[Record] = []
        self.pending: dict[str, Record] = {}
        self.counters: dict[str, int] = {}

    def lookup(self, record_id: str) -> Record | None:
        if record_id in self.pending:
            return self.pending[record_id]
        return self.tracker.get(record_id) if record_id in self.tracker else None

    def add(
        self, values: dict[str, Any], defaults: dict[str, Any], where: str
    ) -> Record | Skipped | ImportFormatError | None:
        data: dict[str, Any] = {"type": KIND_NAMES[self.cls], "version": FORMAT_VERSION}
        source = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("source.")}
        for fld in attrs.fields(self.cls):
            if fld.name == "source":
                given = {k: v for k, v in source.items() if v is not None}
                if not given or set(given) == {"reliability"}:
                    data["source"] = None
                else:
                    data["source"] = {k: source.get(k) for k in _SOURCE_KEYS}
                    if data["source"]["reliability"] is None:
                        data["source"]["reliability"] = 1.0
                continue
            value = values.get(fld.name)
            if value is None and fld.name in defaults:
                value = defaults[fld.name]
            data[fld.name] = value
        if data.get("id") is None:
            data["id"] = self.make_id(data)
        try:
            record = from_dict(data, path=self.name)
        except ClaimtrackError as exc:
            reason = str(exc).removeprefix(f"{self.name}: ")
            return ImportFormatError(where, reason)
        problem = self.check(record)
        if isinstance(problem, str):
            return ImportFormatError(where, problem)
        if problem is True:
            return Skipped(where, f"{KIND_NAMES[self.cls]} {record.id!r} is already in the tracker")
        self.pending[record.id] = record
        self.records.append(record)
        return record

    def make_id(self, data: dict[str, Any]) -> str:
        if self.cls is Speaker:
            base = _slug(data.get("name") or "") or "speaker"
        elif self.cls is Claim:
            base = _slug(f"{data.get('speaker_id')} {data.get('text')}") or "claim"
        else:
            parent = data.get("claim_id") or data.get("target_id") or "record"
            letter = {Evidence: "e", Ruling: "r", Retraction: "x"}[self.cls]
            n = self.counters.get(parent, 0)
            while True:
                n += 1
                base = f"{parent}-{letter}{n}"
                if self.lookup(base) is None:
                    self.counters[parent] = n
                    return base
        candidate, n = base, 1
        while self.lookup(candidate) is not None:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def check(self, record: Record) -> str | bool:
        """A problem in words, True for a row already imported, False if fine."""
        taken = self.lookup(record.id)
        if taken is not None:
            if attrs.evolve(taken, recorded_at=record.recorded_at or taken.recorded_at) == record:
                return True
            return f"id: {record.id!r} is taken (by a {KIND_NAMES[type(taken)]})"
        refs: list[tuple[str, str, type[Any]]] = []
        if isinstance(record, Claim):
            refs.append(("speaker_id", record.speaker_id, Speaker))
        elif isinstance(record, Evidence | Ruling):
            refs.append(("claim_id", record.claim_id, Claim))
        elif isinstance(record, Retraction):
            refs.append(("target_id", record.target_id, object))
        for column, ref, cls in refs:
            found = self.lookup(ref)
            if found is None or not isinstance(found, cls):
                kind = "record" if cls is object else KIND_NAMES[cls]
                return f"{column}: no {kind} with id {ref!r}"
        return False


# -- DataFrames -------------------------------------------------------------------------


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_frame needs pandas, which is not installed: pip install 'claimtrack[pandas]'"
        ) from None
    return pandas


def to_frame(tracker: Tracker, what: str = "claims", *, as_of: Any = None) -> Any:
    """The tracker's claims, evidence or assessments as a pandas ``DataFrame``.

    The columns are those of :func:`columns` (the CSV layout), one row per record in
    the order added; list cells hold Python lists, dates their ISO text.  Needs the
    ``pandas`` extra: ``pip install 'claimtrack[pandas]'``.

    Args:
        tracker: the tracker.
        what: ``"claims"``, ``"evidence"``, ``"assessments"``, or any other kind
            :func:`columns` knows.
        as_of: for assessments, the date to judge at.

    Returns:
        A ``pandas.DataFrame``.

    Raises:
        ImportError: pandas is not installed (the message names the extra).
        InvalidRecordError: *what* is not a kind of record or ``"assessments"``.

    Example:
        >>> from claimtrack.interop.tabular import to_frame
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", stated_on="2025-02-18")
        >>> to_frame(t, "claims")[["speaker_id", "stated_on"]].values.tolist()
        [['trump', '2025-02-18']]

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    kind = _kind(what, assessments=True)
    pandas = _pandas()
    header = columns(kind)
    if kind == "assessments":
        when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
        rows: Iterable[dict[str, Any]] = _assessment_rows(tracker, when)
    else:
        rows = (_flatten(r) for r in _rows(tracker, kind))
    return pandas.DataFrame([[row.get(c) for c in header] for row in rows], columns=list(header))
