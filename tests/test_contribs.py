"""Tests of claimtrack._contribs: lazy sequences that stand for a tuple of contributions."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

from hypothesis import given, settings

import claimtrack as ct
from claimtrack import strategies as cts
from claimtrack._contribs import TallyContributions, _Prefix

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LATER = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def riyadh() -> ct.Tracker:
    """A tracker with one claim and two pieces of evidence."""
    t = ct.Tracker(clock=lambda: NOW)
    t.add_speaker("Donald Trump", id="trump")
    t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
    t.add_evidence("c", "Ukraine was not invited to Riyadh.", stance="refutes",
                   observed_on="2025-02-18")  # fmt: skip
    t.add_evidence("c", "Delegations met in Jeddah.", stance="supports", strength="strong",
                   observed_on="2025-03-11")  # fmt: skip
    return t


class TestTallyContributions:
    def test_assess_gives_a_lazy_sequence_equal_to_the_tuple(self) -> None:
        """assess()'s contributions equal, hash and compare as the policy's tuple."""
        t = riyadh()
        lazy = t.assess("c").contributions
        assert isinstance(lazy, TallyContributions)
        expected = tuple(ct.EvidenceWeighing().weigh(e) for e in t.evidence("c"))
        assert len(lazy) == 2
        assert lazy._items is None  # (counted without making them)
        assert lazy == expected
        assert expected == lazy
        assert not (lazy != expected)  # noqa: SIM202
        assert hash(lazy) == hash(expected)
        assert [c.share for c in lazy] == [c.share for c in expected]
        assert lazy[-1] == expected[-1]
        assert lazy[:1] == expected[:1]
        assert expected[0] in lazy
        assert lazy + () == expected  # noqa: RUF005
        assert () + lazy == expected  # noqa: RUF005
        assert repr(lazy) == repr(expected)

    def test_pickled_and_copied_as_the_tuple(self) -> None:
        """Pickling or copying an assessment keeps a plain tuple of its contributions."""
        t = riyadh()
        a = t.assess("c")
        again = pickle.loads(pickle.dumps(a))
        assert type(again.contributions) is tuple
        assert again == a
        assert type(copy.deepcopy(a).contributions) is tuple

    def test_later_evidence_leaves_an_assessment_as_it_was(self) -> None:
        """Evidence added after an assessment does not change its contributions."""
        t = riyadh()
        before = t.assess("c")
        t.add_evidence("c", "Talks in Istanbul.", stance="supports", observed_on="2025-01-01")
        assert len(before.contributions) == 2
        assert [c.evidence.id for c in before.contributions] == ["c-e1", "c-e2"]
        assert len(t.assess("c").contributions) == 3

    def test_empty_is_false(self) -> None:
        """A lazy sequence of no evidence is empty and false."""
        lazy = TallyContributions(ct.EvidenceWeighing(), (), {})
        assert not lazy
        assert lazy == ()
        assert len(lazy) == 0

    def test_not_equal_to_a_list(self) -> None:
        """Like a tuple, it is not equal to a list of the same items."""
        t = riyadh()
        lazy = t.assess("c").contributions
        assert lazy != list(lazy)

    @given(cts.ledgers(max_claims=3, max_evidence=12, max_rulings=2, max_retractions=4))
    @settings(max_examples=60)
    def test_equals_assessing_from_scratch(self, records: list[ct.Record]) -> None:
        """For any ledger, assess() (as it stands and as of each piece) equals the policy's."""
        t = ct.Tracker(clock=lambda: NOW)
        t.add_many(records)
        policy = t.policy
        for claim in t.claims(include_retracted=True):
            state = t._state(claim)
            for as_of in [None, *(e.observed_on for e in state.evidence)]:
                fast = t.assess(claim, as_of=as_of)
                judged = fast.as_of or ct.PartialDate(NOW.date())
                slow = t._assess_now(state, as_of, LATER, judged)  # (known_at: the slow path)
                assert fast.contributions == slow.contributions
                assert hash(fast.contributions) == hash(tuple(slow.contributions))
                assert isinstance(policy, ct.EvidenceWeighing)


class TestPrefix:
    def test_history_entries_equal_assess_as_of(self) -> None:
        """A history entry's contributions (a prefix) equal assess()'s at its date (lazy)."""
        t = riyadh()
        history = t.history("c")
        entry = history[0]
        assert isinstance(entry.contributions, _Prefix)
        again = t.assess("c", as_of=entry.as_of)
        assert entry.contributions == again.contributions
        assert again.contributions == entry.contributions
        assert entry == again
