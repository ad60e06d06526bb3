"""schema.org ``ClaimReview``: the JSON-LD that fact-checkers publish, in and out.

Import
------

:func:`import_claimreviews` reads a single ``ClaimReview``, a JSON array of them, a
JSON-LD ``@graph``, a ``DataFeed`` whose ``dataFeedElement`` items are ``ClaimReview`` s
or ``DataFeedItem`` s holding them (the shape of public fact-check feeds), or JSON
Lines.  Each review becomes:

- a **speaker** from ``itemReviewed.author`` (a ``Person``, or an ``Organization`` and
  its subtypes).  An existing speaker is reused when the author's ``identifier``
  is that speaker's id (and the names agree), else when a ``sameAs`` URL is shared,
  else, for an author without an ``identifier``, when the names are the same (ignoring
  case and spacing).  A new speaker gets the author's ``jobTitle`` as a role, spanning
  the dates of the claims it was given on;
- a **claim**: ``claimReviewed`` is its text, ``itemReviewed.text`` its quote,
  ``itemReviewed.datePublished`` (else the appearance's date, else the review's) the
  date stated, ``firstAppearance`` (else the first ``appearance``) its source,
  ``keywords`` its topics;
- a **ruling** from ``reviewRating``, dated with the review's ``datePublished``: the
  rating's words (``alternateName``, else ``name``) are looked up in :data:`RATINGS`
  (which you may extend or override with ``ratings=``); words that are not there leave
  the claim without a ruling and are listed in the report's ``unknown_ratings``.
  Without known words, a numeric ``ratingValue`` is placed on its scale
  (``worstRating`` … ``bestRating``, by default 1 … 5, as in schema.org): the top
  quarter is ``HELD``, the bottom quarter ``FAILED``, the middle ``PARTLY_HELD``
  (see :data:`NUMERIC_SCALE`).

A review whose claim (same speaker, same text, same date) is already in the tracker,
or appears earlier in the same document, is skipped and listed in the report, so
importing a feed again adds only what is new.  An item of a feed that is not a
``ClaimReview`` is skipped too.

The import is all or nothing: every problem in the document is collected and raised
as one ``ExceptionGroup`` of :class:`~claimtrack.errors.ImportFormatError`, each naming
its JSON path (``$[3].itemReviewed.author.name``), and nothing is added.  The
document is untrusted: it is checked against :class:`~claimtrack.interop.ImportLimits`
before any record is built, and nothing in it is fetched or executed: ``@context``
must be the schema.org context (written ``https://schema.org`` or
``http://schema.org``); it is recognised by name, never loaded.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import math
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import IO, Any

from claimtrack._dates import DateInput, PartialDate
from claimtrack._files import write_text_atomically
from claimtrack._ids import slug as _slug
from claimtrack._model import (
    MAX_TEXT,
    Claim,
    ClaimKind,
    Record,
    Role,
    Ruling,
    Source,
    Speaker,
    Verdict,
    clean_id,
    clean_text,
    to_enum,
)
from claimtrack._tracker import Tracker
from claimtrack.errors import ImportFormatError, InvalidRecordError

from ._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportReport,
    ImportSource,
    Skipped,
    UnknownRating,
    check_count,
    check_limits,
    child,
    group,
    is_document,
    parse_json,
    parse_json_lines,
    read_bounded,
)

__all__ = [
    "EXPORT_SCALE",
    "NUMERIC_SCALE",
    "RATINGS",
    "export_claimreviews",
    "from_claimreview",
    "import_claimreviews",
    "rating_verdict",
    "to_claimreview",
    "to_html_script",
]

_H, _P, _F = Verdict.HELD, Verdict.PARTLY_HELD, Verdict.FAILED

RATINGS: Mapping[str, Verdict | None] = MappingProxyType(
    {
        # PolitiFact's Truth-O-Meter and the like
        "true": _H,
        "mostly true": _H,
        "half true": _P,
        "mostly false": _F,
        "false": _F,
        "pants on fire": _F,
        # promise trackers
        "promise kept": _H,
        "compromise": _P,
        "promise broken": _F,
        "stalled": None,
        "in the works": None,
        "not yet rated": None,
        # common plain words
        "correct": _H,
        "accurate": _H,
        "incorrect": _F,
        "inaccurate": _F,
        "unproven": Verdict.UNVERIFIABLE,
        "unverifiable": Verdict.UNVERIFIABLE,
        # claimtrack's own verdicts, as to_claimreview writes them
        "held": _H,
        "partly held": _P,
        "failed": _F,
        "pending": None,
        "unresolved": Verdict.UNRESOLVED,
        "contested": Verdict.CONTESTED,
        "void": Verdict.VOID,
    }
)
"""The rating words claimtrack knows, normalised (lower case, single spaces, no hyphens or
end punctuation: ``"Pants on Fire!"`` is ``"pants on fire"``), and the verdict each
becomes.  ``None`` means *known, but no ruling*: the claim is imported as still open
(``Stalled``, ``In the Works``; a ruling can never be ``PENDING``).

The six-step Truth-O-Meter folds onto claimtrack's three resolved verdicts
symmetrically: *True* and *Mostly True* held, *Half True* partly held, *Mostly False*,
*False* and *Pants on Fire* failed.  The ruling's rationale keeps the original words,
so nothing is lost.  Pass ``ratings={"misleading": "partly_held"}`` to an importer to
add words or change these.

.. versionadded:: 0.1.0"""

_PROMISE_WORDS = frozenset(
    {"promise kept", "compromise", "promise broken", "stalled", "in the works", "not yet rated"}
)

NUMERIC_SCALE: Mapping[str, float] = MappingProxyType({"failed_at_most": 0.25, "held_from": 0.75})
"""How a numeric ``ratingValue`` becomes a verdict.  Its position on its scale,
``(ratingValue - worstRating) / (bestRating - worstRating)``, is ``FAILED`` up to
``failed_at_most``, ``HELD`` from ``held_from``, and ``PARTLY_HELD`` between.  On the
default scale of 1 to 5: 5 and 4 held, 3 partly held, 2 and 1 failed.

.. versionadded:: 0.1.0"""

_SCHEMA_CONTEXTS = frozenset(
    {"https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/"}
)
_ORG_TYPES = frozenset({"PoliticalParty", "NGO", "Corporation", "Project", "Consortium"})
_SPACES = re.compile(r"\s+")


def _normalize_rating(words: str) -> str:
    """The key a rating's words are looked up under in :data:`RATINGS`."""
    text = words.casefold().replace("-", " ").replace("_", " ")
    text = text.strip(" \t\r\n.!?\"'")
    return _SPACES.sub(" ", text)


def _ratings_table(ratings: Mapping[str, Verdict | str | None] | None) -> dict[str, Verdict | None]:
    table: dict[str, Verdict | None] = dict(RATINGS)
    if ratings is None:
        return table
    if not isinstance(ratings, Mapping):
        raise InvalidRecordError("ratings", ratings, "must be a mapping of words to verdicts")
    for words, verdict in ratings.items():
        if not isinstance(words, str) or not _normalize_rating(words):
            raise InvalidRecordError("ratings", words, "must map rating words (strings)")
        value = None if verdict is None else to_enum(Verdict, verdict, f"ratings[{words!r}]")
        table[_normalize_rating(words)] = None if value is Verdict.PENDING else value
    return table


def rating_verdict(
    words: str | None = None,
    value: float | None = None,
    *,
    best: float = 5,
    worst: float = 1,
    ratings: Mapping[str, Verdict | str | None] | None = None,
) -> Verdict | None:
    """The verdict a fact-checker's rating becomes on import.

    Words are looked up in :data:`RATINGS` (updated with *ratings*); without known
    words a numeric *value* is placed on its scale (:data:`NUMERIC_SCALE`).

    Args:
        words: the rating in words (``"Mostly False"``).
        value: a numeric rating.
        best: the best value of the numeric scale.
        worst: the worst value of the numeric scale.
        ratings: extra or overriding entries for the table.

    Returns:
        The verdict, or ``None`` when the rating means no ruling or is not known.

    Raises:
        InvalidRecordError: the numeric value is off its scale, or the scale is empty.

    Example:
        >>> from claimtrack.interop.claimreview import rating_verdict
        >>> rating_verdict("Pants on Fire!"), rating_verdict(value=4)
        (<Verdict.FAILED: 'failed'>, <Verdict.HELD: 'held'>)
        >>> rating_verdict("Stalled") is None
        True

    .. versionadded:: 0.1.0
    """
    table = _ratings_table(ratings)
    if words is not None:
        key = _normalize_rating(words)
        if key in table:
            return table[key]
    if value is None:
        return None
    return _numeric_verdict(value, best, worst)


def _numeric_verdict(value: float, best: float, worst: float) -> Verdict:
    if best == worst:
        raise InvalidRecordError("bestRating", best, "must differ from worstRating")
    position = (value - worst) / (best - worst)
    if not 0.0 <= position <= 1.0:
        raise InvalidRecordError(
            "ratingValue", value, f"is not between worstRating {worst} and bestRating {best}"
        )
    if position >= NUMERIC_SCALE["held_from"]:
        return _H
    if position <= NUMERIC_SCALE["failed_at_most"]:
        return _F
    return _P


# -- reading a document -----------------------------------------------------------------


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, list):
        values = [v for v in value if isinstance(v, str)]
    else:
        return set()
    # "schema:ClaimReview" and "https://schema.org/ClaimReview" are the same type
    return {re.sub(r"^(https?://schema\.org/|schema:)", "", v) for v in values}


def _check_context(node: Mapping[str, Any], path: str, errors: list[ImportFormatError]) -> None:
    if "@context" not in node:
        return
    context = node["@context"]
    contexts = context if isinstance(context, list) else [context]
    for value in contexts:
        if not (isinstance(value, str) and value in _SCHEMA_CONTEXTS):
            errors.append(
                ImportFormatError(
                    child(path, "@context"),
                    f"{value!r:.80} is not the schema.org context; only that context is "
                    "understood, and no context is ever fetched",
                )
            )
            return


class _Reader:
    """Turns a parsed document into records, collecting every problem with its path."""

    def __init__(
        self,
        tracker: Tracker | None,
        ratings: Mapping[str, Verdict | str | None] | None,
        limits: ImportLimits,
    ) -> None:
        self.tracker = tracker
        self.table = _ratings_table(ratings)
        self.limits = limits
        self.errors: list[ImportFormatError] = []
        self.skipped: list[Skipped] = []
        self.unknown: list[UnknownRating] = []
        self.taken: set[str] = set()
        # new speakers: id -> (fields, role spans)
        self.new_speakers: dict[str, dict[str, Any]] = {}
        self.body: list[Record] = []
        # indexes of speakers and claims, the tracker's and this document's
        self.speaker_keys: dict[str, str] = {}  # id -> name key
        self.speaker_by_name: dict[str, str] = {}  # name key -> first id
        self.speaker_by_url: dict[str, str] = {}  # sameAs URL -> first id
        self.claim_keys: dict[str, tuple[str, str, PartialDate]] = {}  # id -> key
        self.seen_claims: dict[tuple[str, str, PartialDate], str] = {}  # key -> first id
        if tracker is not None:
            for speaker in tracker.speakers():
                self.index_speaker(speaker.id, _name_key(speaker.name), speaker.same_as)
            for claim in tracker.claims(include_retracted=True):
                key = (claim.speaker_id, _name_key(claim.text), claim.stated_on)
                self.claim_keys[claim.id] = key
                self.seen_claims.setdefault(key, claim.id)

    # -- items ----------------------------------------------------------------------

    def items(self, doc: Any, path: str, top: bool) -> list[tuple[dict[str, Any], str]]:
        """The ClaimReview nodes of *doc*, each with its path."""
        found: list[tuple[dict[str, Any], str]] = []
        if isinstance(doc, list):
            for i, node in enumerate(doc):
                if node is None and top:  # a blank line of JSON Lines
                    continue
                found.extend(self.items(node, child(path, i), top=False))
            return found
        if not isinstance(doc, dict):
            self.errors.append(ImportFormatError(path, f"is {_what(doc)}, not an object"))
            return found
        _check_context(doc, path, self.errors)
        types = _types(doc)
        if "@graph" in doc:
            graph = doc["@graph"]
            if not isinstance(graph, list):
                graph = [graph]
            found.extend(self.items(graph, child(path, "@graph"), top=False))
        elif "ClaimReview" in types:
            found.append((doc, path))
        elif "DataFeed" in types:
            elements = doc.get("dataFeedElement", [])
            where = child(path, "dataFeedElement")
            if not isinstance(elements, list):
                elements = [elements]
            for i, element in enumerate(elements):
                found.extend(self.items(element, child(where, i), top=False))
        elif "DataFeedItem" in types:
            inner = doc.get("item")
            if inner is None:
                self.skipped.append(Skipped(path, "a DataFeedItem without an item"))
            else:
                found.extend(self.items(inner, child(path, "item"), top=False))
        elif top:
            self.errors.append(
                ImportFormatError(
                    path, "is not a ClaimReview, a @graph, a DataFeed or an array of them"
                )
            )
        else:
            shown = ", ".join(sorted(types)) or "no @type"
            self.skipped.append(Skipped(path, f"not a ClaimReview ({shown})"))
        return found

    # -- small readers ----------------------------------------------------------------

    def text(self, node: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        value = node.get(key)
        where = child(path, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors.append(ImportFormatError(where, "is missing"))
            return None
        if not isinstance(value, str):
            self.errors.append(ImportFormatError(where, f"is {_what(value)}, not text"))
            return None
        return value.strip()

    def obj(
        self, node: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> tuple[dict[str, Any] | str | None, str]:
        """A nested object (the first, if a list), or a plain name string."""
        value = node.get(key)
        where = child(path, key)
        if isinstance(value, list):
            if not value:
                value = None
            else:
                value, where = value[0], child(where, 0)
        if value is None:
            if required:
                self.errors.append(ImportFormatError(where, "is missing"))
            return None, where
        if isinstance(value, dict | str):
            return value, where
        self.errors.append(ImportFormatError(where, f"is {_what(value)}, not an object"))
        return None, where

    def name_of(self, value: dict[str, Any] | str | None, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        return self.text(value, "name", path, required=True)

    def date(self, node: Mapping[str, Any], key: str, path: str) -> PartialDate | None:
        raw = self.text(node, key, path, required=False)
        if raw is None:
            return None
        try:
            return PartialDate.parse(raw, field=key)
        except InvalidRecordError:
            self.errors.append(ImportFormatError(child(path, key), f"{raw!r:.80} is not a date"))
            return None

    def number(self, node: Mapping[str, Any], key: str, path: str) -> float | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                return number
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.errors.append(ImportFormatError(child(path, key), f"{value!r:.80} is not a number"))
        return None

    def urls(self, node: Mapping[str, Any], path: str) -> tuple[str, ...]:
        value = node.get("sameAs")
        values = value if isinstance(value, list) else [] if value is None else [value]
        out = []
        for i, url in enumerate(values):
            if not isinstance(url, str):
                where = child(child(path, "sameAs"), i) if isinstance(value, list) else path
                self.errors.append(ImportFormatError(where, f"is {_what(url)}, not a URL"))
            elif url.strip():
                out.append(url.strip())
        return tuple(out)

    def build(self, make: Callable[[], Any], paths: Mapping[str, str], default: str) -> Any:
        """Build a record, turning its validation error into an error at the JSON path."""
        try:
            return make()
        except InvalidRecordError as exc:
            where = paths.get(exc.field, default)
            self.errors.append(ImportFormatError(where, f"{_short(exc.value)} {exc.reason}"))
            return None

    # -- ids --------------------------------------------------------------------------

    def is_taken(self, record_id: str) -> bool:
        return record_id in self.taken or (self.tracker is not None and record_id in self.tracker)

    def new_id(self, wanted: str | None, base: str, fallback: str) -> str:
        if wanted is not None and _valid_id(wanted) and not self.is_taken(wanted):
            chosen = wanted
        else:
            base = base or fallback
            chosen, n = base, 1
            while self.is_taken(chosen):
                n += 1
                chosen = f"{base}-{n}"
        self.taken.add(chosen)
        return chosen

    # -- speakers -----------------------------------------------------------------------

    def speaker(
        self, author: dict[str, Any] | str, path: str, stated: PartialDate | None
    ) -> str | None:
        """The id of the speaker for *author*: an existing one, or a new one."""
        node: dict[str, Any] = {"name": author} if isinstance(author, str) else author
        name = self.name_of(author, path) if isinstance(author, dict) else author.strip()
        if not name:
            if isinstance(author, str):
                self.errors.append(ImportFormatError(path, "is an empty name"))
            return None
        same_as = self.urls(node, path)
        ident = node.get("identifier") if isinstance(node.get("identifier"), str) else None
        title = self.text(node, "jobTitle", path, required=False)
        types = _types(node)
        org = any(t.endswith("Organization") or t in _ORG_TYPES for t in types)
        key = _name_key(name)

        existing = self.match(name, key, ident, same_as)
        if existing is not None:
            pending = self.new_speakers.get(existing)
            if pending is not None and title and stated is not None:
                pending["spans"].setdefault(title, []).append(stated)
            return existing
        speaker_id = self.new_id(ident, _slug(name), "speaker")
        spans: dict[str, list[PartialDate]] = {}
        if title and stated is not None:
            spans[title] = [stated]
        self.index_speaker(speaker_id, key, same_as)
        self.new_speakers[speaker_id] = {
            "name": name,
            "key": key,
            "org": org,
            "same_as": same_as,
            "ident": ident,
            "spans": spans,
            "path": path,
        }
        return speaker_id

    def index_speaker(self, sid: str, key: str, same_as: tuple[str, ...]) -> None:
        self.speaker_keys[sid] = key
        self.speaker_by_name.setdefault(key, sid)
        for url in same_as:
            self.speaker_by_url.setdefault(url, sid)

    def match(self, name: str, key: str, ident: str | None, same_as: tuple[str, ...]) -> str | None:
        """An earlier speaker for this author, by identifier, sameAs or name.

        Name matching applies only to an author without an identifier.
        """
        if ident is not None and self.speaker_keys.get(ident) == key:
            return ident
        for url in same_as:
            if url in self.speaker_by_url:
                return self.speaker_by_url[url]
        if ident is None:
            return self.speaker_by_name.get(key)
        return None

    def speaker_records(self) -> list[Record]:
        made: list[Record] = []
        for sid, f in self.new_speakers.items():

            def make(sid: str = sid, f: dict[str, Any] = f) -> Speaker:
                roles = [
                    Role(title, start=min(d.start for d in ds), end=max(d.end for d in ds))
                    for title, ds in f["spans"].items()
                ]
                return Speaker(sid, f["name"], roles, organization=f["org"], same_as=f["same_as"])

            paths = {
                "name": child(f["path"], "name"),
                "same_as": child(f["path"], "sameAs"),
                "title": child(f["path"], "jobTitle"),
            }
            record = self.build(make, paths, f["path"])
            if record is not None:
                made.append(record)
        return made

    # -- one review -----------------------------------------------------------------------

    def review(self, node: dict[str, Any], path: str) -> None:
        before = len(self.errors)
        text = self.text(node, "claimReviewed", path, required=True)
        item, item_path = self.obj(node, "itemReviewed", path, required=True)
        if isinstance(item, str):
            self.errors.append(ImportFormatError(item_path, "is text, not a Claim object"))
            item = None
        item = item or {}
        _check_context(item, item_path, self.errors)
        appearance, app_path = self.obj(item, "firstAppearance", item_path, required=False)
        if appearance is None:
            appearance, app_path = self.obj(item, "appearance", item_path, required=False)
        source = self.source(appearance, app_path)
        review_date = self.date(node, "datePublished", path)
        stated = self.date(item, "datePublished", item_path)
        stated_path = child(item_path, "datePublished")
        if stated is None and isinstance(appearance, dict):
            stated = self.date(appearance, "datePublished", app_path)
            stated_path = child(app_path, "datePublished")
        if stated is None:
            stated, stated_path = review_date, child(path, "datePublished")
        if stated is None and len(self.errors) == before:
            self.errors.append(
                ImportFormatError(
                    child(item_path, "datePublished"),
                    "is missing (and neither the appearance nor the review has a date)",
                )
            )
        author, author_path = self.obj(item, "author", item_path, required=bool(item))
        speaker_id = None if author is None else self.speaker(author, author_path, stated)
        quote = self.text(item, "text", item_path, required=False)
        topics = self.keywords(item, item_path)
        ident = item.get("identifier") if isinstance(item.get("identifier"), str) else None

        rating, rating_path = self.obj(node, "reviewRating", path, required=False)
        words: str | None = None
        words_path = rating_path
        verdict: Verdict | None = None
        explanation: str | None = None
        if isinstance(rating, str):
            words = rating.strip()
        elif isinstance(rating, dict):
            for key in ("alternateName", "name"):
                words = self.text(rating, key, rating_path, required=False)
                if words is not None:
                    words_path = child(rating_path, key)
                    break
            explanation = self.text(rating, "ratingExplanation", rating_path, required=False)
        known = words is not None and _normalize_rating(words) in self.table
        if known:
            assert words is not None
            verdict = self.table[_normalize_rating(words)]
        elif isinstance(rating, dict) and rating.get("ratingValue") is not None:
            verdict = self.numeric(rating, rating_path)
        reviewer, reviewer_path = self.obj(node, "author", path, required=False)
        by = self.name_of(reviewer, reviewer_path)

        if len(self.errors) > before or text is None or stated is None or speaker_id is None:
            return
        duplicate_key = (speaker_id, _name_key(text), stated)
        earlier = self.already_imported(ident, duplicate_key)
        if earlier is not None:
            self.skipped.append(Skipped(path, f"the claim is already imported as {earlier!r}"))
            return
        kind = (
            ClaimKind.PROMISE
            if words is not None and _normalize_rating(words) in _PROMISE_WORDS
            else ClaimKind.ASSERTION
        )
        claim_id = self.new_id(ident, _slug(f"{speaker_id} {text}"), "claim")
        claim = self.build(
            lambda: Claim(
                claim_id,
                speaker_id,
                text,
                quote=quote,
                kind=kind,
                stated_on=stated,
                source=source,
                topics=topics,
            ),
            {
                "text": child(path, "claimReviewed"),
                "quote": child(item_path, "text"),
                "stated_on": stated_path,
                "topics": child(item_path, "keywords"),
            },
            path,
        )
        if claim is None:
            return
        self.seen_claims.setdefault(duplicate_key, claim_id)
        self.claim_keys[claim_id] = duplicate_key
        self.body.append(claim)
        if words is not None and not known:
            self.unknown.append(UnknownRating(words_path, words, claim_id))
        if verdict is None:
            return
        on = review_date if review_date is not None else stated
        rationale = f"Rated {words!r}" if words is not None else None
        if explanation:
            rationale = f"{rationale}: {explanation}" if rationale else explanation
        if rationale is not None and len(rationale) > MAX_TEXT:
            rationale = rationale[: MAX_TEXT - 1] + "…"
        ruling_id = self.new_id(None, f"{claim_id}-r1", "ruling")
        ruling = self.build(
            lambda: Ruling(ruling_id, claim_id, verdict, on=on, rationale=rationale, by=by),
            {"by": reviewer_path, "rationale": child(rating_path, "ratingExplanation")},
            rating_path,
        )
        if ruling is not None:
            self.body.append(ruling)

    def already_imported(self, ident: str | None, key: tuple[str, str, PartialDate]) -> str | None:
        """The id of the claim this review repeats, if any.

        A review whose claim carries an ``identifier`` repeats the claim of that id
        when it is the same statement; with a free identifier it is new, even if its
        wording is the same as another claim's (two claims may be worded alike).
        Without an identifier, the same speaker, text and date make a repeat.
        """
        if ident is not None and _valid_id(ident):
            same = self.claim_keys.get(ident)
            if same == key:
                return ident
            if same is None and not self.is_taken(ident):
                return None
        return self.seen_claims.get(key)

    def numeric(self, rating: Mapping[str, Any], path: str) -> Verdict | None:
        value = self.number(rating, "ratingValue", path)
        best = self.number(rating, "bestRating", path)
        worst = self.number(rating, "worstRating", path)
        if value is None:
            return None
        try:
            return _numeric_verdict(
                value, 5.0 if best is None else best, 1.0 if worst is None else worst
            )
        except InvalidRecordError as exc:
            self.errors.append(
                ImportFormatError(child(path, exc.field), f"{exc.value!r} {exc.reason}")
            )
            return None

    def keywords(self, item: Mapping[str, Any], path: str) -> tuple[str, ...]:
        value = item.get("keywords")
        where = child(path, "keywords")
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        if isinstance(value, list) and all(isinstance(k, str) for k in value):
            return tuple(k.strip() for k in value if k.strip())
        self.errors.append(ImportFormatError(where, "must be text or a list of texts"))
        return ()

    def source(self, node: dict[str, Any] | str | None, path: str) -> Source | None:
        if node is None:
            return None
        if isinstance(node, str):
            node = {"url": node}
        publisher, publisher_path = self.obj(node, "publisher", path, required=False)
        author, author_path = self.obj(node, "author", path, required=False)
        title = self.text(node, "headline", path, required=False)
        title_key = "headline"
        if title is None:
            title, title_key = self.text(node, "name", path, required=False), "name"
        fields = {
            "title": title,
            "publisher": self.name_of(publisher, publisher_path),
            "author": self.name_of(author, author_path),
            "published": self.date(node, "datePublished", path),
            "url": self.text(node, "url", path, required=False),
        }
        if all(fields[k] is None for k in ("title", "publisher", "url")):
            return None
        return self.build(  # type: ignore[no-any-return]
            lambda: Source(**fields),
            {
                "title": child(path, title_key),
                "publisher": publisher_path,
                "author": author_path,
                "url": child(path, "url"),
                "source": path,
            },
            path,
        )

    # -- the whole ----------------------------------------------------------------------

    def read(self, doc: Any) -> list[Record]:
        nodes = self.items(doc, "$", top=True)
        if self.errors:
            raise group("the document cannot be imported", self.errors)
        check_count(len(nodes), self.limits, what="reviews")
        for node, path in nodes:
            self.review(node, path)
        speakers = self.speaker_records()
        if self.errors:
            raise group("the document cannot be imported", self.errors)
        return [*speakers, *self.body]


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _name_key(name: str) -> str:
    return _SPACES.sub(" ", name.strip()).casefold()


def _valid_id(value: str) -> bool:
    try:
        clean_id(value)
    except InvalidRecordError:
        return False
    return True


def _load(source: ImportSource, limits: ImportLimits) -> Any:
    """Read, size-check and parse *source*, then check it against the other limits."""
    if not isinstance(limits, ImportLimits):
        raise InvalidRecordError("limits", limits, "must be an ImportLimits")
    if is_document(source):
        doc: Any = list(source) if isinstance(source, tuple) else source
    else:
        text = read_bounded(source, limits)
        name = str(getattr(source, "name", source)) if not isinstance(source, str | bytes) else ""
        if name.endswith(".jsonl"):
            doc = parse_json_lines(text)
        else:
            try:
                doc = parse_json(text)
            except ExceptionGroup as exc:
                # JSON Lines: several values, one per line ("Extra data" after the first)
                if "Extra data" not in str(exc.exceptions[0]):
                    raise
                doc = parse_json_lines(text)
    check_limits(doc, limits)
    return doc


def from_claimreview(
    doc: ImportSource,
    *,
    ratings: Mapping[str, Verdict | str | None] | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Read ClaimReview JSON-LD into records, without adding them anywhere.

    Args:
        doc: a parsed document (``dict`` / ``list``), JSON or JSON Lines text
            (``str`` / ``bytes``), a path (``pathlib.Path``; ``.jsonl`` is JSON Lines)
            or an open file. A single ``ClaimReview``, an array, a ``@graph`` or a
            ``DataFeed``.
        ratings: rating words to add to, or override in, :data:`RATINGS`.
        limits: how much to accept from this untrusted document.

    Returns:
        An :class:`~claimtrack.interop.ImportReport` whose ``records`` are the new
        speakers, then each claim followed by its ruling, not yet stamped.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per
            problem in the document, each naming its JSON path.
        InvalidRecordError: *ratings* or *limits* is not valid.

    Example:
        >>> from claimtrack.interop.claimreview import from_claimreview
        >>> report = from_claimreview({
        ...     "@context": "https://schema.org", "@type": "ClaimReview",
        ...     "claimReviewed": "Ukraine will be involved in the talks.",
        ...     "datePublished": "2025-03-12",
        ...     "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
        ...                      "author": {"@type": "Person", "name": "Donald Trump"}},
        ...     "reviewRating": {"@type": "Rating", "alternateName": "Mostly True"}})
        >>> [type(r).__name__ for r in report.records]
        ['Speaker', 'Claim', 'Ruling']
        >>> report.records[2].verdict
        <Verdict.HELD: 'held'>

    .. versionadded:: 0.1.0
    """
    reader = _Reader(None, ratings, limits)
    records = reader.read(_load(doc, limits))
    return ImportReport(records=records, skipped=reader.skipped, unknown_ratings=reader.unknown)


def import_claimreviews(
    tracker: Tracker,
    source: ImportSource,
    *,
    ratings: Mapping[str, Verdict | str | None] | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Import ClaimReview JSON-LD into *tracker*: every review, or none.

    Speakers already in the tracker are matched (by ``identifier``, ``sameAs`` or
    name, see the module's notes) rather than added again, and reviews of claims
    already in the tracker are skipped.

    Args:
        tracker: the tracker to add to.
        source: what to read; see :func:`from_claimreview`.
        ratings: rating words to add to, or override in, :data:`RATINGS`.
        limits: how much to accept from this untrusted document.

    Returns:
        An :class:`~claimtrack.interop.ImportReport`: the records added (stamped),
        the items skipped and why, and the rating words not known.

    Raises:
        ExceptionGroup: of :class:`~claimtrack.errors.ImportFormatError`, one per
            problem, each naming its JSON path; nothing is added.
        InvalidRecordError: *ratings* or *limits* is not valid.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.interop.claimreview import import_claimreviews
        >>> tracker = ct.Tracker()
        >>> _ = tracker.add_speaker("Sergey Lavrov", id="lavrov")
        >>> report = import_claimreviews(tracker, '''[{"@type": "ClaimReview",
        ...     "claimReviewed": "The talks will focus on US-Russia relations.",
        ...     "itemReviewed": {"@type": "Claim", "datePublished": "2025-02-18",
        ...                      "author": {"@type": "Person", "name": "Sergey Lavrov"}},
        ...     "reviewRating": {"@type": "Rating", "alternateName": "Kinda"}}]''')
        >>> report.counts, [u.rating for u in report.unknown_ratings]
        ({'claim': 1}, ['Kinda'])
        >>> tracker.claims(speaker="lavrov")[0].text
        'The talks will focus on US-Russia relations.'

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    reader = _Reader(tracker, ratings, limits)
    records = reader.read(_load(source, limits))
    added = tracker.add_many(records)
    return ImportReport(records=added, skipped=reader.skipped, unknown_ratings=reader.unknown)


# -- export ---------------------------------------------------------------------------

EXPORT_SCALE: Mapping[Verdict, int] = MappingProxyType({_H: 5, _P: 3, _F: 1})
"""The numeric rating :func:`to_claimreview` writes for a resolved verdict, on a scale
from ``worstRating`` 1 to ``bestRating`` 5: held 5, partly held 3, failed 1.  Other
verdicts carry their words (``alternateName``) and no number.  :data:`NUMERIC_SCALE`
reads these numbers back as the same verdicts.

.. versionadded:: 0.1.0"""

_CONTEXT = "https://schema.org"
_REVIEWER_KEYS = frozenset({"name", "url", "sameAs"})


def _reviewer(reviewer: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(reviewer, str):
        return {"@type": "Organization", "name": clean_text(reviewer, "reviewer")}
    if isinstance(reviewer, Mapping):
        extra = set(reviewer) - _REVIEWER_KEYS
        if extra or "name" not in reviewer:
            raise InvalidRecordError(
                "reviewer",
                reviewer,
                "must be a name, or a mapping with name and optional url, sameAs",
            )
        out: dict[str, Any] = {
            "@type": "Organization",
            "name": clean_text(reviewer["name"], "reviewer"),
        }
        if reviewer.get("url") is not None:
            out["url"] = _check_url(reviewer["url"], "reviewer")
        if reviewer.get("sameAs") is not None:
            same = reviewer["sameAs"]
            out["sameAs"] = [
                _check_url(u, "reviewer") for u in ([same] if isinstance(same, str) else same)
            ]
        return out
    raise InvalidRecordError("reviewer", reviewer, "must be a name or a mapping")


def _check_url(value: Any, name: str) -> str:
    try:
        return Source(url=value).url  # type: ignore[return-value]
    except InvalidRecordError as exc:
        raise InvalidRecordError(name, value, exc.reason) from None


def _creative_work(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if source.title is not None:
        work["headline"] = source.title
    if source.url is not None:
        work["url"] = source.url
    if source.publisher is not None:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.author is not None:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.published is not None:
        work["datePublished"] = str(source.published)
    return work


def _author(speaker: Speaker, claim: Claim) -> dict[str, Any]:
    author: dict[str, Any] = {
        "@type": "Organization" if speaker.organization else "Person",
        "name": speaker.name,
        "identifier": speaker.id,
    }
    if speaker.same_as:
        author["sameAs"] = list(speaker.same_as)
    role = speaker.role_on(claim.stated_on)
    if role is not None and not speaker.organization:  # jobTitle is a Person's property
        author["jobTitle"] = role.title
    return author


def _review_url(url: str | Callable[[Claim], str | None] | None, claim: Claim) -> str | None:
    if url is None:
        return None
    if callable(url):
        value = url(claim)
        return None if value is None else _check_url(value, "url")
    if not isinstance(url, str):
        raise InvalidRecordError("url", url, "must be a URL, a URL template or a function")
    return _check_url(url.replace("{id}", urllib.parse.quote(claim.id, safe="")), "url")


def to_claimreview(
    tracker: Tracker,
    claim: Claim | str,
    *,
    reviewer: str | Mapping[str, Any],
    as_of: DateInput | None = None,
    url: str | Callable[[Claim], str | None] | None = None,
) -> dict[str, Any]:
    """A schema.org ``ClaimReview`` (JSON-LD, as a ``dict``) of where a claim stands.

    The review is the tracker's assessment of the claim (:meth:`Tracker.assess
    <claimtrack.Tracker.assess>` at *as_of*): ``reviewRating`` is a ``Rating`` whose
    ``alternateName`` is the verdict in words (``"held"``, ``"partly held"`` …), whose
    ``ratingValue`` / ``bestRating`` / ``worstRating`` place a resolved verdict on
    :data:`EXPORT_SCALE`, and whose ``ratingExplanation`` is the assessment's
    :meth:`~claimtrack.Assessment.explain`.  ``itemReviewed`` is the ``Claim``: its
    ``author`` the speaker (a ``Person`` with the ``jobTitle`` of the role held on the
    date stated, or an ``Organization``), ``datePublished`` the date stated, ``text``
    the quote, ``keywords`` the topics, ``firstAppearance`` and ``appearance`` the
    source as a ``CreativeWork``.  The claim's and the speaker's ids go in
    ``identifier``, so that importing the review finds them again.

    Only types and properties that schema.org defines are written, each on a type it
    belongs to. ``Claim``, ``appearance``, ``firstAppearance``, ``ratingExplanation`` and
    ``jobTitle`` are in schema.org's pending area.

    Args:
        tracker: the tracker holding the claim.
        claim: the :class:`~claimtrack.Claim` or its id.
        reviewer: the reviewing organisation: its name, or a mapping with ``name`` and
            optionally ``url`` and ``sameAs``.
        as_of: judge the claim as of this date (any date input), which is also the
            review's ``datePublished``; by default on everything recorded, dated today
            by the tracker's clock.
        url: the review's URL: a URL, a template in which ``{id}`` is replaced by the
            claim's id, or a function of the claim; none by default.

    Returns:
        The JSON-LD document, ready for ``json.dumps`` or :func:`to_html_script`.

    Raises:
        UnknownRecordError: the claim is not in the tracker.
        InvalidRecordError: *reviewer*, *as_of* or *url* is not valid (naming it).

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.interop.claimreview import to_claimreview
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
        ...                 stated_on="2025-02-18")
        >>> _ = t.rule("c", "partly_held", on="2025-03-11", by="Desk")
        >>> doc = to_claimreview(t, "c", reviewer="Example Desk", as_of="2025-04-01")
        >>> doc["reviewRating"]["alternateName"], doc["reviewRating"]["ratingValue"]
        ('partly held', 3)
        >>> doc["itemReviewed"]["author"]
        {'@type': 'Person', 'name': 'Donald Trump', 'identifier': 'trump'}

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    author = _reviewer(reviewer)
    when = None if as_of is None else PartialDate.coerce(as_of, field="as_of")
    record = tracker.claim(claim.id if isinstance(claim, Claim) else claim)
    assessment = tracker.assess(record, as_of=when)
    speaker = tracker.speaker(record.speaker_id)
    # Without as_of the review is dated today, read from the tracker's own clock (the
    # same clock that stamps recorded_at), so a tracker with a fixed clock exports alike.
    today = tracker._clock()
    published = when if when is not None else PartialDate.coerce(today, field="as_of")

    rating: dict[str, Any] = {"@type": "Rating", "alternateName": assessment.verdict.label}
    value = EXPORT_SCALE.get(assessment.verdict)
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    explanation = assessment.explain()
    if len(explanation) > MAX_TEXT:
        explanation = explanation[: MAX_TEXT - 1] + "\u2026"
    rating["ratingExplanation"] = explanation

    item: dict[str, Any] = {
        "@type": "Claim",
        "identifier": record.id,
        "author": _author(speaker, record),
        "datePublished": str(record.stated_on),
    }
    if record.quote is not None:
        item["text"] = record.quote
    if record.topics:
        item["keywords"] = sorted(record.topics)
    if record.source is not None:
        work = _creative_work(record.source)
        item["firstAppearance"] = work
        item["appearance"] = [dict(work)]

    doc: dict[str, Any] = {"@context": _CONTEXT, "@type": "ClaimReview"}
    review_url = _review_url(url, record)
    if review_url is not None:
        doc["url"] = review_url
    doc.update(
        claimReviewed=record.text,
        datePublished=str(published),
        author=author,
        reviewRating=rating,
        itemReviewed=item,
    )
    return doc


def export_claimreviews(
    tracker: Tracker,
    path_or_file: str | os.PathLike[str] | IO[str],
    *,
    reviewer: str | Mapping[str, Any],
    as_of: DateInput | None = None,
    url: str | Callable[[Claim], str | None] | None = None,
    jsonl: bool | None = None,
) -> int:
    """Write a ``ClaimReview`` for every claim (not retracted) as a JSON array or JSON Lines.

    Every review is built before anything is written, and a file is written to a
    temporary file beside it and then moved into place, so a failure leaves no
    half-written file.  The output is UTF-8, with ``NaN`` refused.

    Args:
        tracker: the tracker whose claims to export, in the order they were added.
        path_or_file: a path, or a text file open for writing.
        reviewer: the reviewing organisation; see :func:`to_claimreview`.
        as_of: judge every claim as of this date; see :func:`to_claimreview`.
        url: each review's URL; see :func:`to_claimreview` (a plain URL would be the
            same for every review, so use a ``{id}`` template or a function).
        jsonl: ``True`` for JSON Lines (one review per line), ``False`` for one JSON
            array; by default JSON Lines for a path ending in ``.jsonl``.

    Returns:
        The number of reviews written.

    Raises:
        InvalidRecordError: an argument is not valid (naming it).
        OSError: the file cannot be written (nothing is left behind).

    Example:
        >>> import io, json
        >>> import claimtrack as ct
        >>> from claimtrack.interop.claimreview import export_claimreviews
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> _ = t.add_claim("lavrov", "Talks will focus on relations.", stated_on="2025-02-18")
        >>> out = io.StringIO()
        >>> export_claimreviews(t, out, reviewer="Example Desk", as_of="2025-03-01")
        1
        >>> json.loads(out.getvalue())[0]["reviewRating"]["alternateName"]
        'pending'

    .. versionadded:: 0.1.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    docs = [
        to_claimreview(tracker, claim, reviewer=reviewer, as_of=as_of, url=url)
        for claim in tracker.claims()
    ]
    path = os.fspath(path_or_file) if isinstance(path_or_file, str | os.PathLike) else None
    if jsonl is None:
        jsonl = path is not None and path.endswith(".jsonl")

    def dump(doc: Any, indent: int | None) -> str:
        return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=indent)

    text = "".join(dump(d, None) + "\n" for d in docs) if jsonl else dump(docs, 2) + "\n"
    if path is not None:
        write_text_atomically(path, text)
    elif hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        raise InvalidRecordError("path_or_file", path_or_file, "must be a path or a text file")
    return len(docs)


_HTML_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def to_html_script(doc: Any) -> str:
    r"""JSON-LD as a ``<script type="application/ld+json">`` element, safe inside HTML.

    ``json.dumps`` leaves ``</script>`` in a string as it is, which would end the
    element early and let the rest of the text run as HTML.  Here ``<``, ``>`` and
    ``&`` (and the line separators U+2028 / U+2029) are written as JSON ``\u``
    escapes, which JSON readers decode back to the same text.

    Args:
        doc: the JSON-LD document (e.g. from :func:`to_claimreview`).

    Returns:
        The ``<script>`` element as text.

    Raises:
        ValueError: the document holds ``NaN`` or infinity (not JSON).

    Example:
        >>> from claimtrack.interop.claimreview import to_html_script
        >>> print(to_html_script({"text": "</script> & y"}))
        <script type="application/ld+json">{"text": "\u003c/script\u003e \u0026 y"}</script>

    .. versionadded:: 0.1.0
    """
    body = json.dumps(doc, ensure_ascii=False, allow_nan=False).translate(_HTML_ESCAPES)
    return f'<script type="application/ld+json">{body}</script>'
