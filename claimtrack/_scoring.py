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

import datetime as _dt
import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from ._assessment import Assessment, Contribution, _logistic
from ._dates import PartialDate
from ._model import Claim, Evidence, Ruling, Stance, Strength, Verdict, slot_setters
from ._sums import total_of
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
    is ``1 / (1 + e^-log-odds)``.  The shares are added up exactly and the sum rounded
    once (``math.fsum`` of them), so the result does not depend on the order of the
    evidence; the log-odds is the prior's plus that sum.  The verdict, in order of precedence:

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
        counted: list[float] = []  # the shares that are finite
        flags = [0, 0, 0, 0]
        for c in contributions:
            bits = self._flags(c)
            if not bits & (_CONCLUSIVE_FOR | _CONCLUSIVE_AGAINST):
                counted.append(c.share)
            for k in range(4):
                if bits >> k & 1:
                    flags[k] += 1
        return self._decide(
            claim,
            tuple(contributions),
            total_of(counted),  # the exact sum, rounded once: the same in any order
            (flags[0], flags[1], flags[2], flags[3]),
            rulings,
            as_of=as_of,
            known_at=known_at,
            judged_on=judged_on,
        )

    def _verdict(
        self, total: float, counts: tuple[int, int, int, int], due_passed: bool
    ) -> tuple[Verdict, float]:
        """The computed verdict and the log-odds of a tally (the rule :meth:`_decide` applies).

        *total* is the sum of the finite shares, *counts* the flag counts (conclusive
        for, conclusive against, strong for, strong against).  Conclusive evidence on
        one side settles the claim; on both sides it is contested and the finite shares
        count; otherwise the log-odds are compared with the thresholds.
        """
        conclusive_for, conclusive_against, strong_for, strong_against = counts
        prior, held_at, failed_at = self._cuts
        if conclusive_for and conclusive_against:
            return Verdict.CONTESTED, prior + total
        if conclusive_for:
            return Verdict.HELD, math.inf
        if conclusive_against:
            return Verdict.FAILED, -math.inf
        log_odds = prior + total
        if log_odds >= held_at:
            return Verdict.HELD, log_odds
        if log_odds <= failed_at:
            return Verdict.FAILED, log_odds
        if strong_for and strong_against:
            return Verdict.CONTESTED, log_odds
        return (Verdict.UNRESOLVED if due_passed else Verdict.PENDING), log_odds

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
        derived: bool = False,
    ) -> Assessment:
        """The verdict from a tally: the finite shares' *total* and the flag *counts*.

        Shared by :meth:`assess` and the tracker's running tallies, so both agree.
        *derived*: *contributions* are made later, by this same path (so already as
        they are to be kept: not to be read here).
        """
        prior = self._cuts[0]
        due = claim.due
        due_passed = due is not None and judged_on.end > due.end
        verdict, log_odds = self._verdict(total, counts, due_passed)
        if counts[0] and counts[1] and not derived:  # conclusive both ways: contested
            contributions = tuple(
                attrs.evolve(c, share=0.0) if math.isinf(c.share) else c for c in contributions
            )
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


_new = object.__new__
_ASSESSMENT_SETTERS = slot_setters(Assessment)
