"""Tests for claimtrack.strategies: every strategy makes values claimtrack accepts."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import entry_points

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import Precision, Record, Tracker
from claimtrack import strategies as cts
from claimtrack._model import clean_id, clean_text

T = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def with_speaker_and_claim() -> Tracker:
    """A tracker holding speaker 's' and claim 'c'."""
    t = Tracker(clock=lambda: T)
    t.add_speaker("S", id="s")
    t.add_claim("s", "C", id="c", stated_on="1900")
    return t


class TestEveryStrategyIsAccepted:
    @given(cts.texts())
    def test_texts(self, text: str) -> None:
        """Generated text passes the text check and survives as a claim's text."""
        t = with_speaker_and_claim()
        assert clean_text(text, "text") == t.add_claim("s", text, stated_on="2025").text

    @given(cts.ids())
    def test_ids(self, record_id: str) -> None:
        """Generated ids pass the id check and can name a speaker."""
        assert record_id == clean_id(record_id) == Tracker().add_speaker("X", id=record_id).id

    @given(cts.partial_dates())
    def test_partial_dates(self, date: ct.PartialDate) -> None:
        """Generated dates are accepted as any date field (future ones when allowed)."""
        t = with_speaker_and_claim()
        assert date == t.add_claim("s", "x", stated_on=date, allow_future=True).stated_on

    @given(cts.partial_dates(min_year=2000, max_year=2001, precision=Precision.MONTH))
    def test_partial_dates_bounds(self, date: ct.PartialDate) -> None:
        """partial_dates keeps to the precision and years asked for."""
        assert (Precision.MONTH, True) == (date.precision, 2000 <= date.start.year <= 2001)

    @given(st.lists(cts.roles(), max_size=3))
    def test_roles(self, roles: list[ct.Role]) -> None:
        """Generated roles are accepted by add_speaker."""
        assert tuple(roles) == Tracker().add_speaker("X", roles=roles).roles

    @given(cts.sources())
    def test_sources(self, source: ct.Source) -> None:
        """Generated sources are accepted on claims and evidence."""
        t = with_speaker_and_claim()
        assert source == t.add_claim("s", "x", stated_on="2025", source=source).source
        assert (
            source
            == t.add_evidence("c", "x", stance="supports", observed_on="2025", source=source).source
        )

    @given(cts.speakers())
    def test_speakers(self, speaker: ct.Speaker) -> None:
        """Generated speakers are accepted by add()."""
        assert speaker.id == Tracker().add(speaker).id

    @given(cts.claims(speaker_id=st.just("s")))
    def test_claims(self, claim: ct.Claim) -> None:
        """Generated claims are accepted, their due never before stated_on."""
        stored = with_speaker_and_claim().add(claim, allow_future=True)
        assert (claim.id, claim.due) == (stored.id, stored.due)
        if claim.due is not None:
            assert claim.due.end >= claim.stated_on.start

    @given(cts.evidence(claim_id=st.just("c")))
    def test_evidence(self, evidence: ct.Evidence) -> None:
        """Generated evidence is accepted."""
        assert evidence.text == with_speaker_and_claim().add(evidence, allow_future=True).text

    @given(cts.rulings(claim_id=st.just("c")))
    def test_rulings(self, ruling: ct.Ruling) -> None:
        """Generated rulings are accepted and never PENDING."""
        assert ruling.verdict == with_speaker_and_claim().add(ruling, allow_future=True).verdict
        assert ruling.verdict is not ct.Verdict.PENDING

    @given(cts.retractions(target_id=st.just("c")))
    def test_retractions(self, retraction: ct.Retraction) -> None:
        """Generated retractions are accepted."""
        t = with_speaker_and_claim()
        t.add(retraction)
        assert t.is_retracted("c")

    @given(
        cts.forecasts(
            claim_id=st.just("c"),
            speaker_id=st.just("s"),
            made_on=cts.partial_dates(min_year=2025, max_year=2030),
        )
    )
    def test_forecasts(self, forecast: ct.Forecast) -> None:
        """Generated forecasts (on a day after the claim) are accepted."""
        assert (
            forecast.probability
            == with_speaker_and_claim().add(forecast, allow_future=True).probability
        )
        assert 0.0 <= forecast.probability <= 1.0


# Generating a ledger takes some 300 draws: cap these properties at 100 examples.
LEDGER_EXAMPLES = settings(max_examples=min(100, settings().max_examples))


class TestLedgers:
    @LEDGER_EXAMPLES
    @given(cts.ledgers())
    def test_ledger_loads_whole(self, records: list[Record]) -> None:
        """A ledger loads unchanged, in order; ids are unique; stamps never go back."""
        t = Tracker()
        assert records == t.add_many(records) == list(t.records())
        stamps = [r.recorded_at for r in records]
        assert len(records) == len({r.id for r in records})
        assert None not in stamps
        assert stamps == sorted(stamps)  # type: ignore[type-var]

    @given(cts.ledgers(max_forecasts=6))
    def test_ledger_forecasts_follow_their_claims(self, records: list[Record]) -> None:
        """Forecasts are by speakers of the ledger, made on or after their claim's day."""
        by_id = {r.id: r for r in records}
        for f in records:
            if isinstance(f, ct.Forecast):
                claim = by_id[f.claim_id]
                assert isinstance(claim, ct.Claim)
                assert isinstance(by_id[f.speaker_id], ct.Speaker)
                assert f.made_on.end >= claim.stated_on.start

    @given(cts.ledgers(max_speakers=1, max_claims=0))
    def test_ledger_bounds(self, records: list[Record]) -> None:
        """The size limits are kept: one speaker and no claims means just the speaker."""
        assert [ct.Speaker] == [type(r) for r in records]


class TestFromType:
    @pytest.mark.parametrize(
        "cls",
        [
            ct.PartialDate,
            ct.Role,
            ct.Source,
            ct.Speaker,
            ct.Claim,
            ct.Evidence,
            ct.Ruling,
            ct.Retraction,
            ct.Forecast,
        ],
    )
    def test_from_type(self, cls: type) -> None:
        """st.from_type works for every record type, through the entry point."""

        # Hypothesis would otherwise build attrs classes from their annotations; the
        # registry (private, but the only place to look) shows that ours is used.
        from hypothesis.strategies._internal.types import _global_type_lookup

        assert cls in _global_type_lookup

        @given(st.from_type(cls))
        def check(value: object) -> None:
            assert isinstance(value, cls)

        check()

    def test_entry_point_registered(self) -> None:
        """The hypothesis entry point names claimtrack's hook."""
        found = {ep.name: ep.value for ep in entry_points(group="hypothesis")}
        assert "claimtrack._hypothesis_hook:_hypothesis_setup_hook" == found.get("claimtrack")
