"""Per-claim weighing counts: what lets a store answer a whole-ledger assessment.

The default scoring policy weighs a piece of evidence by three things only: its stance,
its strength and its source's reliability (1.0 without a source).  So what a claim's
evidence adds up to, taken whole, is known from how many of its pieces have each such
*weight key*; and since claimtrack adds shares up exactly, rounding once
(:mod:`claimtrack._sums`), the total from those counts is the same, bit for bit, as
the total of the pieces one by one.

A SQLite or PostgreSQL ledger keeps these counts in a table of its own, ``weights``:
one row per claim, written in the same transaction as the records they count, with a
mark of the last ``seq`` they take in (``weights_upto``: in SQLite's ``meta`` table,
in PostgreSQL's ``ledger_head``, beside the head).  They
are derived data, never the record of anything: they are used only where the store
can tell they are current, and otherwise the records themselves are read:

- a claim with any retraction reaching it is read from its records (retractions
  change what counts);
- a claim with a row after ``weights_upto`` (written by some program other than
  claimtrack) is read from its records;
- every ``UPDATE`` or ``DELETE`` of a record, by any program, deletes the counts of
  the claims it touches (two triggers; PostgreSQL's also empty them on ``TRUNCATE``),
  so an edited claim is read from its records; if those triggers are gone (or
  disabled), no counts are used at all;
- a row of counts that is not as this module writes it is not used.

:meth:`~claimtrack.Tracker.assess_all` (with the default policy, no *as_of* and no
*known_at*) is the one reader; see :func:`claimtrack._walk.assess_counted`.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from claimtrack._model import Claim, Evidence, Record, Ruling, Stance, Strength

__all__ = ["LedgerWeights", "WeightKey", "count", "decode", "key_text", "merge", "parse_key"]

WeightKey = tuple[str, str, float]
"""``(stance value, strength value, reliability)``: what the default policy weighs by."""

_STANCE_VALUES: Final = frozenset(s.value for s in Stance)
_STRENGTH_VALUES: Final = frozenset(s.value for s in Strength)

UPTO: Final = "weights_upto"
"""The name, in the ``meta`` table, of the last ``seq`` the counts take in."""

TRIGGERS: Final = ("weights_on_update", "weights_on_delete")
"""The triggers that keep edited claims out of the counts (their names)."""


_CLAIM_ID = operator.attrgetter("claim_id")
_STANCE = operator.attrgetter("stance._value_")
_STRENGTH = operator.attrgetter("strength._value_")
_SOURCE = operator.attrgetter("source")
_ID = operator.attrgetter("id")


def count(records: Sequence[Record]) -> tuple[list[str], dict[str, str]]:
    """The claims among *records* (ids, in order) and each claim's new counts, encoded.

    Each claim's counts are a JSON object of key text to count, as :func:`decode`
    reads (its keys in the order first met).  A bulk import counts a million pieces,
    so the work per piece is done by C-level iteration (``map``, ``Counter``); Python
    code runs once per distinct source and once per (claim, weight key) pair, and makes
    no container per claim (only strings, which the garbage collector never walks: the
    host's heap may be large).

    Example:
        >>> e = ct.Evidence("e", "c", "Seen.", stance="supports", observed_on="2025-03-01")
        >>> count([ct.Claim("c", "s", "C.", stated_on="2025-02-18"), e, e])
        (['c'], {'c': '{"supports/moderate/1.0":2}'})
    """
    is_, repeat, compress = operator.is_, itertools.repeat, itertools.compress
    kinds = list(map(type, records))
    claims = list(map(_ID, compress(records, map(is_, kinds, repeat(Claim)))))
    evidence = list(compress(records, map(is_, kinds, repeat(Evidence))))
    if not evidence:
        return claims, {}
    sources = list(map(_SOURCE, evidence))
    reliability = {
        number: 1.0 if source is None else source.reliability
        for number, source in dict(zip(map(id, sources), sources, strict=True)).items()
    }  # one entry a distinct source
    keys = list(
        zip(
            map(_STANCE, evidence),
            map(_STRENGTH, evidence),
            map(reliability.__getitem__, map(id, sources)),
            strict=True,
        )
    )
    text_of = {key: key_text(key) for key in set(keys)}
    pairs = Counter(zip(map(_CLAIM_ID, evidence), map(text_of.__getitem__, keys), strict=True))
    bodies: dict[str, str] = {}
    get = bodies.get
    for (claim_id, text), n in pairs.items():
        bodies[claim_id] = f'{get(claim_id, "")},"{text}":{n}'
    return claims, {claim_id: "{" + body[1:] + "}" for claim_id, body in bodies.items()}


def key_text(key: WeightKey) -> str:
    """A weight key as stored: ``"stance/strength/reliability"`` (the float's repr).

    Example:
        >>> key_text(("supports", "strong", 0.9))
        'supports/strong/0.9'
    """
    stance, strength, reliability = key
    return f"{stance}/{strength}/{reliability!r}"


def parse_key(text: str) -> WeightKey | None:
    """The weight key *text* stands for, or ``None`` if it is not one as stored.

    Example:
        >>> parse_key("supports/strong/0.9")
        ('supports', 'strong', 0.9)
        >>> parse_key("supports/strong/0.90") is None  # not as key_text() writes it
        True
    """
    parts = text.split("/")
    if len(parts) != 3 or parts[0] not in _STANCE_VALUES or parts[1] not in _STRENGTH_VALUES:
        return None
    try:
        reliability = float(parts[2])
    except ValueError:
        return None
    if not 0.0 <= reliability <= 1.0 or repr(reliability) != parts[2]:
        return None
    return parts[0], parts[1], reliability


# (a constant, like json's own default encoder: it holds no data)
_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def decode(text: object) -> dict[str, int] | None:
    """A claim's stored counts by key text; ``None`` unless a JSON object of positive ints.

    The keys are checked by whoever uses them (with :func:`parse_key`).

    Example:
        >>> decode('{"supports/strong/0.9":2}')
        {'supports/strong/0.9': 2}
        >>> decode('{"supports/strong/0.9":0}') is None
        True
    """
    if type(text) is not str:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if type(found) is not dict:
        return None
    if found:
        values = found.values()
        if set(map(type, values)) != {int} or min(values) < 1:
            return None
    return found


def merge(
    new_claims: Iterable[str],
    counts: Mapping[str, str],
    stored: Mapping[str, object],
) -> list[tuple[str, str]]:
    """The rows of counts to write after an append: ``(claim id, encoded counts)``.

    *new_claims* were appended just now (their counts start empty); *counts* is the
    new evidence by claim, encoded (:func:`count`); *stored* the stored counts of the
    other claims it bears on.  A claim that is neither new nor stored (its counts were
    dropped, see the module docstring), or whose stored counts are not well formed,
    gets no row: it stays read from its records.
    """
    fresh = set(new_claims)
    rows = [(claim_id, "{}") for claim_id in fresh if claim_id not in counts]
    for claim_id, added in counts.items():
        if claim_id in fresh:
            rows.append((claim_id, added))
            continue
        old = decode(stored.get(claim_id))
        if old is None or None in map(parse_key, old):
            continue
        for text, n in json.loads(added).items():
            old[text] = old.get(text, 0) + n
        rows.append((claim_id, _ENCODER.encode(old)))
    return rows


@attrs.frozen
class LedgerWeights:
    """What a store answers a whole-ledger assessment with, read in one snapshot.

    Args:
        claims: every claim, in ``seq`` order.
        counts: the stored counts of each claim whose counts are current (see the
            module docstring), by claim id, as stored (decode with :func:`decode`).
        rulings: every ruling, by the id of the claim it bears on, in ``seq`` order.
    """

    claims: list[Claim]
    counts: dict[str, object]
    rulings: dict[str, list[Ruling]]
