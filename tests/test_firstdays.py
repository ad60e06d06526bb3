"""Tests of claimtrack._firstdays: the first days a claim held and failed, in one pass."""

from __future__ import annotations

import datetime as dt
import math
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack._firstdays import first_days_pass
from claimtrack._tallies import ClaimState

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
START = dt.date(2020, 1, 1)


def first_days_by_fsum(
    policy: ct.EvidenceWeighing, state: ClaimState
) -> tuple[dt.date | None, dt.date | None]:
    """The first days HELD and FAILED, from math.fsum of the shares at each change point."""
    prior, held_at, failed_at = policy._cuts
    evidence = [e for e in state.evidence if e.id not in state.withdrawn]
    days = sorted({state.claim.stated_on.end, *(e.observed_on.end for e in evidence)})
    held = failed = None
    for day in days:
        log_odds = prior + math.fsum(
            policy.weigh(e).share for e in evidence if e.observed_on.end <= day
        )
        if log_odds >= held_at and held is None:
            held = day
        elif log_odds < held_at and log_odds <= failed_at and failed is None:
            failed = day
    return held, failed


class _WithCuts:
    """The default policy's weighing, with log-odds cuts of one's choosing."""

    def __init__(self, cuts: tuple[float, float, float]) -> None:
        self._policy = ct.EvidenceWeighing()
        self._cuts = cuts
        self.weigh = self._policy.weigh
        self._flags = self._policy._flags


def with_cuts(cuts: tuple[float, float, float]) -> ct.EvidenceWeighing:
    """The default policy with its log-odds cuts set to *cuts* (to reach them exactly)."""
    return cast("ct.EvidenceWeighing", _WithCuts(cuts))


pieces = st.lists(
    st.tuples(
        st.sampled_from(["supports", "refutes", "mixed", "context"]),
        st.sampled_from(["weak", "moderate", "strong"]),
        st.integers(0, 12),  # the day, after the claim's
        st.sampled_from([None, 0.1, 0.3, 0.7, 1.0]),  # a source's reliability
    ),
    min_size=0,
    max_size=14,
)


class TestFirstDaysPass:
    @given(pieces, st.data())
    @settings(max_examples=150)
    def test_equals_exact_sums_at_thresholds_hit_exactly(
        self, found: list[tuple[str, str, int, float | None]], data: st.DataObject
    ) -> None:
        """With thresholds at (or an ulp from) a prefix's exact sum, the pass's days are fsum's."""
        t = ct.Tracker(clock=lambda: NOW)
        t.add_speaker("Alice", id="alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on=START)
        for k, (stance, strength, day, reliability) in enumerate(found):
            source = None if reliability is None else ct.Source(title="S", reliability=reliability)
            t.add_evidence("c", "A report.", id=f"e{k}", stance=stance, strength=strength,
                           observed_on=START + dt.timedelta(days=day), source=source)  # fmt: skip
        state = t._state("c")
        shares = sorted(
            (ct.EvidenceWeighing().weigh(e).share, e.observed_on.end) for e in state.evidence
        )
        # a cut at the exact sum of the shares up to some day, nudged by 0 or 1 ulp
        ends = sorted({end for _, end in shares}) or [START]
        cut_day = data.draw(st.sampled_from(ends))
        at = math.fsum(s for s, end in shares if end <= cut_day)
        nudge = data.draw(st.sampled_from([-1, 0, 1]))
        at = math.nextafter(at, math.copysign(math.inf, nudge)) if nudge else at
        prior = data.draw(st.sampled_from([0.0, 0.25]))
        if data.draw(st.booleans()):
            cuts = (prior, prior + at, prior + at - 3.0)  # held at the cut
        else:
            cuts = (prior, prior + at + 3.0, prior + at)  # failed at the cut
        policy = with_cuts(cuts)
        days = first_days_pass(state, policy, {})
        held, failed = first_days_by_fsum(policy, state)
        assert (days.held, days.failed) == (
            None if held is None else ct.PartialDate.coerce(held),
            None if failed is None else ct.PartialDate.coerce(failed),
        )

    def test_sum_a_rounding_error_from_the_cut(self) -> None:
        """Ten weak supports: 0.1's float running sum misses the exact sum; the exact one counts."""
        t = ct.Tracker(clock=lambda: NOW)
        t.add_speaker("Alice", id="alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on=START)
        source = ct.Source(title="S", reliability=0.1 / math.log(2))
        piece = ct.Evidence("x", "c", "A report.", stance="supports", strength="weak",
                            observed_on=START, source=source)  # fmt: skip
        share = ct.EvidenceWeighing().weigh(piece).share
        for k in range(10):
            t.add_evidence("c", "A report.", stance="supports", strength="weak",
                           observed_on=START + dt.timedelta(days=k + 1), source=source)  # fmt: skip
        running = 0.0
        for _ in range(10):
            running += share
        exact = math.fsum([share] * 10)
        assert running != exact  # the float running sum is off by rounding
        policy = with_cuts((0.0, exact, -5.0))
        days = first_days_pass(t._state("c"), policy, {})
        assert days.held == ct.PartialDate.coerce(START + dt.timedelta(days=10))
        assert days.failed is None
