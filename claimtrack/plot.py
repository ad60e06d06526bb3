"""Charts of a ledger, drawn with matplotlib (the ``plot`` extra).

Install with ``pip install 'claimtrack[plot]'``.  Every function returns a
:class:`matplotlib.figure.Figure` built without :mod:`matplotlib.pyplot`, so nothing
here opens a window, touches pyplot's global state or needs a display: save the figure
with ``fig.savefig("chart.svg")`` (or ``.png``), or show it in a notebook.

- :func:`probability_chart`: a claim's probability over time, the evidence dates
  marked, the tracker's own verdict thresholds drawn.
- :func:`calibration_chart`: stated confidence against observed frequency, with the
  diagonal of perfect calibration and the number of claims in each bin.
- :func:`track_record_chart`: speakers' hit rates side by side, with their intervals.
- :func:`forecast_chart`: a forecaster's probability over time against the claim's
  resolution, with the crowd's median beside it.

Text from the ledger (claims, names) is drawn as it is written, never read as
matplotlib's mathtext or TeX, so a claim about "$5 and $10" neither raises nor turns
into maths.  Long labels are wrapped, not cut; points at 0 and 1 are drawn whole;
percentages follow one rule ("over 99 %", never "100 %" short of certainty).

Example:
    >>> import claimtrack as ct
    >>> from claimtrack.plot import track_record_chart
    >>> t = ct.Tracker()
    >>> _ = t.add_speaker("Donald Trump", id="trump")
    >>> fig = track_record_chart({"trump": t.track_record("trump")})
    >>> type(fig).__name__
    'Figure'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import statistics
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._dates import PartialDate
from ._format import percent
from ._model import Claim, Speaker, Stance
from ._records import TrackRecord
from ._tracker import Tracker

try:
    from matplotlib import dates as mdates
    from matplotlib import ticker as mticker
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("claimtrack.plot needs matplotlib: pip install 'claimtrack[plot]'") from exc

if TYPE_CHECKING:
    from ._assessment import Assessment
    from ._dates import DateInput

__all__ = ["calibration_chart", "forecast_chart", "probability_chart", "track_record_chart"]

_STANCE_COLOURS = {
    Stance.SUPPORTS: "#1a7f37",
    Stance.REFUTES: "#cf222e",
    Stance.MIXED: "#9a6700",
    Stance.CONTEXT: "#6e7781",
}
_LINE = "#0969da"


def _figure(width: float = 7.0, height: float = 3.6) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)  # attaches itself: savefig works without pyplot
    return fig


def probability_chart(
    tracker: Tracker,
    claim: Claim | str,
    *,
    as_of: DateInput | None = None,
) -> Figure:
    """A claim's probability of having held, step by step as evidence came in.

    The line steps at each change point of :meth:`~claimtrack.Tracker.history`; each piece of
    evidence is a marker at its observation date, coloured by stance (retracted
    evidence is hollow); dashed lines mark the ``HELD`` and ``FAILED`` thresholds and,
    if the claim has one, a dotted line its due date.

    Args:
        tracker: the ledger.
        claim: the claim or its id.
        as_of: draw the history up to this date; the claim's last change by default.

    Returns:
        The :class:`~matplotlib.figure.Figure`.

    Raises:
        UnknownRecordError: the claim is not in the tracker.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.plot import probability_chart
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
        ...                 stated_on="2025-02-18")
        >>> _ = t.add_evidence("c", "Jeddah talks.", stance="supports",
        ...                    strength="strong", observed_on="2025-03-11")
        >>> probability_chart(t, "c").axes[0].get_ylabel()
        'probability it held'

    .. versionadded:: 0.1.0
    """
    target = tracker.claim(claim if isinstance(claim, str) else claim.id)
    history: Sequence[Assessment] = tracker.history(target)
    if as_of is not None:
        last = tracker.assess(target, as_of=as_of)
        assert last.as_of is not None
        cut = last.as_of.end
        history = (*(a for a in history if a.as_of is not None and a.as_of.end < cut), last)
    # Each step starts at its change point.  The last entry of a history (the claim on
    # everything recorded) has no date: it starts at the latest dated record that counts.
    counted = [e.observed_on.end for e in tracker.evidence(target) if not tracker.is_retracted(e)]
    counted += [r.on.end for r in tracker.rulings(target) if not tracker.is_retracted(r)]
    days: list[_dt.date] = []
    probs: list[float] = []
    for a in history:
        if a.as_of is not None:
            days.append(a.as_of.end)
        else:
            days.append(max([*days, *counted, target.stated_on.start]))
        probs.append(a.probability)
    fig = _figure()
    ax = fig.add_subplot()
    if days:
        span = max((days[-1] - days[0]).days, 14)
        days.append(days[-1] + _dt.timedelta(days=max(span // 10, 3)))
        probs.append(probs[-1])
        ax.step(
            [_num(d) for d in days],
            probs,
            where="post",
            color=_LINE,
            linewidth=2,
            label="probability",
        )
    thresholds = _thresholds(tracker)
    if thresholds is not None:
        held_at, failed_at = thresholds
        ax.axhline(held_at, color=_STANCE_COLOURS[Stance.SUPPORTS], linestyle="--", lw=1)
        ax.axhline(failed_at, color=_STANCE_COLOURS[Stance.REFUTES], linestyle="--", lw=1)
        for y, word, va in ((held_at, "held", "top"), (failed_at, "failed", "bottom")):
            ax.annotate(
                f"{word} ({percent(y)})",
                (0.995, y),
                xycoords=("axes fraction", "data"),
                ha="right",
                va=va,
                fontsize=8,
            )
    for evidence in tracker.evidence(target):
        colour = _STANCE_COLOURS[evidence.stance]
        retracted = tracker.is_retracted(evidence)
        ax.axvline(_num(evidence.observed_on.end), color=colour, alpha=0.25, lw=1)
        ax.plot(
            [_num(evidence.observed_on.end)],
            [1.0],
            transform=ax.get_xaxis_transform(),
            marker="v",
            markersize=8,
            color=colour,
            markerfacecolor="none" if retracted else colour,
            clip_on=False,
            linestyle="none",
        )
    if target.due is not None:
        ax.axvline(_num(target.due.end), color="#57606a", linestyle=":", lw=1)
    ax.set_ylim(-_EDGE, 1 + _EDGE)
    _percent_axis(ax.yaxis)
    ax.set_ylabel("probability it held")
    ax.set_xlabel("date (world time)")
    ax.set_title(_wrapped(target.text, 80, 3), loc="left", fontsize=10, pad=14, **_PLAIN)
    # matplotlib.dates leaves these two classes unannotated.
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    return fig


def _num(day: _dt.date) -> float:
    """A date as matplotlib's number of days."""
    # Unannotated in matplotlib; it honours the user's rcParams["date.epoch"].
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _thresholds(tracker: Tracker) -> tuple[float, float] | None:
    """The ``HELD`` and ``FAILED`` thresholds of the tracker's own policy, if it has them.

    The default policy and any policy with numeric ``held_at`` and ``failed_at``
    attributes have them; for another policy, no threshold is drawn rather than the
    default's, which would not be the rule the verdicts came from.
    """
    policy = tracker.policy
    held_at, failed_at = getattr(policy, "held_at", None), getattr(policy, "failed_at", None)
    if not (isinstance(held_at, int | float) and isinstance(failed_at, int | float)):
        return None
    if 0 <= failed_at <= 1 and 0 <= held_at <= 1:
        return (float(held_at), float(failed_at))
    return None


# Text from the ledger is drawn as written: no mathtext ("$...$"), no TeX.
_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}
# How far past 0 and 1 the axes reach, so that a point at either end is drawn whole.
_EDGE = 0.04
# matplotlib draws these control characters as boxes or not at all; drop them.
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])


def _wrapped(text: str, width: int, lines: int) -> str:
    """*text* on at most *lines* lines of *width*, wrapped at spaces, never cut mid-line.

    Only a text longer than all the lines allow ends in "…".
    """
    clean = " ".join(text.translate(_CONTROLS).split())
    return "\n".join(textwrap.wrap(clean, width, max_lines=lines, placeholder=" …")) or clean


def _percent_axis(axis: Any) -> None:
    axis.set_major_locator(mticker.FixedLocator([0, 0.25, 0.5, 0.75, 1]))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: percent(min(max(v, 0), 1))))


def calibration_chart(record: TrackRecord, *, title: str | None = None) -> Figure:
    """Stated confidence against how often such claims held.

    Each bin of the record's ``calibration`` is a point at (mean stated confidence,
    observed frequency), sized by and labelled with its count; the diagonal is perfect
    calibration.  A record without stated confidences gives an empty chart that says so.

    Args:
        record: a :class:`~claimtrack.TrackRecord`.
        title: a title; by default one naming the Brier score.

    Returns:
        The :class:`~matplotlib.figure.Figure`.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.plot import calibration_chart
        >>> c = ct.Claim("c1", "s", "It will rain.", stated_on="2025-01-01", confidence=0.8)
        >>> rec = ct.TrackRecord.from_verdicts([(c, ct.Verdict.HELD)])
        >>> calibration_chart(rec).axes[0].get_xlabel()
        'stated confidence'

    .. versionadded:: 0.1.0
    """
    fig = _figure(4.8, 4.4)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#8c959f", linestyle="--", lw=1, label="perfect calibration")
    bins = record.calibration
    if bins:
        xs = [b.mean_stated for b in bins]
        ys = [b.observed for b in bins]
        sizes = [30 + 20 * b.count for b in bins]
        ax.scatter(xs, ys, s=sizes, color=_LINE, alpha=0.8, zorder=3, clip_on=False)
        for b in bins:
            ax.annotate(
                f"n={b.count}",
                (b.mean_stated, b.observed),
                textcoords="offset points",
                xytext=(6, 6),
                fontsize=8,
            )
    else:
        ax.text(0.5, 0.5, "no stated confidences", ha="center", va="center", color="#57606a")
    ax.set_xlim(-_EDGE, 1 + _EDGE)
    ax.set_ylim(-_EDGE, 1 + _EDGE)
    _percent_axis(ax.xaxis)
    _percent_axis(ax.yaxis)
    ax.set_aspect("equal")
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("observed frequency")
    if title is None:
        title = "calibration" if record.brier is None else f"calibration (Brier {record.brier:.3f})"
    ax.set_title(_wrapped(title, 50, 2), fontsize=10, **_PLAIN)
    return fig


def track_record_chart(records: Mapping[str, TrackRecord], *, title: str | None = None) -> Figure:
    """Hit rates of several speakers (or topics, or kinds) with their intervals.

    One horizontal bar per entry, with the interval as an error bar and the number of
    resolved claims beside it; an entry with nothing resolved is listed as such.

    Args:
        records: label (a speaker's name or id) to :class:`~claimtrack.TrackRecord`,
            in the order to draw them, top to bottom.
        title: a title for the chart.

    Returns:
        The :class:`~matplotlib.figure.Figure`.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.plot import track_record_chart
        >>> c = ct.Claim("c1", "s", "It will rain.", stated_on="2025-01-01")
        >>> rec = ct.TrackRecord.from_verdicts([(c, ct.Verdict.HELD), (c, ct.Verdict.FAILED)])
        >>> track_record_chart({"Lavrov": rec}).axes[0].get_xlabel()
        'hit rate (95 % interval)'

    .. versionadded:: 0.1.0
    """
    labels = list(records)
    shown = [_wrapped(label, 30, 3) for label in labels]
    lines = sum(max(label.count("\n") + 1, 1) for label in shown)
    fig = _figure(7.0, 1.3 + 0.3 * max(lines, 1) + 0.15 * len(labels))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    for y, label in zip(positions, labels, strict=True):
        rec = records[label]
        if rec.hit_rate is None or rec.interval is None:
            ax.text(0.01, y, "no resolved claims", va="center", fontsize=8, color="#57606a")
            continue
        low, high = rec.interval
        ax.barh(y, rec.hit_rate, color=_LINE, alpha=0.35, height=0.6)
        ax.errorbar(
            rec.hit_rate,
            y,
            xerr=[[rec.hit_rate - low], [high - rec.hit_rate]],
            fmt="o",
            color=_LINE,
            capsize=4,
            clip_on=False,
        )
        ax.annotate(
            f"n={rec.resolved}",
            (1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            annotation_clip=False,
        )
    ax.set_yticks(positions, shown, **_PLAIN)
    ax.set_xlim(-_EDGE, 1 + _EDGE)
    _percent_axis(ax.xaxis)
    if labels:
        ax.set_ylim(-0.7, len(labels) - 0.3)
    level = next(iter(records.values())).confidence if records else 0.95
    ax.set_xlabel(f"hit rate ({percent(level)} interval)")
    if title:
        ax.set_title(_wrapped(title, 70, 2), fontsize=10, **_PLAIN)
    return fig


def forecast_chart(
    tracker: Tracker,
    claim: Claim | str,
    by: Speaker | str,
    *,
    as_of: DateInput | None = None,
) -> Figure:
    """A forecaster's probability over time, the crowd's median beside it, and the outcome.

    The forecaster's standing forecast is a step line from their first forecast; the
    median of the forecasts standing among everyone who forecast the claim (the claim's
    own confidence counting as its speaker's forecast) is a dashed step line; if the
    claim resolved, a dotted line marks ``resolved_on`` and a point the outcome (1 if
    it held, 0 if it failed).  Forecasts on or after ``resolved_on`` are not drawn, as
    they are not scored.  Text from the ledger (the claim, the forecaster's name) is
    drawn as written: a ``$`` does not start matplotlib's mathtext.

    Args:
        tracker: the ledger.
        claim: the claim or its id.
        by: the forecaster, a :class:`~claimtrack.Speaker` or their id.
        as_of: judge the claim as of this date (any date input).

    Returns:
        The :class:`~matplotlib.figure.Figure`.

    Raises:
        UnknownRecordError: the claim or the forecaster is not in the tracker.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.plot import forecast_chart
        >>> t = ct.Tracker()
        >>> for who in ("alice", "bob"):
        ...     _ = t.add_speaker(who.title(), id=who)
        >>> _ = t.add_claim("bob", "Oil will cost over $100.", id="c", stated_on="2025-03-01")
        >>> _ = t.forecast("c", by="alice", probability=0.6, made_on="2025-03-01")
        >>> _ = t.forecast("c", by="bob", probability=0.2, made_on="2025-03-02")
        >>> _ = t.rule("c", "held", on="2025-03-20")
        >>> forecast_chart(t, "c", "alice").axes[0].get_title(loc="left")
        'Oil will cost over $100.'

    .. versionadded:: 0.2.0
    """
    target = tracker.claim(claim if isinstance(claim, str) else claim.id)
    who = tracker.speaker(by if isinstance(by, str) else by.id)
    when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
    resolution = tracker._resolution(target, when)
    triples = tracker._forecast_triples(target)
    if resolution is not None:
        triples = [t for t in triples if t[1] < resolution[1]]
    if when is not None:
        triples = [t for t in triples if t[1] <= when.end]
    days = sorted({day for _, day, _ in triples})
    if resolution is not None:
        end = resolution[1]
    elif days:
        end = days[-1] + _dt.timedelta(days=max((days[-1] - days[0]).days // 10, 3))
    else:
        end = target.stated_on.end
    standing: dict[str, float] = {}
    mine: list[tuple[_dt.date, float]] = []
    crowd: list[tuple[_dt.date, float]] = []
    i = 0
    for day in days:
        while i < len(triples) and triples[i][1] == day:
            forecaster, _, p = triples[i]
            standing[forecaster] = p
            i += 1
        crowd.append((day, statistics.median(standing.values())))
        if who.id in standing:
            mine.append((day, standing[who.id]))
    fig = _figure()
    ax = fig.add_subplot()
    for points, style, label in (
        (crowd, {"color": "#8c959f", "linestyle": "--", "linewidth": 1.5}, "crowd median"),
        (mine, {"color": _LINE, "linewidth": 2}, _wrapped(who.name, 40, 2)),
    ):
        if points:
            xs = [_num(d) for d, _ in points] + [_num(end)]
            ys = [p for _, p in points] + [points[-1][1]]
            ax.step(xs, ys, where="post", label=label, **style)  # type: ignore[arg-type]
    if resolution is not None:
        outcome, resolved_on = resolution
        colour = _STANCE_COLOURS[Stance.SUPPORTS if outcome else Stance.REFUTES]
        ax.axvline(_num(resolved_on), color=colour, linestyle=":", lw=1)
        ax.plot([_num(resolved_on)], [outcome], marker="o", markersize=9, color=colour,
                linestyle="none", clip_on=False,
                label="held" if outcome else "failed")  # fmt: skip
    ax.axhline(0.5, color="#d0d7de", lw=1)
    ax.set_ylim(-_EDGE, 1 + _EDGE)
    _percent_axis(ax.yaxis)
    ax.set_ylabel("probability it holds")
    ax.set_xlabel("date (world time)")
    ax.set_title(_wrapped(target.text, 80, 3), loc="left", fontsize=10, **_PLAIN)
    if mine or crowd:
        for text in ax.legend(loc="best", fontsize=8).get_texts():
            text.set_parse_math(False)  # a name with "$" in it is drawn as written
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    return fig
