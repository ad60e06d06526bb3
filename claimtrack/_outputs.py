"""Writing charts and reports to files: formats, the ledger guard, one chart by name.

The public names are re-exported by :mod:`claimtrack.report` (the command line uses
them there); this module keeps ``report.py`` to the scorecard itself.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ._dates import DateInput
from ._files import write_bytes_atomically
from ._format import printable
from ._model import Claim, Speaker
from ._tracker import Tracker
from .errors import InvalidRecordError

__all__ = [
    "Chart",
    "chart",
    "check_not_ledger",
    "format_of",
    "speaker_labels",
    "svg",
    "write_chart",
]


def svg(fig: Any) -> str:
    """A matplotlib figure as an inline ``<svg>`` element (no XML prolog, no doctype)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def speaker_labels(speakers: Iterable[Speaker]) -> dict[str, Speaker]:
    """Chart labels for speakers: their names, with the id added where two share a name.

    Example:
        >>> import claimtrack as ct
        >>> a, b = ct.Speaker("us", "Government"), ct.Speaker("uk", "Government")
        >>> list(speaker_labels([a, b, ct.Speaker("lavrov", "Sergey Lavrov")]))
        ['Government (us)', 'Government (uk)', 'Sergey Lavrov']
    """
    chosen = list(speakers)
    names = [printable(s.name) for s in chosen]
    return {
        (name if names.count(name) == 1 else f"{name} ({s.id})"): s
        for name, s in zip(names, chosen, strict=True)
    }


_SUFFIXES: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".png": "png",
    ".svg": "svg",
}


def format_of(path: Path, format: str | None, allowed: tuple[str, ...]) -> str:
    """The format to write *path* in: *format*, or the suffix's; never a contradiction.

    A known suffix that names another format than *format* is refused (``--format md``
    into ``card.html`` would give a browser Markdown), so is a format not in *allowed*.
    """
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    chosen = format or by_suffix
    what = " or ".join(repr(a) for a in allowed)
    if chosen not in allowed:
        suffixes = "/".join(s for s, f in _SUFFIXES.items() if f in allowed)
        raise InvalidRecordError(
            "format", format or path.suffix, f"must be {what} (or a {suffixes} file)"
        )
    if format is not None and by_suffix is not None and by_suffix != format:
        raise InvalidRecordError(
            "format",
            format,
            f"does not match the file name {path.name!r}, which says {by_suffix!r}: "
            "change one of them",
        )
    return chosen


def check_not_ledger(tracker: Tracker, path: str | os.PathLike[str]) -> None:
    """Refuse to write a report or a chart onto the tracker's own ledger file.

    Any path that resolves to the ledger (a symbolic link, ``./``, another spelling) or
    to its SQLite side files (``-wal``, ``-shm``, ``-journal``) is refused.

    Raises:
        InvalidRecordError: naming the path and the ledger.

    Example:
        >>> import claimtrack as ct, os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> with ct.open(os.path.join(folder, "ledger.jsonl")) as t:
        ...     check_not_ledger(t, os.path.join(folder, "ledger.jsonl"))
        Traceback (most recent call last):
        ...
        claimtrack.errors.InvalidRecordError: path: '...ledger.jsonl' is the ledger itself; ...

    .. versionadded:: 0.1.0
    """
    ledger = getattr(tracker.store, "path", None)
    if not isinstance(ledger, str | os.PathLike):
        return
    target = Path(path).resolve()
    base = Path(ledger).resolve()
    protected = {base, *(base.with_name(base.name + end) for end in ("-wal", "-shm", "-journal"))}
    same = target in protected
    if not same and target.exists() and base.exists():
        same = os.path.samefile(target, base)
    if same:
        raise InvalidRecordError(
            "path",
            os.fspath(path),
            "is the ledger itself; writing there would destroy it: choose another file",
        )


Chart = Literal["probability", "track-records", "calibration"]


def chart(
    tracker: Tracker,
    which: Chart,
    *,
    claim: Claim | str | None = None,
    speakers: Iterable[Speaker | str] | None = None,
    as_of: DateInput | None = None,
) -> Any:
    """One chart of the ledger, as the reports draw it (needs the ``plot`` extra).

    Args:
        tracker: the ledger.
        which: ``"probability"`` (one claim's probability over time, with the tracker's
            own policy thresholds), ``"track-records"`` (speakers' hit rates, labelled
            by name) or ``"calibration"`` (stated confidence against outcomes: of
            every claim in the ledger, or of one speaker's).
        claim: the claim, for ``"probability"``.
        speakers: the speakers (records or ids): for ``"track-records"``, those to
            show (all by default); for ``"calibration"``, at most one.
        as_of: judge on what had happened by this date.

    Returns:
        A :class:`matplotlib.figure.Figure`.

    Raises:
        InvalidRecordError: *which* is not a chart, ``"probability"`` without a claim,
            or ``"calibration"`` of more than one speaker.
        UnknownRecordError: the claim or a speaker is not in the tracker.
        ImportError: matplotlib is not installed (the message names the extra).

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.report import chart
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> chart(t, "track-records").axes[0].get_yticklabels()[0].get_text()
        'Sergey Lavrov'

    .. versionadded:: 0.1.0
    """
    from . import plot

    if which == "probability":
        if claim is None:
            raise InvalidRecordError("claim", claim, "is needed for the probability chart")
        return plot.probability_chart(tracker, claim, as_of=as_of)
    if which not in ("track-records", "calibration"):
        raise InvalidRecordError(
            "which", which, "must be 'probability', 'track-records' or 'calibration'"
        )
    chosen = (
        tracker.speakers()
        if speakers is None
        else tuple(tracker.speaker(s if isinstance(s, str) else s.id) for s in speakers)
    )
    if which == "track-records":
        labels = speaker_labels(chosen)
        return plot.track_record_chart(
            {label: tracker.track_record(s, as_of=as_of) for label, s in labels.items()}
        )
    if speakers is None:
        return plot.calibration_chart(tracker.track_record(as_of=as_of))
    if len(chosen) != 1:
        raise InvalidRecordError(
            "speakers", [s.id for s in chosen], "the calibration chart is of one speaker or all"
        )
    (speaker,) = chosen
    record = tracker.track_record(speaker, as_of=as_of)
    title = f"calibration: {printable(speaker.name)}"
    if record.brier is not None:
        title += f" (Brier {record.brier:.3f})"
    return plot.calibration_chart(record, title=title)


def write_chart(
    tracker: Tracker,
    path: str | os.PathLike[str],
    which: Chart,
    *,
    format: Literal["png", "svg"] | None = None,
    claim: Claim | str | None = None,
    speakers: Iterable[Speaker | str] | None = None,
    as_of: DateInput | None = None,
) -> Path:
    """Write one chart (see :func:`chart`) to a PNG or SVG file, all or nothing.

    Args:
        tracker: the ledger.
        path: the file to write.
        which: the chart: ``"probability"``, ``"track-records"`` or ``"calibration"``.
        format: ``"png"`` or ``"svg"``; by default from the file's suffix.  A format
            that contradicts the suffix is refused.
        claim: the claim, for ``"probability"``.
        speakers: the speakers, for the other two.
        as_of: judge on what had happened by this date.

    Returns:
        The path written.

    Raises:
        InvalidRecordError: a bad format or chart, or the path is the ledger's own file.
        ImportError: matplotlib is not installed.
        OSError: the file cannot be written.

    Example:
        >>> import claimtrack as ct, tempfile, pathlib
        >>> from claimtrack.report import write_chart
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     write_chart(t, pathlib.Path(d) / "board.svg", "track-records").suffix
        '.svg'

    .. versionadded:: 0.1.0
    """
    target = Path(path)
    chosen = format_of(target, format, ("png", "svg"))
    check_not_ledger(tracker, target)
    fig = chart(tracker, which, claim=claim, speakers=speakers, as_of=as_of)
    buffer = io.BytesIO()
    metadata = {"Date": None} if chosen == "svg" else {}
    fig.savefig(buffer, format=chosen, metadata=metadata, dpi=150)
    return write_bytes_atomically(target, buffer.getvalue())
