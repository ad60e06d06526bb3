"""Hypothesis strategies that generate valid claimtrack records, for your own tests.

Every strategy here generates values that claimtrack accepts; :func:`ledgers` generates
whole ledgers (lists of records in an order a tracker accepts, with unique ids and
references that resolve).  Installing claimtrack also registers the record types with
Hypothesis, so ``st.from_type(ct.Claim)`` works.

Example:
    >>> import claimtrack as ct
    >>> from hypothesis import given
    >>> from hypothesis import settings
    >>> from claimtrack import strategies as cts
    >>> @given(cts.ledgers())
    ... @settings(max_examples=10)
    ... def test_every_ledger_loads(records):
    ...     tracker = ct.Tracker()
    ...     tracker.add_many(records)
    ...     assert len(tracker) == len(records)
    >>> test_every_ledger_loads()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import functools
import string
from typing import Any, TypeVar, cast

import attrs
from hypothesis import strategies as st

from ._dates import PartialDate, Precision
from ._model import (
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
)

__all__ = [
    "claims",
    "evidence",
    "forecasts",
    "ids",
    "ledgers",
    "partial_dates",
    "retractions",
    "roles",
    "rulings",
    "sources",
    "speakers",
    "texts",
]

_R = TypeVar("_R", bound=Record)

# The last year of generated world-time dates (a claim's stated_on, evidence's
# observed_on, a ruling's on): a tracker refuses those after its clock unless told
# allow_future=True, and this year is before the fixed clocks of tests and examples
# (and past).  Due dates may lie later.
_LAST_YEAR = 2024

# Letters of every script, digits, punctuation, spaces; never a lone surrogate (Cs),
# an unassigned or private code point, nor a control character.
_ALPHABET = st.characters(
    exclude_categories=("Cs", "Cc", "Co", "Cn"),
    include_characters="\n\t",
)


def texts(*, min_size: int = 1, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text that a record accepts: not blank, no lone surrogates, no control characters.

    The text may have spaces around it; records strip them.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import texts
        >>> find(texts(), lambda s: len(s) > 3)
        '0000'

    .. versionadded:: 0.1.0
    """
    return st.text(_ALPHABET, min_size=min_size, max_size=max_size).filter(
        lambda s: s.strip() != ""
    )


def ids() -> st.SearchStrategy[str]:
    """Record ids: short ASCII slugs.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import ids
        >>> find(ids(), lambda s: True)
        'r'

    .. versionadded:: 0.1.0
    """
    return (
        st.text(string.ascii_lowercase + string.digits + "-_.:", min_size=0, max_size=20)
        .map(lambda s: "r" + s)
        .filter(lambda s: s == s.strip())
    )


def partial_dates(
    *, min_year: int = 1900, max_year: int = 2100, precision: Precision | None = None
) -> st.SearchStrategy[PartialDate]:
    """Partial dates of any precision (or the one given) between two years.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import partial_dates
        >>> find(partial_dates(min_year=2025), lambda d: d.precision is ct.Precision.MONTH)
        PartialDate('2025-01')

    .. versionadded:: 0.1.0
    """
    precisions = st.just(precision) if precision is not None else st.sampled_from(Precision)
    days = st.dates(_dt.date(min_year, 1, 1), _dt.date(max_year, 12, 31))

    return st.builds(_coarsen, days, precisions)


def _coarsen(day: _dt.date, precision: Precision) -> PartialDate:
    """The day, month or year that contains *day*."""
    if precision is Precision.YEAR:
        return PartialDate.year(day.year)
    if precision is Precision.MONTH:
        return PartialDate.month(day.year, day.month)
    return PartialDate(day, Precision.DAY)


def _aware_datetimes() -> st.SearchStrategy[_dt.datetime]:
    return st.datetimes(
        _dt.datetime(2000, 1, 1), _dt.datetime(2099, 12, 31), timezones=st.just(_dt.UTC)
    )


def roles() -> st.SearchStrategy[Role]:
    """Roles with an optional start and end, the end never before the start.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import roles
        >>> role = find(roles(), lambda r: r.start is not None and r.end is not None)
        >>> role.start <= role.end
        True

    .. versionadded:: 0.1.0
    """

    def build(title: str, a: PartialDate | None, b: PartialDate | None) -> Role:
        if a is not None and b is not None and b.end < a.start:
            a, b = b, a
        return Role(title, start=a, end=b)

    maybe_date = st.none() | partial_dates(min_year=1950, max_year=2050)
    return st.builds(build, texts(max_size=40), maybe_date, maybe_date)


def sources() -> st.SearchStrategy[Source]:
    """Sources with a title and any of the other fields.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import sources
        >>> find(sources(), lambda s: s.reliability < 1).reliability
        0.0

    .. versionadded:: 0.1.0
    """
    urls = st.builds(lambda s: f"https://example.org/{s}", st.text(string.ascii_lowercase))
    return st.builds(
        Source,
        title=texts(max_size=60),
        publisher=st.none() | texts(max_size=30),
        author=st.none() | texts(max_size=30),
        published=st.none() | partial_dates(min_year=1990, max_year=2030),
        url=st.none() | urls,
        reliability=st.floats(0, 1),
    )


def speakers(*, id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Speaker]:
    """Speakers, with up to three roles.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import speakers
        >>> len(find(speakers(), lambda s: len(s.roles) > 1).roles)
        2

    .. versionadded:: 0.1.0
    """
    return st.builds(
        Speaker,
        id if id is not None else ids(),
        texts(max_size=40),
        st.lists(roles(), max_size=3).map(tuple),
        organization=st.booleans(),
    )


def claims(
    *,
    id: st.SearchStrategy[str] | None = None,
    speaker_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Claim]:
    """Claims with any kind, an optional due date after the stated date, topics, confidence.

    Claims are stated between 1990 and 2024 (a tracker refuses a claim stated after its
    clock); due dates may lie up to ten years later.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import claims
        >>> c = find(claims(), lambda c: c.due is not None)
        >>> c.due >= c.stated_on
        True

    .. versionadded:: 0.1.0
    """
    # Every strategy is built once, here, not inside ``build``: Hypothesis validates a
    # strategy object on its first draw, and re-validating fresh ones per draw made
    # ledgers() some ten times slower.
    id_s = id if id is not None else ids()
    speaker_id_s = speaker_id if speaker_id is not None else ids()
    stated_s = partial_dates(min_year=1990, max_year=_LAST_YEAR)
    # the due date: a day some time after stated_on, kept as that day, month or year
    due_s = st.none() | st.tuples(st.integers(0, 10 * 366), st.sampled_from(Precision))
    confidence_s = st.none() | st.floats(0, 1)
    text_s, quote_s = texts(), st.none() | texts(max_size=40)
    kind_s, source_s = st.sampled_from(ClaimKind), st.none() | sources()
    topics_s = st.frozensets(st.sampled_from(_TOPICS), max_size=3)
    basis_s = st.sampled_from(["stated", "wording"])

    @st.composite
    def build(draw: st.DrawFn) -> Claim:
        stated = draw(stated_s)
        later = draw(due_s)
        due = None if later is None else _coarsen(stated.end + _dt.timedelta(later[0]), later[1])
        confidence = draw(confidence_s)
        return Claim(
            draw(id_s),
            draw(speaker_id_s),
            draw(text_s),
            quote=draw(quote_s),
            kind=draw(kind_s),
            stated_on=stated,
            source=draw(source_s),
            due=due,
            topics=draw(topics_s),
            confidence=confidence,
            confidence_basis=None if confidence is None else draw(basis_s),
        )

    return build()


_TOPICS = ("ukraine", "russia", "economy", "health", "nato", "trade", "elections")


def evidence(
    *,
    id: st.SearchStrategy[str] | None = None,
    claim_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Evidence]:
    """Evidence of any stance and strength, observed between 1990 and 2024.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import evidence
        >>> find(evidence(), lambda e: e.stance is ct.Stance.REFUTES).stance
        <Stance.REFUTES: 'refutes'>

    .. versionadded:: 0.1.0
    """
    return st.builds(
        Evidence,
        id if id is not None else ids(),
        claim_id if claim_id is not None else ids(),
        texts(),
        stance=st.sampled_from(Stance),
        strength=st.sampled_from(Strength),
        observed_on=partial_dates(min_year=1990, max_year=_LAST_YEAR),
        source=st.none() | sources(),
    )


def rulings(
    *,
    id: st.SearchStrategy[str] | None = None,
    claim_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Ruling]:
    """Rulings with any verdict a ruling may give, made between 1990 and 2024.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import rulings
        >>> find(rulings(), lambda r: r.verdict is ct.Verdict.VOID).verdict
        <Verdict.VOID: 'void'>

    .. versionadded:: 0.1.0
    """
    return st.builds(
        Ruling,
        id if id is not None else ids(),
        claim_id if claim_id is not None else ids(),
        st.sampled_from([v for v in Verdict if v is not Verdict.PENDING]),
        on=partial_dates(min_year=1990, max_year=_LAST_YEAR),
        rationale=st.none() | texts(),
        by=st.none() | texts(max_size=30),
    )


def forecasts(
    *,
    id: st.SearchStrategy[str] | None = None,
    claim_id: st.SearchStrategy[str] | None = None,
    speaker_id: st.SearchStrategy[str] | None = None,
    made_on: st.SearchStrategy[PartialDate] | None = None,
) -> st.SearchStrategy[Forecast]:
    """Forecasts: any probability in [0, 1] (0 and 1 included), on any date.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import forecasts
        >>> find(forecasts(), lambda f: f.probability > 0.5).probability > 0.5
        True

    .. versionadded:: 0.2.0
    """
    return st.builds(
        Forecast,
        id if id is not None else ids(),
        claim_id if claim_id is not None else ids(),
        speaker_id if speaker_id is not None else ids(),
        st.floats(0.0, 1.0) | st.sampled_from([0.0, 0.5, 1.0]),
        made_on=made_on if made_on is not None else partial_dates(min_year=1990, max_year=2040),
        source=st.none() | sources(),
    )


def retractions(
    *,
    id: st.SearchStrategy[str] | None = None,
    target_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Retraction]:
    """Retractions with a reason.

    Example:
        >>> from hypothesis import find
        >>> from claimtrack.strategies import retractions
        >>> find(retractions(), lambda x: True).reason
        '0'

    .. versionadded:: 0.1.0
    """
    return st.builds(
        Retraction,
        id if id is not None else ids(),
        target_id if target_id is not None else ids(),
        reason=texts(),
    )


@st.composite
def ledgers(
    draw: st.DrawFn,
    *,
    max_speakers: int = 3,
    max_claims: int = 6,
    max_evidence: int = 12,
    max_rulings: int = 3,
    max_retractions: int = 3,
    max_forecasts: int = 3,
) -> list[Record]:
    """Whole ledgers: records in an order a tracker accepts, each with ``recorded_at``.

    Forecasts (up to *max_forecasts*) are by any speaker of the ledger and made on or
    after the day their claim was stated.
    Ids are unique, every reference resolves, ``recorded_at`` never decreases, and no
    claim, evidence or ruling is dated after 2024 (a tracker refuses records dated after
    its clock), so a ledger can be passed to
    :meth:`Tracker.add_many <claimtrack.Tracker.add_many>` and compared field for field
    after a round trip through any store or format.

    Example:
        >>> from hypothesis import given, settings
        >>> from claimtrack.strategies import ledgers
        >>> @given(ledgers())
        ... @settings(max_examples=10)
        ... def test_ledgers_load(records):
        ...     assert len(ct.Tracker().add_many(records)) == len(records)
        >>> test_ledgers_load()

    .. versionadded:: 0.1.0
    """
    parts = _ledger_parts()
    used: set[str] = set()
    clock = draw(parts.start)

    def stamp() -> _dt.datetime:
        nonlocal clock
        clock = clock + _dt.timedelta(microseconds=draw(parts.step))
        return clock

    def new_id() -> str:
        base = value = draw(parts.id)
        n = len(used)
        while value in used:  # unique without a filter that may reject many draws
            value = f"{base}-{n}"
            n += 1
        used.add(value)
        return value

    people = [
        _restamp(draw(parts.speaker), stamp(), id=new_id())
        for _ in range(draw(st.integers(1, max_speakers)))
    ]
    records: list[Record] = list(people)
    said: list[Claim] = []
    for _ in range(draw(st.integers(0, max_claims))):
        who = draw(st.sampled_from(people)).id
        said.append(_restamp(draw(parts.claim), stamp(), id=new_id(), speaker_id=who))
    records += said
    retractable: list[str] = [c.id for c in said]
    if said:
        on_claim = st.sampled_from([c.id for c in said])
        for _ in range(draw(st.integers(0, max_evidence))):
            ev = _restamp(draw(parts.evidence), stamp(), id=new_id(), claim_id=draw(on_claim))
            records.append(ev)
            retractable.append(ev.id)
        for _ in range(draw(st.integers(0, max_rulings))):
            ruling = _restamp(draw(parts.ruling), stamp(), id=new_id(), claim_id=draw(on_claim))
            records.append(ruling)
            retractable.append(ruling.id)
        whose = st.sampled_from([p.id for p in people])
        for _ in range(draw(st.integers(0, max_forecasts))):
            claim = draw(st.sampled_from(said))
            after = draw(st.integers(0, 400))
            made = PartialDate(claim.stated_on.start + _dt.timedelta(days=after))
            forecast = _restamp(
                draw(parts.forecast), stamp(), id=new_id(), claim_id=claim.id,
                speaker_id=draw(whose),
            )  # fmt: skip
            forecast = attrs.evolve(forecast, made_on=made)
            records.append(forecast)
            retractable.append(forecast.id)
        for _ in range(draw(st.integers(0, max_retractions))):
            target = draw(st.sampled_from(retractable))
            retraction = _restamp(draw(parts.retraction), stamp(), id=new_id(), target_id=target)
            records.append(retraction)
            retractable.append(retraction.id)
    return records


@attrs.frozen
class _LedgerParts:
    start: st.SearchStrategy[_dt.datetime]
    step: st.SearchStrategy[int]
    id: st.SearchStrategy[str]
    speaker: st.SearchStrategy[Speaker]
    claim: st.SearchStrategy[Claim]
    evidence: st.SearchStrategy[Evidence]
    ruling: st.SearchStrategy[Ruling]
    retraction: st.SearchStrategy[Retraction]
    forecast: st.SearchStrategy[Forecast]


@functools.cache
def _ledger_parts() -> _LedgerParts:
    """The strategies ledgers() draws from, made once (see the note in claims())."""
    return _LedgerParts(
        start=_aware_datetimes().map(lambda d: d.replace(microsecond=0)),
        step=st.integers(0, 10**9),
        id=ids(),
        speaker=speakers(),
        claim=claims(),
        evidence=evidence(),
        ruling=rulings(),
        retraction=retractions(),
        forecast=forecasts(),
    )


def _restamp(record: _R, when: _dt.datetime, **changes: Any) -> _R:
    # Typed as Any for the call: mypy's attrs plugin cannot type evolve() on a TypeVar
    # bound to a union of classes.
    anything: Any = record
    return cast("_R", attrs.evolve(anything, recorded_at=when, **changes))
