"""Writing ClaimReview: where claimtrack stands on each claim, as schema.org JSON-LD.

claimtrack's own fields that schema.org has no property of a ``Claim`` for (the claim's
kind, due date, stated confidence and its basis, and the status of a promise that has
no verdict yet) are written as ``PropertyValue`` s in the claim's ``identifier``,
beside the claim's id, with a ``propertyID`` of ``claimtrack:kind``,
``claimtrack:due``, ``claimtrack:confidence``, ``claimtrack:confidence_basis`` and
``claimtrack:status``.  Why ``identifier``: in schema.org 30.0, ``additionalProperty``
belongs to ``Product``, ``Place``, ``Offer`` and a few others, not to a
``CreativeWork`` such as ``Claim``; ``identifier`` belongs to every ``Thing`` and
takes a ``PropertyValue``, the type schema.org made for a named value.  Topics go in
``keywords``, their own property.  The importer reads them back from either place.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import IO, Any

from claimtrack._dates import DateInput, PartialDate
from claimtrack._files import write_text_atomically
from claimtrack._model import (
    MAX_TEXT,
    Claim,
    ClaimKind,
    Source,
    Speaker,
    Stance,
    Verdict,
    clean_text,
)
from claimtrack._tracker import Tracker
from claimtrack.errors import InvalidRecordError

from ._claimreview_shapes import PROPERTY_PREFIX, STATUS_PREFIX

__all__ = ["EXPORT_SCALE", "export_claimreviews", "to_claimreview", "to_html_script"]

_H, _P, _F = Verdict.HELD, Verdict.PARTLY_HELD, Verdict.FAILED

EXPORT_SCALE: Mapping[Verdict, int] = MappingProxyType({_H: 5, _P: 3, _F: 1})
# documented where it is public: claimtrack.interop.claimreview

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


_VERBS: Mapping[Verdict, str] = MappingProxyType(
    {
        Verdict.HELD: "has held",
        Verdict.PARTLY_HELD: "has partly held",
        Verdict.FAILED: "has failed",
        Verdict.PENDING: "is still pending",
        Verdict.UNRESOLVED: "is unresolved",
        Verdict.CONTESTED: "is contested",
        Verdict.UNVERIFIABLE: "could not be verified",
        Verdict.VOID: "is void (a premise failed)",
    }
)


def _explanation(tracker: Tracker, speaker: Speaker, claim: Claim, assessment: Any) -> str:
    """The review's explanation in English, naming the speaker by name.

    The first sentence is the verdict ("Donald Trump's claim of 18 February 2025 has
    failed."); the rest is the assessment's own account, evidence by evidence.
    """
    verdict = assessment.verdict
    when = f"As of {assessment.as_of.describe()}, " if assessment.as_of is not None else ""
    head = (
        f"{when}{speaker.name}'s claim of {claim.stated_on.describe()}, "
        f'"{claim.text}", {_VERBS[verdict]}.'
    )
    full = assessment.explain(speaker=speaker)
    # The assessment's own first sentence says the same with the speaker's id: drop it.
    marker = f") is {verdict.label}. "
    cut = full.find(marker, full.find(claim.text) + len(claim.text))
    rest = full[cut + len(marker) :] if cut >= 0 else full
    return f"{head} {rest}".strip()


def _property(name: str, value: Any) -> dict[str, Any]:
    return {"@type": "PropertyValue", "propertyID": PROPERTY_PREFIX + name, "value": value}


def status_of(tracker: Tracker, claim: Claim | str) -> str | None:
    """The latest status a promise meter (or any rating that is not a verdict) gave a claim.

    Statuses are kept on import as context evidence whose text starts with
    ``"Status: "`` (see :mod:`claimtrack.interop.claimreview`); retracted ones do not
    count.

    Args:
        tracker: the tracker holding the claim.
        claim: the claim or its id.

    Returns:
        The status words as published (``"In the Works"``), or ``None``.

    Example:
        >>> import claimtrack as ct
        >>> from claimtrack.interop.claimreview import import_claimreviews, status_of
        >>> t = ct.Tracker()
        >>> _ = import_claimreviews(t, {"@type": "ClaimReview", "datePublished": "2025-03-01",
        ...     "claimReviewed": "We will build the bridge.",
        ...     "itemReviewed": {"@type": "Claim", "datePublished": "2024-10-01",
        ...                      "author": {"@type": "Person", "name": "Mayor Ada"}},
        ...     "reviewRating": {"@type": "Rating", "alternateName": "In the Works"}})
        >>> (claim,) = t.claims()
        >>> claim.kind, status_of(t, claim)
        (<ClaimKind.PROMISE: 'promise'>, 'In the Works')

    .. versionadded:: 0.2.0
    """
    if not isinstance(tracker, Tracker):
        raise InvalidRecordError("tracker", tracker, "must be a Tracker")
    latest: tuple[PartialDate, str] | None = None
    for evidence in tracker.evidence(claim.id if isinstance(claim, Claim) else claim):
        if evidence.stance is not Stance.CONTEXT or not evidence.text.startswith(STATUS_PREFIX):
            continue
        if tracker.is_retracted(evidence):
            continue
        if latest is None or evidence.observed_on.end >= latest[0].end:
            latest = (evidence.observed_on, evidence.text.removeprefix(STATUS_PREFIX))
    return None if latest is None else latest[1]


def _properties(tracker: Tracker, record: Claim, verdict: Verdict) -> list[dict[str, Any]]:
    out = []
    if record.kind is not ClaimKind.ASSERTION:
        out.append(_property("kind", record.kind.value))
    if record.due is not None:
        out.append(_property("due", str(record.due)))
    if record.confidence is not None:
        out.append(_property("confidence", record.confidence))
        out.append(_property("confidence_basis", record.confidence_basis))
    status = status_of(tracker, record) if verdict is Verdict.PENDING else None
    if status is not None:
        out.append(_property("status", status))
    return out


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
    ``identifier``, so that importing the review finds them again; beside the claim's
    id, ``PropertyValue`` s keep its kind (unless an assertion), due date, stated
    confidence and, for a claim with no verdict yet, its status (see the module's
    notes).  The explanation names the speaker and says the verdict in plain English
    ("Donald Trump's claim of 18 February 2025, "…", has failed.").

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
    explanation = _explanation(tracker, speaker, record, assessment)
    if len(explanation) > MAX_TEXT:
        explanation = explanation[: MAX_TEXT - 1] + "\u2026"
    rating["ratingExplanation"] = explanation

    properties = _properties(tracker, record, assessment.verdict)
    item: dict[str, Any] = {
        "@type": "Claim",
        "identifier": [record.id, *properties] if properties else record.id,
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
