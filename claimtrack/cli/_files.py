"""The commands that read or write files other than the ledger: reports, imports, exports."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from claimtrack.errors import InvalidRecordError, StoreError

from ._output import JSON_FORMAT, Session, one_line, status


def cmd_report(s: Session) -> int:
    from claimtrack import report

    a = s.args
    try:
        written = report.write(
            s.tracker,
            a.output,
            format=a.format,
            as_of=a.as_of,
            speakers=a.speaker or None,
            title=a.title,
            charts=not a.no_charts,
        )
    except ImportError as exc:  # an extra that is not installed; the message names it
        s.err.write(f"claimtrack: error: {one_line(str(exc))}\n")
        return 1
    is_html = a.format == "html" or written.suffix.lower() in (".html", ".htm")
    if is_html and not a.no_charts and not report.plots_available():
        s.err.write("claimtrack: note: no charts in the report; pip install 'claimtrack[plot]'\n")
    s.emit(str(written))
    return 0


def cmd_import(s: Session) -> int:
    a = s.args
    path = Path(a.file)
    status(s.err, f"importing {path} ...")
    try:
        if a.format == "claimreview":
            from claimtrack.interop.claimreview import import_claimreviews

            done = import_claimreviews(s.tracker, path)
        else:
            done = _tabular().read_csv(s.tracker, path, _what(a, export=False))
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
            }
        )
        return 0
    added = ", ".join(f"{n} {kind}" for kind, n in done.counts.items()) or "nothing"
    s.emit(f"added {added}")
    for x in done.skipped:
        s.emit(f"skipped {x.path}: {x.reason}")
    for x in getattr(done, "unknown_ratings", ()):
        s.emit(f"unknown rating {x.rating!r} at {x.path}: claim {x.claim_id} has no ruling")
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

        if not a.reviewer:
            raise InvalidRecordError("--reviewer", a.reviewer, "is required for ClaimReview")
        count = export_claimreviews(
            s.tracker, Path(a.file), reviewer=a.reviewer, as_of=a.as_of, url=a.url
        )
    else:
        count = _tabular().write_csv(s.tracker, Path(a.file), _what(a, export=True), as_of=a.as_of)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "written": count, "file": a.file})
    else:
        s.emit(f"wrote {count} to {a.file}")
    return 0
