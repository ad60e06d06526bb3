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

Every file ends with a ``retracted`` column, ``true`` for a record that was retracted
when the file was written (the retraction itself is in ``retractions.csv``).  So
``claims.csv`` has the columns ``id, speaker_id, text, quote, kind, stated_on,
source.title, …, source.reliability, due, topics, confidence, confidence_basis,
recorded_at, retracted`` (see :func:`columns`).  When reading, every column but the required
ones may be left out; an empty ``id`` gets one made as :class:`~claimtrack.Tracker`
would; an empty ``recorded_at`` is stamped by the tracker.  Columns a file has but the
layout does not are ignored and listed in the report.  Another layout is read with
``columns={"Their header": "our_column", …}``.

:func:`write_csv_all` writes every kind of record into one directory (one file per
kind, :data:`CSV_FILES`), and :func:`read_csv_all` reads such a directory back into an
equal ledger, retractions included.

Safe for spreadsheets
---------------------

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=HYPERLINK(…)`` becomes a live link).  Written cells
that would are prefixed with ``'`` (as OWASP advises), which spreadsheets show as
text; plain numbers are left alone.  Reading takes the ``'`` off again, so a file
written and read back gives the same text.  Pass ``neutralize=False`` (and
``neutralized=False`` to read) for files only programs will read.

Problems
--------

Reading is all or nothing by default, like every importer: all problems are raised at
once as an ``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError`, each
naming file, line and column (``claims.csv:17: stated_on: 'Smarch 31' is not a
date``), also for a record the tracker refuses when it is added.  With
``on_error="skip"`` each row is read all or nothing: rows that cannot be are listed in
the report's ``skipped`` with file and line, and the others imported.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os
import pathlib
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import IO, Any

from claimtrack._dates import PartialDate
from claimtrack._files import write_text_atomically
from claimtrack._model import Record
from claimtrack._tracker import Tracker
from claimtrack.errors import InvalidRecordError
from claimtrack.interop._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportReport,
    OnError,
    fail,
    group,
    read_bounded,
)

from ._tabular_layout import (
    _KINDS,
    _LAYOUTS,
    _cell,
    _flatten,
    _kind,
    columns,
    neutralize,
)
from ._tabular_layout import CSV_FILES as _CSV_FILES
from ._tabular_rows import RowsRead, add_all, read_table

__all__ = [
    "CSV_FILES",
    "columns",
    "read_csv",
    "read_csv_all",
    "to_frame",
    "write_csv",
    "write_csv_all",
]

CSV_FILES: Mapping[str, str] = MappingProxyType(_CSV_FILES)
"""The file of each kind of record in a directory written by ``write_csv_all``, in the
order they are read back (every record before anything that refers to it)."""

columns.__module__ = __name__  # defined with the layout; public here

# -- writing ----------------------------------------------------------------------------


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


def _csv_text(tracker: Tracker, kind: str, as_of: Any, neutralize_cells: bool) -> tuple[str, int]:
    header = columns(kind)
    if kind == "assessments":
        when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
        rows = list(_assessment_rows(tracker, when))
    else:
        rows = [_flatten(r, tracker.is_retracted(r)) for r in _rows(tracker, kind)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    if neutralize_cells:
        writer.writerows([neutralize(_cell(row.get(c))) for c in header] for row in rows)
    else:
        writer.writerows([_cell(row.get(c)) for c in header] for row in rows)
    return buffer.getvalue(), len(rows)


def _check_tracker(tracker: Any) -> None:
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")


def write_csv(
    tracker: Tracker,
    path_or_file: str | os.PathLike[str] | IO[str],
    what: str,
    *,
    as_of: Any = None,
    neutralize: bool = True,
) -> int:
    r"""Write one kind of record (or the assessments) as CSV in the documented layout.

    A path is written to a temporary file beside it and moved into place, so a failure
    leaves no half-written file.  Records are written in the order they were added,
    retracted ones too, marked ``true`` in the ``retracted`` column.

    Args:
        tracker: the tracker to write from.
        path_or_file: a path, or a text file opened with ``newline=""``.
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"``, ``"forecasts"`` or ``"assessments"`` (each claim not
            retracted, assessed at *as_of*).
        as_of: for assessments, the date to judge at (any date input).
        neutralize: prefix cells a spreadsheet would run as formulas with ``'``
            (the default); ``False`` for files only programs read.

    Returns:
        The number of rows written.

    Raises:
        InvalidRecordError: *what* or *as_of* is not valid.

    Example:
        >>> import io
        >>> from claimtrack.interop.tabular import write_csv
        >>> t = ct.Tracker()
        >>> import datetime
        >>> _ = t.add_speaker("=HYPERLINK(\"https://x.example\")", id="kellogg",
        ...                   recorded_at=datetime.datetime(2025, 2, 18, tzinfo=datetime.UTC))
        >>> out = io.StringIO()
        >>> write_csv(t, out, "speakers")
        1
        >>> print(out.getvalue())
        id,name,roles,organization,same_as,recorded_at,retracted
        kellogg,"'=HYPERLINK(""https://x.example"")",[],false,[],2025-02-18T00:00:00.000000Z,false

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The ``retracted`` column; ``neutralize``.
    """
    _check_tracker(tracker)
    kind = _kind(what, assessments=True)
    text, n = _csv_text(tracker, kind, as_of, neutralize)
    if isinstance(path_or_file, str | os.PathLike):
        write_text_atomically(os.fspath(path_or_file), text)
    elif hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        raise InvalidRecordError("path_or_file", path_or_file, "must be a path or a text file")
    return n


def write_csv_all(
    tracker: Tracker, directory: str | os.PathLike[str], *, neutralize: bool = True
) -> dict[str, int]:
    """Write every record of the ledger as CSV, one file per kind, into *directory*.

    The files are named as :data:`CSV_FILES` says (``speakers.csv``, ``claims.csv``,
    ``evidence.csv``, ``rulings.csv``, ``forecasts.csv``, ``retractions.csv``);
    retracted records are written and marked ``true`` in their ``retracted`` column,
    and every retraction is in ``retractions.csv``, so :func:`read_csv_all` gives back
    an equal ledger.  Every file is built before any is written, and each is written
    to a temporary file and moved into place.

    Args:
        tracker: the tracker to write from.
        directory: where to write; made if missing.
        neutralize: prefix cells a spreadsheet would run with ``'`` (the default).

    Returns:
        The number of rows written per kind.

    Raises:
        InvalidRecordError: *tracker* is not a tracker.
        OSError: the directory or a file cannot be written.

    Example:
        >>> import tempfile
        >>> from claimtrack.interop.tabular import read_csv_all, write_csv_all
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> _ = t.add_claim("lavrov", "Talks will focus on relations.", id="c",
        ...                 stated_on="2025-02-18")
        >>> _ = t.retract("c", reason="misquoted")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = write_csv_all(t, folder)
        ...     copy = ct.Tracker()
        ...     _ = read_csv_all(copy, folder)
        >>> written
        {'speakers': 1, 'claims': 1, 'evidence': 0, 'rulings': 0, 'forecasts': 0, 'retractions': 1}
        >>> copy.is_retracted("c")
        True

    .. versionadded:: 0.2.0
    """
    _check_tracker(tracker)
    texts = {kind: _csv_text(tracker, kind, None, neutralize) for kind in CSV_FILES}
    folder = os.fspath(directory)
    os.makedirs(folder, exist_ok=True)
    for kind, (text, _) in texts.items():
        write_text_atomically(os.path.join(folder, CSV_FILES[kind]), text)
    return {kind: n for kind, (_, n) in texts.items()}


# -- reading ----------------------------------------------------------------------------


def _check_on_error(on_error: Any) -> bool:
    if on_error not in ("raise", "skip"):
        raise InvalidRecordError("on_error", on_error, "must be 'raise' or 'skip'")
    return bool(on_error == "skip")


def _report(out: RowsRead, added: list[Record], name: str) -> ImportReport:
    if out.errors:
        raise group(f"{name} cannot be imported", out.errors, out.unlisted)
    return ImportReport(records=added, skipped=out.skipped, reader="CSV", unlisted=out.unlisted)


def read_csv(
    tracker: Tracker,
    source: str | bytes | os.PathLike[str] | IO[str] | IO[bytes],
    what: str,
    *,
    columns: Mapping[str, str] | None = None,
    name: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    on_error: OnError = "raise",
    neutralized: bool = True,
) -> ImportReport:
    r"""Import one kind of record from CSV: every row, or (skip) every row that reads.

    A row marked ``true`` in a ``retracted`` column is skipped (and listed): alone it
    would come back live; :func:`read_csv_all` reads it with its retraction.

    Args:
        tracker: the tracker to add to.
        source: a path, an open file, or the CSV text (``str`` / ``bytes``).
        what: ``"speakers"``, ``"claims"``, ``"evidence"``, ``"rulings"``,
            ``"retractions"`` or ``"forecasts"``.
        columns: for another layout, a mapping from the file's headers to the
            documented column names (``{"Statement": "text", "Said on": "stated_on"}``).
        name: the file name used in error messages; a path's own name by default.
        limits: how much to accept from this untrusted file (bytes, rows, cell length).
        on_error: ``"raise"`` (all or nothing, the default) or ``"skip"`` (each row all
            or nothing; rows that cannot be read are listed with file and line).
        neutralized: take off the ``'`` that :func:`write_csv` puts before cells a
            spreadsheet would run (the default).

    Returns:
        An :class:`~claimtrack.interop.ImportReport`: the records added, and the rows
        and columns skipped (blank rows, rows already in the tracker, unknown columns,
        retracted rows, bad rows with ``on_error="skip"``).

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per bad
            cell or row, each naming ``file:line``; nothing is added.
        InvalidRecordError: *what*, *columns*, *limits* or *on_error* is not valid.

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
    .. versionchanged:: 0.2.0 ``on_error``, ``neutralized``; retracted rows.
    """
    _check_tracker(tracker)
    kind = _kind(what)
    skip = _check_on_error(on_error)
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
    out = RowsRead()
    read_table(
        tracker,
        text,
        kind,
        name=name,
        mapping=mapping,
        limits=limits,
        skip=skip,
        neutralized=neutralized,
        keep_retracted=False,
        pending={},
        out=out,
    )
    if out.errors:
        raise group(f"{name} cannot be imported", out.errors, out.unlisted)
    return _report(out, add_all(tracker, out, skip=skip, name=name), name)


def read_csv_all(
    tracker: Tracker,
    directory: str | os.PathLike[str],
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    on_error: OnError = "raise",
    neutralized: bool = True,
) -> ImportReport:
    """Import a directory written by :func:`write_csv_all`: every kind of record.

    The files of :data:`CSV_FILES` that are there are read in that order, retracted
    records included (their retractions come from ``retractions.csv``), and everything
    is added at once: with ``on_error="raise"`` (the default) nothing is added unless
    every file reads.  The limits apply to each file.

    Args:
        tracker: the tracker to add to.
        directory: the directory holding the files.
        limits: how much to accept from each untrusted file.
        on_error: ``"raise"`` or ``"skip"`` (see :func:`read_csv`).
        neutralized: take off the ``'`` put before formula-like cells (the default).

    Returns:
        An :class:`~claimtrack.interop.ImportReport` of every file.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, each naming
            ``file:line``; nothing is added.
        InvalidRecordError: an argument is not valid.

    Example: see :func:`write_csv_all`.

    .. versionadded:: 0.2.0
    """
    _check_tracker(tracker)
    skip = _check_on_error(on_error)
    folder = os.fspath(directory)
    if not os.path.isdir(folder):
        raise fail(folder, "is not a directory")
    found = [k for k, f in CSV_FILES.items() if os.path.isfile(os.path.join(folder, f))]
    if not found:
        raise fail(folder, f"holds none of {', '.join(CSV_FILES.values())}")
    out = RowsRead()
    pending: dict[str, Record] = {}
    for kind in found:
        name = CSV_FILES[kind]
        text = read_bounded(
            pathlib.Path(folder, name),
            limits,
            name=name,
        )
        read_table(
            tracker,
            text,
            kind,
            name=name,
            mapping={},
            limits=limits,
            skip=skip,
            neutralized=neutralized,
            keep_retracted=True,
            pending=pending,
            out=out,
        )
    where = os.path.basename(folder.rstrip(os.sep)) or folder
    if out.errors:
        raise group(f"{where} cannot be imported", out.errors, out.unlisted)
    return _report(out, add_all(tracker, out, skip=skip, name=where), where)


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
