"""Reading CSV rows into records, through the codec, checking ids and references."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from typing import Any

import attrs

from claimtrack._codec import FORMAT_VERSION, from_dict
from claimtrack._dates import DateOrder, PartialDate, as_utc_datetime
from claimtrack._ids import slug as _slug
from claimtrack._model import (
    KIND_NAMES,
    Claim,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Ruling,
    Speaker,
)
from claimtrack._tracker import Tracker
from claimtrack.errors import ClaimtrackError, ImportFormatError, InvalidRecordError

from ._common import (
    MAX_PROBLEMS,
    ImportLimits,
    Skipped,
    check_count,
    check_limits,
    fail,
    group,
    parse_json,
)
from ._tabular_layout import _KINDS, _LAYOUTS, _SOURCE_KEYS, RETRACTED, restore


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


def _check_date(column: str, value: Any, date_order: DateOrder | None = None) -> Any:
    """Read any date text (numeric ones in the tracker's order), give the codec its ISO form."""
    if column not in _DATE_COLUMNS or value is None:
        return value
    try:
        return str(PartialDate.parse(value, field=column, date_order=date_order))
    except InvalidRecordError as exc:  # the reason says why: no year, ambiguous ...
        raise _RowError(column, f"{value!r:.80} {exc.reason}") from None


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


class _Rows:
    """Builds records from rows through the codec, checking ids and references."""

    def __init__(self, tracker: Tracker, kind: str, name: str, pending: dict[str, Record]) -> None:
        self.tracker = tracker
        self.kind = kind
        self.cls = _KINDS[kind]
        self.name = name
        self.pending = pending
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
        return record

    def make_id(self, data: dict[str, Any]) -> str:
        if self.cls is Speaker:
            base = _slug(data.get("name") or "") or "speaker"
        elif self.cls is Claim:
            base = _slug(f"{data.get('speaker_id')} {data.get('text')}") or "claim"
        else:
            parent = data.get("claim_id") or data.get("target_id") or "record"
            letter = {Evidence: "e", Ruling: "r", Retraction: "x", Forecast: "f"}[self.cls]
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
        elif isinstance(record, Forecast):
            refs.append(("claim_id", record.claim_id, Claim))
            refs.append(("speaker_id", record.speaker_id, Speaker))
        elif isinstance(record, Retraction):
            refs.append(("target_id", record.target_id, object))
        for column, ref, cls in refs:
            found = self.lookup(ref)
            if found is None or not isinstance(found, cls):
                kind = "record" if cls is object else KIND_NAMES[cls]
                return f"{column}: no {kind} with id {ref!r}"
        return False


class RowsRead:
    """What reading one CSV table gave: records to add, and what was passed over."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.skipped: list[Skipped] = []
        self.errors: list[ImportFormatError] = []
        self.where: dict[str, str] = {}  # record id -> "file:line"
        self.unlisted = 0

    def skip(self, where: str, reason: str) -> None:
        if len(self.skipped) < MAX_PROBLEMS:
            self.skipped.append(Skipped(where, reason))
        else:
            self.unlisted += 1

    def error(self, where: str, reason: str, *, skip: bool) -> None:
        if skip:
            self.skip(where, reason)
        elif len(self.errors) < MAX_PROBLEMS:
            self.errors.append(ImportFormatError(where, reason))
        else:
            self.unlisted += 1


def read_table(
    tracker: Tracker,
    text: str,
    kind: str,
    *,
    name: str,
    mapping: Mapping[str, str],
    limits: ImportLimits,
    skip: bool,
    neutralized: bool,
    keep_retracted: bool,
    pending: dict[str, Record],
    out: RowsRead,
) -> None:
    """Read the rows of one CSV table of *kind* into *out*, each row all or nothing.

    *pending* holds the records read so far (from this file and earlier ones), which
    references may point to.
    """
    cls = _KINDS[kind]
    layout = _LAYOUTS[kind]
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise fail(name, f"is not valid CSV: {exc}") from None
    if not table:
        raise fail(f"{name}:1", "has no header row")
    check_count(len(table) - 1, limits, path=name, what="rows")
    header = [mapping.get(h.strip(), h.strip()) for h in table[0]]
    used: dict[int, str] = {}
    for i, column in enumerate(header):
        if column in layout and column not in used.values():
            used[i] = column
        elif column in used.values():
            out.error(f"{name}:1", f"column {column!r} appears twice", skip=False)
        else:
            out.skip(f"{name}:1", f"column {table[0][i]!r} is not a {kind} column; ignored")
    defaults = _defaults(cls)
    reader = _Rows(tracker, kind, name, pending)
    for line, row in enumerate(table[1:], start=2):
        where = f"{name}:{line}"
        if not any(cell.strip() for cell in row):
            out.skip(where, "blank row")
            continue
        if len(row) > len(header):
            out.error(where, f"has {len(row)} cells but the header {len(header)}", skip=skip)
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
            if neutralized:
                cell = restore(cell)
            try:
                value = _parse_cell(column, layout[column], cell, limits)
                value = (
                    _recorded_at(value)
                    if column == "recorded_at"
                    else _check_date(column, value, tracker.date_order)
                )
            except _RowError as exc:
                row_errors.append(str(exc))
                continue
            values[column] = value
        if row_errors:
            if skip:
                out.skip(where, "; ".join(row_errors))
            else:
                for reason in row_errors:
                    out.error(where, reason, skip=False)
            continue
        if values.pop(RETRACTED, None) and not keep_retracted:
            out.skip(
                where, "retracted when written; read_csv_all brings it back with its retraction"
            )
            continue
        outcome = reader.add(values, defaults, where)
        if isinstance(outcome, ImportFormatError):
            out.error(where, outcome.reason, skip=skip)
        elif isinstance(outcome, Skipped):
            out.skip(outcome.path, outcome.reason)
        elif outcome is not None:
            out.records.append(outcome)
            out.where[outcome.id] = where


def add_all(tracker: Tracker, out: RowsRead, *, skip: bool, name: str) -> list[Record]:
    """Add what was read: all at once; an error names the file and line of its record.

    With *skip*, a record the tracker refuses is skipped (and so are the records that
    depend on it), each listed with its file and line.
    """
    try:
        return tracker.add_many(out.records)
    except ClaimtrackError as exc:
        if not skip:
            where = _culprit(exc, out) or name
            raise group(
                f"{name} cannot be imported", [ImportFormatError(where, str(exc))]
            ) from None
    added: list[Record] = []
    for record in out.records:
        try:
            added.append(tracker.add(record))
        except ClaimtrackError as exc:
            out.skip(out.where.get(record.id, name), str(exc))
    return added


def _culprit(exc: ClaimtrackError, out: RowsRead) -> str | None:
    """The file and line of the record a tracker error is about, as far as it tells."""
    named = getattr(exc, "record_id", None)
    if isinstance(named, str) and named in out.where:
        return out.where[named]
    # An error about a record referred to (a retracted speaker, an unknown claim):
    # the first record read that refers to it.
    refs = {v for v in (named, getattr(exc, "value", None)) if isinstance(v, str)}
    for record in out.records:
        for attr in ("target_id", "claim_id", "speaker_id"):
            if getattr(record, attr, None) in refs:
                return out.where.get(record.id)
    return None
