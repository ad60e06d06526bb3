"""What an assessment is, and how it explains itself in plain words.

:class:`Assessment` is the value a :class:`~claimtrack.ScoringPolicy` returns for a
claim: the verdict, the probability, the evidence that produced it (one
:class:`Contribution` each) and any ruling.  :meth:`Assessment.explain` says it in
words.  Both are pure values: no store, no clock, no I/O.  The weighing rule itself
lives in :mod:`claimtrack._scoring`.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from types import MappingProxyType

from attrs import field, frozen

from ._dates import PartialDate, Precision
from ._format import date_words, percent
from ._model import Claim, Evidence, Ruling, Speaker, Stance, Strength, Verdict
from ._sums import ExactSum
from .errors import InvalidRecordError

__all__ = ["Assessment", "Contribution"]


def _logistic(log_odds: float) -> float:
    """1 / (1 + e^-x), computed without overflow for large |x| (and for ±inf)."""
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    e = math.exp(log_odds)
    return e / (1.0 + e)


@frozen
class Contribution:
    """How one piece of evidence moved an assessment.

    Args:
        evidence: the :class:`~claimtrack.Evidence`.
        stance: its stance.
        strength: its strength.
        reliability: its source's reliability, in [0, 1] (1 without a source).
        share: what it added to the log-odds: ``sign(stance) · ln(ratio) · reliability``;
            ``±inf`` for conclusive evidence that settles the claim, ``0.0`` for
            ``MIXED``, ``CONTEXT``, and for conclusive evidence cancelled by conclusive
            evidence on the other side.

    Example:
        >>> e = ct.Evidence("e1", "c", "Delegations met in Jeddah.", stance="supports",
        ...                 strength="strong", observed_on="2025-03-11")
        >>> c = ct.EvidenceWeighing().weigh(e)
        >>> round(c.share, 4), round(c.likelihood_ratio, 4)
        (2.7726, 16.0)

    .. versionadded:: 0.1.0
    """

    evidence: Evidence
    stance: Stance
    strength: Strength
    reliability: float = field(kw_only=True)
    share: float = field(kw_only=True)

    @property
    def likelihood_ratio(self) -> float:
        """The factor by which this piece multiplied the odds (``e^share``)."""
        return math.exp(self.share)


@frozen
class Assessment:
    """Whether a claim held up, how sure that is, and why.

    Args:
        claim: the :class:`~claimtrack.Claim` assessed.
        verdict: the :class:`~claimtrack.Verdict`: the ruling's, if one applies, else
            the computed one.
        computed_verdict: the verdict the evidence alone gives.
        probability: the probability that the claim held, from the evidence.
        log_odds: its log-odds: ``prior_log_odds`` plus the sum of the contributions'
            shares (``±inf`` when conclusive evidence settled the claim).
        prior_log_odds: the log-odds before any evidence (0.0 for a prior of 0.5).
        as_of: the world date the claim was judged at, or ``None`` for all evidence.
        known_at: the knowledge time of the view, or ``None`` for everything recorded.
        due_passed: whether the claim's due date had passed when it was judged.
        contributions: one :class:`Contribution` per piece of evidence that counted,
            in the order weighed (by date).  From the tracker (``assess``,
            ``history``, ``assess_all``) a read-only sequence that stands for that
            tuple (equal to it, hashed as it, pickled and copied as it), whose
            contributions are made when first read.
        ruling: the :class:`~claimtrack.Ruling` that applies, or ``None``.
        resolved_on: for a ``HELD`` or ``FAILED`` verdict, the first day on which the
            claim, judged as of that day, had this verdict (found from its change
            points: the dates of its evidence and rulings, as known at ``known_at``);
            ``None`` otherwise.  Filled in by ``Tracker.assess`` and
            ``Tracker.history``; ``None`` from a policy's own ``assess`` and from
            ``Tracker.assess_all`` (which would pay a pass over the evidence of every
            resolved claim).  Not compared by ``==``: it describes the claim's
            history, not this judgement.

    The contributions add up to the log-odds.  Their shares are added up exactly and
    the sum rounded once: ``math.fsum`` of the shares is the total, whatever their
    order (a plain ``sum`` in order rounds at every step and may differ in the last
    bits).  With the default prior of 0.5, ``prior_log_odds`` is 0.0 and ``log_odds``
    equals that total; with another prior, ``log_odds`` is ``prior_log_odds + total``,
    rounded once more.  When conclusive evidence settles the claim, ``log_odds`` is
    ``±inf``; conclusive evidence on both sides counts 0.

    Example:
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Donald Trump", id="trump")
        >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
        ...                 stated_on="2025-02-18")
        >>> _ = t.add_evidence("c", "Ukraine was not invited to Riyadh.", stance="refutes",
        ...                    observed_on="2025-02-18")
        >>> a = t.assess("c")
        >>> a.verdict, round(a.probability, 6)
        (<Verdict.PENDING: 'pending'>, 0.2)

    .. versionadded:: 0.1.0
    """

    claim: Claim
    verdict: Verdict
    computed_verdict: Verdict
    probability: float = field(kw_only=True)
    log_odds: float = field(kw_only=True)
    prior_log_odds: float = field(kw_only=True, default=0.0)
    as_of: PartialDate | None = field(kw_only=True, default=None)
    known_at: _dt.datetime | None = field(kw_only=True, default=None)
    due_passed: bool = field(kw_only=True, default=False)
    contributions: tuple[Contribution, ...] = field(kw_only=True, default=(), repr=False)
    ruling: Ruling | None = field(kw_only=True, default=None)
    # derived from the claim's history, not part of the judgement: not compared
    resolved_on: PartialDate | None = field(kw_only=True, default=None, eq=False)

    @property
    def prior(self) -> float:
        """The probability before any evidence."""
        return _logistic(self.prior_log_odds)

    def explain(self, *, speaker: Speaker | None = None) -> str:
        """Say in plain words why the claim stands where it does.

        Names the claim's speaker, each piece of evidence that counted, its date and
        source, and how far it moved the probability that the claim held; then the
        verdict, and any ruling.  Percentages and dates follow one rule everywhere
        (halves rounded up; never "100 %" short of certainty: "over 99 %").

        Args:
            speaker: the claim's :class:`~claimtrack.Speaker`, so that the text names
                them (``tracker.speaker(a.claim.speaker_id)``); without it, the text
                gives the speaker's id.  The assessment itself holds only the claim, so
                that assessing stays a pure computation that never looks a speaker up.

        Returns:
            One paragraph of text.

        Raises:
            InvalidRecordError: *speaker* is not the claim's speaker.

        Example:
            >>> t = ct.Tracker()
            >>> trump = t.add_speaker("Donald Trump", id="trump")
            >>> _ = t.add_claim("trump", "Ukraine will be involved.", id="c",
            ...                 stated_on="2025-02-18", due="2025-12-31")
            >>> _ = t.add_evidence("c", "Delegations met in Jeddah.", stance="supports",
            ...                    strength="strong", observed_on="2025-03-11")
            >>> print(t.assess("c", as_of="2025-04-01").explain(speaker=trump))
            As of 1 April 2025, the claim "Ukraine will be involved." (Donald Trump, 18
            February 2025) is pending. Before any evidence it stood at 50 %. On 11 March
            2025, "Delegations met in Jeddah." (no source given) counted strongly for
            it, moving the probability from 50 % to 94 %. That leaves a probability of
            94 % that it held: not clear enough either way, and it is not due until 31
            December 2025.

        .. versionadded:: 0.1.0
        """
        c = self.claim
        if speaker is not None and (not isinstance(speaker, Speaker) or speaker.id != c.speaker_id):
            raise InvalidRecordError(
                "speaker", speaker, f"must be the claim's speaker, {c.speaker_id!r}"
            )
        when = f"As of {date_words(self.as_of)}" if self.as_of else "On all the evidence recorded"
        if self.known_at is not None:
            when += f", as the tracker knew it on {date_words(self.known_at)}"
        who = f"{c.speaker_id if speaker is None else speaker.name}, {date_words(c.stated_on)}"
        words = [f'{when}, the claim "{c.text}" ({who}) is {self.verdict.label}.']
        if not self.contributions:
            words.append(f"No evidence counted, so it stays at {percent(self.probability)}.")
        else:
            words.append(f"Before any evidence it stood at {percent(self.prior)}.")
            # the log-odds after each piece, added up as the assessment's (exactly,
            # rounded once), so that the last step ends where the assessment does
            prior, shares, settled = self.prior_log_odds, ExactSum(), 0.0
            after = _logistic(prior)
            for contribution in self.contributions:
                before = after
                if math.isinf(contribution.share):
                    settled = contribution.share
                else:
                    shares.add(contribution.share)
                after = _logistic(settled or prior + shares.value())
                words.append(_explain_one(contribution, before, after))
            words.append(self._conclusion())
        if self.ruling is not None:
            words.append(self._explain_ruling(self.ruling))
        return " ".join(words)

    def _conclusion(self) -> str:
        p = percent(self.probability)
        v = self.computed_verdict
        if v is Verdict.CONTESTED:
            return f"Strong evidence points both ways (a probability of {p}), so it is contested."
        if v in (Verdict.HELD, Verdict.FAILED):
            return f"That leaves a probability of {p} that it held: enough to call it {v.label}."
        due = self.claim.due
        if v is Verdict.UNRESOLVED and due is not None:
            tail = f"its due date, {date_words(due)}, has passed, so it is unresolved"
        elif due is not None:
            tail = f"it is not due until {date_words(due)}"
        else:
            tail = "it has no due date, so it stays pending"
        return (
            f"That leaves a probability of {p} that it held: "
            f"not clear enough either way, and {tail}."
        )

    def _explain_ruling(self, ruling: Ruling) -> str:
        by = f" by {ruling.by}" if ruling.by else ""
        why = f": {ruling.rationale}" if ruling.rationale else ""
        text = f"A ruling{by} from {date_words(ruling.on)} calls it {ruling.verdict.label}{why}"
        # End the sentence once, whether or not the rationale brought its own stop.
        text = text if text.endswith((".", "!", "?")) else text + "."
        if ruling.verdict is not self.computed_verdict:
            text += f" The evidence alone would make it {self.computed_verdict.label}."
        return text


_STRENGTH_WORDS: Mapping[Strength, str] = MappingProxyType(
    {
        Strength.WEAK: "weakly",
        Strength.MODERATE: "moderately",
        Strength.STRONG: "strongly",
        Strength.CONCLUSIVE: "conclusively",
    }
)


def _explain_one(contribution: Contribution, before: float, after: float) -> str:
    e = contribution.evidence
    source = e.source.describe() if e.source is not None else "no source given"
    on = "On" if e.observed_on.precision is Precision.DAY else "In"
    head = f'{on} {date_words(e.observed_on)}, "{e.text}" ({source})'
    if contribution.stance is Stance.CONTEXT:
        return f"{head} is background and moved nothing."
    if contribution.stance is Stance.MIXED:
        return f"{head} pointed both ways; it moved nothing but counts toward a contested verdict."
    side = "for" if contribution.stance is Stance.SUPPORTS else "against"
    trust = ""
    if contribution.reliability < 1.0:
        trusted = percent(contribution.reliability)
        trust = f" (from a source trusted at {trusted}, so it weighs less)"
    if contribution.strength is Strength.CONCLUSIVE:
        if math.isinf(contribution.share):
            return f"{head} was conclusive {side} it{trust}, which settles it."
        return f"{head} was conclusive {side} it, but conclusive evidence points the other way too."
    how = _STRENGTH_WORDS[contribution.strength]
    return (
        f"{head} counted {how} {side} it{trust}, moving the probability "
        f"from {percent(before)} to {percent(after)}."
    )
