r"""Forecast data in: the CSV shape forecasting datasets share.

One forecast a row, with the columns ``forecaster, question_id, question, made_on,
probability`` (others, such as ``timestamp``, are ignored and reported as skipped), and
an optional outcome file of ``question_id, outcome, resolved_on`` (and optionally
``question``), whose rows become rulings.

- a forecaster not in the tracker becomes a :class:`~claimtrack.Speaker` whose id and
  name are the ``forecaster`` cell;
- a question not in the tracker becomes a :class:`~claimtrack.Claim` of kind
  ``PREDICTION`` with the id ``question_id``, the text ``question`` (the outcome file's,
  if the forecast file leaves it empty; the id, if neither gives one), said by the
  speaker *asked_by* (created if missing) on the day of its first forecast in the file;
  a question already in the tracker is forecast as it is;
- ``probability``: a number in [0, 1], or a percentage (``"70%"``);
- an ``outcome`` of ``1``/``yes``/``true``/``held`` is a ``HELD`` ruling on
  ``resolved_on``, ``0``/``no``/``false``/``failed`` a ``FAILED`` one, ``void`` or
  ``annulled`` a ``VOID`` one; an empty outcome leaves the question open (skipped).

Rows of one question and forecaster on one day: the later row stands (forecast ids are
numbered in file order, and the tracker breaks ties of day by the order appended).
Like every importer, all or nothing: every bad cell is raised at once, as an
``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError` naming
``file:line: column``, and nothing is added.

Example:
    >>> from claimtrack.interop.forecasts import read_forecasts
    >>> t = ct.Tracker()
    >>> rows = ("forecaster,question_id,question,made_on,probability\n"
    ...         "ann,q1,Will it rain on 5 March?,2025-03-01,0.6\n"
    ...         "bo,q1,Will it rain on 5 March?,2025-03-02,30%\n")
    >>> report = read_forecasts(t, rows, outcomes="question_id,outcome,resolved_on\n"
    ...                                          "q1,1,2025-03-05\n")
    >>> report.counts
    {'speaker': 3, 'claim': 1, 'forecast': 2, 'ruling': 1}
    >>> for row in t.leaderboard(by="final_brier", min_resolved=1):
    ...     print(row)
    1. ann: final Brier 0.160 over 1 claim; right side 1 of 1 (95 % interval 21–100 %)
    2. bo: final Brier 0.490 over 1 claim; right side 0 of 1 (95 % interval 0–79 %)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from typing import IO

from claimtrack._dates import PartialDate
from claimtrack._model import (
    MAX_ID,
    Claim,
    ClaimKind,
    Forecast,
    Record,
    Ruling,
    Speaker,
    Verdict,
    clean_id,
    clean_text,
)
from claimtrack._tracker import Tracker
from claimtrack.errors import ClaimtrackError, ImportFormatError, InvalidRecordError

from ._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportReport,
    Skipped,
    check_count,
    fail,
    group,
    read_bounded,
)

__all__ = ["FORECAST_COLUMNS", "OUTCOME_COLUMNS", "read_forecasts"]

FORECAST_COLUMNS = ("forecaster", "question_id", "question", "made_on", "probability")
"""The columns of a forecast file, all required (``question`` may be empty)."""
OUTCOME_COLUMNS = ("question_id", "outcome", "resolved_on")
"""The required columns of an outcome file (``question`` is read too, if present)."""

_OUTCOMES = {
    "1": Verdict.HELD, "1.0": Verdict.HELD, "yes": Verdict.HELD, "true": Verdict.HELD,
    "held": Verdict.HELD, "0": Verdict.FAILED, "0.0": Verdict.FAILED, "no": Verdict.FAILED,
    "false": Verdict.FAILED, "failed": Verdict.FAILED, "void": Verdict.VOID,
    "annulled": Verdict.VOID,
}  # fmt: skip

_Source = str | bytes | os.PathLike[str] | IO[str] | IO[bytes]


def _table(
    source: _Source, name: str, required: Sequence[str], limits: ImportLimits
) -> tuple[list[tuple[int, dict[str, str]]], list[Skipped]]:
    """The rows of a CSV file as ``(line, {column: cell})``; blank rows skipped."""
    text = read_bounded(source, limits, name=name)
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise fail(name, f"is not valid CSV: {exc}") from None
    if not table:
        raise fail(f"{name}:1", "has no header row")
    check_count(len(table) - 1, limits, path=name, what="rows")
    header = [h.strip() for h in table[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise fail(f"{name}:1", f"lacks the column(s) {', '.join(missing)}")
    skipped = [
        Skipped(f"{name}:1", f"column {h!r} is not read; ignored")
        for h in header
        if h not in required and h != "question"
    ]
    rows = []
    for line, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            skipped.append(Skipped(f"{name}:{line}", "blank row"))
            continue
        for cell in row:
            if len(cell) > limits.max_string:
                raise fail(
                    f"{name}:{line}", f"a cell is longer than {limits.max_string} characters"
                )
        rows.append(
            (line, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)})
        )
    return rows, skipped


def _probability(text: str) -> float:
    percent = text.endswith("%")
    try:
        number = float(text.removesuffix("%").strip())
    except ValueError:
        raise ValueError(f"{text!r:.80} is not a number") from None
    if percent:
        number /= 100
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise ValueError(f"{text!r:.80} is not a probability in [0, 1] (or 0-100 %)")
    return number


def _date(text: str, column: str) -> PartialDate:
    try:
        return PartialDate.coerce(text, field=column)
    except InvalidRecordError:
        raise ValueError(f"{text!r:.80} is not a date") from None


def read_forecasts(
    tracker: Tracker,
    forecasts: _Source,
    *,
    outcomes: _Source | None = None,
    asked_by: str = "questions",
    name: str | None = None,
    outcomes_name: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Import forecasts (and, optionally, the questions' outcomes) from CSV: all or nothing.

    Args:
        tracker: the tracker to add to.
        forecasts: the forecast file: a path, an open file, or the CSV text.
        outcomes: the outcome file, in the same forms, or ``None``.
        asked_by: the id of the speaker who states new questions (created, with the
            name "Forecast questions", if the tracker has no such speaker).
        name: the forecast file's name in error messages (a path's own name by default).
        outcomes_name: the outcome file's name in error messages.
        limits: how much to accept from these untrusted files.

    Returns:
        An :class:`~claimtrack.interop.ImportReport` of the records added (speakers,
        claims, forecasts, rulings) and what was skipped.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per bad
            cell (``file:line: column: why``); nothing is added.
        InvalidRecordError: *tracker* or *asked_by* is not valid.
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    asked_by = clean_id(asked_by, "asked_by")
    name = name or (os.path.basename(os.fspath(forecasts)) if isinstance(forecasts, os.PathLike)
                    else "forecasts.csv")  # fmt: skip
    rows, skipped = _table(forecasts, name, FORECAST_COLUMNS, limits)
    outcome_rows: list[tuple[int, dict[str, str]]] = []
    if outcomes is not None:
        outcomes_name = outcomes_name or (
            os.path.basename(os.fspath(outcomes))
            if isinstance(outcomes, os.PathLike)
            else "outcomes.csv"
        )
        outcome_rows, more = _table(outcomes, outcomes_name, OUTCOME_COLUMNS, limits)
        skipped += more
    errors: list[ImportFormatError] = []

    def bad(where: str, column: str, reason: str) -> None:
        errors.append(ImportFormatError(where, f"{column}: {reason}"))

    # the forecasts, checked cell by cell
    parsed: list[tuple[str, str, str, PartialDate, float]] = []
    for line, row in rows:
        where = f"{name}:{line}"
        try:
            who = clean_id(row["forecaster"], "forecaster")
        except InvalidRecordError as exc:
            bad(where, "forecaster", f"{row['forecaster']!r:.80} {exc.reason}")
            continue
        try:
            qid = clean_id(row["question_id"], "question_id")
        except InvalidRecordError as exc:
            bad(where, "question_id", f"{row['question_id']!r:.80} {exc.reason}")
            continue
        try:
            made = _date(row["made_on"], "made_on")
        except ValueError as exc:
            bad(where, "made_on", str(exc))
            continue
        try:
            p = _probability(row["probability"])
        except ValueError as exc:
            bad(where, "probability", str(exc))
            continue
        parsed.append((where, who, qid, made, p))
    texts: dict[str, str] = {}
    for _, row in [*rows, *outcome_rows]:
        if row.get("question") and row.get("question_id") and row["question_id"] not in texts:
            texts[row["question_id"]] = row["question"]

    records: list[Record] = []
    new_speakers: dict[str, Speaker] = {}
    new_claims: dict[str, Claim] = {}

    def speaker(speaker_id: str, label: str) -> None:
        if speaker_id in new_speakers:
            return
        if speaker_id not in tracker:
            made_one = Speaker(speaker_id, label)
            new_speakers[speaker_id] = made_one
            records.append(made_one)

    first_day: dict[str, PartialDate] = {}
    for _, _, qid, made, _ in parsed:
        if qid not in first_day or made.end < first_day[qid].end:
            first_day[qid] = made
    for where, _, qid, _, _ in parsed:
        if qid in new_claims or qid in tracker:
            continue
        speaker(asked_by, "Forecast questions")
        try:
            text = clean_text(texts.get(qid) or f"Question {qid}", "question")
        except InvalidRecordError as exc:
            bad(where, "question", exc.reason)
            continue
        claim = Claim(qid, asked_by, text, kind=ClaimKind.PREDICTION, stated_on=first_day[qid].end)
        new_claims[qid] = claim
        records.append(claim)
    width = len(str(len(parsed)))
    for n, (where, who, qid, made, p) in enumerate(parsed, start=1):
        if qid not in new_claims and qid not in tracker:
            continue  # its question text was refused: reported above
        speaker(who, who)
        found: Record | None = new_claims.get(qid) or tracker.get(qid)
        if not isinstance(found, Claim):
            bad(where, "question_id", f"{qid!r:.80} is a {type(found).__name__}, not a claim")
            continue
        claim = found
        if made.end < claim.stated_on.start:
            bad(where, "made_on", f"{made} is before the question was stated ({claim.stated_on})")
            continue
        base = f"{qid[: MAX_ID - width - 3]}-f{n:0{width}d}"
        forecast_id, k = base, 1
        while forecast_id in tracker:
            k += 1
            forecast_id = f"{base}-{k}"
        records.append(Forecast(forecast_id, claim.id, who, p, made_on=made))
    for line, row in outcome_rows:
        where = f"{outcomes_name}:{line}"
        qid = row["question_id"]
        found = new_claims.get(qid) or (tracker.get(qid) if qid in tracker else None)
        if not isinstance(found, Claim):
            skipped.append(Skipped(where, f"question {qid!r:.80} has no forecasts; ignored"))
            continue
        claim = found
        word = row["outcome"].lower()
        if not word:
            skipped.append(Skipped(where, "no outcome: the question stays open"))
            continue
        verdict = _OUTCOMES.get(word)
        if verdict is None:
            bad(where, "outcome", f"{row['outcome']!r:.80} is not 1/0, yes/no, held/failed or void")
            continue
        try:
            on = _date(row["resolved_on"], "resolved_on")
        except ValueError as exc:
            bad(where, "resolved_on", str(exc))
            continue
        ruling_id = f"{qid[: MAX_ID - 10]}-outcome"
        if ruling_id in tracker:
            skipped.append(Skipped(where, f"{ruling_id!r:.80} is already in the tracker"))
            continue
        records.append(Ruling(ruling_id, claim.id, verdict, on=on, by="outcome file"))
    if errors:
        raise group("the forecasts cannot be imported", errors)
    try:
        stored = tracker.add_many(records)
    except ClaimtrackError as exc:  # e.g. a forecaster's id taken by a claim
        raise group(
            "the forecasts cannot be imported", [ImportFormatError(name, str(exc))]
        ) from None
    return ImportReport(records=stored, skipped=skipped)
