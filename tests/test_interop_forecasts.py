"""The forecast CSV reader: real forecast sets, outcomes as rulings, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import claimtrack as ct
from claimtrack.errors import ImportFormatError
from claimtrack.interop.forecasts import read_forecasts

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HEADER = "forecaster,question_id,question,made_on,probability\n"
OUTCOMES = "question_id,outcome,resolved_on\n"


def tracker() -> ct.Tracker:
    """An empty tracker on a fixed clock."""
    return ct.Tracker(clock=lambda: NOW)


def by_hand(forecasts: Path, outcomes: Path) -> dict[str, float]:
    """Each forecaster's final Brier, computed straight from the files.

    Per forecaster and question, the last row (in file order) of the latest day before
    the question resolved; the mean of (p - outcome)² over their questions.
    """
    with outcomes.open(newline="", encoding="utf-8") as f:
        resolved = {
            r["question_id"]: (int(r["outcome"]), dt.date.fromisoformat(r["resolved_on"]))
            for r in csv.DictReader(f)
        }
    last: dict[tuple[str, str], tuple[dt.date, float]] = {}
    with forecasts.open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    for r in table:
        day = dt.date.fromisoformat(r["made_on"][:10])
        if r["question_id"] in resolved and day < resolved[r["question_id"]][1]:
            key = (r["forecaster"], r["question_id"])
            if key not in last or day >= last[key][0]:
                last[key] = (day, float(r["probability"]))
    per: dict[str, list[float]] = {}
    for (who, qid), (_, p) in last.items():
        per.setdefault(who, []).append((p - resolved[qid][0]) ** 2)
    return {who: sum(bs) / len(bs) for who, bs in per.items()}


class TestRealForecastSets:
    @pytest.mark.parametrize("prefix", ["predictionbook", "gjp"])
    def test_final_brier_agrees_with_a_hand_computation(self, prefix: str) -> None:
        """Every forecaster's final Brier equals one computed straight from the CSV."""
        forecasts = DATA / f"{prefix}_forecasts_sample.csv"
        outcomes = DATA / f"{prefix}_outcomes_sample.csv"
        t = tracker()
        read_forecasts(t, forecasts, outcomes=outcomes)
        expected = by_hand(forecasts, outcomes)
        assert expected
        for who, brier in expected.items():
            assert t.forecast_record(who).final_brier == pytest.approx(brier, abs=1e-12)

    def test_predictionbook_counts(self) -> None:
        """The PredictionBook sample: 8 questions, 271 forecasts, 139 forecasters."""
        t = tracker()
        report = read_forecasts(
            t,
            DATA / "predictionbook_forecasts_sample.csv",
            outcomes=DATA / "predictionbook_outcomes_sample.csv",
        )
        assert report.counts == {"speaker": 140, "claim": 8, "forecast": 271, "ruling": 8}
        assert [s.reason for s in report.skipped] == ["column 'timestamp' is not read; ignored"]
        rows = t.leaderboard(by="time_averaged_brier", min_resolved=3)
        assert len(rows) == 13  # forecasters with a forecast before resolution on 3+
        assert all(r.scored >= 3 for r in rows)


class TestReader:
    def test_same_day_revision_stands(self) -> None:
        """Of two rows of one forecaster on one day, the later stands."""
        t = tracker()
        rows = HEADER + "a,q,Q?,2025-03-01,0.1\na,q,Q?,2025-03-01,0.8\n"
        read_forecasts(t, rows, outcomes=OUTCOMES + "q,yes,2025-03-02\n")
        assert t.forecast_record("a").final_brier == pytest.approx(0.04)

    def test_percentages_and_outcome_words(self) -> None:
        """'70%' is 0.7; 'no' is FAILED, 'void' VOID; an empty outcome stays open."""
        t = tracker()
        rows = HEADER + "a,q1,Q1?,2025-03-01,70%\na,q2,Q2?,2025-03-01,0.5\na,q3,,2025-03-01,1\n"
        report = read_forecasts(
            t, rows, outcomes=OUTCOMES + "q1,no,2025-03-09\nq2,void,2025-03-09\nq3,,\n"
        )
        assert [f.probability for f in t.forecasts(by="a")] == [0.7, 0.5, 1.0]
        assert [t.assess(q).verdict.value for q in ("q1", "q2", "q3")] == [
            "failed", "void", "pending",
        ]  # fmt: skip
        assert t.claim("q3").text == "Question q3"
        assert "no outcome: the question stays open" in [s.reason for s in report.skipped]

    def test_forecasts_on_a_claim_already_tracked(self) -> None:
        """A question id that is a claim already is forecast as it is."""
        t = tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
        report = read_forecasts(t, HEADER + "alice,c,,2025-03-01,0.7\n")
        assert report.counts == {"speaker": 1, "forecast": 1}
        assert t.forecasts("c")[0].speaker_id == "alice"

    def test_every_bad_cell_at_once_and_nothing_added(self) -> None:
        """Bad cells are reported together, naming file:line and column; nothing is added."""
        t = tracker()
        rows = HEADER + "a,q,Q?,someday,0.5\nb,q,Q?,2025-03-01,1.5\nc,q,Q?,2025-03-01,x\n"
        rows += "d,q,Q?,2025-03-01,0.5\n"
        with pytest.raises(ExceptionGroup) as caught:
            read_forecasts(t, rows, name="f.csv", outcomes=OUTCOMES + "q,maybe,2025-04-01\n")
        found = [str(e) for e in caught.value.exceptions]
        assert all(isinstance(e, ImportFormatError) for e in caught.value.exceptions)
        assert found == [
            "f.csv:2: made_on: 'someday' is not a date",
            "f.csv:3: probability: '1.5' is not a probability in [0, 1] (or 0-100 %)",
            "f.csv:4: probability: 'x' is not a number",
            "outcomes.csv:2: outcome: 'maybe' is not 1/0, yes/no, held/failed or void",
        ]
        assert len(t) == 0

    def test_missing_column(self) -> None:
        """A file without a required column names it."""
        with pytest.raises(ExceptionGroup) as caught:
            read_forecasts(tracker(), "forecaster,question_id,made_on\na,q,2025-03-01\n")
        assert "probability" in str(caught.value.exceptions[0])

    def test_forecast_before_the_claim_was_stated(self) -> None:
        """A forecast dated before an existing claim was stated is refused."""
        t = tracker()
        t.add_speaker("Donald Trump", id="trump")
        t.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
        with pytest.raises(ExceptionGroup) as caught:
            read_forecasts(t, HEADER + "alice,c,,2025-02-01,0.7\n")
        assert "made_on" in str(caught.value.exceptions[0])
        assert "alice" not in t

    def test_importing_the_outcomes_again_skips_them(self) -> None:
        """A second import of the same outcome file skips the rulings it already made."""
        t = tracker()
        read_forecasts(
            t, HEADER + "a,q,Q?,2025-03-01,0.5\n", outcomes=OUTCOMES + "q,1,2025-03-04\n"
        )
        report = read_forecasts(
            t, HEADER + "a,q,Q?,2025-03-02,0.9\n", outcomes=OUTCOMES + "q,1,2025-03-04\n"
        )
        assert report.counts == {"forecast": 1}
        assert t.forecast_record("a").final_brier == pytest.approx(0.01)
