"""schema.org ``ClaimReview``: what fact-checkers publish, in and out.

Import
------

:func:`import_claimreviews` picks its reader by the content it is given, and the
report's ``reader`` says which it used:

- **JSON-LD**: a single ``ClaimReview``, a JSON array of them, a ``@graph``, a
  ``DataFeed`` whose ``dataFeedElement`` items are ``ClaimReview`` s or
  ``DataFeedItem`` s holding them (the shape of public fact-check feeds), or a review
  nested in another node (a ``WebPage``'s ``mainEntity``);
- **JSON Lines**: one of the above per line;
- **an HTML page**: the JSON-LD of its ``<script type="application/ld+json">``
  elements, found with the standard library's HTML parser (unquoted attributes and
  other real-page habits are fine; nothing is run or fetched);
- **the Google Fact Check Tools API**'s ``claims:search`` answer: ``claims[]`` each
  with ``text``, ``claimant``, ``claimDate`` and ``claimReview[]`` (``publisher``,
  ``url``, ``reviewDate``, ``textualRating``).

Each review becomes:

- a **speaker** from ``itemReviewed.author`` (a ``Person``, or an ``Organization`` and
  its subtypes).  An existing speaker is reused when the author's ``identifier``
  is that speaker's id (and the names agree), else when a ``sameAs`` URL is shared,
  else, for an author without an ``identifier``, when the names are the same (ignoring
  case and spacing).  A new speaker gets the author's ``jobTitle`` as a role, spanning
  the dates of the claims it was given on.  A claim with **no author** (viral claims
  often have none) goes to the speaker named by ``unattributed=``; by default one
  speaker per reviewing publisher, ``"Unattributed (Africa Check)"``, so that each
  desk's unattributed claims stay together and apart from everyone's record;
- a **claim**: ``claimReviewed`` is its text, ``itemReviewed.text`` its quote,
  ``itemReviewed.datePublished`` (else the appearance's date, else the review's, and
  the report says so) the date stated, ``firstAppearance`` (else the first
  ``appearance``) its source, ``keywords`` its topics; claimtrack's own fields come
  back from the ``PropertyValue`` s that :func:`to_claimreview` writes;
- a **ruling** from ``reviewRating``, dated with the review's ``datePublished``: the
  rating's words (``alternateName``, else ``name``) are looked up in :data:`RATINGS`
  (which you may extend or override with ``ratings=``).  Words that are not there
  leave the claim without a ruling and are listed in the report's
  ``unknown_ratings``.  A numeric ``ratingValue`` is read only when the rating has no
  words and gives both ``worstRating`` and ``bestRating`` (see :data:`NUMERIC_SCALE`);
- a **status**, for words that are known but are not a verdict (*In the Works*,
  *Stalled*, *Satire*): the claim gets no ruling, and the words are kept as a piece
  of context evidence, ``"Status: In the Works"``, dated and sourced like the review.
  Context evidence moves no probability, is shown by ``explain()``, is kept by every
  store and CSV, and is read back by :func:`status_of`.  Promise-meter words, verdicts
  and statuses alike, make the claim a ``PROMISE``.

Real documents are read the way their publishers mean them: text given as an array
gives its first text (the others are alternatives: translations or repeats, and
joining them would make a sentence nobody said); ``""``, ``null`` and ``-1`` numbers
are absent; an optional field of the wrong type (a number as ``ratingExplanation``, a
relative URL) is ignored; each of these is listed in the report's ``notes``.

A review of a claim (same speaker, same text, same date) already in the tracker, or
earlier in the same document, adds only its ruling or status, when that is new; a
review that adds nothing is skipped and listed in the report, so importing a feed again
adds nothing.

Problems
--------

With ``on_error="raise"`` (the default) the import is all or nothing: every problem is
raised as one ``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError`, each
naming its JSON path (``$[3].claimReviewed``), and nothing is added.  With
``on_error="skip"``, each review is imported all or nothing on its own: one that
cannot be (no claim text, no date anywhere) is listed in the report's ``skipped`` with
its path and reason, and the rest are imported.  At most 1,000 problems are listed;
the rest are counted.  The document is untrusted: it is checked against
:class:`~claimtrack.interop.ImportLimits` (size before reading, number of values
before parsing, number of reviews before reading any) and nothing in it is fetched or
executed: ``@context`` must be the schema.org context; it is recognised by name, never
loaded.

.. versionadded:: 0.1.0
.. versionchanged:: 0.2.0 HTML pages, the Fact Check API, ``on_error``,
   ``unattributed``, statuses, the multilingual rating table, lenient reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claimtrack._model import Record, Verdict
from claimtrack._tracker import Tracker
from claimtrack.errors import InvalidRecordError

from ._claimreview_read import Reader
from ._claimreview_shapes import GOOGLE, HTML, inside, load, page_date
from ._claimreview_write import EXPORT_SCALE as _EXPORT_SCALE
from ._claimreview_write import (
    export_claimreviews,
    status_of,
    to_claimreview,
    to_html_script,
)
from ._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportReport,
    ImportSource,
    OnError,
    Skipped,
    child,
    group,
)
from ._ratings import NUMERIC_SCALE as _NUMERIC_SCALE
from ._ratings import RATINGS as _RATINGS
from ._ratings import rating_verdict

__all__ = [
    "EXPORT_SCALE",
    "NUMERIC_SCALE",
    "RATINGS",
    "export_claimreviews",
    "from_claimreview",
    "import_claimreviews",
    "rating_verdict",
    "status_of",
    "to_claimreview",
    "to_html_script",
]


RATINGS: Mapping[str, Verdict | None] = _RATINGS
"""The rating words claimtrack knows, normalised (see below), and the verdict each
becomes: more than 400 labels from the published scales of fact-checkers and promise
trackers in English, Spanish, Portuguese, French, German, Italian, Arabic, Hindi,
Chinese, Indonesian, Turkish and Dutch (the how-to guide lists them by language).

Words are matched ignoring case, accents and diacritics, punctuation, underscores,
hyphens and spacing (``"Pants on Fire!"`` is ``"pants on fire"``); when the whole
rating is not in the table, the words before a ``:``, ``(``, dash or full stop are
tried (``"Falso: el vídeo es de 2019"`` reads as ``"Falso"``).

``None`` means *known, but not a verdict*: the claim gets no ruling and the words are
kept as its status (*Satire*, *In the Works*, *Stalled*; a ruling can never be
``PENDING``).  Promise-meter words make the claim a ``PROMISE``.

The six-step Truth-O-Meter folds onto claimtrack's three resolved verdicts
symmetrically: *True* and *Mostly True* held, *Half True* partly held, *Mostly False*,
*False* and *Pants on Fire* failed; the *misleading* family (*Misleading*, *Missing
Context*, *Engañoso*, *Enganoso*, *Trompeur*, *Irreführend*, *مضلل*, *भ्रामक*, *誤導*,
*Menyesatkan*) is partly held.  The ruling's rationale keeps the original words, so
nothing is lost.  Pass ``ratings={"misleading": "failed"}`` to an importer to add
words or change these.

.. versionadded:: 0.1.0
.. versionchanged:: 0.2.0 Twelve languages; statuses; promise words."""

NUMERIC_SCALE: Mapping[str, float] = _NUMERIC_SCALE
"""How a numeric ``ratingValue`` becomes a verdict, used only when the rating has no
words and gives both ``worstRating`` and ``bestRating``.  Its position on its scale,
``(ratingValue - worstRating) / (bestRating - worstRating)``, is ``FAILED`` up to
``failed_at_most``, ``HELD`` from ``held_from``, and ``PARTLY_HELD`` between.  On a
scale of 1 to 5: 5 and 4 held, 3 partly held, 2 and 1 failed.

Many publishers use ``ratingValue`` as the position of a label in their own list
rather than a degree of truth, so a number is never read when there are words, nor
without both ends of its scale.

.. versionadded:: 0.1.0"""

EXPORT_SCALE: Mapping[Verdict, int] = _EXPORT_SCALE
"""The numeric rating :func:`to_claimreview` writes for a resolved verdict, on a scale
from ``worstRating`` 1 to ``bestRating`` 5: held 5, partly held 3, failed 1.  Other
verdicts carry their words (``alternateName``) and no number.  :data:`NUMERIC_SCALE`
reads these numbers back as the same verdicts.

.. versionadded:: 0.1.0"""

# The functions live in private modules; they are documented and used from here.
for _public in (export_claimreviews, rating_verdict, status_of, to_claimreview, to_html_script):
    _public.__module__ = __name__


def _read(
    tracker: Tracker | None,
    source: ImportSource,
    ratings: Mapping[str, Verdict | str | None] | None,
    limits: ImportLimits,
    on_error: OnError,
    unattributed: str | None,
) -> tuple[Reader, list[Record]]:
    reader = Reader(tracker, ratings, limits, on_error, unattributed)
    doc, kind, problems = load(source, limits)
    skipped_items: dict[str, list[str]] = {}
    if problems:
        if not reader.skip:
            raise group("the document cannot be imported", problems)
        # Skip mode: a problem inside a review (or an unreadable HTML script) skips
        # just that; any other problem of the limits refuses the document.
        if any("max_depth" in p.reason or "max_nodes" in p.reason for p in problems):
            raise group("the document is over the import limits", problems)
        reader.reader = kind
        if kind == GOOGLE:
            claims = doc.get("claims") if isinstance(doc, dict) else None
            count = len(claims) if isinstance(claims, list) else 0
            paths = {f"$.claims[{i}]" for i in range(count)}
        else:
            paths = {path for _, path in reader.items(doc, "$", top=True)}
        outside = []
        for problem in problems:
            owner = inside(problem.path, paths)
            if owner is None and kind.startswith("HTML") and problem.path.count("[") == 1:
                owner = problem.path  # a whole script block that is not JSON
            if owner is None:
                outside.append(problem)
            else:
                skipped_items.setdefault(owner, []).append(str(problem))
        if outside:
            raise group("the document cannot be imported", outside)
        doc = _without(doc, skipped_items)
        reader = Reader(tracker, ratings, limits, on_error, unattributed)
    if kind == HTML:
        found = page_date(doc)
        if found is not None:
            reader.page_date = reader.date({"datePublished": found}, "datePublished", "$")
    records = reader.read(doc, kind)
    for owner, reasons in skipped_items.items():
        reader.skipped.append(Skipped(owner, "; ".join(reasons)))
    return reader, records


def _without(doc: Any, paths: Mapping[str, Any]) -> Any:
    """*doc* with the items at *paths* replaced by ``None`` (copying only what changes)."""
    if not paths:
        return doc

    def walk(node: Any, path: str) -> Any:
        if path in paths:
            return None
        if not any(p.startswith(path) for p in paths):
            return node
        if isinstance(node, list):
            return [walk(v, child(path, i)) for i, v in enumerate(node)]
        if isinstance(node, dict):
            return {k: walk(v, child(path, k)) for k, v in node.items()}
        return node

    return walk(doc, "$")


def _report(reader: Reader, records: list[Record]) -> ImportReport:
    return ImportReport(
        records=records,
        skipped=reader.skipped,
        unknown_ratings=reader.unknown,
        notes=reader.notes,
        reader=reader.reader,
        unlisted=reader.unlisted,
    )


def from_claimreview(
    doc: ImportSource,
    *,
    ratings: Mapping[str, Verdict | str | None] | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    on_error: OnError = "raise",
    unattributed: str | None = None,
) -> ImportReport:
    """Read ClaimReview (JSON-LD, an HTML page, an API answer) into unsaved records.

    Args:
        doc: a parsed document (``dict`` / ``list``), JSON, JSON Lines or HTML text
            (``str`` / ``bytes``), a path (``pathlib.Path``; ``.jsonl`` is JSON Lines)
            or an open file.
        ratings: rating words to add to, or override in, :data:`RATINGS`.
        limits: how much to accept from this untrusted document.
        on_error: ``"raise"`` (all or nothing) or ``"skip"`` (each review all or
            nothing; those that cannot be read are listed in ``skipped``).
        unattributed: the speaker of claims without an author: a speaker's name;
            by default ``"Unattributed (<publisher>)"``, one per reviewing publisher.

    Returns:
        An :class:`~claimtrack.interop.ImportReport` whose ``records`` are the new
        speakers, then each claim followed by its ruling or status, not yet stamped.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per
            problem in the document, each naming its JSON path.
        InvalidRecordError: *ratings*, *limits*, *on_error* or *unattributed* is not
            valid.

    Example:
        >>> from claimtrack.interop.claimreview import from_claimreview
        >>> report = from_claimreview({
        ...     "@context": "https://schema.org", "@type": "ClaimReview",
        ...     "claimReviewed": "Ukraine will be involved in the talks.",
        ...     "datePublished": "2025-03-12",
        ...     "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
        ...                      "author": {"@type": "Person", "name": "Donald Trump"}},
        ...     "reviewRating": {"@type": "Rating", "alternateName": "Mostly True"}})
        >>> [type(r).__name__ for r in report.records], report.reader
        (['Speaker', 'Claim', 'Ruling'], 'ClaimReview JSON-LD')
        >>> report.records[2].verdict
        <Verdict.HELD: 'held'>

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``on_error``, ``unattributed``; HTML and API answers.
    """
    reader, records = _read(None, doc, ratings, limits, on_error, unattributed)
    return _report(reader, records)


def import_claimreviews(
    tracker: Tracker,
    source: ImportSource,
    *,
    ratings: Mapping[str, Verdict | str | None] | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    on_error: OnError = "raise",
    unattributed: str | None = None,
) -> ImportReport:
    """Import ClaimReview into *tracker*: every review, or every review that can be read.

    Speakers already in the tracker are matched (by ``identifier``, ``sameAs`` or
    name, see the module's notes) rather than added again, and reviews already in the
    tracker add nothing.

    Args:
        tracker: the tracker to add to.
        source: what to read; see :func:`from_claimreview`.
        ratings: rating words to add to, or override in, :data:`RATINGS`.
        limits: how much to accept from this untrusted document.
        on_error: ``"raise"`` (the default: all or nothing) or ``"skip"``.
        unattributed: the speaker of claims without an author: the id of a speaker in
            the tracker, or a name; by default one per reviewing publisher.

    Returns:
        An :class:`~claimtrack.interop.ImportReport`: the records added (stamped),
        the reviews skipped and why, the rating words not known, the notes, and the
        reader used.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per
            problem, each naming its JSON path; nothing is added.
        InvalidRecordError: an argument is not valid.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.interop.claimreview import import_claimreviews
        >>> tracker = ct.Tracker()
        >>> _ = tracker.add_speaker("Sergey Lavrov", id="lavrov")
        >>> report = import_claimreviews(tracker, '''[{"@type": "ClaimReview",
        ...     "claimReviewed": "The talks will focus on US-Russia relations.",
        ...     "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
        ...                      "author": {"@type": "Person", "name": "Sergey Lavrov"}},
        ...     "reviewRating": {"@type": "Rating", "alternateName": "Kinda"}},
        ...     {"@type": "ClaimReview", "itemReviewed": {"@type": "Claim"}}]''',
        ...     on_error="skip")
        >>> report.counts, [u.rating for u in report.unknown_ratings]
        ({'claim': 1}, ['Kinda'])
        >>> [(s.path, s.reason) for s in report.skipped]
        [('$[1]', '$[1].claimReviewed: is missing')]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``on_error``, ``unattributed``; HTML and API answers.
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    reader, records = _read(tracker, source, ratings, limits, on_error, unattributed)
    added = tracker.add_many(records)
    return _report(reader, added)
