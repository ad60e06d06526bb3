"""The ``claimtrack`` command: keep a ledger from the shell.

Every command works on one ledger file, given by ``--db PATH`` (default: the
``CLAIMTRACK_DB`` environment variable, else ``claimtrack.db`` in the current folder).

Writing commands (``speaker add``, ``claim add``, ``evidence add``, ``rule``,
``retract``) print the id of the record they added, or the record itself with
``--json``.  Reading commands print a table, or with ``--json`` a JSON document whose
shape is documented in ``docs/cli.md`` and stays stable across releases.

Exit codes: ``0`` success; ``1`` a mistake in what was asked (an unknown id, a bad date,
a file that cannot be read), reported as one line on standard error, with nothing
written; ``2`` a usage error (an unknown option, a missing argument).

Example:
    >>> from claimtrack.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    claimtrack ...
    0

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from ._codec import to_dict
from ._dates import PartialDate
from ._model import (
    ClaimKind,
    Record,
    Role,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
)
from ._open import open as open_ledger
from ._records import TrackRecord
from ._scoring import Assessment
from ._tracker import Tracker
from .errors import ClaimtrackError, InvalidRecordError, StoreError

__all__ = ["main"]

DEFAULT_DB = "claimtrack.db"
"""The ledger used when neither ``--db`` nor ``CLAIMTRACK_DB`` names one."""

JSON_FORMAT = 1
"""The version of the ``--json`` output shapes; raised only on a breaking change."""

Opener = Callable[[Path, bool], AbstractContextManager[Tracker]]
"""Opens the ledger at a path; the flag says whether the command writes to it."""


# -- opening the ledger ----------------------------------------------------------------


def _open_ledger(path: Path, writes: bool) -> AbstractContextManager[Tracker]:
    """Open the ledger file at *path* with :func:`claimtrack.open`.

    A reading command on a file that does not exist is an error rather than a reason to
    create an empty ledger.
    """
    if not writes and not path.exists():
        raise StoreError(
            f"{path}: no ledger here (give one with --db or CLAIMTRACK_DB, "
            "or start one with `claimtrack speaker add`)",
            path=str(path),
        )
    return open_ledger(path)


# -- turning records into JSON and rows ------------------------------------------------


def _date(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _stamp(value: _dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _record_json(tracker: Tracker, record: Record) -> dict[str, Any]:
    """The ``--json`` form of one record, as documented in ``docs/cli.md``.

    It is the codec's plain form of the record (:func:`claimtrack.stores.to_dict`, the
    one mapping every store and exporter uses) without the storage ``version``, plus
    ``"retracted"`` for anything that can be retracted.
    """
    data = to_dict(record)
    del data["version"]
    if not isinstance(record, Speaker):
        data["retracted"] = tracker.is_retracted(record)
    return data


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    if not rows:
        return "(none)"
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    return "\n".join(lines)


# -- the commands ----------------------------------------------------------------------


class _Session:
    """What a command needs: the parsed arguments, the tracker and the output stream."""

    def __init__(
        self, args: argparse.Namespace, tracker: Tracker, out: TextIO, err: TextIO
    ) -> None:
        self.args = args
        self.tracker = tracker
        self.out = out
        self.err = err

    def emit_json(self, payload: Any) -> None:
        json.dump(payload, self.out, ensure_ascii=False, indent=2, allow_nan=False)
        self.out.write("\n")

    def emit(self, text: str) -> None:
        self.out.write(text + "\n")

    def added(self, record: Record) -> int:
        if self.args.json:
            self.emit_json(_record_json(self.tracker, record))
        else:
            self.emit(record.id)
        return 0


def _source_from(args: argparse.Namespace) -> Source | None:
    given = {
        "title": args.source_title,
        "publisher": args.publisher,
        "author": args.author,
        "published": args.published,
        "url": args.url,
    }
    if all(v is None for v in given.values()) and args.reliability is None:
        return None
    reliability = 1.0 if args.reliability is None else args.reliability
    return Source(**given, reliability=reliability)


def _cmd_speaker_add(s: _Session) -> int:
    a = s.args
    roles = []
    for spec in a.role or ():
        if len(spec) > 3:
            raise InvalidRecordError("--role", spec, "takes TITLE [START [END]]")
        roles.append(Role(*spec))
    speaker = s.tracker.add_speaker(
        a.name, id=a.id, roles=roles, organization=a.organization, same_as=a.same_as or ()
    )
    return s.added(speaker)


def _cmd_claim_add(s: _Session) -> int:
    a = s.args
    claim = s.tracker.add_claim(
        a.speaker,
        a.text,
        stated_on=a.stated_on,
        id=a.id,
        quote=a.quote,
        kind=a.kind,
        source=_source_from(a),
        due=a.due,
        topics=a.topic or (),
        confidence=a.confidence,
    )
    return s.added(claim)


def _cmd_evidence_add(s: _Session) -> int:
    a = s.args
    evidence = s.tracker.add_evidence(
        a.claim,
        a.text,
        stance=a.stance,
        observed_on=a.observed,
        strength=a.strength,
        source=_source_from(a),
        id=a.id,
    )
    return s.added(evidence)


def _cmd_rule(s: _Session) -> int:
    a = s.args
    ruling = s.tracker.rule(a.claim, a.verdict, on=a.on, rationale=a.rationale, by=a.by, id=a.id)
    return s.added(ruling)


def _cmd_retract(s: _Session) -> int:
    a = s.args
    retraction = s.tracker.retract(a.record, reason=a.reason, id=a.id)
    return s.added(retraction)


def _cmd_list_speakers(s: _Session) -> int:
    speakers = s.tracker.speakers()
    if s.args.json:
        s.emit_json(
            {"format": JSON_FORMAT, "speakers": [_record_json(s.tracker, x) for x in speakers]}
        )
        return 0
    rows = [
        [
            x.id,
            _clip(x.name, 40),
            str(len(s.tracker.claims(x))),
            "; ".join(r.title for r in x.roles),
        ]
        for x in speakers
    ]
    s.emit(_table(["ID", "NAME", "CLAIMS", "ROLES"], rows))
    return 0


def _cmd_list_claims(s: _Session) -> int:
    a = s.args
    claims = s.tracker.claims(
        a.speaker, topic=a.topic, kind=a.kind, include_retracted=a.include_retracted
    )
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "claims": [_record_json(s.tracker, c) for c in claims]})
        return 0
    rows = [
        [
            c.id + (" (retracted)" if s.tracker.is_retracted(c) else ""),
            c.speaker_id,
            c.kind.value,
            str(c.stated_on),
            _date(c.due) or "-",
            _clip(c.text, 60),
        ]
        for c in claims
    ]
    s.emit(_table(["ID", "SPEAKER", "KIND", "STATED", "DUE", "TEXT"], rows))
    return 0


# -- reading: assessments --------------------------------------------------------------


def _assessment_json(tracker: Tracker, a: Assessment) -> dict[str, Any]:
    """The ``--json`` form of an :class:`~claimtrack.Assessment`."""
    return {
        "claim_id": a.claim.id,
        "verdict": a.verdict.value,
        "computed_verdict": a.computed_verdict.value,
        "probability": a.probability,
        "log_odds": _finite(a.log_odds),
        "as_of": _date(a.as_of),
        "known_at": _stamp(a.known_at),
        "due_passed": a.due_passed,
        "ruling": None if a.ruling is None else _record_json(tracker, a.ruling),
        "contributions": [
            {
                "evidence_id": c.evidence.id,
                "stance": c.stance.value,
                "strength": c.strength.value,
                "reliability": c.reliability,
                "share": _finite(c.share),
            }
            for c in a.contributions
        ],
        "explanation": a.explain(),
    }


def _finite(value: float) -> float | str:
    """JSON has no infinity: conclusive evidence's infinite log-odds become strings."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _cmd_assess(s: _Session) -> int:
    a = s.args
    t = s.tracker
    found: tuple[Assessment, ...]
    if a.claim is not None:
        found = (t.assess(a.claim, as_of=a.as_of, known_at=a.known_at),)
    else:
        found = t.assess_all(as_of=a.as_of, known_at=a.known_at)
    if a.json:
        s.emit_json({"format": JSON_FORMAT, "assessments": [_assessment_json(t, x) for x in found]})
        return 0
    if a.claim is not None:
        (one,) = found
        s.emit(f"{one.claim.id}: {one.verdict.label}, probability {_pct(one.probability)}")
        s.emit("")
        s.emit(one.explain())
        return 0
    rows = [
        [
            x.claim.id,
            x.claim.speaker_id,
            x.verdict.label + ("*" if x.verdict != x.computed_verdict else ""),
            _pct(x.probability),
            _clip(x.claim.text, 56),
        ]
        for x in found
    ]
    s.emit(_table(["CLAIM", "SPEAKER", "VERDICT", "P(HELD)", "TEXT"], rows))
    if any(x.verdict != x.computed_verdict for x in found):
        s.emit("* a ruling overrides the computed verdict")
    return 0


def _cmd_history(s: _Session) -> int:
    a = s.args
    t = s.tracker
    steps = t.history(a.claim, known_at=a.known_at)
    claim = t.claim(a.claim)
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "claim_id": claim.id,
                "history": [_assessment_json(t, x) for x in steps],
            }
        )
        return 0
    rows = [
        [_date(x.as_of) or "now", x.verdict.label, _pct(x.probability), str(len(x.contributions))]
        for x in steps
    ]
    s.emit(_table(["AS OF", "VERDICT", "P(HELD)", "EVIDENCE"], rows))
    return 0


# -- reading: track records and reports ------------------------------------------------


def _track_record_json(label: dict[str, Any], rec: TrackRecord) -> dict[str, Any]:
    """The ``--json`` form of a :class:`~claimtrack.TrackRecord`, after *label*'s keys."""
    return {
        **label,
        "counts": {v.value: n for v, n in rec.counts.items()},
        "total": rec.total,
        "resolved": rec.resolved,
        "hit_rate": rec.hit_rate,
        "interval": None if rec.interval is None else list(rec.interval),
        "confidence": rec.confidence,
        "scored": rec.scored,
        "brier": rec.brier,
        "log_score": None if rec.log_score is None else _finite(rec.log_score),
        "calibration": [
            {"count": b.count, "mean_stated": b.mean_stated, "observed": b.observed}
            for b in rec.calibration
        ],
        "summary": rec.summary(),
    }


def _interval_words(rec: TrackRecord) -> str:
    if rec.interval is None:
        return "-"
    low, high = rec.interval
    return f"{low * 100:.0f}-{high * 100:.0f}%"


def _speaker_records(s: _Session) -> list[tuple[Speaker, TrackRecord]]:
    a = s.args
    t = s.tracker
    chosen = (t.speaker(a.speaker),) if getattr(a, "speaker", None) else t.speakers()
    return [(who, t.track_record(who, topic=a.topic, kind=a.kind, as_of=a.as_of)) for who in chosen]


def _cmd_record(s: _Session) -> int:
    a = s.args
    pairs = _speaker_records(s)
    if a.json:
        label = {"topic": a.topic, "kind": a.kind, "as_of": a.as_of}
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "records": [
                    _track_record_json({"speaker_id": w.id, "name": w.name, **label}, r)
                    for w, r in pairs
                ],
            }
        )
        return 0
    for i, (who, rec) in enumerate(pairs):
        if i:
            s.emit("")
        s.emit(f"{who.name} ({who.id})")
        s.emit(rec.summary())
    if not pairs:
        s.emit("(none)")
    return 0


def _cmd_leaderboard(s: _Session) -> int:
    a = s.args
    rows = s.tracker.leaderboard(
        by=a.by, min_resolved=a.min_resolved, topic=a.topic, kind=a.kind, as_of=a.as_of
    )
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "by": a.by,
                "min_resolved": a.min_resolved,
                "leaderboard": [
                    {
                        "rank": r.rank,
                        "speaker_id": r.speaker_id,
                        "name": r.name,
                        "resolved": r.resolved,
                        "total": r.record.total,
                        "hit_rate": r.hit_rate,
                        "interval": list(r.interval),
                        "brier": r.record.brier,
                        "scored": r.record.scored,
                    }
                    for r in rows
                ],
            }
        )
        return 0
    table = [
        [
            str(r.rank),
            _clip(r.name, 30),
            f"{r.resolved}/{r.record.total}",
            _pct(r.hit_rate),
            _interval_words(r.record),
            "-" if r.record.brier is None else f"{r.record.brier:.3f}",
        ]
        for r in rows
    ]
    s.emit(_table(["#", "SPEAKER", "RESOLVED", "HIT RATE", "95% INTERVAL", "BRIER"], table))
    if not rows:
        s.emit(f"(speakers with fewer than {a.min_resolved} resolved claims are left out)")
    return 0


def _cmd_report(s: _Session) -> int:
    from . import report

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
        s.err.write(f"claimtrack: error: {_one_line(str(exc))}\n")
        return 1
    is_html = a.format == "html" or written.suffix.lower() in (".html", ".htm")
    if is_html and not a.no_charts and not report.plots_available():
        s.err.write("claimtrack: note: no charts in the report; pip install 'claimtrack[plot]'\n")
    s.emit(str(written))
    return 0


# -- import and export -----------------------------------------------------------------


def _status(err: TextIO, text: str) -> None:
    """A status line on stderr, shown only when a person is watching (a terminal)."""
    if err.isatty():
        err.write(f"\r\033[K{text}")
        err.flush()


def _cmd_import(s: _Session) -> int:
    a = s.args
    path = Path(a.file)
    _status(s.err, f"importing {path} ...")
    try:
        if a.format == "claimreview":
            from .interop.claimreview import import_claimreviews

            done = import_claimreviews(s.tracker, path)
        else:
            done = _tabular().read_csv(s.tracker, path, _what(a, export=False))
    finally:
        _status(s.err, "")
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
        from .interop import tabular
    except ImportError:
        raise StoreError("CSV import and export are not available in this claimtrack") from None
    return tabular


_CSV_KINDS = ("speakers", "claims", "evidence", "rulings", "retractions")


def _what(args: argparse.Namespace, *, export: bool) -> str:
    """The kind of record a CSV file holds (``--what``), required for CSV."""
    allowed = _CSV_KINDS + (("assessments",) if export else ())
    if args.what not in allowed:
        raise InvalidRecordError(
            "--what", args.what, f"is required for CSV, one of: {', '.join(allowed)}"
        )
    return str(args.what)


def _cmd_export(s: _Session) -> int:
    a = s.args
    if a.format == "claimreview":
        from .interop.claimreview import export_claimreviews

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


# -- the parser ------------------------------------------------------------------------


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("source (where it was said or reported)")
    group.add_argument("--source-title", metavar="TITLE", help="headline or document title")
    group.add_argument("--publisher", help="who published it")
    group.add_argument("--author", help="who wrote it")
    group.add_argument("--published", metavar="DATE", help="when it was published")
    group.add_argument("--url", help="an absolute URL")
    group.add_argument(
        "--reliability",
        type=float,
        metavar="P",
        help="how far to trust the source, in [0, 1] (default 1)",
    )


def _add_common(parser: argparse.ArgumentParser, *, json_help: str) -> None:
    parser.add_argument("--json", action="store_true", help=json_help)


def _values(enum_cls: type[ClaimKind] | type[Strength] | type[Verdict]) -> list[str]:
    return [m.value for m in enum_cls]


def _build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``claimtrack`` command.

    Each sub-command's parser sets ``handler`` (the function that runs it) and
    ``writes`` (whether it appends to the ledger).

    Example:
        >>> parser = _build_parser()
        >>> parser.parse_args(["list", "claims", "--json"]).json
        True
    """
    parser = argparse.ArgumentParser(
        prog="claimtrack",
        description="Track what public figures claim and whether it held up.",
        epilog="Exit codes: 0 success, 1 a mistake in what was asked, 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"claimtrack {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=f"the ledger file (.db/.sqlite/.sqlite3 or .jsonl); default: $CLAIMTRACK_DB, "
        f"else {DEFAULT_DB}",
    )
    # --db is accepted after the command too (``claimtrack list claims --db x.db``).
    db_after = argparse.ArgumentParser(add_help=False)
    db_after.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the ledger")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    leaf: dict[str, Any] = {"parents": [db_after]}
    added_help = "print the added record as JSON instead of its id"

    # speaker add
    speaker = commands.add_parser("speaker", help="speakers: add")
    speaker_cmds = speaker.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = speaker_cmds.add_parser("add", help="add a person or organisation", **leaf)
    p.add_argument("name", help="the name to show")
    p.add_argument("--id", help="the id to use (default: made from the name)")
    p.add_argument(
        "--role",
        nargs="+",
        action="append",
        metavar="TITLE [START [END]]",
        help="an office held, with optional start and end dates; repeatable",
    )
    p.add_argument("--organization", action="store_true", help="an organisation, not a person")
    p.add_argument("--same-as", action="append", metavar="URL", help="an identifying URL")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=_cmd_speaker_add, writes=True)

    # claim add
    claim = commands.add_parser("claim", help="claims: add")
    claim_cmds = claim.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = claim_cmds.add_parser("add", help="record a claim a speaker made", **leaf)
    p.add_argument("speaker", help="the speaker's id")
    p.add_argument("text", help="the claim in a full sentence")
    p.add_argument("--stated-on", required=True, metavar="DATE", help="when it was said")
    p.add_argument("--id", help="the id to use (default: made from speaker and text)")
    p.add_argument("--quote", help="the speaker's own words")
    p.add_argument("--kind", choices=_values(ClaimKind), default=ClaimKind.ASSERTION.value)
    p.add_argument("--due", metavar="DATE", help="by when it should have come true")
    p.add_argument("--topic", action="append", help="a tag; repeatable")
    p.add_argument("--confidence", type=float, metavar="P", help="the probability the speaker gave")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=_cmd_claim_add, writes=True)

    # evidence add
    evidence = commands.add_parser("evidence", help="evidence: add")
    evidence_cmds = evidence.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = evidence_cmds.add_parser(
        "add", help="record something observed that bears on a claim", **leaf
    )
    p.add_argument("claim", help="the claim's id")
    p.add_argument("text", help="what was observed")
    stance = p.add_mutually_exclusive_group(required=True)
    for member in Stance:
        stance.add_argument(
            f"--{member.value}",
            dest="stance",
            action="store_const",
            const=member.value,
            help=f"the evidence {member.value if member is not Stance.CONTEXT else 'is context'}",
        )
    p.add_argument("--strength", choices=_values(Strength), default=Strength.MODERATE.value)
    p.add_argument("--observed", required=True, metavar="DATE", help="when it happened")
    p.add_argument("--id", help="the id to use (default: <claim>-e<n>)")
    _add_source_options(p)
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=_cmd_evidence_add, writes=True)

    # rule
    p = commands.add_parser("rule", help="record an editorial ruling on a claim", **leaf)
    p.add_argument("claim", help="the claim's id")
    p.add_argument("verdict", choices=[v for v in _values(Verdict) if v != "pending"])
    p.add_argument("--on", required=True, metavar="DATE", help="the date it applies from")
    p.add_argument("--rationale", help="why")
    p.add_argument("--by", help="who ruled")
    p.add_argument("--id", help="the id to use (default: <claim>-r<n>)")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=_cmd_rule, writes=True)

    # retract
    p = commands.add_parser(
        "retract", help="withdraw a claim, evidence, ruling or retraction", **leaf
    )
    p.add_argument("record", help="the id of the record to withdraw")
    p.add_argument("--reason", required=True, help="why")
    p.add_argument("--id", help="the id to use (default: <record>-x<n>)")
    _add_common(p, json_help=added_help)
    p.set_defaults(handler=_cmd_retract, writes=True)

    # list
    lister = commands.add_parser("list", help="list claims or speakers")
    list_cmds = lister.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = list_cmds.add_parser("claims", help="list claims", **leaf)
    p.add_argument("--speaker", help="only this speaker's claims")
    p.add_argument("--topic", help="only claims with this topic")
    p.add_argument("--kind", choices=_values(ClaimKind), help="only claims of this kind")
    p.add_argument("--include-retracted", action="store_true", help="also retracted claims")
    _add_common(p, json_help="print JSON: {format, claims: [...]}")
    p.set_defaults(handler=_cmd_list_claims, writes=False)
    p = list_cmds.add_parser("speakers", help="list speakers", **leaf)
    _add_common(p, json_help="print JSON: {format, speakers: [...]}")
    p.set_defaults(handler=_cmd_list_speakers, writes=False)

    # assess
    p = commands.add_parser("assess", help="whether claims held up, and why", **leaf)
    p.add_argument("claim", nargs="?", help="one claim's id (default: every claim)")
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--known-at", metavar="TIME", help="as the ledger stood at TIME (audit)")
    _add_common(p, json_help="print JSON: {format, assessments: [...]}")
    p.set_defaults(handler=_cmd_assess, writes=False)

    # history
    p = commands.add_parser("history", help="a claim's assessment at each change", **leaf)
    p.add_argument("claim", help="the claim's id")
    p.add_argument("--known-at", metavar="TIME", help="as the ledger stood at TIME (audit)")
    _add_common(p, json_help="print JSON: {format, claim_id, history: [...]}")
    p.set_defaults(handler=_cmd_history, writes=False)

    # record, leaderboard
    for name, handler, help_text in (
        ("record", _cmd_record, "speakers' track records"),
        ("leaderboard", _cmd_leaderboard, "speakers ranked by track record"),
    ):
        p = commands.add_parser(name, help=help_text, **leaf)
        if name == "record":
            p.add_argument("speaker", nargs="?", help="one speaker's id (default: all)")
        else:
            p.add_argument(
                "--by",
                choices=["hit_rate", "brier"],
                default="hit_rate",
                help="rank by the hit rate's interval (lower end) or by the Brier score",
            )
            p.add_argument(
                "--min-resolved",
                type=int,
                default=5,
                metavar="N",
                help="leave out speakers with fewer resolved (or scored) claims (default 5)",
            )
        p.add_argument("--topic", help="only claims with this topic")
        p.add_argument("--kind", choices=_values(ClaimKind), help="only claims of this kind")
        p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
        _add_common(
            p,
            json_help="print JSON: {format, records: [...]}"
            if name == "record"
            else "print JSON: {format, by, min_resolved, leaderboard: [...]}",
        )
        p.set_defaults(handler=handler, writes=False)

    # report
    p = commands.add_parser("report", help="write a Markdown or HTML scorecard", **leaf)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.add_argument(
        "--format", choices=["md", "html"], help="default: from the file's suffix (.md/.html)"
    )
    p.add_argument("--as-of", metavar="DATE", help="judge on what had happened by DATE")
    p.add_argument("--speaker", action="append", help="only this speaker; repeatable")
    p.add_argument("--title", default="claimtrack scorecard", help="the report's title")
    p.add_argument("--no-charts", action="store_true", help="leave charts out of HTML")
    p.set_defaults(handler=_cmd_report, writes=False, json=False)

    # import, export
    p = commands.add_parser("import", help="add records from a ClaimReview or CSV file", **leaf)
    p.add_argument("format", choices=["claimreview", "csv"], help="the file's format")
    p.add_argument("file", help="the file to read (all of it is added, or nothing)")
    p.add_argument(
        "--what",
        choices=["speakers", "claims", "evidence", "rulings", "retractions"],
        help="CSV: the kind of record the file holds (required for CSV)",
    )
    _add_common(p, json_help="print JSON: {format, added, skipped, unknown_ratings}")
    p.set_defaults(handler=_cmd_import, writes=True)
    p = commands.add_parser("export", help="write the ledger as ClaimReview or CSV", **leaf)
    p.add_argument("format", choices=["claimreview", "csv"], help="the file's format")
    p.add_argument("file", help="the file to write (.jsonl for JSON Lines ClaimReview)")
    p.add_argument("--reviewer", help="ClaimReview: the reviewing organisation (required)")
    p.add_argument("--as-of", metavar="DATE", help="judge claims as of DATE")
    p.add_argument("--url", help="ClaimReview: each review's URL, a template with {id}")
    p.add_argument(
        "--what",
        choices=["speakers", "claims", "evidence", "rulings", "retractions", "assessments"],
        help="CSV: which records (or the assessments) to write (required for CSV)",
    )
    _add_common(p, json_help="print JSON: {format, written, file}")
    p.set_defaults(handler=_cmd_export, writes=False)

    return parser


# -- running ---------------------------------------------------------------------------


def _db_path(args: argparse.Namespace) -> Path:
    given = args.db or os.environ.get("CLAIMTRACK_DB") or DEFAULT_DB
    return Path(given)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _leaves(group: BaseExceptionGroup[ClaimtrackError]) -> Iterator[ClaimtrackError]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


def _run(
    argv: Sequence[str] | None = None,
    *,
    opener: Opener = _open_ledger,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line *argv* and return the exit code (for tests and embedding).

    Args:
        argv: the arguments, without the program name; ``sys.argv[1:]`` by default.
        opener: opens the ledger at a path; tests pass one that hands out an in-memory
            tracker.
        stdout: where results go; ``sys.stdout`` by default.
        stderr: where error lines go; ``sys.stderr`` by default.

    Returns:
        ``0`` on success, ``1`` for a mistake in what was asked, ``2`` for a usage error.
    """
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 1
    try:
        with opener(_db_path(args), args.writes) as tracker:
            code: int = args.handler(_Session(args, tracker, out, err))
            return code
    except ClaimtrackError as exc:
        err.write(f"claimtrack: error: {_one_line(str(exc))}\n")
        return 1
    except ExceptionGroup as group:
        # An import reports every problem of a document at once; the command line
        # shows the first and how many there were, on one line.
        matched, rest = group.split(ClaimtrackError)
        if matched is None or rest is not None:
            raise
        leaves = list(_leaves(matched))
        more = f" (and {len(leaves) - 1} more problems)" if len(leaves) > 1 else ""
        err.write(f"claimtrack: error: {_one_line(str(leaves[0]))}{more}\n")
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        err.write(f"claimtrack: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        err.write("\n")
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point of the ``claimtrack`` console script and ``python -m claimtrack``.

    Args:
        argv: the arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        ``0`` on success, ``1`` for a mistake in what was asked (one line on standard
        error, nothing written), ``2`` for a usage error.

    Example:
        >>> main(["rule", "some-claim", "not-a-verdict", "--on", "2025"])  # doctest: +SKIP
        2

    .. versionadded:: 0.1.0
    """
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader went away (``claimtrack list claims | head``).  Point stdout at
        # devnull so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
