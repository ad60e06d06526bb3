"""Tests for claimtrack._history: History, what Tracker.history returns."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import pickle

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import strategies as cts
from claimtrack.errors import InvalidRecordError

TODAY = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def fixed(**kwargs: object) -> ct.Tracker:
    return ct.Tracker(clock=lambda: TODAY, **kwargs)  # type: ignore[arg-type]


def riyadh_claim(n: int = 6) -> ct.Tracker:
    """One claim with *n* pieces of evidence on as many days, a ruling and a due date."""
    t = fixed()
    t.add_speaker("Donald Trump", id="trump")
    t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18",
                due="2025-06-30")  # fmt: skip
    for i in range(n):
        t.add_evidence("c", f"Report {i}.", stance=("supports", "refutes", "mixed")[i % 3],
                       strength="moderate", observed_on=dt.date(2025, 3, 1 + i))  # fmt: skip
    t.rule("c", "held", on="2025-03-04")
    return t


def many_points(n: int) -> ct.Tracker:
    """One claim with *n* pieces of evidence, each on its own day from 1990."""
    t = fixed()
    t.add_speaker("S", id="s")
    t.add_claim("s", "C.", id="c", stated_on="1990-01-01")
    start = dt.date(1990, 1, 2)
    t.add_many([ct.Evidence(f"e{i}", "c", "Seen.", stance=("supports", "refutes")[i % 2],
                            strength="weak", observed_on=start + dt.timedelta(days=i))
                for i in range(n)])  # fmt: skip
    return t


class Sub(ct.EvidenceWeighing):
    """The default rule, but not exactly EvidenceWeighing: the tracker's general path."""


class TestHistoryIsTheTuple:
    def test_length_indexing_and_negative_indexes(self) -> None:
        """len(), h[i] and h[-i] are those of the tuple of the entries."""
        h = riyadh_claim().history("c")
        entries = tuple(h)
        assert len(h) == len(entries) == 9  # the claim, 6 days, after the due date, as it stands
        assert [h[i] for i in range(len(h))] == list(entries)
        assert [h[-i] for i in range(1, len(h) + 1)] == [entries[-i] for i in range(1, 10)]

    def test_an_index_out_of_range_raises_index_error(self) -> None:
        """h[len(h)] and h[-len(h) - 1] raise IndexError, as a tuple's do."""
        h = riyadh_claim().history("c")
        for bad in (len(h), -len(h) - 1):
            with pytest.raises(IndexError):
                h[bad]

    def test_a_slice_is_a_tuple(self) -> None:
        """Slicing gives a tuple, equal to the same slice of the tuple."""
        h = riyadh_claim().history("c")
        entries = tuple(h)
        for part in (slice(None), slice(2, 5), slice(None, None, -2), slice(-3, None)):
            assert type(h[part]) is tuple
            assert h[part] == entries[part]

    def test_iteration_reversed_membership_and_search(self) -> None:
        """Iterating, reversed(), `in`, index() and count() agree with the tuple."""
        h = riyadh_claim().history("c")
        entries = tuple(h)
        assert list(reversed(h)) == list(reversed(entries))
        assert entries[3] in h
        assert h.index(entries[3]) == entries.index(entries[3])
        assert h.count(entries[-1]) == entries.count(entries[-1])
        assert ct.Assessment(entries[0].claim, ct.Verdict.VOID, ct.Verdict.VOID, probability=0.5,
                             log_odds=0.0) not in h  # fmt: skip

    def test_equal_to_the_tuple_and_to_another_history(self) -> None:
        """A history equals the tuple of its entries, either way round, and an equal history."""
        t = riyadh_claim()
        h = t.history("c")
        entries = tuple(h)
        assert (h == entries, entries == h, h != entries) == (True, True, False)
        assert h == t.history("c") == ct.History(entries)
        assert (h != entries[:-1], h != [*entries]) == (True, True)
        assert hash(h) == hash(entries)

    def test_the_last_entry_is_assess(self) -> None:
        """history(c)[-1] == assess(c), with the same resolved_on."""
        t = riyadh_claim()
        last, now = t.history("c")[-1], t.assess("c")
        assert (last, last.resolved_on) == (now, now.resolved_on)

    def test_bool_and_repr(self) -> None:
        """A history is never empty (true) and shows as the tuple of its entries."""
        h = riyadh_claim().history("c")
        assert bool(h)
        assert repr(h) == repr(tuple(h))

    def test_pickles_and_copies_as_the_tuple(self) -> None:
        """pickle and copy give the tuple of the entries."""
        h = riyadh_claim().history("c")
        back = pickle.loads(pickle.dumps(h))
        assert (type(back), back) == (tuple, tuple(h))
        assert copy.copy(h) == tuple(h) == copy.deepcopy(h)

    def test_adds_like_a_tuple(self) -> None:
        """h + t and t + h, for a tuple t, are tuples."""
        h = riyadh_claim().history("c")
        more = h[:2]
        assert (h + more, more + h) == ((*h, *more), (*more, *h))

    def test_a_snapshot(self) -> None:
        """Evidence added after history() was called does not change it."""
        t = riyadh_claim()
        h = t.history("c")
        before = tuple(h)
        t.add_evidence("c", "Late report.", stance="supports", strength="conclusive",
                       observed_on="2025-03-02")  # fmt: skip
        assert (tuple(h) == before, tuple(h) == tuple(t.history("c"))) == (True, False)

    def test_every_entry_read_is_equal_each_time(self) -> None:
        """An entry read twice gives equal assessments (made anew on each read)."""
        h = riyadh_claim().history("c")
        assert [a for a in h] == [a for a in h]  # noqa: C416
        assert [a.resolved_on for a in h] == [a.resolved_on for a in h]


class TestBuiltByHand:
    def test_from_assessments(self) -> None:
        """History(assessments) is a history of those assessments."""
        entries = tuple(riyadh_claim().history("c"))
        h = ct.History(entries)
        assert (len(h), h[2], h[1:3]) == (len(entries), entries[2], entries[1:3])

    def test_refuses_what_is_not_an_assessment(self) -> None:
        """A value that is not an Assessment is an InvalidRecordError naming the argument."""
        with pytest.raises(InvalidRecordError, match="assessments") as caught:
            ct.History([riyadh_claim().assess("c"), "held"])  # type: ignore[list-item]
        assert caught.value.value == "held"


class TestNoObjectPerChangePoint:
    def test_a_history_holds_a_few_objects_whatever_its_length(self) -> None:
        """history() of 3,000 change points leaves a handful of objects for the collector."""
        t = many_points(3_000)
        t.assess("c")
        t.history("c")  # the tally and its contributions, made once
        gc.collect()
        before = len(gc.get_objects())
        h = t.history("c")
        held = len(gc.get_objects()) - before
        assert len(h) == 3_002
        assert held < 30

    def test_reading_every_entry_leaves_nothing_behind(self) -> None:
        """Entries read one after another are dropped once read (no cache per entry)."""
        t = many_points(3_000)
        h = t.history("c")
        gc.collect()
        before = len(gc.get_objects())
        for a in h:
            a.verdict  # noqa: B018
        del a
        assert len(gc.get_objects()) - before < 30


class TestHistoryProperties:
    @given(cts.ledgers(max_claims=2, max_evidence=14, max_rulings=3, max_retractions=4))
    @settings(max_examples=60)
    def test_each_entry_is_assess_at_its_date(self, records: list[ct.Record]) -> None:
        """Read lazily, each entry equals assess(c, as_of=its date), resolved_on included."""
        t = fixed()
        t.add_many(records)
        for claim in t.claims(include_retracted=True):
            h = t.history(claim)
            for entry in h:
                again = t.assess(claim, as_of=entry.as_of)
                assert (entry, entry.resolved_on) == (again, again.resolved_on)
            assert [a.as_of for a in h[:-1]] == sorted(a.as_of for a in h[:-1])  # type: ignore[type-var]

    @given(
        cts.ledgers(max_claims=2, max_evidence=14, max_rulings=3, max_retractions=4),
        st.integers(min_value=0, max_value=20),
    )
    @settings(max_examples=60)
    def test_equals_the_general_path(self, records: list[ct.Record], at: int) -> None:
        """The tallied history equals the one made entry by entry (another policy)."""
        fast, slow = fixed(), fixed(policy=Sub())
        fast.add_many(records)
        slow.add_many(records)
        for claim in fast.claims(include_retracted=True):
            lazy, made = fast.history(claim), slow.history(claim)
            assert (lazy, len(lazy)) == (made, len(made))
            assert [a.resolved_on for a in lazy] == [a.resolved_on for a in made]
            i = at % len(lazy)
            assert (lazy[i], lazy[-1 - i]) == (made[i], made[-1 - i])

    @given(cts.ledgers(max_claims=2, max_evidence=10, max_retractions=4), st.data())
    @settings(max_examples=40)
    def test_known_at_gives_the_same_entries(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """With known_at, a history equals that of a tracker holding only what was known."""
        known_at = data.draw(st.sampled_from([r.recorded_at for r in records if r.recorded_at]))
        full, then = fixed(), fixed()
        full.add_many(records)
        then.add_many([r for r in records if r.recorded_at <= known_at])  # type: ignore[operator]
        for claim in then.claims(include_retracted=True):
            old = full.history(claim, known_at=known_at)
            assert tuple(attrs.evolve(a, known_at=None) for a in old) == then.history(claim)
