"""Words of estimative probability: reading a confidence off hedging words, when asked.

Speakers rarely give numbers; they say "almost certainly" or "unlikely".  The US
intelligence community publishes a standard scale for such words (Intelligence
Community Directive 203, *Analytic Standards*, 2015).  :func:`confidence_from` finds
the most specific phrase of that scale in a text and returns its band; a claim that
takes its confidence from it records ``confidence_basis="wording"``, so a track record
can include or exclude such claims.  claimtrack never applies this on its own.

The scale, with the synonyms recognised (the table :data:`BANDS`):

======================  ==========  ===================================================
term                    band        also matched
======================  ==========  ===================================================
almost no chance        1–5 %       remote, remote chance, remote possibility
very unlikely           5–20 %      highly unlikely, highly improbable, very improbable
unlikely                20–45 %     improbable, improbably
roughly even chance     45–55 %     roughly even odds, even chance, even odds,
                                    fifty-fifty, toss-up
likely                  55–80 %     probable, probably
very likely             80–95 %     highly likely, highly probable, very probable
almost certain          95–99 %     almost certainly, nearly certain(ly),
                                    virtually certain(ly)
======================  ==========  ===================================================

Matching is case-insensitive, on whole words, with hyphens read as spaces.  When a text
contains several phrases, the longest wins ("very unlikely" is not "unlikely"), then the
earliest.

**Negations are not guessed at.**  What "not likely" or "isn't almost certain" means on
this scale is a judgement, not a lookup, so when the phrase found is directly preceded by
"not", "never", "no" or a word ending in "n't", :func:`confidence_from` returns ``None``.
A negation *after* the phrase ("will probably not join") is part of the claim, not of the
hedge, and does not matter here.  Bare words like "remote" or "probable" can also occur
in other senses ("remote regions"): pass the hedge or the quote, not a whole article.

Example:
    >>> from claimtrack.wording import confidence_from
    >>> band = confidence_from("Russia will almost certainly not withdraw.")
    >>> band.term, band.midpoint
    ('almost certain', 0.97)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re

from attrs import frozen

from .errors import InvalidRecordError

__all__ = ["BANDS", "EstimativeBand", "confidence_from"]


@frozen
class EstimativeBand:
    """A band of the ICD 203 scale, and the phrase that matched it.

    Args:
        term: the scale's own term, e.g. ``"very likely"``.
        low: the lower end of the band, as a probability.
        high: the upper end.
        matched: the phrase found in the text, normalised (lower case, single spaces),
            e.g. ``"highly likely"``; equal to *term* in the table :data:`BANDS`.

    Example:
        >>> EstimativeBand("likely", 0.55, 0.80).midpoint
        0.675

    .. versionadded:: 0.1.0
    """

    term: str
    low: float
    high: float
    matched: str = ""

    @property
    def midpoint(self) -> float:
        """The middle of the band, which is the confidence the phrase is read as."""
        return round((self.low + self.high) / 2, 6)


_SCALE: tuple[tuple[str, float, float, tuple[str, ...]], ...] = (
    (
        "almost no chance",
        0.01,
        0.05,
        ("remote", "remote chance", "remote possibility", "remotely possible"),
    ),
    (
        "very unlikely",
        0.05,
        0.20,
        ("highly unlikely", "highly improbable", "very improbable"),
    ),
    ("unlikely", 0.20, 0.45, ("improbable", "improbably")),
    (
        "roughly even chance",
        0.45,
        0.55,
        ("roughly even odds", "even chance", "even odds", "fifty fifty", "toss up"),
    ),
    ("likely", 0.55, 0.80, ("probable", "probably")),
    ("very likely", 0.80, 0.95, ("highly likely", "highly probable", "very probable")),
    (
        "almost certain",
        0.95,
        0.99,
        (
            "almost certainly",
            "nearly certain",
            "nearly certainly",
            "virtually certain",
            "virtually certainly",
        ),
    ),
)

BANDS: tuple[EstimativeBand, ...] = tuple(
    EstimativeBand(term, low, high, term) for term, low, high, _ in _SCALE
)
"""The seven bands of the ICD 203 scale, from almost no chance to almost certain."""

_PHRASES: dict[str, EstimativeBand] = {
    phrase: band
    for band, (_, _, _, synonyms) in zip(BANDS, _SCALE, strict=True)
    for phrase in (band.term, *synonyms)
}
# Longest first, so that the regex alternation also prefers the specific phrase.
_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(p).replace(r"\ ", " ") for p in sorted(_PHRASES, key=lambda p: (-len(p), p))
    )
    + r")\b"
)
_NEGATION = re.compile(r"(?:\bnot|\bnever|\bno|n't)\s*$")
_MAX_TEXT = 100_000


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ").replace("\u2010", " ")
    return re.sub(r"\s+", " ", text)


def confidence_from(text: str) -> EstimativeBand | None:
    """The ICD 203 band that the hedging words in *text* express, or ``None``.

    Use ``band.midpoint`` as the claim's ``confidence`` with
    ``confidence_basis="wording"``.  The band is the probability of what the hedge is
    about: for "the strike is unlikely to end by summer", recorded as the claim "The
    strike will not end by summer", the confidence is ``1 - band.midpoint``.

    Args:
        text: the hedge, the quote or the claim's sentence.

    Returns:
        The :class:`EstimativeBand` of the longest (then earliest) phrase found, with
        ``matched`` set to it; ``None`` when no phrase of the scale is found, or when
        the phrase is negated (see the module docstring: negations are not guessed at).

    Raises:
        InvalidRecordError: *text* is not a string or is longer than 100,000 characters.

    Example:
        >>> confidence_from("It is very unlikely that talks resume.").term
        'very unlikely'
        >>> confidence_from("Kyiv will highly-likely be consulted.").midpoint
        0.875
        >>> confidence_from("It is not likely.") is None
        True
        >>> confidence_from("Talks will resume.") is None
        True

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        raise InvalidRecordError("text", text, "must be a string")
    if len(text) > _MAX_TEXT:
        raise InvalidRecordError("text", text, f"is longer than {_MAX_TEXT} characters")
    normal = _normalise(text)
    found = [(m.start(), m.group()) for m in _PATTERN.finditer(normal)]
    if not found:
        return None
    start, phrase = min(found, key=lambda hit: (-len(hit[1]), hit[0]))
    if _NEGATION.search(normal[:start]):
        return None
    band = _PHRASES[phrase]
    return EstimativeBand(band.term, band.low, band.high, phrase)
