"""Tests for claimtrack._tallies: withdrawn ids, the bounded cache, shared history views."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

import claimtrack as ct
from claimtrack._tallies import ClaimCache, ClaimState, withdrawn_ids
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
