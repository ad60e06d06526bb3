"""Tests for claimtrack._walk: assess_all's assessments, weighed straight from records."""

from __future__ import annotations

import copy
import os
import pickle
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack._walk import DerivedContributions
from claimtrack.strategies import ledgers


def _tracker(records: list[ct.Record], where: str | None) -> ct.Tracker:
    tracker = ct.Tracker() if where is None else ct.open(where)
    tracker.add_many(records)
    return tracker


class TestDerivedContributions:
    @given(ledgers(max_evidence=20), st.sampled_from([None, "2021-06-30", "2023-01-01"]))
    @settings(max_examples=40, deadline=None)
    def test_equal_to_assess_in_memory_and_sqlite(
        self, records: list[ct.Record], as_of: str | None
    ) -> None:
        """Every assess_all() assessment equals assess(), contributions and explain() too."""
        with tempfile.TemporaryDirectory() as tmp:
            for where in (None, os.path.join(tmp, "t.db")):
                tracker = _tracker(records, where)
                try:
                    walked = tracker.assess_all(as_of=as_of)
                    # a new tracker, so no claim state is cached: assess() builds its tally
                    eager = _tracker([], where) if where is not None else None
                    for a in walked:
                        one = (eager or tracker).assess(a.claim.id, as_of=as_of)
                        assert a == one
                        assert tuple(a.contributions) == one.contributions
                        assert a.contributions == one.contributions
                        assert one.contributions == a.contributions
                        assert a.explain() == one.explain()
                        assert hash(a.contributions) == hash(one.contributions)
                    if eager is not None:
                        eager.close()
                finally:
                    tracker.close()

    def test_read_later_ignores_records_added_since(self) -> None:
        """Contributions read after more evidence arrived are those the assessment used."""
        t = ct.Tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
        t.add_evidence("c", "Not invited.", stance="refutes", observed_on="2025-02-18", id="e1")
        before = t.assess("c")
        (walked,) = t.assess_all()
        t.add_evidence("c", "Jeddah talks.", stance="supports", observed_on="2025-01-01", id="e0")
        retraction = t.retract("e1", reason="wrong")
        assert [c.evidence.id for c in walked.contributions] == ["e1"]
        assert walked == before
        assert retraction.target_id == "e1"

    def test_contested_conclusive_shares_are_zero(self) -> None:
        """Conclusive evidence on both sides: shares 0.0 as in assess(), verdict contested."""
        t = ct.Tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        t.add_evidence("c", "Yes.", stance="supports", strength="conclusive",
                       observed_on="2025-03-01")  # fmt: skip
        t.add_evidence("c", "No.", stance="refutes", strength="conclusive",
                       observed_on="2025-03-02")  # fmt: skip
        (walked,) = ct.Tracker(t._store).assess_all()
        assert walked.verdict is ct.Verdict.CONTESTED
        assert [c.share for c in walked.contributions] == [0.0, 0.0]
        assert walked == t.assess("c")

    def test_read_only_sequence(self) -> None:
        """The view is a read-only sequence: len, index, slice, iteration, repr."""
        t = ct.Tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        for day in ("2025-03-02", "2025-03-01"):
            t.add_evidence("c", "Seen.", stance="supports", observed_on=day)
        (walked,) = ct.Tracker(t._store).assess_all()
        view = walked.contributions
        assert isinstance(view, DerivedContributions)
        eager = t.assess("c").contributions
        assert len(view) == 2
        assert view[0] == eager[0]
        assert view[-1] == eager[-1]
        assert view[:1] == eager[:1]
        assert list(view) == list(eager)
        assert repr(view) == repr(eager)
        assert view != list(eager)
        assert view + () == eager  # noqa: RUF005 (tuple concatenation is what is tested)

    def test_pickles_as_the_tuple(self) -> None:
        """An assess_all() assessment pickles and copies, its contributions as a tuple."""
        t = ct.Tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        t.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
        (walked,) = ct.Tracker(t._store).assess_all()
        again = pickle.loads(pickle.dumps(walked))
        assert again == walked
        assert type(again.contributions) is tuple
        assert copy.deepcopy(walked) == walked
