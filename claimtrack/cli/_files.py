"""The commands that read or write files other than the ledger.

Reports, charts, imports, exports, backups and repair.  Every file is written whole or
not at all, never over the ledger itself (see :mod:`._checks`), and a file that cannot
be written is named in the error, not the temporary file beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from claimtrack._files import write_bytes_atomically
from claimtrack.errors import InvalidRecordError, StoreError

from ._commands import select_claims, speaker_id
from ._errors import CommandError
from ._output import JSON_FORMAT, Session, one_line, say, status

if TYPE_CHECKING:
    from claimtrack._tracker import Tracker


@contextlib.contextmanager
def writing(target: str | os.PathLike[str]) -> Iterator[None]:
    """Turn a failure to write *target* into an error naming *target* (not a temp file)."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        folder = Path(target).parent
        if not folder.is_dir():
            raise CommandError(f"{target}: cannot write it: no folder {folder}") from None
        raise CommandError(f"{target}: cannot write it: {exc.strerror or 'error'}") from None


_FILTERS = ("topic", "kind", "verdict", "since", "until")


def _subset(s: Session) -> Tracker:
    """An in-memory tracker holding only the claims the filter flags choose.

    Each claim comes with its speaker, its evidence and rulings and the retractions
    that reach them, with their original ``recorded_at``: a report of this tracker is
    the report of those claims, track records included.
    """
    from claimtrack._tracker import Tracker

    t = s.tracker
    kept = {c.id for c in select_claims(s)}
    kept |= {t.claim(c).speaker_id for c in kept}
    chosen = []
    for record in t.records():
        target = getattr(record, "claim_id", None) or getattr(record, "target_id", None)
        if record.id in kept or (target is not None and target in kept):
            kept.add(record.id)
            chosen.append(record)
    # The same clock, so that "is it due yet" is judged on the same day.
    sub = Tracker(clock=getattr(t, "_clock", None))
    options = (
        {"allow_future": True}
        if "allow_future" in inspect.signature(sub.add_many).parameters
        else {}
    )
    sub.add_many(chosen, **options)
    return sub


def cmd_report(s: Session) -> int:
    from claimtrack import report

    a = s.args
    source = s.tracker
    speakers = [speaker_id(source, x) for x in a.speaker] if a.speaker else None
    if any(getattr(a, f) for f in _FILTERS):
        source = _subset(s)
    status(s.err, f"writing {a.output} ...")
    try:
        with writing(a.output):
            written = report.write(
                source,
                a.output,
                format=a.format,
                as_of=a.as_of,
                speakers=speakers,
                title=a.title,
                charts=not a.no_charts,
            )
    except ImportError as exc:  # an extra that is not installed; the message names it
        say(s.err, f"claimtrack: error: {one_line(str(exc))}")
        return 1
    finally:
        status(s.err, "")
    is_html = a.format == "html" or written.suffix.lower() in (".html", ".htm")
    if is_html and not a.no_charts and not report.plots_available():
        s.note("no charts in the report; pip install 'claimtrack[plot]'")
    s.emit(str(written))
    return 0


def cmd_plot(s: Session) -> int:
    """``plot probability|records|calibration … -o FILE``: one chart, PNG or SVG."""
    a = s.args
    target = Path(a.output)
    kind = target.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise CommandError(f"-o {a.output}: a chart is written as .png or .svg")
    try:
        from claimtrack import plot
    except ImportError:
        raise CommandError("charts need matplotlib: pip install 'claimtrack[plot]'") from None
    t = s.tracker
    if a.chart == "probability":
        figure = plot.probability_chart(t, t.claim(a.claim), as_of=a.as_of)
    elif a.chart == "calibration":
        who = t.speaker(speaker_id(t, a.speaker))
        record = t.track_record(who, topic=a.topic, kind=a.kind, as_of=a.as_of)
        figure = plot.calibration_chart(record, title=f"{who.name}: stated confidence")
    else:
        chosen = [t.speaker(speaker_id(t, x)) for x in a.speaker] if a.speaker else t.speakers()
        records = {
            who.name: t.track_record(who, topic=a.topic, kind=a.kind, as_of=a.as_of)
            for who in chosen
        }
        figure = plot.track_record_chart(records)
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else None)
    with writing(target):
        write_bytes_atomically(target, buffer.getvalue())
    s.emit(str(target))
    return 0


def cmd_backup(s: Session) -> int:
    """``backup PATH``: a consistent copy of the ledger, made while others may write."""
    store = s.tracker.store
    backup = getattr(store, "backup", None)
    if backup is None:
        raise CommandError("this ledger cannot be backed up by claimtrack; copy it by hand")
    target = Path(s.args.file)
    with writing(target):
        backup(target)
    s.emit(f"backed up {s.args.ledger} to {target}")
    return 0


def cmd_repair(args: argparse.Namespace, path: Path, out: TextIO, err: TextIO) -> int:
    """``repair``: cut an unfinished write off the ledger (:func:`claimtrack.stores.repair`)."""
    del err
    if not path.exists():
        raise CommandError(f"{path}: no ledger here (give one with --db or CLAIMTRACK_DB)")
    from claimtrack.stores import repair

    removed = repair(path)
    if removed:
        say(out, f"{path}: removed an unfinished write of {removed} bytes from the end")
    else:
        say(out, f"{path}: nothing to repair")
    return 0


def cmd_import(s: Session) -> int:
    a = s.args
    path = Path(a.file)
    from claimtrack.interop import ImportLimits

    given = {"max_items": a.max_items, "max_bytes": a.max_bytes}
    limits = ImportLimits(**{k: v for k, v in given.items() if v is not None})
    status(s.err, f"importing {path} ...")
    on_error: Literal["raise", "skip"] = "skip" if getattr(a, "skip_bad", False) else "raise"
    try:
        if a.format == "claimreview":
            from claimtrack.interop.claimreview import import_claimreviews

            done = import_claimreviews(s.tracker, path, limits=limits, on_error=on_error)
        elif getattr(a, "all", False):
            done = _tabular().read_csv_all(s.tracker, path, limits=limits, on_error=on_error)
        else:
            done = _tabular().read_csv(
                s.tracker, path, _what(a, export=False), limits=limits, on_error=on_error
            )
    finally:
        status(s.err, "")
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "added": done.counts,
                "skipped": [{"path": x.path, "reason": x.reason} for x in done.skipped],
                "unknown_ratings": [
                    {"path": x.path, "rating": x.rating, "claim_id": x.claim_id}
                    for x in getattr(done, "unknown_ratings", ())
                ],
                "notes": [{"path": x.path, "message": x.message} for x in done.notes],
                "reader": done.reader,
                "unlisted": done.unlisted,
            }
        )
        return 0
    added = ", ".join(f"{n} {kind}" for kind, n in done.counts.items()) or "nothing"
    s.emit(f"added {added}")
    for x in done.skipped:
        s.emit(f"skipped {x.path}: {x.reason}")
    for x in getattr(done, "unknown_ratings", ()):
        s.emit(f"unknown rating {x.rating!r} at {x.path}: claim {x.claim_id} has no ruling")
    for note in done.notes:
        s.emit(f"note {note.path}: {note.message}")
    if done.unlisted:
        s.emit(f"and {done.unlisted} more problems or notes not listed")
    if a.format == "claimreview":
        s.emit(f"read as {done.reader}")
    return 0


def _tabular() -> Any:
    try:
        from claimtrack.interop import tabular
    except ImportError:
        raise StoreError("CSV import and export are not available in this claimtrack") from None
    return tabular


_CSV_KINDS = ("speakers", "claims", "evidence", "rulings", "retractions", "forecasts")


def _what(args: argparse.Namespace, *, export: bool) -> str:
    """The kind of record a CSV file holds (``--what``), required for CSV."""
    allowed = _CSV_KINDS + (("assessments",) if export else ())
    if args.what not in allowed:
        raise InvalidRecordError(
            "--what", args.what, f"is required for CSV, one of: {', '.join(allowed)}"
        )
    return str(args.what)


def cmd_export(s: Session) -> int:
    a = s.args
    if a.format == "claimreview":
        from claimtrack.interop.claimreview import export_claimreviews

        with writing(a.file):
            count = export_claimreviews(
                s.tracker, Path(a.file), reviewer=a.reviewer, as_of=a.as_of, url=a.url
            )
    elif getattr(a, "all", False):
        with writing(a.file):
            counts = _tabular().write_csv_all(s.tracker, Path(a.file))
        if a.json:
            s.emit_json({"format": JSON_FORMAT, "written": counts, "directory": a.file})
        else:
            files = ", ".join(f"{n} {kind}" for kind, n in counts.items())
            s.emit(f"wrote {files} to {a.file}")
        return 0
    else:
        tabular = _tabular()
        with writing(a.file):
            count = tabular.write_csv(s.tracker, Path(a.file), _what(a, export=True), as_of=a.as_of)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "written": count, "file": a.file})
    else:
        s.emit(f"wrote {count} to {a.file}")
    return 0
