"""What the ``claimtrack`` command prints: tables, JSON shapes and status lines."""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from claimtrack._codec import to_dict
from claimtrack._format import percent
from claimtrack._model import Speaker

if TYPE_CHECKING:
    from claimtrack._dates import PartialDate
    from claimtrack._model import Record
    from claimtrack._records import TrackRecord
    from claimtrack._scoring import Assessment
    from claimtrack._tracker import Tracker

JSON_FORMAT = 1
"""The version of the ``--json`` output shapes; raised only on a breaking change."""


def one_line(text: str) -> str:
    """*text* with its runs of white space, line breaks included, made single spaces."""
    return " ".join(text.split())


# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional overrides
# and isolates (U+202A-U+202E, U+2066-U+2069): what a terminal would act on, or what
# would make a line read in another order than it is stored.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    r"""*text* with every control character shown as an escape instead of acted on.

    Everything the command prints (tables, ids, explanations, error lines) goes
    through here, so a name or a claim holding an escape sequence (ESC, BEL, a C1
    control) or a bidirectional override cannot drive the terminal or reorder a line.
    Line feeds and tabs stay.

    Example:
        >>> print(safe_text("Kellogg\x1b[2J\a says \u202eevil"))
        Kellogg\x1b[2J\x07 says \u202eevil
    """
    return _UNSAFE.sub(_escaped, text)


def json_text(payload: Any) -> str:
    r"""*payload* as indented JSON, with the same control characters as ``\u`` escapes.

    JSON escapes C0 controls itself; DEL, C1 controls and bidi overrides it would write
    raw, so they are escaped too (losslessly: a JSON reader gets the same string back).
    """
    text = json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(stream: TextIO, text: str) -> None:
    """Write one line (or lines) of *text* to *stream*: the one print path of the CLI."""
    stream.write(safe_text(text) + "\n")


# -- turning records into JSON and rows ------------------------------------------------


def iso_date(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def iso_stamp(value: _dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def record_json(tracker: Tracker, record: Record) -> dict[str, Any]:
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


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
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


class Session:
    """What a command needs: the parsed arguments, the tracker and the output stream."""

    def __init__(
        self, args: argparse.Namespace, tracker: Tracker, out: TextIO, err: TextIO
    ) -> None:
        self.args = args
        self.tracker = tracker
        self.out = out
        self.err = err

    def emit_json(self, payload: Any) -> None:
        self.out.write(json_text(payload) + "\n")

    def emit(self, text: str) -> None:
        say(self.out, text)

    def note(self, text: str) -> None:
        """A ``claimtrack: note: …`` line on standard error."""
        say(self.err, f"claimtrack: note: {text}")

    def warn(self, text: str) -> None:
        """A ``claimtrack: warning: …`` line on standard error."""
        say(self.err, f"claimtrack: warning: {text}")

    def added(self, record: Record) -> int:
        if self.args.json:
            self.emit_json(record_json(self.tracker, record))
        else:
            self.emit(record.id)
        return 0


def assessment_json(tracker: Tracker, a: Assessment) -> dict[str, Any]:
    """The ``--json`` form of an :class:`~claimtrack.Assessment`."""
    return {
        "claim_id": a.claim.id,
        "verdict": a.verdict.value,
        "computed_verdict": a.computed_verdict.value,
        "probability": a.probability,
        "log_odds": finite(a.log_odds),
        "as_of": iso_date(a.as_of),
        "known_at": iso_stamp(a.known_at),
        "due_passed": a.due_passed,
        "ruling": None if a.ruling is None else record_json(tracker, a.ruling),
        "contributions": [
            {
                "evidence_id": c.evidence.id,
                "stance": c.stance.value,
                "strength": c.strength.value,
                "reliability": c.reliability,
                "share": finite(c.share),
            }
            for c in a.contributions
        ],
        "explanation": a.explain(speaker=speaker_of(tracker, a)),
    }


def speaker_of(tracker: Tracker, a: Assessment) -> Speaker | None:
    """The speaker of the assessed claim, for an explanation that names them."""
    found = tracker.get(a.claim.speaker_id) if a.claim.speaker_id in tracker else None
    return found if isinstance(found, Speaker) else None


def finite(value: float) -> float | str:
    """JSON has no infinity: conclusive evidence's infinite log-odds become strings."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def pct(value: float | None) -> str:
    """A fraction as a percentage, by the one rule of :mod:`claimtrack._format`."""
    return "-" if value is None else percent(value)


# -- reading: track records and reports ------------------------------------------------


def track_record_json(label: dict[str, Any], rec: TrackRecord) -> dict[str, Any]:
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
        "log_score": None if rec.log_score is None else finite(rec.log_score),
        "calibration": [
            {"count": b.count, "mean_stated": b.mean_stated, "observed": b.observed}
            for b in rec.calibration
        ],
        "summary": rec.summary(),
    }


def interval_words(rec: TrackRecord) -> str:
    if rec.interval is None:
        return "-"
    low, high = rec.interval
    return f"{low * 100:.0f}-{high * 100:.0f}%"


def status(err: TextIO, text: str) -> None:
    """A status line on stderr, shown only when a person is watching (a terminal)."""
    if err.isatty():
        err.write(f"\r\033[K{safe_text(one_line(text))}")
        err.flush()
