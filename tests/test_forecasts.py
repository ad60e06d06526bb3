"""Forecasts: the record, its checks, resolution dates and every forecast score."""

from __future__ import annotations

import datetime as dt
import math
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import strategies as cts
from claimtrack._forecasts import rank_forecasters, score_claim
from claimtrack.errors import InvalidRecordError, UnknownRecordError

D = dt.date
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def tracker(*speakers: str) -> ct.Tracker:
    """A tracker on a fixed clock (1 January 2026) with the given speakers."""
    clock = iter(NOW + dt.timedelta(seconds=i) for i in range(100_000))
    t = ct.Tracker(clock=lambda: next(clock))
    for who in speakers:
        t.add_speaker(who.title(), id=who)
    return t


def crowd() -> ct.Tracker:
    """Bob's claim (confidence 0.7), forecast by Alice and Carol, ruled held on 5 March."""
    t = tracker("alice", "bob", "carol")
    t.add_claim("bob", "It will rain.", id="c", stated_on="2025-03-01", confidence=0.7)
    t.forecast("c", by="alice", probability=0.6, made_on="2025-03-01")
    t.forecast("c", by="alice", probability=0.9, made_on="2025-03-03")
    t.forecast("c", by="carol", probability=0.2, made_on="2025-03-02")
    t.rule("c", "held", on="2025-03-05")
    return t


class TestForecastRecord:
    def test_fields_are_converted(self) -> None:
        """Strings become dates, ints become floats, ids are checked."""
        f = ct.Forecast("f", "c", "alice", 1, made_on="1 March 2025")
        assert (f.probability, f.made_on) == (1.0, ct.PartialDate.parse("2025-03-01"))

    @pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, "0.5", True, None])
    def test_probability_outside_unit_interval_is_refused(self, bad: object) -> None:
        """A probability outside [0, 1], or not a number, names the field."""
        with pytest.raises(InvalidRecordError, match="probability"):
            ct.Forecast("f", "c", "alice", bad, made_on="2025-03-01")

    def test_bad_date_names_made_on(self) -> None:
        """A date that is not one names made_on."""
        with pytest.raises(InvalidRecordError, match="made_on"):
            ct.Forecast("f", "c", "alice", 0.5, made_on="soon")


class TestTrackerForecast:
    def test_forecast_is_stored_and_listed(self) -> None:
        """forecast() appends a Forecast; forecasts() lists it by claim and by speaker."""
        t = crowd()
        assert [f.probability for f in t.forecasts("c", by="alice")] == [0.6, 0.9]
        assert [f.id for f in t.forecasts(by="carol")] == ["c-f3"]
        assert isinstance(t.get("c-f1"), ct.Forecast)

    @pytest.mark.parametrize(
        ("kwargs", "error", "field"),
        [
            ({"probability": 1.2}, InvalidRecordError, "probability"),
            ({"made_on": "2025-02-01"}, InvalidRecordError, "made_on"),
            ({"made_on": "2027-01-01"}, InvalidRecordError, "made_on"),
            ({"by": "nobody"}, UnknownRecordError, "nobody"),
            ({"claim": "nothing"}, UnknownRecordError, "nothing"),
        ],
    )
    def test_bad_forecast_raises_and_changes_nothing(
        self, kwargs: dict[str, object], error: type[Exception], field: str
    ) -> None:
        """Bad input names the field or the id; the tracker is unchanged."""
        t = crowd()
        before = list(t.records())
        args: dict[str, object] = {
            "claim": "c", "by": "alice", "probability": 0.5, "made_on": "2025-03-02",
        }  # fmt: skip
        args.update(kwargs)
        claim = args.pop("claim")
        with pytest.raises(error, match=field):
            t.forecast(claim, **args)  # type: ignore[arg-type]
        assert list(t.records()) == before

    def test_future_forecast_allowed_when_asked(self) -> None:
        """allow_future=True accepts a forecast dated after today."""
        t = crowd()
        f = t.forecast("c", by="alice", probability=0.5, made_on="2027-01-01", allow_future=True)
        assert f.made_on.start == D(2027, 1, 1)

    def test_add_many_refuses_a_forecast_of_a_speaker_not_on_record(self) -> None:
        """A hand-built forecast by an unknown speaker is refused; nothing is added."""
        t = crowd()
        n = len(t)
        with pytest.raises(UnknownRecordError, match="zed"):
            t.add_many([ct.Forecast("f9", "c", "zed", 0.5, made_on="2025-03-02")])
        assert len(t) == n

    @pytest.mark.parametrize("suffix", [".db", ".jsonl"])
    def test_forecasts_survive_a_file(self, tmp_path: Path, suffix: str) -> None:
        """Forecasts are stored and read back by SQLite and JSON Lines ledgers."""
        path = tmp_path / f"ledger{suffix}"
        with ct.open(path) as t:
            t.add_many(list(crowd().records()))
            expected = t.forecast_record("alice")
        with ct.open(path) as again:
            assert again.forecasts("c") == crowd().forecasts("c")
            assert again.forecast_record("alice") == expected

    def test_sqlite_file_without_forecast_columns_gets_them(self, tmp_path: Path) -> None:
        """A schema 2 file written before forecasts gains the two columns and takes one."""
        path = tmp_path / "old.db"
        with ct.open(path) as t:
            t.add_speaker("Alice", id="alice")
            t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("ALTER TABLE records DROP COLUMN made_on")
        conn.execute("ALTER TABLE records DROP COLUMN probability")
        conn.close()
        with ct.open(path) as t:
            t.forecast("c", by="alice", probability=0.4, made_on="2025-03-02")
        with ct.open(path) as t:
            assert [f.probability for f in t.forecasts("c")] == [0.4]


class TestResolvedOn:
    def test_ruling_date(self) -> None:
        """A claim ruled held on a day resolves on that day."""
        assert crowd().assess("c").resolved_on == ct.PartialDate.parse("2025-03-05")

    def test_pending_claim_has_none(self) -> None:
        """An unresolved claim has no resolved_on."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
        assert t.assess("c").resolved_on is None

    def test_evidence_crossing_the_threshold(self) -> None:
        """The day the weight of evidence first reaches HELD (16 · 4 > 19 to 1)."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
        t.add_evidence(
            "c", "Clouds.", stance="supports", strength="strong", observed_on="2025-03-02"
        )
        t.add_evidence(
            "c", "Rain.", stance="supports", strength="moderate", observed_on="2025-03-09"
        )
        assert t.assess("c").resolved_on == ct.PartialDate.parse("2025-03-09")
        assert t.assess("c", as_of="2025-03-08").resolved_on is None

    def test_first_day_of_the_final_verdict(self) -> None:
        """A verdict that came, went and came back: the first day it had it."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
        t.add_evidence("c", "A", stance="supports", strength="conclusive", observed_on="2025-03-02")
        t.rule("c", "unresolved", on="2025-03-04")
        t.rule("c", "held", on="2025-03-07")
        assert t.assess("c").resolved_on == ct.PartialDate.parse("2025-03-02")
        steps = t.history("c")
        assert [str(a.resolved_on) for a in steps] == [
            "None", "2025-03-02", "None", "2025-03-02", "2025-03-02",
        ]  # fmt: skip


class TestResolvedOnProperties:
    @given(
        cts.ledgers(max_claims=2, max_evidence=14, max_rulings=3, max_retractions=4),
        st.none() | cts.partial_dates(min_year=1990, max_year=2040),
    )
    @settings(max_examples=60)
    def test_tally_pass_equals_assessing_each_day(
        self, records: list[ct.Record], as_of: ct.PartialDate | None
    ) -> None:
        """The one-pass resolution date equals assessing the claim at each change point."""
        t = tracker()
        t.add_many(records)
        when = as_of
        for claim in t.claims(include_retracted=True):
            final = t.assess(claim, as_of=when)
            if final.verdict not in (ct.Verdict.HELD, ct.Verdict.FAILED):
                assert final.resolved_on is None
                continue
            slow = t._first_day_assessed(t._state(claim), final, when, None)
            assert final.resolved_on == ct.PartialDate.coerce(slow[1])
            assert t.assess(claim, as_of=final.resolved_on).verdict is final.verdict

    @given(cts.ledgers(max_claims=2, max_evidence=14, max_rulings=3, max_retractions=4))
    @settings(max_examples=40)
    def test_history_entries_agree_with_assess(self, records: list[ct.Record]) -> None:
        """Each history entry's resolved_on is that of assess() at its date."""
        t = tracker()
        t.add_many(records)
        for claim in t.claims(include_retracted=True):
            for entry in t.history(claim):
                again = t.assess(claim, as_of=entry.as_of)
                assert (entry.verdict, entry.resolved_on) == (again.verdict, again.resolved_on)

    def test_many_pieces_of_evidence(self) -> None:
        """A claim with 20,000 pieces of evidence resolves in one pass (it did not finish)."""
        later = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        t = ct.Tracker(clock=lambda: later)
        t.add_speaker("Alice", id="alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2020-01-01")
        t.add_many(
            [
                ct.Evidence(f"e{i}", "c", "A report.", stance="supports" if i % 2 else "refutes",
                            strength="weak", observed_on=D(2020, 1, 1) + dt.timedelta(i),
                            recorded_at=later)
                for i in range(20_000)
            ]
        )  # fmt: skip
        t.add_evidence("c", "Proof.", stance="supports", strength="conclusive",
                       observed_on="2080-01-01")  # fmt: skip
        assert t.assess("c").resolved_on == ct.PartialDate.parse("2080-01-01")

    @given(st.data())
    @settings(max_examples=80)
    def test_kept_first_days_equal_assessing_each_day(self, data: st.DataObject) -> None:
        """After each new record, resolved_on (kept, brought up to date) is the slow way's."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2020-01-10")
        last = D(2020, 1, 10)
        pieces: list[str] = []
        for _ in range(data.draw(st.integers(1, 16), label="steps")):
            step = data.draw(st.sampled_from(["later", "later", "same", "same", "earlier", "rule",
                                              "retract"]))  # fmt: skip
            if step == "rule":
                on = last - dt.timedelta(days=data.draw(st.integers(-3, 3)))
                t.rule("c", data.draw(st.sampled_from(["held", "failed", "unresolved"])), on=on)
                last = max(last, on)
            elif step == "retract" and pieces:
                t.retract(data.draw(st.sampled_from(pieces)), reason="wrong")
            else:
                shift = {"later": 1 + data.draw(st.integers(0, 5)), "same": 0,
                         "earlier": -1 - data.draw(st.integers(0, 5))}.get(step, 0)  # fmt: skip
                on = last + dt.timedelta(days=shift)
                made = t.add_evidence(
                    "c", "A report.", stance=data.draw(st.sampled_from(["supports", "refutes"])),
                    strength=data.draw(st.sampled_from(list(ct.Strength))),
                    observed_on=on,
                )  # fmt: skip
                pieces.append(made.id)
                last = max(last, on)
            as_of = data.draw(st.none() | st.just(last - dt.timedelta(days=2)), label="as_of")
            for when in (None, as_of):
                final = t.assess("c", as_of=when)
                if final.verdict not in (ct.Verdict.HELD, ct.Verdict.FAILED):
                    assert final.resolved_on is None
                    continue
                slow = t._first_day_assessed(t._state("c"), final, final.as_of, None)
                assert final.resolved_on == ct.PartialDate.coerce(slow[1])
        kept = (t.assess("c"), t.assess("c").resolved_on)
        t._cache.clear()  # the claim read again from the store: the same answer
        assert (t.assess("c"), t.assess("c").resolved_on) == kept

    def test_evidence_as_it_comes_is_not_walked_again(self) -> None:
        """A claim's first days are brought up to date from a new day, not found again."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2025-01-01")
        passes: list[int] = []
        walk = t._first_days_pass
        t._first_days_pass = lambda *a: passes.append(1) or walk(*a)  # type: ignore[method-assign]

        def add(stance: str, strength: str, on: str) -> tuple[str, str, int]:
            t.add_evidence("c", "A report.", stance=stance, strength=strength, observed_on=on)
            a = t.assess("c")
            return a.verdict.value, str(a.resolved_on), len(passes)

        assert add("supports", "strong", "2025-01-02") == ("pending", "None", 0)
        assert add("supports", "weak", "2025-01-04") == ("held", "2025-01-04", 1)  # one pass
        assert add("refutes", "weak", "2025-01-07") == ("pending", "None", 1)
        assert add("supports", "weak", "2025-01-07") == ("held", "2025-01-04", 1)
        assert add("refutes", "conclusive", "2025-01-09") == ("failed", "2025-01-09", 1)
        assert add("refutes", "weak", "2025-01-03") == ("failed", "2025-01-09", 2)  # earlier

    def test_a_first_day_lost_on_its_own_day(self) -> None:
        """Held first on a day, then not on that day (new evidence): held first on a later day."""
        t = tracker("alice")
        t.add_claim("alice", "It will rain.", id="c", stated_on="2025-01-01")
        for stance, strength, on in [
            ("refutes", "strong", "2025-01-02"), ("refutes", "weak", "2025-01-03"),
            ("supports", "strong", "2025-01-06"), ("supports", "strong", "2025-01-06"),
            ("supports", "moderate", "2025-01-06"),
        ]:  # fmt: skip
            t.add_evidence("c", "A report.", stance=stance, strength=strength, observed_on=on)
            t.assess("c")
        assert str(t.assess("c").resolved_on) == "2025-01-06"
        t.add_evidence("c", "Not so.", stance="refutes", strength="moderate",
                       observed_on="2025-01-06")  # fmt: skip
        assert str(t.assess("c", as_of="2025-01-04").resolved_on) == "2025-01-03"  # failed then
        t.add_evidence("c", "So.", stance="supports", strength="moderate", observed_on="2025-01-08")
        assert str(t.assess("c").resolved_on) == "2025-01-08"


class TestScoresByHand:
    def test_time_averaged_brier(self) -> None:
        """0.6 for two days then 0.9 for two, outcome 1: (2·0.16 + 2·0.01) / 4."""
        found = ct.time_averaged_brier(
            [(D(2025, 3, 1), 0.6), (D(2025, 3, 3), 0.9)], 1, D(2025, 3, 5)
        )
        assert found == pytest.approx(0.085)

    def test_same_day_the_later_stands(self) -> None:
        """Of two forecasts on one day, the later given stands."""
        pairs = [(D(2025, 3, 1), 0.1), (D(2025, 3, 1), 0.8)]
        assert ct.time_averaged_brier(pairs, 1, D(2025, 3, 2)) == pytest.approx(0.04)

    def test_forecasts_on_or_after_resolution_are_ignored(self) -> None:
        """Only forecasts before resolved_on count; none gives None."""
        pairs = [(D(2025, 3, 1), 0.5), (D(2025, 3, 5), 0.0)]
        assert ct.time_averaged_brier(pairs, 0, D(2025, 3, 5)) == pytest.approx(0.25)
        assert ct.time_averaged_brier(pairs[1:], 0, D(2025, 3, 5)) is None

    def test_relative_brier_three_forecasters(self) -> None:
        """Medians by day: .125 (two standing), .16, .09, .09; each minus their own Brier."""
        found = ct.relative_brier(
            {
                "alice": [(D(2025, 3, 1), 0.6), (D(2025, 3, 3), 0.9)],
                "bob": [(D(2025, 3, 1), 0.7)],
                "carol": [(D(2025, 3, 2), 0.2)],
            },
            1,
            D(2025, 3, 5),
        )
        # alice: (.16-.125) + (.16-.16) + (.01-.09) + (.01-.09) = -.125 over 4 days
        # bob: (.09-.125) + (.09-.16) + 0 + 0 = -.105 over 4 days
        # carol: (.64-.16) + (.64-.09) + (.64-.09) = 1.58 over 3 days
        assert found == pytest.approx({"alice": -0.03125, "bob": -0.02625, "carol": 1.58 / 3})

    def test_brier_skill(self) -> None:
        """Brier 0.025 against the base rate's 0.25: skill 0.9; None with one outcome."""
        assert ct.brier_skill_score([0.9, 0.2], [1, 0]) == pytest.approx(0.9)
        assert ct.brier_skill_score([0.3], [0]) is None

    def test_bad_input_names_the_item(self) -> None:
        """A bad pair, probability or outcome is an InvalidRecordError naming it."""
        with pytest.raises(InvalidRecordError, match=r"forecasts\[1\]"):
            ct.time_averaged_brier([(D(2025, 3, 1), 0.5), (D(2025, 3, 2), 2.0)], 1, D(2025, 4, 1))
        with pytest.raises(InvalidRecordError, match="outcome"):
            ct.time_averaged_brier([(D(2025, 3, 1), 0.5)], 2, D(2025, 4, 1))
        with pytest.raises(InvalidRecordError, match="resolved_on"):
            ct.time_averaged_brier([], 1, "2025-04-01")  # type: ignore[arg-type]


class TestForecastRecordOnATracker:
    def test_crowd_scores(self) -> None:
        """The tracker's record of each forecaster equals the hand computation."""
        t = crowd()
        alice, bob, carol = (t.forecast_record(w) for w in ("alice", "bob", "carol"))
        assert (alice.final_brier, alice.time_averaged_brier, alice.relative_brier) == (
            pytest.approx(0.01), pytest.approx(0.085), pytest.approx(-0.03125),
        )  # fmt: skip
        # bob's claim confidence is his forecast, made on stated_on
        assert (bob.scored, bob.final_brier) == (1, pytest.approx(0.09))
        assert bob.relative_brier == pytest.approx(-0.02625)
        assert (carol.right_side, carol.sided, carol.right_side_rate) == (0, 1, 0.0)

    def test_many_claims(self) -> None:
        """Final Brier, skill, log score, calibration and right side over four claims."""
        t = tracker("alice", "bob")
        plan = [("c1", 0.8, "held"), ("c2", 0.5, "failed"), ("c3", 0.3, "failed"),
                ("c4", 0.4, "held")]  # fmt: skip
        for cid, p, verdict in plan:
            t.add_claim("bob", f"Claim {cid}.", id=cid, stated_on="2025-01-01")
            t.forecast(cid, by="alice", probability=p, made_on="2025-01-10")
            t.rule(cid, verdict, on="2025-02-01")
        rec = t.forecast_record("alice")
        briers = [0.04, 0.25, 0.09, 0.36]
        assert rec.scored == 4
        assert rec.final_brier == pytest.approx(sum(briers) / 4)
        assert rec.time_averaged_brier == pytest.approx(sum(briers) / 4)
        assert rec.relative_brier == 0.0
        assert rec.brier_skill == pytest.approx(1 - 0.185 / 0.25)
        logs = [math.log(0.8), math.log(0.5), math.log(0.7), math.log(0.4)]
        assert rec.log_score == pytest.approx(sum(logs) / 4)
        # 0.5 is on neither side: 2 right (0.8 held, 0.3 failed) of 3 sided
        assert (rec.right_side, rec.sided) == (2, 3)
        assert rec.interval == pytest.approx(ct.wilson_interval(2, 3))
        assert [b.mean_stated for b in rec.calibration] == [0.3, 0.4, 0.5, 0.8]
        assert rec.reliability - rec.resolution + rec.uncertainty == pytest.approx(0.185)

    def test_first_forecast_after_resolution_is_not_scored(self) -> None:
        """A claim first forecast on resolved_on is not scored for that forecaster."""
        t = crowd()
        t.add_speaker("Dan", id="dan")
        t.forecast("c", by="dan", probability=1.0, made_on="2025-03-05")
        assert t.forecast_record("dan").scored == 0
        assert t.forecast_record("alice") == crowd().forecast_record("alice")

    def test_retracted_forecast_does_not_count(self) -> None:
        """Retracting Alice's revision leaves her 0.6 standing to the end."""
        t = crowd()
        t.retract("c-f2", reason="entered by mistake")
        assert t.forecast_record("alice").final_brier == pytest.approx(0.16)

    def test_filters(self) -> None:
        """topic, kind and as_of select the claims; judged as of as_of."""
        t = crowd()
        assert t.forecast_record("alice", topic="weather").scored == 0
        assert t.forecast_record("alice", kind="assertion").scored == 1
        assert t.forecast_record("alice", as_of="2025-03-04").scored == 0
        assert t.forecast_record("alice", as_of="2025-03-05").scored == 1

    def test_track_record_is_unchanged_by_forecasts(self) -> None:
        """A speaker's verdict track record ignores other people's forecasts."""
        t = crowd()
        before = t.track_record("bob")
        t.forecast("c", by="bob", probability=0.0, made_on="2025-03-04")
        assert t.track_record("bob") == before


class TestLeaderboard:
    def test_ranked_by_relative_brier(self) -> None:
        """Lowest relative Brier first; the row says the score and the count."""
        rows = crowd().leaderboard(by="relative_brier", min_resolved=1)
        assert [r.speaker_id for r in rows] == ["alice", "bob", "carol"]
        assert str(rows[0]).startswith("1. Alice: relative Brier -0.031 over 1 claim")

    def test_minimum_to_be_ranked(self) -> None:
        """min_resolved is the number of claims scored a forecaster needs."""
        assert crowd().leaderboard(by="time_averaged_brier", min_resolved=2) == ()

    def test_higher_is_better_keys(self) -> None:
        """Log score ranks highest first; skill is left out when it is undefined."""
        rows = crowd().leaderboard(by="log_score", min_resolved=1)
        assert [r.speaker_id for r in rows] == ["alice", "bob", "carol"]
        assert crowd().leaderboard(by="brier_skill", min_resolved=1) == ()

    def test_unknown_key(self) -> None:
        """An unknown by= lists the allowed keys, forecast keys included."""
        with pytest.raises(InvalidRecordError, match="time_averaged_brier"):
            crowd().leaderboard(by="speed")

    def test_right_side_rate_by_interval(self) -> None:
        """By the lower end of the Wilson interval: 3 of 3 beats 1 of 1."""
        recs = []
        for who, n in (("one", 1), ("three", 3)):
            scores = [score_claim([(who, D(2025, 1, 1), 0.9)], 1, D(2025, 1, 2),
                                  claim_id=f"{who}{i}")[who] for i in range(n)]  # fmt: skip
            recs.append((who, who, ct.ForecastRecord.from_scores(scores)))
        rows = rank_forecasters(recs, by="right_side_rate", min_scored=1)
        assert [r.speaker_id for r in rows] == ["three", "one"]


# -- properties ------------------------------------------------------------------------------

days = st.integers(0, 60).map(lambda n: D(2025, 1, 1) + dt.timedelta(days=n))
probabilities = st.floats(0.0, 1.0)
forecast_lists = st.lists(st.tuples(st.sampled_from("abc"), days, probabilities), max_size=12)


class TestProperties:
    @given(st.lists(days, min_size=1, max_size=8), st.sampled_from([0, 1]), st.integers(1, 30))
    def test_always_the_outcome_scores_zero(self, made: list[D], o: int, extra: int) -> None:
        """Always forecasting the outcome gives final and time-averaged Brier 0."""
        resolved_on = max(made) + dt.timedelta(days=extra)
        s = score_claim([("a", d, float(o)) for d in made], o, resolved_on)["a"]
        assert (s.final_brier, s.time_averaged_brier) == (0.0, 0.0)

    @given(days, probabilities, st.sampled_from([0, 1]))
    def test_one_forecast_the_day_before(self, day: D, p: float, o: int) -> None:
        """Time-averaged equals final when the only forecast is the day before resolution."""
        s = score_claim([("a", day, p)], o, day + dt.timedelta(days=1))["a"]
        assert s.time_averaged_brier == pytest.approx(s.final_brier)

    @given(st.lists(st.tuples(days, probabilities), min_size=1), st.sampled_from([0, 1]))
    def test_lone_forecaster_relative_zero(self, pairs: list[tuple[D, float]], o: int) -> None:
        """The relative Brier of a lone forecaster is 0."""
        found = ct.relative_brier({"a": pairs}, o, D(2025, 4, 1))
        assert found["a"] == pytest.approx(0.0, abs=1e-12)

    @given(forecast_lists, st.sampled_from([0, 1]), st.integers(0, 30), probabilities)
    def test_forecast_after_resolution_changes_nothing(
        self, triples: list[tuple[str, D, float]], o: int, late: int, p: float
    ) -> None:
        """A forecast made on or after resolved_on changes no score."""
        resolved_on = D(2025, 2, 1)
        after = resolved_on + dt.timedelta(days=late)
        assert score_claim([*triples, ("a", after, p)], o, resolved_on) == score_claim(
            triples, o, resolved_on
        )

    @given(st.data(), st.sampled_from(["held", "failed"]))
    @settings(max_examples=25)
    def test_recording_order_changes_nothing(self, data: st.DataObject, verdict: str) -> None:
        """Forecasts recorded in any order give every forecaster the same record."""
        entry = st.tuples(
            st.sampled_from(["alice", "bob", "carol"]), st.integers(0, 40), probabilities
        )
        plan = data.draw(st.lists(entry, unique_by=lambda x: (x[0], x[1]), max_size=10))
        seed = data.draw(st.integers(0, 1000))

        def build(order: list[tuple[str, int, float]]) -> ct.Tracker:
            t = tracker("alice", "bob", "carol")
            t.add_claim("bob", "It will rain.", id="c", stated_on="2025-01-01", confidence=0.6)
            t.rule("c", verdict, on="2025-01-30")
            for who, n, p in order:
                t.forecast("c", by=who, probability=p, made_on=D(2025, 1, 1) + dt.timedelta(n))
            return t

        shuffled = list(plan)
        random.Random(seed).shuffle(shuffled)
        one, two = build(plan), build(shuffled)
        for who in ("alice", "bob", "carol"):
            a, b = one.forecast_record(who), two.forecast_record(who)
            assert a.scored == b.scored
            if a.scored:
                assert a.time_averaged_brier == pytest.approx(b.time_averaged_brier)
                assert a.relative_brier == pytest.approx(b.relative_brier)
                assert a.final_brier == b.final_brier

    @given(st.lists(st.tuples(probabilities, st.sampled_from([0, 1])), min_size=1, max_size=20))
    def test_record_agrees_with_the_scoring_rules(self, pairs: list[tuple[float, int]]) -> None:
        """A record's last-forecast scores are those of the plain scoring rules."""
        scores = [
            score_claim([("a", D(2025, 1, 1), p)], o, D(2025, 1, 3), claim_id=f"c{i:03d}")["a"]
            for i, (p, o) in enumerate(pairs)
        ]
        rec = ct.ForecastRecord.from_scores(scores)
        ps, os_ = [p for p, _ in pairs], [o for _, o in pairs]
        murphy = ct.murphy_decomposition(ps, os_)
        assert rec.calibration == ct.calibration_bins(ps, os_)
        assert (rec.reliability, rec.resolution, rec.uncertainty) == (
            murphy.reliability, murphy.resolution, murphy.uncertainty,
        )  # fmt: skip
        assert rec.brier_skill == ct.brier_skill_score(ps, os_)
        assert rec.log_score == ct.log_score(ps, os_)
        assert rec.final_brier == ct.brier_score(ps, os_)
