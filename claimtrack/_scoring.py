"""Scoring: from the records about a claim to a verdict, a probability and the reasons.

A :class:`ScoringPolicy` turns the records that count for a claim into an
:class:`Assessment`.  Policies are pure: no I/O and no clock.  The tracker decides which
records count (by ``as_of``, ``known_at`` and retractions) and which date the due date
is checked against, and passes all of that in.

The default policy, :class:`EvidenceWeighing`, is the rule of DESIGN.md: each piece of
evidence is a likelihood ratio for the claim having held, scaled (in log-odds) by its
source's reliability; conclusive evidence settles; a ruling overrides.  The values it
returns, :class:`Assessment` and :class:`Contribution`, and their explanation in words
live in :mod:`claimtrack._assessment` (re-exported here).

This module also holds :class:`_ClaimTally`, the per-claim running state the tracker
keeps up to date as records arrive, so that one assessment does not rescan a claim's
evidence.  It uses the same arithmetic, in the same order, as
:meth:`EvidenceWeighing.assess`, so the two give identical results, bit for bit.
"""

from __future__ import annotations

import array
import bisect
import datetime as _dt
import functools
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol, cast, runtime_checkable

import attrs
from attrs import field, frozen

from ._assessment import Assessment, Contribution, _logistic
from ._dates import PartialDate, Precision
from ._model import Claim, Evidence, Ruling, Stance, Strength, Verdict, slot_setters
from .errors import InvalidRecordError

__all__ = [
    "Assessment",
    "Contribution",
    "EvidenceWeighing",
    "ScoringPolicy",
]

# -- the tables -------------------------------------------------------------------------

LIKELIHOOD_RATIOS: Mapping[Strength, float] = MappingProxyType(
    {Strength.WEAK: 2.0, Strength.MODERATE: 4.0, Strength.STRONG: 16.0}
)
"""The default likelihood ratio of each strength.  ``CONCLUSIVE`` is not a ratio: it
settles the claim."""

STANCE_SIGNS: Mapping[Stance, int] = MappingProxyType(
    {Stance.SUPPORTS: 1, Stance.REFUTES: -1, Stance.MIXED: 0, Stance.CONTEXT: 0}
)
"""Which way each stance moves the log-odds: for (+1), against (-1), neither (0)."""

_STRONG = frozenset({Strength.STRONG, Strength.CONCLUSIVE})

# Flag bits of one weighed piece of evidence (see EvidenceWeighing._flags).
_CONCLUSIVE_FOR, _CONCLUSIVE_AGAINST, _STRONG_FOR, _STRONG_AGAINST = 1, 2, 4, 8

# Probabilities within this much log-odds of a threshold count as reaching it, so that
# a probability of exactly 0.95 is not missed by floating-point rounding.
_THRESHOLD_SLACK = 1e-9

_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.UTC)


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


def evidence_key(evidence: Evidence) -> tuple[_dt.date, _dt.date, str]:
    """The order in which evidence is weighed: by the end of its date, then start, then id.

    It depends only on the evidence itself, never on when it was recorded, so the
    result of a sum over evidence does not depend on the order of recording.
    """
    return (evidence.observed_on.end, evidence.observed_on.start, evidence.id)


# (end, id): evidence_key when every piece is of one day (see _ClaimTally.build)
_END_ID = operator.attrgetter("observed_on.end", "id")


# evidence_key, made by operator.attrgetter in C: a sort or bisect calls it per piece
_evidence_key: Callable[[Evidence], tuple[_dt.date, _dt.date, str]] = operator.attrgetter(
    "observed_on.end", "observed_on.start", "id"
)


def _ruling_key(ruling: Ruling) -> tuple[_dt.date, _dt.datetime, str]:
    return (ruling.on.end, ruling.recorded_at or _EARLIEST, ruling.id)


def ruling_in_effect(rulings: Sequence[Ruling]) -> Ruling | None:
    """The ruling that applies among *rulings*: the latest by date, ties to the latest recorded.

    Example:
        >>> from claimtrack._scoring import ruling_in_effect
        >>> early = ct.Ruling("r1", "c", "failed", on="2025-03-01")
        >>> late = ct.Ruling("r2", "c", "held", on="2025-03-20")
        >>> ruling_in_effect([late, early]).id
        'r2'
    """
    return max(rulings, key=_ruling_key) if rulings else None


# -- the policies -------------------------------------------------------------------------


@runtime_checkable
class ScoringPolicy(Protocol):
    """How the records about a claim become an :class:`Assessment`.

    A policy is pure: it reads no files, no network and no clock.  The tracker passes
    in only the records that count for the view asked for (evidence observed by
    ``as_of``, rulings dated by ``as_of``, both recorded by ``known_at`` and not
    retracted then), and *judged_on*, the world date against which the claim's due
    date is checked: ``as_of`` when given, otherwise today's date from the tracker's
    clock.  The policy may take O(number of records) time.

    Example:
        >>> import attrs
        >>> class Coin:
        ...     def assess(self, claim, evidence, rulings, *, as_of, known_at, judged_on):
        ...         return ct.Assessment(claim, ct.Verdict.PENDING, ct.Verdict.PENDING,
        ...                              probability=0.5, log_odds=0.0, as_of=as_of,
        ...                              known_at=known_at)
        >>> isinstance(Coin(), ct.ScoringPolicy)
        True
        >>> t = ct.Tracker(policy=Coin())
        >>> _ = t.add_speaker("Sergey Lavrov", id="lavrov")
        >>> _ = t.add_claim("lavrov", "Talks will focus on relations.", id="c",
        ...                 stated_on="2025-02-18")
        >>> t.assess("c").probability
        0.5

    .. versionadded:: 0.1.0
    """

    def assess(
        self,
        claim: Claim,
        evidence: Sequence[Evidence],
        rulings: Sequence[Ruling],
        *,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        judged_on: PartialDate,
    ) -> Assessment:
        """Assess *claim* on *evidence* and *rulings* (only those that count)."""
        ...


def _ratios(value: Any) -> Mapping[Strength, float]:
    if not isinstance(value, Mapping):
        raise InvalidRecordError("likelihood_ratios", value, "must be a mapping of Strength")
    table: dict[Strength, float] = {}
    for key, ratio in value.items():
        if not isinstance(key, Strength) or key is Strength.CONCLUSIVE:
            raise InvalidRecordError(
                "likelihood_ratios", key, "must be WEAK, MODERATE or STRONG (CONCLUSIVE settles)"
            )
        if isinstance(ratio, bool) or not isinstance(ratio, int | float):
            raise InvalidRecordError("likelihood_ratios", ratio, "must be a number above 1")
        if not (1.0 < float(ratio) < math.inf):
            raise InvalidRecordError("likelihood_ratios", ratio, "must be a finite number above 1")
        table[key] = float(ratio)
    missing = [
        s.name for s in (Strength.WEAK, Strength.MODERATE, Strength.STRONG) if s not in table
    ]
    if missing:
        raise InvalidRecordError("likelihood_ratios", value, f"lacks {', '.join(missing)}")
    return MappingProxyType(table)


def _open_unit(instance: Any, attribute: attrs.Attribute[float], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRecordError(attribute.name, value, "must be a number in (0, 1)")
    if not 0.0 < value < 1.0:
        raise InvalidRecordError(attribute.name, value, "must lie strictly between 0 and 1")


@frozen
class EvidenceWeighing:
    """The default scoring policy: evidence as likelihood ratios (see DESIGN.md).

    Each piece of evidence adds ``sign(stance) · ln(ratio) · reliability`` to the
    log-odds that the claim held, starting from the prior's log-odds; the probability
    is ``1 / (1 + e^-log-odds)``.  The verdict, in order of precedence:

    1. conclusive evidence on one side only decides: ``HELD`` (probability 1.0) or
       ``FAILED`` (0.0); conclusive evidence on both sides gives ``CONTESTED`` and
       those pieces cancel (their shares are 0);
    2. ``HELD`` at probability ≥ *held_at*, ``FAILED`` at ≤ *failed_at* (compared in
       log-odds, within 1e-9, so that exactly 0.95 counts);
    3. ``CONTESTED`` when there is strong evidence (a strength in *strong*) on both
       sides; a ``MIXED`` piece of such strength counts as strong on both sides,
       while adding nothing to the log-odds;
    4. ``UNRESOLVED`` once the due date has passed (``judged_on.end > due.end``),
       else ``PENDING``; a claim with no due date stays ``PENDING``.

    A ruling in effect (the latest dated by ``as_of``; ties go to the latest recorded)
    replaces the verdict; the assessment keeps the computed one beside it.
    ``UNVERIFIABLE``, ``VOID`` and ``PARTLY_HELD`` come only from rulings.  When the
    evidence nets to nothing, the probability is exactly the prior.

    Args:
        likelihood_ratios: the ratio of each strength but ``CONCLUSIVE``
            (default 2, 4 and 16).
        prior: the probability before any evidence, in (0, 1); default 0.5.
        held_at: the probability at or above which a claim held; default 0.95.
        failed_at: the probability at or below which it failed; default 0.05.
        strong: the strengths that count toward ``CONTESTED``; default
            ``STRONG`` and ``CONCLUSIVE``.

    Raises:
        InvalidRecordError: a parameter out of range (naming it).

    Example:
        >>> policy = ct.EvidenceWeighing(prior=0.3)
        >>> policy.likelihood_ratios[ct.Strength.STRONG], policy.held_at
        (16.0, 0.95)

    .. versionadded:: 0.1.0
    """

    likelihood_ratios: Mapping[Strength, float] = field(
        default=LIKELIHOOD_RATIOS, converter=_ratios, hash=False
    )
    prior: float = field(default=0.5, kw_only=True, validator=_open_unit)
    held_at: float = field(default=0.95, kw_only=True, validator=_open_unit)
    failed_at: float = field(default=0.05, kw_only=True, validator=_open_unit)
    strong: frozenset[Strength] = field(default=_STRONG, kw_only=True, converter=frozenset)

    def __attrs_post_init__(self) -> None:
        if not self.failed_at < self.held_at:
            raise InvalidRecordError(
                "failed_at", self.failed_at, f"must be below held_at {self.held_at}"
            )
        for s in self.strong:
            if not isinstance(s, Strength):
                raise InvalidRecordError("strong", s, "must be a Strength")

    @property
    def prior_log_odds(self) -> float:
        """The log-odds of the prior (0.0 for 0.5)."""
        return self._cuts[0]

    @functools.cached_property
    def _cuts(self) -> tuple[float, float, float]:
        """The prior's log-odds, and the log-odds at or past which a claim held / failed."""
        prior = 0.0 if self.prior == 0.5 else _logit(self.prior)
        held = _logit(self.held_at) - _THRESHOLD_SLACK
        failed = _logit(self.failed_at) + _THRESHOLD_SLACK
        return prior, held, failed

    def weigh(self, evidence: Evidence) -> Contribution:
        """The :class:`Contribution` of one piece of evidence, on its own.

        Conclusive evidence gets a share of ``±inf`` here, at any reliability above 0;
        :meth:`assess` sets it to 0 when conclusive evidence on the other side cancels
        it.  Evidence from a source of reliability 0 counts for nothing at all.

        Example:
            >>> e = ct.Evidence("e1", "c", "Not invited.", stance="refutes",
            ...                 observed_on="2025-02-18")
            >>> round(ct.EvidenceWeighing().weigh(e).share, 4)
            -1.3863
        """
        sign = STANCE_SIGNS[evidence.stance]
        reliability = evidence.reliability
        if sign == 0:
            share = 0.0
        elif evidence.strength is Strength.CONCLUSIVE:
            share = math.inf * sign if reliability > 0 else 0.0
        else:
            share = sign * math.log(self.likelihood_ratios[evidence.strength]) * reliability
        return Contribution(
            evidence, evidence.stance, evidence.strength, reliability=reliability, share=share
        )

    def _flags(self, contribution: Contribution) -> int:
        """The bits of one contribution that count toward settling or contesting."""
        stance, strength = contribution.stance, contribution.strength
        flags = 0
        if strength is Strength.CONCLUSIVE and math.isinf(contribution.share):
            flags |= _CONCLUSIVE_FOR if contribution.share > 0 else _CONCLUSIVE_AGAINST
        if strength in self.strong and contribution.reliability > 0:
            if stance is not Stance.REFUTES and stance is not Stance.CONTEXT:
                flags |= _STRONG_FOR
            if stance is not Stance.SUPPORTS and stance is not Stance.CONTEXT:
                flags |= _STRONG_AGAINST
        return flags

    def assess(
        self,
        claim: Claim,
        evidence: Sequence[Evidence],
        rulings: Sequence[Ruling],
        *,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        judged_on: PartialDate,
    ) -> Assessment:
        """Assess *claim* from scratch on the evidence and rulings that count.

        Evidence is weighed in date order (the end of ``observed_on``, then its start,
        then the id), whatever the order given.

        Args:
            claim: the claim.
            evidence: the evidence that counts (already filtered).
            rulings: the rulings that count (already filtered); the latest applies.
            as_of: the world date of the view, kept in the assessment.
            known_at: the knowledge time of the view, kept in the assessment.
            judged_on: the date the due date is checked against.

        Returns:
            The :class:`Assessment`.

        Example:
            >>> claim = ct.Claim("c", "trump", "Ukraine will be involved.",
            ...                  stated_on="2025-02-18", due="2025-12-31")
            >>> e = ct.Evidence("e", "c", "Jeddah.", stance="supports", strength="strong",
            ...                 observed_on="2025-03-11")
            >>> a = ct.EvidenceWeighing().assess(claim, [e], [], as_of=None, known_at=None,
            ...                                  judged_on=ct.PartialDate.parse("2026-01-01"))
            >>> a.verdict, round(a.probability, 4)
            (<Verdict.UNRESOLVED: 'unresolved'>, 0.9412)

        Cost: O(n log n) in the evidence given.
        """
        contributions = [self.weigh(e) for e in sorted(evidence, key=evidence_key)]
        total = 0.0
        flags = [0, 0, 0, 0]
        for c in contributions:
            bits = self._flags(c)
            if not bits & (_CONCLUSIVE_FOR | _CONCLUSIVE_AGAINST):
                total += c.share
            for k in range(4):
                if bits >> k & 1:
                    flags[k] += 1
        return self._decide(
            claim,
            tuple(contributions),
            total,
            (flags[0], flags[1], flags[2], flags[3]),
            rulings,
            as_of=as_of,
            known_at=known_at,
            judged_on=judged_on,
        )

    def _decide(
        self,
        claim: Claim,
        contributions: tuple[Contribution, ...],
        total: float,
        counts: tuple[int, int, int, int],
        rulings: Sequence[Ruling],
        *,
        as_of: PartialDate | None,
        known_at: _dt.datetime | None,
        judged_on: PartialDate,
    ) -> Assessment:
        """The verdict from a tally: the finite shares' *total* and the flag *counts*.

        Shared by :meth:`assess` and the tracker's running tallies, so both agree.
        """
        conclusive_for, conclusive_against, strong_for, strong_against = counts
        prior, held_at, failed_at = self._cuts
        due = claim.due
        due_passed = due is not None and judged_on.end > due.end
        if conclusive_for and conclusive_against:
            contributions = tuple(
                attrs.evolve(c, share=0.0) if math.isinf(c.share) else c for c in contributions
            )
            verdict = Verdict.CONTESTED
            log_odds = prior + total
        elif conclusive_for or conclusive_against:
            verdict = Verdict.HELD if conclusive_for else Verdict.FAILED
            log_odds = math.inf if conclusive_for else -math.inf
        else:
            log_odds = prior + total
            if log_odds >= held_at:
                verdict = Verdict.HELD
            elif log_odds <= failed_at:
                verdict = Verdict.FAILED
            elif strong_for and strong_against:
                verdict = Verdict.CONTESTED
            elif due_passed:
                verdict = Verdict.UNRESOLVED
            else:
                verdict = Verdict.PENDING
        probability = self.prior if log_odds == prior else _logistic(log_odds)
        ruling = ruling_in_effect(rulings) if rulings else None
        # Assessment(claim, verdict, computed_verdict, probability=..., ...), its fields
        # set directly (in half the time): the first assess_all() of a large ledger
        # makes 100,000 of them
        assessment: Assessment = _new(Assessment)
        (
            set_claim, set_verdict, set_computed, set_probability, set_log_odds, set_prior,
            set_as_of, set_known_at, set_due_passed, set_contributions, set_ruling,
            set_resolved_on,
        ) = _ASSESSMENT_SETTERS  # fmt: skip
        set_claim(assessment, claim)
        set_verdict(assessment, verdict if ruling is None else ruling.verdict)
        set_computed(assessment, verdict)
        set_probability(assessment, probability)
        set_log_odds(assessment, log_odds)
        set_prior(assessment, prior)
        set_as_of(assessment, as_of)
        set_known_at(assessment, known_at)
        set_due_passed(assessment, due_passed)
        set_contributions(assessment, contributions)
        set_ruling(assessment, ruling)
        set_resolved_on(assessment, None)
        return assessment


# -- the running state kept by the tracker ------------------------------------------------

# Up to this many prefix entries are recomputed at once when evidence arrives; a longer
# tail (evidence dated early in a claim with much evidence) waits for the next view.
_EAGER = 64

_CONCLUSIVE = _CONCLUSIVE_FOR | _CONCLUSIVE_AGAINST

_View = tuple[tuple[Contribution, ...], float, tuple[int, int, int, int]]

_new = object.__new__
_CONTRIBUTION_SETTERS = slot_setters(Contribution)
_BITS = operator.itemgetter(0)
_COUNTED = operator.itemgetter(1)


def _weigh(
    policy: EvidenceWeighing,
    evidence: Evidence,
    key: tuple[str, str, float],
    weights: dict[tuple[str, str, float], tuple[int, float, float]],
) -> tuple[int, float, float]:
    """What *evidence* weighs, kept in *weights* by *key* (see _ClaimTally.build).

    ``(flag bits, share as counted in the sums, share of its Contribution)``:
    conclusive evidence that settles counts 0.0 in the sums, and its Contribution has
    a share of ``±inf``.
    """
    contribution = policy.weigh(evidence)
    bits = policy._flags(contribution)
    share = contribution.share
    if bits & _CONCLUSIVE:
        found = (bits, 0.0, math.inf if bits & _CONCLUSIVE_FOR else -math.inf)
    else:
        found = (bits, share, share)
    weights[key] = found
    return found


_ASSESSMENT_SETTERS = slot_setters(Assessment)


@functools.cache
def _flag_values(present: int) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Each flag value whose bit is set in *present*, with the flag bits it has."""
    return tuple(
        (value, tuple(k for k in range(4) if value >> k & 1))
        for value in range(1, 16)
        if present >> value & 1
    )


class _ClaimTally:
    """The evidence of one claim, sorted by :func:`evidence_key`, with prefix sums.

    Kept compact, as there is one entry per piece of evidence in the ledger: the sorted
    evidence (a list of references), each piece's counted share (``shares``, doubles
    in an array; 0.0 for conclusive evidence that settles) and flag bits (``flags``,
    one byte each), and ``psum[i]``, the sum of the shares of the first *i* pieces, with
    retracted pieces adding 0.  The flag counts of a prefix are counted when a view
    asks (``bytearray.count`` of each flag value present, in C), less the retracted
    pieces among them.  :class:`Contribution` objects are made only when a view asks
    for them, and kept from then on (``contribs``), so that a ledger that is loaded
    but not assessed holds none.

    ``psum`` is brought up to date from ``dirty``, the first position that changed: at
    once if at most 64 entries must be recomputed, else lazily at the next view.  So
    adding evidence in date order costs O(1) amortised, and adding it earlier in the
    order costs O(number of later pieces), once.
    """

    __slots__ = (
        "contribs", "dirty", "evidence", "flags", "full", "present", "psum", "retracted",
        "shares",
    )  # fmt: skip

    def __init__(self) -> None:
        self.evidence: list[Evidence] = []
        self.shares: array.array[float] = array.array("d")
        self.flags = bytearray()
        self.present = 0  # bit v set: some piece has flags == v (v > 0)
        self.retracted: dict[str, Evidence] = {}  # retracted pieces by id
        # doubles in an array: 8 bytes a piece, not a float object each
        self.psum: array.array[float] = array.array("d", (0.0,))
        self.dirty = 0
        # Contributions of every piece (retracted too), in order, once a view asked.
        self.contribs: list[Contribution] | None = None
        # The view of everything (as_of=None), kept until the next change.
        self.full: _View | None = None

    @classmethod
    def build(
        cls,
        policy: EvidenceWeighing,
        evidence: Iterable[Evidence],
        retracted: Iterable[Evidence],
        weights: dict[tuple[str, str, float], tuple[int, float, float]],
    ) -> _ClaimTally:
        """A tally of *evidence* made at once: one sort and one pass of the prefix sums.

        The same state as :meth:`add` of each piece in any order, then
        :meth:`set_retracted` of each of *retracted*: the order is fixed by
        :func:`evidence_key` (ids are unique), and the prefix sums are added up in that
        order either way.  Cost: O(n log n), against O(n) insertions for :meth:`add`.

        *weights* caches, for *policy*, what :meth:`EvidenceWeighing.weigh` and
        ``_flags`` give for a stance, strength and reliability: pass the same dict for
        the same policy, so that they are computed once per combination (a few dozen),
        not once per piece.

        The :class:`Contribution` of every piece is made in the same pass, as the first
        view would make them (a tally is built to be viewed), while the evidence is
        still in the processor's cache.
        """
        # (every slot is set below: no __init__, whose containers would be replaced)
        tally: _ClaimTally = _new(cls)
        ordered = tally.evidence = list(evidence)
        # By (end, id), a shorter key than evidence_key's (sorting a million pieces
        # spends most of its time making keys): the same order unless two pieces end
        # on one day and one of them is known only to the month or year.  A piece
        # known only to the month or year is noticed in the pass below, which is then
        # made again after sorting by evidence_key.
        ordered.sort(key=_END_ID)
        get = weights.get
        day = Precision.DAY
        sorted_by_key = False
        while True:
            partial = False
            found: list[tuple[int, float, float]] = []  # the weights of each piece
            keep = found.append
            contribs: list[Contribution] = []
            made_one = contribs.append
            new = _new
            set_evidence, set_stance, set_strength, set_reliability, set_share = (
                _CONTRIBUTION_SETTERS
            )
            for e in ordered:
                if e.observed_on.precision is not day:
                    partial = True
                source = e.source
                reliability = 1.0 if source is None else source.reliability
                stance, strength = e.stance, e.strength
                # enum values: str hashes are cached, Enum.__hash__ is Python code
                weight = (stance._value_, strength._value_, reliability)
                weighed = get(weight) or _weigh(policy, e, weight, weights)
                keep(weighed)
                made = new(Contribution)  # as _contributions() makes it
                set_evidence(made, e)
                set_stance(made, stance)
                set_strength(made, strength)
                set_reliability(made, reliability)
                set_share(made, weighed[2])
                made_one(made)
            if not partial or sorted_by_key:
                break
            ordered.sort(key=_evidence_key)
            sorted_by_key = True
        flags = tally.flags = bytearray(map(_BITS, found))
        shares = list(map(_COUNTED, found))
        tally.shares = array.array("d", shares)
        present = 0
        for bits in set(flags):
            present |= 1 << bits
        tally.present = present & ~1
        tally.contribs = contribs
        tally.full = None
        tally.retracted = {e.id: e for e in retracted}
        if tally.retracted:
            tally.psum = array.array("d", (0.0,))
            tally.dirty = 0
            tally._refresh()
        else:  # _refresh(), with the sums added up one by one, left to right, in C
            tally.psum = array.array("d", itertools.accumulate(shares, initial=0.0))
            tally.dirty = len(ordered)
        return tally

    def _position(self, evidence: Evidence) -> int:
        return bisect.bisect_left(self.evidence, evidence_key(evidence), key=_evidence_key)

    def add(self, policy: EvidenceWeighing, evidence: Evidence) -> None:
        self.full = None
        contribution = policy.weigh(evidence)
        key = evidence_key(evidence)
        bits = policy._flags(contribution)
        share = 0.0 if bits & _CONCLUSIVE else contribution.share
        ordered = self.evidence
        if not ordered or evidence_key(ordered[-1]) < key:
            i = len(ordered)
            ordered.append(evidence)
            self.shares.append(share)
            self.flags.append(bits)
            if self.contribs is not None:
                self.contribs.append(contribution)
        else:
            i = bisect.bisect_left(ordered, key, key=_evidence_key)
            ordered.insert(i, evidence)
            self.shares.insert(i, share)
            self.flags.insert(i, bits)
            if self.contribs is not None:
                self.contribs.insert(i, contribution)
        if bits:
            self.present |= 1 << bits
        if i < self.dirty:
            self.dirty = i
        if len(ordered) - self.dirty <= _EAGER:  # a short tail: bring the prefixes up to date now
            self._refresh()

    def set_retracted(self, evidence: Evidence, retracted: bool) -> None:
        if (evidence.id in self.retracted) == retracted:
            return
        self.full = None
        if retracted:
            self.retracted[evidence.id] = evidence
        else:
            del self.retracted[evidence.id]
        self.dirty = min(self.dirty, self._position(evidence))

    def _refresh(self) -> None:
        d, n = self.dirty, len(self.evidence)
        if d >= n:
            return
        psum = self.psum
        del psum[d + 1 :]
        total = psum[d]
        retracted, ordered, shares = self.retracted, self.evidence, self.shares
        if not retracted:
            for j in range(d, n):
                total += shares[j]
                psum.append(total)
        else:
            for j in range(d, n):
                if ordered[j].id not in retracted:
                    total += shares[j]
                psum.append(total)
        self.dirty = n

    def _contributions(self) -> list[Contribution]:
        """The :class:`Contribution` of every piece, as :meth:`EvidenceWeighing.weigh` gives it.

        Conclusive evidence that settles (counted as 0.0 here) has a share of ``±inf``.
        """
        out: list[Contribution] = []
        append, new, inf = out.append, _new, math.inf
        set_evidence, set_stance, set_strength, set_reliability, set_share = _CONTRIBUTION_SETTERS
        for e, share, bits in zip(self.evidence, self.shares, self.flags, strict=True):
            if bits & _CONCLUSIVE:
                share = inf if bits & _CONCLUSIVE_FOR else -inf
            source = e.source
            contribution = new(Contribution)
            set_evidence(contribution, e)
            set_stance(contribution, e.stance)
            set_strength(contribution, e.strength)
            set_reliability(contribution, 1.0 if source is None else source.reliability)
            set_share(contribution, share)
            append(contribution)
        return out

    def view(self, as_of: PartialDate | None) -> _View:
        """The counted contributions, the finite total and the flag counts by *as_of*.

        Cost: O(log n + r log n) plus C-level counts and copies over the first pieces,
        for n pieces of evidence of which r are retracted (after any pending refresh);
        the first view makes the contributions of all n pieces, once.
        """
        if as_of is None and self.full is not None:
            return self.full
        self._refresh()
        ordered = self.evidence
        n = len(ordered)
        if as_of is None:
            i = n
        else:
            # a key shorter than evidence_key's: compared by its date parts only
            bound = cast("tuple[_dt.date, _dt.date, str]", (as_of.end, _dt.date.max))
            i = bisect.bisect_right(ordered, bound, key=_evidence_key)
        contribs = self.contribs
        if contribs is None:
            contribs = self.contribs = self._contributions()
        flags = self.flags
        c = [0, 0, 0, 0]
        if self.present:
            for value, ks in _flag_values(self.present):
                found = flags.count(value, 0, i)
                if found:
                    for k in ks:
                        c[k] += found
        if not self.retracted:
            contributions = tuple(contribs) if i == n else tuple(contribs[:i])
        else:
            cut = sorted(self._position(e) for e in self.retracted.values())
            parts: list[Contribution] = []
            start = 0
            for j in cut:
                if j >= i:
                    break
                parts.extend(contribs[start:j])
                start = j + 1
                bits = flags[j]
                for k in range(4):
                    if bits >> k & 1:
                        c[k] -= 1
            parts.extend(contribs[start:i])
            contributions = tuple(parts)
        found_view = contributions, self.psum[i], (c[0], c[1], c[2], c[3])
        if as_of is None:
            self.full = found_view
        return found_view
