"""Scorecards people can read: Markdown, and one self-contained HTML page.

A scorecard has a section per speaker (claims per verdict, the hit rate with its
interval, the Brier score where the speaker stated confidences) and, under it, each of
their claims: the verdict, the probability, the explanation and the evidence timeline.

- :func:`markdown` needs nothing beyond claimtrack.
- :func:`html` needs the ``html`` extra (Jinja2: ``pip install 'claimtrack[html]'``).
  The page is one file with inline styles and no script and no fetch of anything;
  every text from the ledger is escaped, so a claim reading ``<script>…</script>`` is
  shown, never run.  With the ``plot`` extra (matplotlib) installed, the page embeds
  the charts of :mod:`claimtrack.plot` as inline SVG; without it, it says how to get
  them.
- :func:`write` writes either to a file, all or nothing; :func:`write_chart` writes one
  chart (PNG or SVG).  Both refuse a file whose suffix says another format, and the
  ledger's own file.

Every report says the date it judges as of and when it was made; it names speakers,
not ids (a claim's id is shown small, for citing it); percentages and dates follow
one rule ("over 99 %", never "100 %" short of certainty).

Example:
    >>> import claimtrack as ct
    >>> from claimtrack import report
    >>> t = ct.Tracker()
    >>> _ = t.add_speaker("Donald Trump", id="trump")
    >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
    >>> print(report.markdown(t, as_of="2025-03-01").splitlines()[0])
    # claimtrack scorecard

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from attrs import frozen

from ._assessment import Assessment
from ._dates import DateInput, PartialDate
from ._files import write_text_atomically
from ._forecasts import ForecastRecord
from ._format import date_words, percent, printable
from ._format import interval as _interval_words
from ._model import Claim, Evidence, Ruling, Source, Speaker, Verdict
from ._outputs import (
    Chart,
    chart,
    check_not_ledger,
    format_of,
    speaker_labels,
    svg,
    write_chart,
)
from ._records import TrackRecord
from ._tracker import Tracker

__all__ = [
    "Chart",
    "ClaimCard",
    "Scorecard",
    "SpeakerCard",
    "TimelineEntry",
    "chart",
    "check_not_ledger",
    "html",
    "markdown",
    "plots_available",
    "render_html",
    "render_markdown",
    "speaker_labels",
    "write",
    "write_chart",
]

Format = Literal["md", "html"]


# -- what a scorecard holds ------------------------------------------------------------


@frozen
class TimelineEntry:
    """One dated line of a claim's timeline: the claim, evidence, a ruling, the due date.

    Args:
        on: the world-time date.
        what: ``"stated"``, ``"evidence"``, ``"ruling"`` or ``"due"``.
        text: what happened, in words.
        detail: a short qualifier (``"supports, strong"``, ``"held"``), or ``""``.
        source: where it was reported, in words, or ``""``.
        url: the source's URL, or ``None``.
        retracted: why the record was withdrawn (the retractions' reasons), or ``""``
            while it stands.
        record_id: the id of the record, or ``None`` for the due date.

    .. versionadded:: 0.1.0
    """

    on: PartialDate
    what: str
    text: str
    detail: str = ""
    source: str = ""
    url: str | None = None
    retracted: str = ""
    record_id: str | None = None


@frozen
class ClaimCard:
    """A claim with its assessment and its timeline.

    .. versionadded:: 0.1.0
    """

    claim: Claim
    assessment: Assessment
    timeline: tuple[TimelineEntry, ...]


@frozen
class SpeakerCard:
    """A speaker with their track record and the cards of their claims.

    ``forecasts`` is their forecast record (``Tracker.forecast_record``), shown beside
    the track record, or ``None`` when no resolved claim they forecast is scored.

    .. versionadded:: 0.1.0
    """

    speaker: Speaker
    record: TrackRecord
    claims: tuple[ClaimCard, ...]
    forecasts: ForecastRecord | None = None


@frozen(kw_only=True)
class Scorecard:
    """Everything a report shows, gathered once from a tracker.

    Build one with :meth:`gather`; :func:`markdown` and :func:`html` render it.

    Attributes:
        title: the report's title.
        as_of: the world-time date the report judges by (``None``: everything recorded).
        speakers: one :class:`SpeakerCard` per speaker, in the order they were added.
        judged_on: the date the report stands for: *as_of*, or the tracker's today
            (by its clock) when judging on everything recorded.
        made_at: when the report was made, by the tracker's clock (UTC).

    Example:
        >>> import claimtrack as ct
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> [card.speaker.id for card in Scorecard.gather(t).speakers]
        ['lavrov']

    .. versionadded:: 0.1.0
    """

    title: str
    as_of: PartialDate | None
    speakers: tuple[SpeakerCard, ...]
    judged_on: PartialDate | None = None
    made_at: _dt.datetime | None = None

    @classmethod
    def gather(
        cls,
        tracker: Tracker,
        *,
        as_of: DateInput | None = None,
        speakers: Iterable[Speaker | str] | None = None,
        title: str = "claimtrack scorecard",
    ) -> Scorecard:
        """Assess every (unretracted) claim of the chosen speakers and their records.

        Args:
            tracker: the ledger.
            as_of: judge on what had happened by this date; everything by default.
            speakers: the speakers to include (records or ids); all by default.
            title: the report's title.

        Raises:
            UnknownRecordError: a speaker is not in the tracker.
            InvalidRecordError: *as_of* is not a date.
        """
        when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
        chosen = (
            tracker.speakers()
            if speakers is None
            else tuple(tracker.speaker(s if isinstance(s, str) else s.id) for s in speakers)
        )
        # The tracker's clock, the one its verdicts are judged by (due dates), so that a
        # ledger on a fixed clock (examples, tests, audits) gets a report that says so.
        made_at = tracker._clock()
        made_at = made_at.replace(tzinfo=_dt.UTC) if made_at.tzinfo is None else made_at
        made_at = made_at.astimezone(_dt.UTC)
        judged_on = when if when is not None else PartialDate(made_at.date())
        cards = []
        for speaker in chosen:
            claims = tuple(
                ClaimCard(claim, tracker.assess(claim, as_of=when), _timeline(tracker, claim))
                for claim in tracker.claims(speaker)
            )
            record = tracker.track_record(speaker, as_of=when)
            forecasts = tracker.forecast_record(speaker, as_of=when)
            cards.append(
                SpeakerCard(speaker, record, claims, forecasts if forecasts.scored else None)
            )
        return cls(
            title=title,
            as_of=when,
            speakers=tuple(cards),
            judged_on=judged_on,
            made_at=made_at,
        )

    def judged_words(self) -> str:
        """What the report judges on, and as of when, in one sentence.

        Example:
            >>> import claimtrack as ct
            >>> card = Scorecard.gather(ct.Tracker(), as_of="2025-06-01")
            >>> card.judged_words()
            'Judged as of 1 June 2025, on what had happened by then.'
        """
        if self.as_of is not None:
            return f"Judged as of {date_words(self.as_of)}, on what had happened by then."
        if self.judged_on is None:
            return "Judged on everything recorded."
        return f"Judged as of {date_words(self.judged_on)}, on everything recorded by then."

    def made_words(self) -> str:
        """When the report was made, in words (``""`` when unknown).

        Example:
            >>> import claimtrack as ct, datetime as dt
            >>> t = ct.Tracker(clock=lambda: dt.datetime(2025, 11, 24, 9, tzinfo=dt.UTC))
            >>> Scorecard.gather(t).made_words()
            'Made on 24 November 2025, 09:00 UTC.'
        """
        return "" if self.made_at is None else f"Made on {date_words(self.made_at)}."


def _source_words(source: Source | None) -> tuple[str, str | None]:
    if source is None:
        return "", None
    return source.describe(), source.url


def _timeline(tracker: Tracker, claim: Claim) -> tuple[TimelineEntry, ...]:
    words, url = _source_words(claim.source)
    entries = [
        TimelineEntry(
            claim.stated_on, "stated", claim.text, claim.kind.value, words, url, "", claim.id
        )
    ]
    entries.extend(_evidence_entry(tracker, evidence) for evidence in tracker.evidence(claim))
    entries.extend(_ruling_entry(tracker, ruling) for ruling in tracker.rulings(claim))
    if claim.due is not None:
        entries.append(TimelineEntry(claim.due, "due", "Deadline for the claim to come true."))
    order = {"stated": 0, "evidence": 1, "ruling": 2, "due": 3}
    entries.sort(key=lambda e: (e.on.end, order[e.what]))
    return tuple(entries)


def _evidence_entry(tracker: Tracker, evidence: Evidence) -> TimelineEntry:
    words, url = _source_words(evidence.source)
    detail = f"{evidence.stance.value}, {evidence.strength.value}"
    if evidence.source is not None and evidence.source.reliability < 1:
        detail += f", reliability {evidence.source.reliability:g}"
    return TimelineEntry(
        evidence.observed_on,
        "evidence",
        evidence.text,
        detail,
        words,
        url,
        _withdrawn(tracker, evidence),
        evidence.id,
    )


def _ruling_entry(tracker: Tracker, ruling: Ruling) -> TimelineEntry:
    text = ruling.rationale or "Editorial ruling."
    detail = ruling.verdict.label + (f", by {ruling.by}" if ruling.by else "")
    return TimelineEntry(
        ruling.on, "ruling", text, detail, "", None, _withdrawn(tracker, ruling), ruling.id
    )


def _withdrawn(tracker: Tracker, record: Evidence | Ruling) -> str:
    """Why *record* stands withdrawn (its standing retractions' reasons), or ``""``."""
    if not tracker.is_retracted(record):
        return ""
    reasons = [r.reason for r in tracker.retractions(record) if not tracker.is_retracted(r)]
    return "; ".join(reasons) or "retracted"


# -- numbers and text in words ---------------------------------------------------------

_DASH = "\N{EN DASH}"


def _pct(value: float | None) -> str:
    return _DASH if value is None else percent(value)


def _interval(record: TrackRecord) -> str:
    if record.interval is None:
        return _DASH
    return _interval_words(*record.interval)


def _brier(record: TrackRecord) -> str:
    if record.brier is None:
        return _DASH
    return f"{record.brier:.3f} (n={record.scored})"


def _counts_words(record: TrackRecord) -> str:
    shown = [f"{n} {v.label}" for v, n in record.counts.items() if n]
    return ", ".join(shown) if shown else "no claims"


# Bidirectional isolates; the report wraps text in its own isolate, so a stray one in
# the text must not close it early.
_ISOLATES = re.compile("[\u2066-\u2069]")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_clean = printable


def _isolated(text: str) -> str:
    """*text* in a bidirectional isolate when it holds direction controls (RLO, ...).

    A right-to-left override in a name then reorders that name only, not the rest of
    the line.  (The HTML page isolates every ledger text with ``<bdi>`` instead.)
    """
    if not _BIDI.search(text):
        return text
    return "\N{FIRST STRONG ISOLATE}" + _ISOLATES.sub("", text) + "\N{POP DIRECTIONAL ISOLATE}"


# -- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|<>&~$])")


def _md(text: str) -> str:
    """Text from the ledger made inert in Markdown: one line, punctuation escaped.

    Backslash escapes keep Markdown from reading emphasis, links, table cells, raw HTML
    (``<script>``) or maths (``$...$``) into the text; control characters are dropped
    and direction overrides isolated.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(_clean(text).split()))
    # A line that starts like a list item or a numbered item stays a paragraph.
    return _isolated(re.sub(r"^([-+]|\d+[.)])", r"\\\1", escaped))


def _md_url(url: str | None) -> str:
    """A source URL as a Markdown autolink: only for http(s), never ``javascript:``."""
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")):
        return f" {_md(url)}"
    safe = url.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")
    return f" <{printable(safe)}>"


def render_markdown(card: Scorecard) -> str:
    """The Markdown text of a :class:`Scorecard`.

    .. versionadded:: 0.1.0
    """
    lines = [f"# {_md(card.title)}", ""]
    lines += [" ".join(filter(None, [card.judged_words(), card.made_words()])), ""]
    if not card.speakers:
        lines += ["No speakers.", ""]
    lines += ["| Speaker | Claims | Resolved | Hit rate | 95 % interval | Brier |"]
    lines += ["| --- | ---: | ---: | ---: | --- | --- |"]
    for sc in card.speakers:
        r = sc.record
        lines.append(
            f"| {_md(sc.speaker.name)} | {r.total} | {r.resolved} | {_pct(r.hit_rate)} "
            f"| {_interval(r)} | {_brier(r)} |"
        )
    lines.append("")
    for sc in card.speakers:
        lines += [f"## {_md(sc.speaker.name)}", ""]
        lines += [_md(sc.record.summary()), ""]
        if sc.forecasts is not None:
            lines += [_md("Forecasts: " + sc.forecasts.summary()), ""]
        lines += [f"Verdicts: {_counts_words(sc.record)}.", ""]
        for cc in sc.claims:
            lines += _md_claim(cc, sc.speaker)
    return "\n".join(lines).rstrip() + "\n"


def _overridden(a: Assessment) -> str:
    """What the evidence alone says, where a ruling overrides it (else ``""``)."""
    if a.computed_verdict == a.verdict:
        return ""
    return f"the evidence alone says {a.computed_verdict.label}"


def _md_claim(cc: ClaimCard, speaker: Speaker) -> list[str]:
    a = cc.assessment
    lines = [f"### {_md(cc.claim.text)}", ""]
    overridden = _overridden(a)
    lines.append(
        f"- **{a.verdict.label}**, probability {_pct(a.probability)}"
        + (f"; {overridden}" if overridden else "")
    )
    lines.append(
        f"- {cc.claim.kind.value}, stated {date_words(cc.claim.stated_on)} (id {_md(cc.claim.id)})"
    )
    if cc.claim.quote:
        lines.append(f"- quote: “{_md(cc.claim.quote)}”")
    if cc.claim.confidence is not None:
        lines.append(f"- stated confidence: {_pct(cc.claim.confidence)}")
    lines += ["", "Why:", ""]
    why = a.explain(speaker=speaker)
    lines += [f"> {_md(line)}" if line.strip() else ">" for line in why.splitlines()]
    lines += ["", "| Date | What | Detail | Text | Source |", "| --- | --- | --- | --- | --- |"]
    for e in cc.timeline:
        text = _md(e.text)
        if e.retracted:
            text = f"~~{text}~~ (retracted: {_md(e.retracted)})"
        on = date_words(e.on).replace(" ", "\N{NO-BREAK SPACE}")
        lines.append(
            f"| {on} | {e.what} | {_md(e.detail)} | {text} | {_md(e.source)}{_md_url(e.url)} |"
        )
    lines.append("")
    return lines


def markdown(
    tracker: Tracker,
    *,
    as_of: DateInput | None = None,
    speakers: Iterable[Speaker | str] | None = None,
    title: str = "claimtrack scorecard",
) -> str:
    """A Markdown scorecard of the ledger.

    Args:
        tracker: the ledger.
        as_of: judge on what had happened by this date; everything by default.
        speakers: only these speakers (records or ids); all by default.
        title: the report's title.

    Returns:
        The Markdown text.  Text from the ledger is escaped, so it cannot add headings,
        links, table cells or raw HTML.

    Raises:
        UnknownRecordError: a speaker is not in the tracker.
        InvalidRecordError: *as_of* is not a date.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.report import markdown
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> "## Donald Trump" in markdown(t)
        True

    .. versionadded:: 0.1.0
    """
    return render_markdown(Scorecard.gather(tracker, as_of=as_of, speakers=speakers, title=title))


# -- HTML ------------------------------------------------------------------------------


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:
        raise ImportError("the HTML report needs Jinja2: pip install 'claimtrack[html]'") from None
    return jinja2


def plots_available() -> bool:
    """Whether matplotlib (the ``plot`` extra) is installed, so reports can have charts.

    .. versionadded:: 0.1.0
    """
    return importlib.util.find_spec("matplotlib") is not None


def _charts(card: Scorecard, tracker: Tracker, claim_charts: int) -> dict[str, str]:
    from . import plot

    charts: dict[str, str] = {}
    by_id = {sc.speaker.id: sc.record for sc in card.speakers}
    labels = speaker_labels(sc.speaker for sc in card.speakers)
    if labels:
        records = {label: by_id[s.id] for label, s in labels.items()}
        charts["leaderboard"] = svg(plot.track_record_chart(records))
    for sc in card.speakers:
        if sc.record.calibration:
            charts[f"calibration:{sc.speaker.id}"] = svg(plot.calibration_chart(sc.record))
    drawn = 0
    for sc in card.speakers:
        for cc in sc.claims:
            if drawn >= claim_charts:
                return charts
            if any(e.what == "evidence" for e in cc.timeline):
                charts[f"claim:{cc.claim.id}"] = svg(
                    plot.probability_chart(tracker, cc.claim, as_of=card.as_of)
                )
                drawn += 1
    return charts


def _nbsp(text: str) -> str:
    """Keep a number with its percent sign and a date in one piece on the page."""
    return text.replace(" %", "\N{NO-BREAK SPACE}%")


def render_html(
    card: Scorecard, *, charts: dict[str, str] | None = None, generated: str | None = None
) -> str:
    """The HTML page of a :class:`Scorecard`.

    Args:
        card: what to show.
        charts: inline SVG by key (``"leaderboard"``, ``"calibration:<speaker id>"``,
            ``"claim:<claim id>"``); ``None`` means the ``plot`` extra is missing, and
            the page says how to get charts.
        generated: a line saying how the page was made (the date it was made is
            always given).

    .. versionadded:: 0.1.0
    """
    jinja2 = _jinja()
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    markup = jinja2.utils.markupsafe

    def text(value: object) -> Any:
        """Ledger text: escaped, control characters dropped, in its own bidi isolate."""
        return markup.Markup("<bdi>%s</bdi>") % _clean(value)

    env.filters["t"] = text
    env.filters["clean"] = _clean
    env.filters["pct"] = lambda value: _nbsp(_pct(value))
    env.filters["interval"] = lambda record: _nbsp(_interval(record))
    env.filters["brier"] = _brier
    env.filters["date"] = date_words
    template = env.get_template("report.html.j2")
    svg = {key: jinja2.utils.markupsafe.Markup(value) for key, value in (charts or {}).items()}
    return str(
        template.render(
            card=card,
            charts=svg,
            have_charts=charts is not None,
            generated=generated or "",
            Verdict=Verdict,
            counts_words=_counts_words,
            nbsp=_nbsp,
        )
    )


def html(
    tracker: Tracker,
    *,
    as_of: DateInput | None = None,
    speakers: Iterable[Speaker | str] | None = None,
    title: str = "claimtrack scorecard",
    charts: bool = True,
    claim_charts: int = 50,
) -> str:
    """A self-contained HTML scorecard of the ledger (needs the ``html`` extra).

    Args:
        tracker: the ledger.
        as_of: judge on what had happened by this date; everything by default.
        speakers: only these speakers (records or ids); all by default.
        title: the page's title.
        charts: embed charts as inline SVG when matplotlib is installed.
        claim_charts: draw the probability chart of at most this many claims (those
            with evidence, in order), to keep the page small.

    Returns:
        The HTML text of one page with inline styles, no scripts and nothing fetched.

    Raises:
        ImportError: Jinja2 is not installed (the message names the extra).
        UnknownRecordError: a speaker is not in the tracker.
        InvalidRecordError: *as_of* is not a date.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.report import html
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("<b>Trump</b>", id="trump")
        >>> "&lt;b&gt;Trump&lt;/b&gt;" in html(t, charts=False)  # doctest: +SKIP
        True

    .. versionadded:: 0.1.0
    """
    _jinja()
    card = Scorecard.gather(tracker, as_of=as_of, speakers=speakers, title=title)
    svg: dict[str, str] | None = None
    if charts and plots_available():
        svg = _charts(card, tracker, claim_charts)
    elif charts:
        svg = None
    else:
        svg = {}
    return render_html(card, charts=svg)


# -- files -----------------------------------------------------------------------------


def write(
    tracker: Tracker,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    as_of: DateInput | None = None,
    speakers: Sequence[Speaker | str] | None = None,
    title: str = "claimtrack scorecard",
    charts: bool = True,
) -> Path:
    """Write a scorecard to a file, all or nothing.

    The text is rendered first and written to a temporary file beside *path*, which
    then replaces *path*: a failure leaves no half-written report.

    Args:
        tracker: the ledger.
        path: the file to write.
        format: ``"md"`` or ``"html"``; by default from the file's suffix.  A format
            that contradicts the suffix (``"md"`` for ``card.html``) is refused.
        as_of: judge on what had happened by this date.
        speakers: only these speakers.
        title: the report's title.
        charts: embed charts in an HTML report when matplotlib is installed.

    Returns:
        The path written.

    Raises:
        InvalidRecordError: the format is neither Markdown nor HTML, contradicts the
            file's suffix, or the path is the ledger's own file.
        OSError: the file cannot be written.

    Example:
        >>> import claimtrack as ct, tempfile, pathlib
        >>> from claimtrack.report import write
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     write(t, pathlib.Path(d) / "card.md").read_text().startswith("# ")
        True

    .. versionadded:: 0.1.0
    """
    target = Path(path)
    chosen = format_of(target, format, ("md", "html"))
    check_not_ledger(tracker, target)
    if chosen == "md":
        text = markdown(tracker, as_of=as_of, speakers=speakers, title=title)
    else:
        text = html(tracker, as_of=as_of, speakers=speakers, title=title, charts=charts)
    return write_text_atomically(target, text)
