"""Tests for claimtrack._tallies: withdrawn ids, the bounded cache, shared history views,
exact prefix sums."""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import _tallies
from claimtrack import strategies as cts
from claimtrack._tallies import ClaimCache, ClaimState, _ClaimTally, withdrawn_ids
from claimtrack.errors import CorruptStoreError
from claimtrack.stores import ClaimRecords

T0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
CLAIM = ct.Claim("c", "s", "Talks.", stated_on="2025-02-18")


def _x(rid: str, target: str, seconds: int = 0) -> ct.Retraction:
    return ct.Retraction(rid, target, reason="-", recorded_at=T0 + dt.timedelta(seconds=seconds))


class TestWithdrawnIds:
    def test_a_retraction_of_a_retraction_restores(self) -> None:
        """x2 withdraws x1, which then no longer withdraws e."""
        assert ({"e"}, {"x1"}) == (
            withdrawn_ids([_x("x1", "e")]),
            withdrawn_ids([_x("x1", "e"), _x("x2", "x1")]),
        )

    def test_known_at_counts_only_what_was_recorded_by_then(self) -> None:
        """At a knowledge time before x2, x1 still stands."""
        chain = [_x("x1", "e", 0), _x("x2", "x1", 10)]
        assert {"e"} == withdrawn_ids(chain, T0 + dt.timedelta(seconds=5))

    def test_a_long_chain_is_decided_without_recursion(self) -> None:
        """A chain far deeper than the recursion limit is walked in one pass."""
        n = sys.getrecursionlimit() * 3
        chain = [_x("r0", "e")] + [_x(f"r{i}", f"r{i - 1}") for i in range(1, n)]
        found = withdrawn_ids(chain)
        assert ("e" in found) == (n % 2 == 1)


class TestClaimState:
    def test_a_cycle_of_retractions_is_named(self) -> None:
        """Records where a retraction precedes its target: CorruptStoreError naming both."""
        found = ClaimRecords(CLAIM, retractions=(_x("x1", "x2"), _x("x2", "x1")))
        with pytest.raises(CorruptStoreError, match="'x1' retracts 'x2'"):
            ClaimState(found, "ledger.db")

    def test_a_retraction_of_itself_is_named(self) -> None:
        """x1 retracting x1 is named as retracting itself."""
        with pytest.raises(CorruptStoreError, match="'x1' retracts itself"):
            ClaimState(ClaimRecords(CLAIM, retractions=(_x("x1", "x1"),)))


class TestClaimCache:
    def test_the_cache_holds_at_most_its_limit(self) -> None:
        """The least recently used state goes first once the cache is full."""
        cache = ClaimCache(limit=2)
        states = {
            k: ClaimState(ClaimRecords(ct.Claim(k, "s", "x", stated_on="2025"))) for k in "abc"
        }
        cache.put("a", states["a"])
        cache.put("b", states["b"])
        cache.get("a")  # a is now the most recent
        cache.put("c", states["c"])
        assert (2, None, states["a"]) == (len(cache), cache.peek("b"), cache.peek("a"))

    def test_a_tracker_keeps_a_bounded_number_of_claims(self) -> None:
        """Assessing more claims than the cache holds keeps only the most recent."""
        t = ct.Tracker()
        t._cache.limit = 5
        t.add_speaker("S", id="s")
        for i in range(20):
            t.add_claim("s", f"Claim {i}.", id=f"c{i}", stated_on="2025-02-18")
            t.assess(f"c{i}")
        assert 5 == len(t._cache)
        assert t.assess("c0") == t.assess("c0")  # read again from the store


class TestSharedHistory:
    def test_history_entries_share_one_tuple(self) -> None:
        """Each entry's contributions equal a tuple, are a prefix of the last, and are views."""
        t = ct.Tracker(clock=lambda: T0)
        t.add_speaker("S", id="s")
        t.add_claim("s", "C.", id="c", stated_on="2025-01-01")
        for day in range(1, 6):
            t.add_evidence("c", "Seen.", stance="supports", strength="weak",
                           observed_on=f"2025-01-{day + 1:02d}")  # fmt: skip
        history = t.history("c")
        last = history[-1].contributions
        for n, entry in enumerate(history[:-1]):
            assert tuple(last[:n]) == tuple(entry.contributions) == entry.contributions
            assert hash(tuple(entry.contributions)) == hash(entry.contributions)
        assert history[-2] == t.assess("c", as_of="2025-01-06")


def _counted(evidence: list[ct.Evidence], retracted: set[str]) -> list[float]:
    """Each piece's share as the sums count it, computed without a tally."""
    policy = ct.EvidenceWeighing()
    out = []
    for e in evidence:
        share = policy.weigh(e).share
        out.append(0.0 if e.id in retracted or math.isinf(share) else share)
    return out


def _check_exact(tally: _ClaimTally) -> None:
    """Every prefix sum of *tally* is math.fsum of the counted shares before it.

    The total is checked first as a view of everything finds it, without bringing
    the prefix sums up to date.
    """
    shares = _counted(tally.evidence, set(tally.retracted))
    assert tally.view(None)[1] == math.fsum(shares)
    tally._refresh()
    assert list(tally.psum) == [math.fsum(shares[:i]) for i in range(len(shares) + 1)]
    assert tally.exact is None or tally.exact.value() == math.fsum(shares)


class TestExactPrefixSums:
    @given(
        st.lists(cts.evidence(claim_id=st.just("c")), max_size=24, unique_by=lambda e: e.id),
        st.randoms(use_true_random=False),
        st.sampled_from([0, 1, 64]),
        st.data(),
    )
    @settings(max_examples=200)
    def test_built_and_added_in_any_order_are_exact_and_equal(
        self, evidence: list[ct.Evidence], rnd: random.Random, eager: int, data: st.DataObject
    ) -> None:
        """build() and add() in any order, retractions set and unset: exact sums, bit for bit.

        Some pieces are built at once, the rest added.  Every psum[i] (and every view's
        total) is math.fsum of the counted shares of the first i pieces, and the two
        tallies are equal bit for bit.
        """
        ids = [e.id for e in evidence]
        retracted = data.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set[str]()))
        policy = ct.EvidenceWeighing()
        built = _ClaimTally.build(policy, evidence, [e for e in evidence if e.id in retracted], {})
        _check_exact(built)
        shuffled = list(evidence)
        rnd.shuffle(shuffled)
        k = rnd.randrange(len(shuffled) + 1)  # the first k built at once, the rest added
        first = shuffled[:k]
        with mock.patch.object(_tallies, "_EAGER", eager):
            added = _ClaimTally.build(policy, first, rnd.sample(first, rnd.randrange(k + 1)), {})
            for n, e in enumerate(shuffled[k:], k + 1):
                added.add(policy, e)
                for other in rnd.sample(shuffled[:n], rnd.randrange(n + 1)):  # toggle some
                    added.set_retracted(other, other.id not in added.retracted)
                check = rnd.random()
                if check < 0.3:  # the total only: the prefix sums may stay stale
                    counted = _counted(added.evidence, set(added.retracted))
                    assert added.view(None)[1] == math.fsum(counted)
                elif check < 0.6:
                    _check_exact(added)
            for e in shuffled:
                added.set_retracted(e, e.id in retracted)
        _check_exact(added)
        assert added.psum.tobytes() == built.psum.tobytes()  # bit for bit
        assert (added.evidence, set(added.retracted)) == (built.evidence, set(built.retracted))
        shares = _counted(built.evidence, retracted)
        for tally in (built, added):
            for e in tally.evidence:
                # the first pieces up to the last one that ends by e's end
                j = max(
                    k
                    for k, x in enumerate(tally.evidence)
                    if x.observed_on.end <= e.observed_on.end
                )
                assert tally.view(e.observed_on)[1] == math.fsum(shares[: j + 1])
            assert tally.view(None)[1] == math.fsum(shares)

    def test_sums_do_not_round_at_each_step(self) -> None:
        """Six weak supports trusted at 10 % add up to 6 · share rounded once, not six times."""
        tenth = ct.Source(publisher="A blog", reliability=0.1)
        evidence = [
            ct.Evidence(f"e{i}", "c", "Seen.", stance="supports", strength="weak",
                        observed_on=f"2025-03-0{i + 1}", source=tenth)
            for i in range(6)
        ]  # fmt: skip
        tally = _ClaimTally.build(ct.EvidenceWeighing(), evidence, [], {})
        share = math.log(2) * 0.1
        assert tally.view(None)[1] == math.fsum([share] * 6) == 0.4158883083359671
        tally._refresh()
        assert tally.psum[6] == 0.4158883083359671
        assert sum([share] * 6) == 0.4158883083359672  # what adding in order gave
        assert tally.view(ct.PartialDate.parse("2025-03-03"))[1] == math.fsum([share] * 3)
