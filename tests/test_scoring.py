"""Tests for scoring: EvidenceWeighing, Assessment, and the tracker's assess/history."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from collections.abc import Iterator, Sequence
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import _appending, _tallies
from claimtrack import strategies as cts
from claimtrack._scoring import evidence_key
from claimtrack.errors import InvalidRecordError, UnknownRecordError
from claimtrack.stores import MemoryStore

S, R, M, C = ct.Stance.SUPPORTS, ct.Stance.REFUTES, ct.Stance.MIXED, ct.Stance.CONTEXT
WEAK, MOD, STRONG, CONC = (
    ct.Strength.WEAK,
    ct.Strength.MODERATE,
    ct.Strength.STRONG,
    ct.Strength.CONCLUSIVE,
)
TODAY = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def fixed(when: dt.datetime = TODAY) -> ct.Tracker:
    """A tracker whose clock always says *when*."""
    return ct.Tracker(clock=lambda: when)


class Feed(MemoryStore):
    """A memory store that another writer appends to: ``feed`` records, ``refresh`` reads them."""

    def __init__(self) -> None:
        super().__init__()
        self._fed: list[ct.Record] = []

    def feed(self, records: Sequence[ct.Record]) -> None:
        self._fed.extend(records)
        for record in records:
            self._index.add(record)

    def read_new(self) -> Iterator[ct.Record]:
        fed, self._fed = self._fed, []
        return iter(fed)


def claim_tracker(
    *, due: str | None = "2025-12-31", clock: dt.datetime = TODAY, policy: object = None
) -> ct.Tracker:
    """A tracker with one speaker and one claim, id ``c``, made on 18 February 2025."""
    tracker = ct.Tracker(clock=lambda: clock, policy=policy)  # type: ignore[arg-type]
    tracker.add_speaker("Donald Trump", id="trump")
    tracker.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18", due=due)
    return tracker


def add(
    tracker: ct.Tracker,
    stance: ct.Stance,
    strength: ct.Strength = MOD,
    on: str = "2025-03-01",
    reliability: float | None = None,
) -> ct.Evidence:
    source = None if reliability is None else ct.Source(title="Wire", reliability=reliability)
    return tracker.add_evidence(
        "c", f"{stance.value} {strength.value} {on}", stance=stance, strength=strength,
        observed_on=on, source=source,
    )  # fmt: skip


class TestEvidenceWeighingNumbers:
    def test_moderate_refutation_alone(self) -> None:
        """A moderate refutation alone gives 0.2."""
        t = claim_tracker()
        add(t, R, MOD)
        assert pytest.approx(0.2, rel=1e-12) == t.assess("c").probability
        assert -math.log(4) == t.assess("c").log_odds

    def test_then_a_strong_support(self) -> None:
        """Adding a strong support to a moderate refutation gives 0.8."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        add(t, S, STRONG, "2025-03-11")
        assert pytest.approx(0.8, rel=1e-12) == t.assess("c").probability

    def test_then_another_strong_support(self) -> None:
        """A second strong support gives 64/65, which is HELD."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        add(t, S, STRONG, "2025-03-11")
        add(t, S, STRONG, "2025-04-30")
        a = t.assess("c")
        assert pytest.approx(64 / 65, rel=1e-12) == a.probability
        assert a.verdict == ct.Verdict.HELD

    def test_weak(self) -> None:
        """A weak support alone gives 2/3."""
        t = claim_tracker()
        add(t, S, WEAK)
        assert pytest.approx(2 / 3, rel=1e-12) == t.assess("c").probability

    def test_strong_alone_is_not_enough(self) -> None:
        """One strong support gives 16/17, below 0.95: still PENDING."""
        t = claim_tracker(clock=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
        add(t, S, STRONG)
        a = t.assess("c")
        assert (pytest.approx(16 / 17, rel=1e-12), ct.Verdict.PENDING) == (
            a.probability,
            a.verdict,
        )

    def test_reliability_halves_the_log_ratio(self) -> None:
        """Reliability 0.5 halves the log ratio: a strong support counts as 4, giving 0.8."""
        t = claim_tracker()
        add(t, S, STRONG, reliability=0.5)
        a = t.assess("c")
        assert math.log(16) * 0.5 == a.contributions[0].share
        assert pytest.approx(0.8, rel=1e-12) == a.probability
        assert a.contributions[0].reliability == 0.5

    def test_reliability_zero_counts_nothing(self) -> None:
        """Evidence from a source trusted at 0 moves nothing, even conclusive evidence."""
        t = claim_tracker()
        add(t, S, CONC, reliability=0.0)
        a = t.assess("c")
        assert (a.probability, a.verdict) == (0.5, ct.Verdict.UNRESOLVED)

    def test_no_evidence_is_the_prior(self) -> None:
        """With no evidence the probability is exactly the prior."""
        t = claim_tracker(policy=ct.EvidenceWeighing(prior=0.3))
        assert (t.assess("c").probability, t.assess("c").contributions) == (0.3, ())

    def test_held_threshold_is_inclusive(self) -> None:
        """A probability of exactly 0.95 (the prior) is HELD; 0.05 is FAILED."""
        assert (
            claim_tracker(policy=ct.EvidenceWeighing(prior=0.95)).assess("c").verdict
            == ct.Verdict.HELD
        )
        assert (
            claim_tracker(policy=ct.EvidenceWeighing(prior=0.05)).assess("c").verdict
            == ct.Verdict.FAILED
        )

    def test_threshold_reached_by_evidence(self) -> None:
        """A likelihood ratio of 19 from even odds reaches exactly 0.95 / 0.05."""
        policy = ct.EvidenceWeighing({WEAK: 19, MOD: 20, STRONG: 30})
        up = claim_tracker(policy=policy)
        add(up, S, WEAK)
        down = claim_tracker(policy=policy)
        add(down, R, WEAK)
        assert (
            up.assess("c").verdict,
            down.assess("c").verdict,
        ) == (ct.Verdict.HELD, ct.Verdict.FAILED)

    def test_just_below_threshold(self) -> None:
        """Just short of 0.95 is not HELD."""
        t = claim_tracker(policy=ct.EvidenceWeighing({WEAK: 18.99, MOD: 20, STRONG: 30}))
        add(t, S, WEAK)
        assert t.assess("c").verdict == ct.Verdict.UNRESOLVED

    def test_conclusive_support_decides(self) -> None:
        """Conclusive support alone gives HELD at probability 1.0, whatever else."""
        t = claim_tracker()
        add(t, R, STRONG)
        add(t, S, CONC, "2025-03-02")
        a = t.assess("c")
        assert (ct.Verdict.HELD, 1.0, math.inf) == (a.verdict, a.probability, a.log_odds)

    def test_conclusive_refutation_decides(self) -> None:
        """Conclusive refutation alone gives FAILED at probability 0.0."""
        t = claim_tracker()
        add(t, S, STRONG)
        add(t, R, CONC, reliability=0.3)
        a = t.assess("c")
        assert (ct.Verdict.FAILED, 0.0, -math.inf) == (a.verdict, a.probability, a.log_odds)

    def test_conclusive_on_both_sides_is_contested(self) -> None:
        """Conclusive evidence on both sides: CONTESTED, and those pieces cancel (share 0)."""
        t = claim_tracker()
        add(t, S, CONC)
        add(t, R, CONC)
        add(t, S, MOD, "2025-03-05")
        a = t.assess("c")
        assert a.verdict == ct.Verdict.CONTESTED
        assert pytest.approx(0.8, rel=1e-12) == a.probability
        assert [0.0, 0.0, math.log(4)] == [c.share for c in a.contributions]

    def test_strong_on_both_sides_is_contested(self) -> None:
        """Strong evidence on both sides with a probability between thresholds: CONTESTED."""
        t = claim_tracker()
        add(t, S, STRONG)
        add(t, R, STRONG)
        a = t.assess("c")
        assert (a.verdict, a.probability) == (ct.Verdict.CONTESTED, 0.5)

    def test_thresholds_come_before_contested(self) -> None:
        """Strong evidence on both sides but a probability past 0.95 is HELD."""
        t = claim_tracker()
        for day in ("2025-03-01", "2025-03-02", "2025-03-03"):
            add(t, S, STRONG, day)
        add(t, R, STRONG)
        assert t.assess("c").verdict == ct.Verdict.HELD

    def test_strong_mixed_counts_on_both_sides(self) -> None:
        """A strong MIXED piece adds nothing to the log-odds but counts as strong both ways."""
        t = claim_tracker()
        add(t, S, STRONG)
        add(t, M, STRONG)
        a = t.assess("c")
        assert (
            a.verdict,
            pytest.approx(a.probability, rel=1e-12),
        ) == (ct.Verdict.CONTESTED, 16 / 17)
        assert a.contributions[1].share == 0.0

    def test_weak_mixed_does_not_contest(self) -> None:
        """A weak MIXED piece does not make a claim CONTESTED."""
        t = claim_tracker()
        add(t, S, STRONG)
        add(t, M, WEAK)
        assert t.assess("c").verdict == ct.Verdict.UNRESOLVED

    def test_context_moves_nothing_but_is_listed(self) -> None:
        """CONTEXT evidence is a contribution of 0."""
        t = claim_tracker()
        add(t, C, STRONG)
        a = t.assess("c")
        assert ([c.share for c in a.contributions], a.probability) == ([0.0], 0.5)

    def test_custom_prior(self) -> None:
        """The prior is the starting point; contributions add to log_odds - prior_log_odds."""
        t = claim_tracker(policy=ct.EvidenceWeighing(prior=0.2))
        add(t, S, MOD)
        a = t.assess("c")
        assert pytest.approx(0.5, rel=1e-12) == a.probability
        assert pytest.approx(a.log_odds - a.prior_log_odds, rel=1e-12) == math.log(4)


class TestExactSums:
    def pieces(self, t: ct.Tracker) -> list[ct.Evidence]:
        return [
            add(t, S, STRONG, "2025-03-01", reliability=0.7),
            add(t, S, MOD, "2025-03-02", reliability=0.7),
            add(t, R, STRONG, "2025-03-03", reliability=0.7),
        ]

    def test_shares_that_cancel_cancel_exactly(self) -> None:
        """A strong support and refutation from one source cancel: the moderate share is left.

        Added up one by one in date order, the sum was 0.9704060527839231, two units
        in the last place short; the exact sum, rounded once, is the moderate share.
        """
        t = claim_tracker()
        strong, moderate, against = self.pieces(t)
        weigh = ct.EvidenceWeighing().weigh
        share = weigh(moderate).share
        assert share == 0.9704060527839233
        assert weigh(strong).share + share + weigh(against).share == 0.9704060527839231
        (walked,) = t.assess_all()
        policy = ct.EvidenceWeighing().assess(
            t.claim("c"), [strong, moderate, against], [], as_of=None, known_at=None,
            judged_on=ct.PartialDate(TODAY.date()),
        )  # fmt: skip
        for a in (t.assess("c"), walked, t.history("c")[-1], policy):
            assert a.log_odds == share

    def test_the_order_of_the_evidence_does_not_matter(self) -> None:
        """The same pieces on other dates, so weighed in another order, give the same log-odds."""
        first, second = claim_tracker(), claim_tracker()
        self.pieces(first)
        add(second, R, STRONG, "2025-03-01", reliability=0.7)
        add(second, S, STRONG, "2025-03-02", reliability=0.7)
        add(second, S, MOD, "2025-03-03", reliability=0.7)
        assert first.assess("c").log_odds == second.assess("c").log_odds == 0.9704060527839233


class TestDueDates:
    def test_pending_until_due(self) -> None:
        """Between the thresholds a claim is PENDING up to and on its due date."""
        t = claim_tracker()
        assert t.assess("c", as_of="2025-12-31").verdict == ct.Verdict.PENDING

    def test_unresolved_after_due(self) -> None:
        """The day after the due date it is UNRESOLVED."""
        t = claim_tracker()
        a = t.assess("c", as_of="2026-01-01")
        assert (a.verdict, a.due_passed) == (ct.Verdict.UNRESOLVED, True)

    def test_without_as_of_the_clock_decides(self) -> None:
        """Without as_of, today's date comes from the tracker's clock."""
        on_due = claim_tracker(clock=dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC))
        after = claim_tracker(clock=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        assert (
            on_due.assess("c").verdict,
            after.assess("c").verdict,
        ) == (ct.Verdict.PENDING, ct.Verdict.UNRESOLVED)

    def test_no_due_date_stays_pending(self) -> None:
        """A claim with no due date is PENDING, never UNRESOLVED."""
        t = claim_tracker(due=None, clock=dt.datetime(2090, 1, 1, tzinfo=dt.UTC))
        assert t.assess("c").verdict == ct.Verdict.PENDING

    def test_partial_due_date_counts_to_its_end(self) -> None:
        """A due date of "December 2025" has not passed in mid-December."""
        t = claim_tracker(due="2025-12")
        assert t.assess("c", as_of="2025-12-15").verdict == ct.Verdict.PENDING

    def test_as_of_before_the_claim(self) -> None:
        """An as_of before the claim was made gives the prior, PENDING."""
        t = claim_tracker()
        add(t, S, CONC)
        a = t.assess("c", as_of="2020-01-01")
        assert (a.probability, a.verdict, a.contributions) == (0.5, ct.Verdict.PENDING, ())


class TestAsOf:
    def test_evidence_counts_from_its_date(self) -> None:
        """as_of counts evidence observed by then, and not later evidence."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        add(t, S, STRONG, "2025-03-11")
        assert pytest.approx(0.2, rel=1e-12) == t.assess("c", as_of="2025-03-10").probability
        assert pytest.approx(0.8, rel=1e-12) == t.assess("c", as_of="2025-03-11").probability

    def test_partial_dates_count_from_their_end(self) -> None:
        """Evidence "observed in March 2025" counts from 31 March."""
        t = claim_tracker()
        add(t, S, STRONG, "2025-03")
        assert (
            t.assess("c", as_of="2025-03-30").contributions,
            len(t.assess("c", as_of="2025-03-31").contributions),
        ) == ((), 1)

    def test_as_of_accepts_every_date_input(self) -> None:
        """as_of takes strings, dates, datetimes and partial dates alike."""
        t = claim_tracker()
        add(t, S, STRONG, "2025-03-11")
        inputs = ["2025-03-11", dt.date(2025, 3, 11), dt.datetime(2025, 3, 11, 5),
                  ct.PartialDate.parse("2025-03-11")]  # fmt: skip
        assert len({t.assess("c", as_of=x) for x in inputs}) == 1


class TestRulings:
    def test_ruling_overrides_from_its_date(self) -> None:
        """A ruling replaces the verdict from its date on and keeps the computed one."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        ruling = t.rule("c", "held", on="2025-03-11", rationale="Jeddah talks")
        before = t.assess("c", as_of="2025-03-10")
        after = t.assess("c", as_of="2025-03-11")
        assert (before.verdict, before.ruling) == (ct.Verdict.PENDING, None)
        assert (ct.Verdict.HELD, ct.Verdict.PENDING, ruling) == (
            after.verdict,
            after.computed_verdict,
            after.ruling,
        )

    def test_later_ruling_supersedes(self) -> None:
        """The latest ruling dated by as_of applies."""
        t = claim_tracker()
        t.rule("c", "held", on="2025-03-11")
        t.rule("c", "failed", on="2025-04-01")
        assert (
            t.assess("c", as_of="2025-03-31").verdict,
            t.assess("c").verdict,
        ) == (ct.Verdict.HELD, ct.Verdict.FAILED)

    def test_ruling_order_is_by_date_not_recording(self) -> None:
        """A ruling recorded later but dated earlier does not supersede."""
        t = claim_tracker()
        t.rule("c", "failed", on="2025-04-01")
        t.rule("c", "held", on="2025-03-11")
        assert t.assess("c").verdict == ct.Verdict.FAILED

    def test_same_date_ties_go_to_latest_recorded(self) -> None:
        """Two rulings of one date: the one recorded last applies."""
        t = claim_tracker()
        t.rule("c", "held", on="2025-04-01", recorded_at=dt.datetime(2025, 5, 2, tzinfo=dt.UTC))
        t.rule("c", "void", on="2025-04-01", recorded_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
        assert t.assess("c").verdict == ct.Verdict.HELD

    def test_retracting_a_ruling_restores_the_earlier(self) -> None:
        """Retract the later ruling and the earlier one applies again."""
        t = claim_tracker()
        t.rule("c", "held", on="2025-03-11")
        later = t.rule("c", "unverifiable", on="2025-04-01")
        t.retract(later, reason="mistaken")
        assert t.assess("c").verdict == ct.Verdict.HELD

    @pytest.mark.parametrize("verdict", ["partly_held", "unverifiable", "void", "contested"])
    def test_any_verdict_from_a_ruling(self, verdict: str) -> None:
        """Rulings may give verdicts the evidence never gives."""
        t = claim_tracker()
        t.rule("c", verdict, on="2025-03-01")
        assert ct.Verdict(verdict) == t.assess("c").verdict

    def test_invalid_ruling_verdict_lists_the_allowed(self) -> None:
        """A ruling verdict that is not a Verdict is refused, naming the allowed values."""
        t = claim_tracker()
        size = len(t)
        with pytest.raises(InvalidRecordError, match="allowed: 'held', 'partly_held'") as info:
            t.rule("c", "mostly true", on="2025-03-01")
        assert ("verdict", size) == (info.value.field, len(t))

    def test_pending_cannot_be_ruled(self) -> None:
        """PENDING is not a ruling."""
        t = claim_tracker()
        with pytest.raises(InvalidRecordError, match="verdict"):
            t.rule("c", ct.Verdict.PENDING, on="2025-03-01")


class TestRetractions:
    def test_retracted_evidence_is_left_out(self) -> None:
        """Retracted evidence no longer counts."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        bad = add(t, S, STRONG, "2025-03-11")
        t.retract(bad, reason="misreported")
        a = t.assess("c")
        assert pytest.approx(0.2, rel=1e-12) == a.probability
        assert [e.id for e in t.evidence("c")] != [c.evidence.id for c in a.contributions]

    def test_known_at_before_the_retraction_still_counts_it(self) -> None:
        """known_at before a retraction sees the evidence as it was."""
        t = claim_tracker()
        t0 = dt.datetime(2025, 3, 12, tzinfo=dt.UTC)
        bad = t.add_evidence("c", "Jeddah.", stance=S, strength=STRONG,
                             observed_on="2025-03-11", recorded_at=t0)  # fmt: skip
        t.retract(bad, reason="misreported", recorded_at=t0 + dt.timedelta(days=1))
        assert pytest.approx(16 / 17, rel=1e-12) == t.assess("c", known_at=t0).probability
        assert t.assess("c", known_at="2025-03-13").probability == 0.5

    def test_retraction_of_a_retraction_restores(self) -> None:
        """Retracting the retraction brings the evidence back, from then on."""
        t = claim_tracker()
        t0 = dt.datetime(2025, 3, 12, tzinfo=dt.UTC)
        day = dt.timedelta(days=1)
        e = t.add_evidence("c", "Jeddah.", stance=S, strength=STRONG,
                           observed_on="2025-03-11", recorded_at=t0)  # fmt: skip
        x = t.retract(e, reason="doubted", recorded_at=t0 + day)
        t.retract(x, reason="confirmed after all", recorded_at=t0 + 2 * day)
        probabilities = [t.assess("c", known_at=t0 + k * day).probability for k in (0, 1, 2)]
        assert pytest.approx(probabilities, rel=1e-12) == [16 / 17, 0.5, 16 / 17]
        assert t.assess("c", known_at=t0 + 2 * day) == attrs.evolve(
            t.assess("c"), known_at=t0 + 2 * day
        )

    def test_known_at_leaves_out_later_records(self) -> None:
        """known_at counts only what had been recorded by then."""
        t = claim_tracker()
        t0 = dt.datetime(2025, 3, 12, tzinfo=dt.UTC)
        add(t, S, STRONG)  # recorded "now", in 2026
        assert t.assess("c", known_at=t0).probability == 0.5

    def test_retracted_claims_leave_assess_all(self) -> None:
        """assess_all skips retracted claims, like claims()."""
        t = claim_tracker()
        t.add_claim("trump", "Another claim.", id="d", stated_on="2025-02-18")
        t.retract("d", reason="never said")
        assert [a.claim.id for a in t.assess_all()] == ["c"]


class TestBadInput:
    @pytest.mark.parametrize("name", ["as_of", "known_at"])
    @pytest.mark.parametrize("value", ["not a date", "March 3", 42])
    def test_bad_dates_name_the_argument(self, name: str, value: object) -> None:
        """A date that does not parse is an InvalidRecordError naming the argument."""
        t = claim_tracker()
        with pytest.raises(InvalidRecordError) as info:
            t.assess("c", **{name: value})  # type: ignore[arg-type]
        assert name == info.value.field

    def test_bad_dates_in_history_and_assess_all(self) -> None:
        """history and assess_all check their arguments too."""
        t = claim_tracker()
        with pytest.raises(InvalidRecordError, match="known_at"):
            t.history("c", known_at="soon")
        with pytest.raises(InvalidRecordError, match="as_of"):
            t.assess_all(as_of="soon")

    def test_unknown_claim(self) -> None:
        """Assessing an unknown claim id is an UnknownRecordError."""
        t = claim_tracker()
        with pytest.raises(UnknownRecordError, match="nope"):
            t.assess("nope")
        with pytest.raises(UnknownRecordError, match="trump"):
            t.history("trump")

    def test_bad_verdict_filter(self) -> None:
        """claims(verdict=...) refuses a value that is not a verdict."""
        with pytest.raises(InvalidRecordError, match="allowed"):
            claim_tracker().claims(verdict="true-ish")

    def test_policy_must_be_a_policy(self) -> None:
        """Tracker(policy=...) refuses an object without assess()."""
        with pytest.raises(InvalidRecordError, match="policy"):
            ct.Tracker(policy=object())  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "name"),
        [
            ({"prior": 0.0}, "prior"),
            ({"prior": 1}, "prior"),
            ({"held_at": 1.5}, "held_at"),
            ({"held_at": 0.3, "failed_at": 0.4}, "failed_at"),
            ({"likelihood_ratios": {WEAK: 2, MOD: 4}}, "likelihood_ratios"),
            ({"likelihood_ratios": {WEAK: 1, MOD: 4, STRONG: 16}}, "likelihood_ratios"),
            ({"likelihood_ratios": {WEAK: 2, MOD: 4, STRONG: 16, CONC: 99}}, "likelihood_ratios"),
            ({"strong": ["strong"]}, "strong"),
        ],
    )
    def test_policy_parameters(self, kwargs: dict[str, object], name: str) -> None:
        """EvidenceWeighing refuses parameters out of range, naming them."""
        with pytest.raises(InvalidRecordError) as info:
            ct.EvidenceWeighing(**kwargs)  # type: ignore[arg-type]
        assert name == info.value.field


class TestHistory:
    def test_change_points(self) -> None:
        """history() gives the state at each evidence date, ruling date, and after the due date."""
        t = claim_tracker()
        add(t, R, MOD, "2025-02-18")
        add(t, S, STRONG, "2025-03-11")
        t.rule("c", "held", on="2025-06-01")
        steps = [(str(a.as_of), a.verdict.value) for a in t.history("c")]
        assert steps == [("2025-02-18", "pending"), ("2025-03-11", "pending"),
                ("2025-06-01", "held"), ("2026-01-01", "held"), ("None", "held")]  # fmt: skip

    def test_due_date_point_only_once_passed(self) -> None:
        """The day after the due date is a change point only once it has come."""
        early = claim_tracker(clock=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
        late = claim_tracker()
        assert (len(early.history("c")), len(late.history("c"))) == (2, 3)
        assert late.history("c")[-1].verdict == ct.Verdict.UNRESOLVED

    def test_last_is_assess(self) -> None:
        """history()[-1] is assess()."""
        t = claim_tracker()
        add(t, S, STRONG, "2025-03-11")
        assert t.assess("c") == t.history("c")[-1]


class TestPolicies:
    def test_custom_policy_gets_the_counted_records(self) -> None:
        """A custom policy receives only the records that count, and judged_on."""
        seen: list[tuple[object, ...]] = []

        @attrs.frozen
        class Recording:
            def assess(self, claim, evidence, rulings, *, as_of, known_at, judged_on):  # type: ignore[no-untyped-def]
                seen.append((tuple(e.id for e in evidence), len(rulings), judged_on))
                return ct.EvidenceWeighing().assess(
                    claim, evidence, rulings, as_of=as_of, known_at=known_at, judged_on=judged_on
                )

        t = claim_tracker(policy=Recording())
        kept = add(t, S, STRONG, "2025-03-11")
        gone = add(t, R, STRONG, "2025-03-12")
        add(t, R, STRONG, "2025-09-01")
        t.retract(gone, reason="wrong")
        t.assess("c", as_of="2025-04-01")
        t.assess("c")
        assert (kept.id,) == seen[0][0]
        assert ct.PartialDate.parse("2026-01-01") == seen[1][2]

    def test_subclass_takes_the_general_path_with_the_same_result(self) -> None:
        """A policy that is not exactly EvidenceWeighing is given records, same numbers."""

        class Sub(ct.EvidenceWeighing):
            pass

        fast, slow = claim_tracker(), claim_tracker(policy=Sub())
        for t in (fast, slow):
            add(t, R, MOD, "2025-02-18")
            add(t, S, STRONG, "2025-03-11")
        assert fast.assess("c", as_of="2025-03-01") == slow.assess("c", as_of="2025-03-01")
        assert fast.history("c") == slow.history("c")

    def test_claims_by_verdict(self) -> None:
        """claims(speaker=, topic=, verdict=) selects by the current verdict."""
        t = claim_tracker()
        t.add_claim("trump", "A deal by Easter.", id="d", stated_on="2025-02-18",
                    topics={"ukraine"})  # fmt: skip
        t.add_evidence("d", "No deal.", stance=R, strength=CONC, observed_on="2025-04-20")
        assert (t.claim("d"),) == t.claims(speaker="trump", topic="ukraine",
                                           verdict=ct.Verdict.FAILED)  # fmt: skip
        assert (t.claim("c"),) == t.claims(verdict="unresolved")

    def test_values_pickle(self) -> None:
        """Assessments (and their contributions) pickle and compare equal."""
        t = claim_tracker()
        add(t, S, STRONG)
        a = t.assess("c")
        assert a == pickle.loads(pickle.dumps(a))


# -- properties ----------------------------------------------------------------------------


def one_claim_evidence(max_size: int = 12) -> st.SearchStrategy[list[ct.Evidence]]:
    """Evidence on claim ``c`` with unique ids."""
    return st.lists(
        cts.evidence(claim_id=st.just("c")), max_size=max_size, unique_by=lambda e: e.id
    )


def loaded(evidence: Sequence[ct.Evidence]) -> ct.Tracker:
    t = claim_tracker()
    t.add_many(evidence, allow_future=True)  # drawn from years on both sides of TODAY
    return t


def reference_retracted(records: Sequence[ct.Record], record_id: str) -> bool:
    """Whether a record stands retracted, computed naively from the records."""
    return any(
        isinstance(r, ct.Retraction)
        and r.target_id == record_id
        and not reference_retracted(records, r.id)
        for r in records
    )


def reference_assess(
    records: Sequence[ct.Record], claim: ct.Claim, as_of: ct.PartialDate | None
) -> ct.Assessment:
    """The assessment computed from scratch from the records, with no tracker."""
    evidence = [r for r in records if isinstance(r, ct.Evidence) and r.claim_id == claim.id
                and (as_of is None or r.observed_on.end <= as_of.end)
                and not reference_retracted(records, r.id)]  # fmt: skip
    rulings = [r for r in records if isinstance(r, ct.Ruling) and r.claim_id == claim.id
               and (as_of is None or r.on.end <= as_of.end)
               and not reference_retracted(records, r.id)]  # fmt: skip
    judged_on = as_of if as_of is not None else ct.PartialDate(TODAY.date())
    return ct.EvidenceWeighing().assess(
        claim, evidence, rulings, as_of=as_of, known_at=None, judged_on=judged_on
    )


maybe_as_of = st.none() | cts.partial_dates(min_year=1988, max_year=2042)


class TestProperties:
    @given(one_claim_evidence(), st.randoms(use_true_random=False), maybe_as_of)
    def test_order_of_recording_does_not_matter(
        self, evidence: list[ct.Evidence], rnd: object, as_of: ct.PartialDate | None
    ) -> None:
        """The assessment does not depend on the order evidence was recorded in."""
        shuffled = list(evidence)
        rnd.shuffle(shuffled)  # type: ignore[attr-defined]
        assert loaded(evidence).assess("c", as_of=as_of) == loaded(shuffled).assess(
            "c", as_of=as_of
        )

    @given(one_claim_evidence(), cts.evidence(id=st.just("new"), claim_id=st.just("c")))
    def test_supports_never_lower_refutes_never_raise(
        self, evidence: list[ct.Evidence], extra: ct.Evidence
    ) -> None:
        """Adding SUPPORTS never lowers the probability; REFUTES never raises it."""
        t = loaded(evidence)
        before = t.assess("c").probability
        t.add(extra, allow_future=True)
        after = t.assess("c").probability
        if extra.stance is S:
            assert after >= before
        elif extra.stance is R:
            assert after <= before
        else:
            assert after == before

    @given(one_claim_evidence())
    def test_as_of_before_any_evidence_is_the_prior(self, evidence: list[ct.Evidence]) -> None:
        """Judged before any evidence was observed, a claim stands at the prior."""
        t = loaded(evidence)
        first = min((e.observed_on.end for e in evidence), default=dt.date(2030, 1, 1))
        a = t.assess("c", as_of=first - dt.timedelta(days=1))
        assert (a.probability, a.log_odds, a.contributions) == (0.5, 0.0, ())

    @given(cts.ledgers(max_claims=3, max_evidence=30, max_retractions=5), maybe_as_of)
    @settings(max_examples=50)
    def test_contributions_add_up_to_the_log_odds(
        self, records: list[ct.Record], as_of: ct.PartialDate | None
    ) -> None:
        """log_odds is math.fsum of the shares, in assess(), assess_all() and the policy's own.

        (With the default prior, whose log-odds is 0.0; conclusive evidence that
        settles makes it ±inf.)
        """
        t = fixed()
        t.add_many(records)
        walked = {a.claim.id: a for a in t.assess_all(as_of=as_of)}
        for claim in t.claims(include_retracted=True):
            a = t.assess(claim, as_of=as_of)
            shares = [c.share for c in a.contributions]
            if math.isinf(a.log_odds):
                assert a.log_odds in shares
            else:
                assert (a.prior_log_odds, a.log_odds) == (0.0, math.fsum(shares))
            assert a == reference_assess(records, claim, as_of)  # EvidenceWeighing.assess
            assert a == walked.get(claim.id, a)  # (retracted claims are not in assess_all)

    @given(cts.ledgers(max_claims=2, max_evidence=30, max_retractions=3), st.floats(0.01, 0.99))
    @settings(max_examples=30)
    def test_with_another_prior_the_prior_is_added_once(
        self, records: list[ct.Record], prior: float
    ) -> None:
        """With another prior, log_odds is prior_log_odds + math.fsum of the shares."""
        policy = ct.EvidenceWeighing(prior=prior)
        t = ct.Tracker(clock=lambda: TODAY, policy=policy)
        t.add_many(records)
        for a in t.assess_all():
            if not math.isinf(a.log_odds):
                fsum = math.fsum(c.share for c in a.contributions)
                assert a.log_odds == policy.prior_log_odds + fsum

    @given(cts.ledgers(max_claims=3, max_retractions=5))
    @settings(max_examples=50)
    def test_history_ends_at_assess(self, records: list[ct.Record]) -> None:
        """history()[-1] equals assess(), and history is in world-time order."""
        t = fixed()
        t.add_many(records)
        for claim in t.claims(include_retracted=True):
            steps = t.history(claim)
            assert t.assess(claim) == steps[-1]
            dates = [a.as_of for a in steps[:-1]]
            assert sorted(dates) == dates  # type: ignore[type-var]

    @given(cts.ledgers(max_claims=2, max_evidence=12, max_retractions=6), st.data())
    @settings(max_examples=100)
    def test_known_at_before_a_retraction(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """known_at before a retraction equals a tracker that never had it."""
        retractions = [r for r in records if isinstance(r, ct.Retraction)]
        if not retractions:
            return
        chosen = data.draw(st.sampled_from(retractions))
        assert chosen.recorded_at is not None
        known_at = chosen.recorded_at - dt.timedelta(microseconds=1)
        full, never = fixed(), fixed()
        full.add_many(records)
        never.add_many([r for r in records if r.recorded_at <= known_at])  # type: ignore[operator]
        for claim in never.claims(include_retracted=True):
            expected = never.assess(claim)
            assert expected == attrs.evolve(full.assess(claim, known_at=known_at), known_at=None)

    @given(
        cts.ledgers(max_claims=3, max_evidence=14, max_retractions=6),
        maybe_as_of,
        st.sampled_from([0, 1, 64]),
    )
    @settings(max_examples=100)
    def test_running_tallies_equal_a_fresh_computation(
        self, records: list[ct.Record], as_of: ct.PartialDate | None, eager: int
    ) -> None:
        """After every record, the incremental assessment equals one from scratch.

        Run with the prefix sums brought up to date at once and lazily (``_EAGER``).
        """
        with mock.patch.object(_tallies, "_EAGER", eager):
            t = fixed()
            for n, record in enumerate(records, 1):
                t.add(record)
                if not isinstance(record, ct.Evidence | ct.Retraction | ct.Ruling):
                    continue
                for claim in t.claims(include_retracted=True):
                    expected = reference_assess(records[:n], claim, as_of)
                    assert t.assess(claim, as_of=as_of) == expected

    @given(
        cts.ledgers(max_claims=3, max_evidence=14, max_retractions=6),
        st.integers(min_value=0, max_value=40),
        st.integers(min_value=0, max_value=40),
        st.sampled_from(["add_many", "refresh"]),
        st.booleans(),
        maybe_as_of,
    )
    @settings(max_examples=100)
    def test_tallies_built_in_bulk_equal_tallies_built_one_by_one(
        self,
        records: list[ct.Record],
        split: int,
        bulk_size: int,
        how: str,
        assess_between: bool,
        as_of: ct.PartialDate | None,
    ) -> None:
        """Records applied in bulk, before and after others one by one, give the same tallies.

        Records applied in bulk (by ``add_many``, or read from the store by
        ``refresh`` as on opening) leave the tallies they touch stale until their
        claims are assessed.  The records after them (evidence and retractions of
        those claims included) and the assessments in between must see the same state
        as if every record had been added one by one.
        """
        one_by_one = fixed()
        stamped = [one_by_one.add(record) for record in records]
        store = Feed()
        bulk = ct.Tracker(store, clock=lambda: TODAY)
        middle = stamped[split : split + bulk_size]
        with mock.patch.object(_appending, "_REBUILD_AT", 0):
            for record in stamped[:split]:
                bulk.add(record)
            if how == "add_many":
                bulk.add_many(middle)
            else:
                store.feed(middle)
                bulk.refresh()
        # the claims of the evidence among them keep no state until asked about
        for r in middle:
            if isinstance(r, ct.Evidence):
                assert bulk._cache.peek(r.claim_id) is None
        for record in stamped[split + bulk_size :]:
            bulk.add(record)
            if assess_between and isinstance(record, ct.Evidence):
                # assessing brings this one claim's state up to date
                bulk.assess(record.claim_id, as_of=as_of)
                assert bulk._cache.peek(record.claim_id) is not None
        assert one_by_one.assess_all(as_of=as_of) == bulk.assess_all(as_of=as_of)
        for claim in bulk.claims(include_retracted=True):  # assess_all skips retracted ones
            assert one_by_one.assess(claim, as_of=as_of) == bulk.assess(claim, as_of=as_of)
        for claim in bulk.claims(include_retracted=True):
            ours, theirs = one_by_one._cache.peek(claim.id), bulk._cache.peek(claim.id)
            assert ours is not None
            assert theirs is not None
            if ours.tally is None or theirs.tally is None:
                continue
            tally, other = ours.tally, theirs.tally
            tally._refresh()
            other._refresh()
            for name in ("evidence", "shares", "flags", "present", "retracted", "psum"):
                assert getattr(tally, name) == getattr(other, name)

    def test_records_applied_in_bulk_build_tallies_only_for_claims_assessed(self) -> None:
        """Records added or read in bulk build no tally until their claim is assessed."""
        t = claim_tracker()
        t.add_claim("trump", "Russia will agree to a ceasefire.", stated_on="2025-02-18", id="d")
        t.add_many(
            ct.Evidence(f"e{i}", "cd"[i % 2], "Seen.", stance="supports", observed_on="2025-03-02")
            for i in range(400)
        )
        opened = ct.Tracker(t.store, clock=lambda: TODAY)
        for tracker in (t, opened):
            assert (None, None) == (tracker._cache.peek("c"), tracker._cache.peek("d"))
        assert t.assess("c") == opened.assess("c")
        for tracker in (t, opened):
            state = tracker._cache.peek("c")
            assert state is not None
            assert state.tally is not None
            assert tracker._cache.peek("d") is None

    @pytest.mark.parametrize("retract_when_read", [True, False])
    def test_an_extended_tally_takes_in_retractions_made_while_stale(
        self, retract_when_read: bool
    ) -> None:
        """A stale tally extended by a few pieces also takes in retractions made meanwhile."""

        def ledger(store: MemoryStore) -> ct.Tracker:
            t = ct.Tracker(store, clock=lambda: TODAY)
            t.add_speaker("Donald Trump", id="trump")
            t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
            for i in range(8):
                t.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01",
                               id=f"e{i}")  # fmt: skip
            t.assess("c")  # the tally of c is built, with 8 pieces
            return t

        expected = ledger(MemoryStore())
        new = expected.add_evidence("c", "Seen.", stance="refutes", observed_on="2025-03-02")
        retraction = expected.retract("e3", reason="misreported")
        store = Feed()
        t = ledger(store)
        store.feed([new, retraction] if retract_when_read else [new])
        t.refresh()  # read from the store: c is left stale
        if not retract_when_read:
            t.add(retraction)
        assert expected.assess("c") == t.assess("c")
        state = t._cache.peek("c")
        assert state is not None
        assert state.tally is not None
        assert (9, 1) == (len(state.tally.evidence), len(state.tally.retracted))

    def test_a_month_is_weighed_before_the_day_it_ends_on_in_bulk_too(self) -> None:
        """Built in bulk, a tally orders by end, then start, then id, as one built by adds."""
        pieces = [
            ct.Evidence("a", "c", "On the day.", stance="supports", observed_on="2025-03-31"),
            ct.Evidence("b", "c", "That month.", stance="refutes", observed_on="2025-03"),
            ct.Evidence("c0", "c", "Earlier.", stance="context", observed_on="2025-03-02"),
        ]
        one_by_one, bulk = claim_tracker(), claim_tracker()
        for piece in pieces:
            one_by_one.add(piece)
        with mock.patch.object(_appending, "_REBUILD_AT", 0):
            bulk.add_many(pieces)
        for tracker in (one_by_one, bulk):
            assert ["c0", "b", "a"] == [c.evidence.id for c in tracker.assess("c").contributions]

    def test_a_rebuilt_tally_keeps_earlier_retractions(self) -> None:
        """Evidence retracted before a bulk import to its claim stays retracted."""
        t = claim_tracker()
        t.add_evidence("c", "Refuted.", stance="refutes", observed_on="2025-03-01", id="e0")
        t.retract("e0", reason="misreported")
        many = [
            ct.Evidence(f"e{i}", "c", "Seen.", stance="context", observed_on="2025-03-02")
            for i in range(1, 400)
        ]
        t.add_many(many)  # more than _BULK: the tally of c is built again
        assessed = t.assess("c")
        assert (0.0, 399) == (assessed.log_odds, len(assessed.contributions))

    @given(cts.ledgers(max_claims=3))
    @settings(max_examples=50)
    def test_only_rulings_give_some_verdicts(self, records: list[ct.Record]) -> None:
        """The evidence alone never gives PARTLY_HELD, UNVERIFIABLE or VOID."""
        t = fixed()
        t.add_many(records)
        rulings_only = {ct.Verdict.PARTLY_HELD, ct.Verdict.UNVERIFIABLE, ct.Verdict.VOID}
        for a in t.assess_all():
            assert a.computed_verdict not in rulings_only
            assert (a.ruling is None) == (a.verdict is a.computed_verdict) or (
                a.ruling is not None and a.ruling.verdict is a.computed_verdict
            )

    @given(one_claim_evidence())
    def test_contributions_are_in_weighing_order(self, evidence: list[ct.Evidence]) -> None:
        """Contributions come in date order, then id order."""
        a = loaded(evidence).assess("c")
        keys = [evidence_key(c.evidence) for c in a.contributions]
        assert sorted(keys) == keys


class TestStoredLedgers:
    @pytest.mark.parametrize("suffix", [".jsonl", ".db"])
    def test_reopened_tracker_assesses_the_same(self, tmp_path: object, suffix: str) -> None:
        """A tracker reopened from a file rebuilds its running tallies: same assessments."""
        import pathlib

        path = pathlib.Path(str(tmp_path)) / f"ledger{suffix}"
        with ct.open(path) as t:
            t.add_speaker("Donald Trump", id="trump")
            t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
            add(t, S, STRONG, "2025-03-11")
            gone = add(t, R, STRONG, "2025-03-01")
            t.retract(gone, reason="wrong")
            before = (t.assess("c"), t.history("c"))
        with ct.open(path) as again:
            assert (again.assess("c"), again.history("c")) == before
