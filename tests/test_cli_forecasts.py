"""The forecast commands: `forecast add`, `record --forecasts`, forecast leaderboards."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import claimtrack as ct
from claimtrack import cli

FIXED = dt.datetime(2025, 4, 1, 12, 0, tzinfo=dt.UTC)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def tracker() -> ct.Tracker:
    """Alice and Bob; Bob's claim (confidence 0.7) that it will rain by 5 March."""
    t = ct.Tracker(clock=lambda: FIXED)
    t.add_speaker("Alice", id="alice")
    t.add_speaker("Bob", id="bob")
    t.add_claim("bob", "It will rain by 5 March.", id="rain", stated_on="2025-03-01",
                confidence=0.7)  # fmt: skip
    return t


@pytest.fixture
def run(tracker: ct.Tracker, capsys: pytest.CaptureFixture[str]) -> Run:
    @contextlib.contextmanager
    def opener(path: Path, writes: bool) -> Iterator[ct.Tracker]:
        yield tracker

    def _run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli._run(["--db", "t.db", *argv], opener=opener, stdout=out, stderr=err)
        captured = capsys.readouterr()
        return code, out.getvalue() + captured.out, err.getvalue() + captured.err

    return _run


def _forecasts(run: Run) -> None:
    for p, day in (("0.6", "2025-03-01"), ("0.9", "2025-03-03")):
        code, _, _ = run("forecast", "add", "rain", "--by", "alice", "--probability", p,
                         "--made-on", day)  # fmt: skip
        assert code == 0
    assert run("rule", "rain", "held", "--on", "2025-03-05")[0] == 0


class TestForecastAdd:
    def test_prints_the_id_and_stores_it(self, run: Run, tracker: ct.Tracker) -> None:
        """`forecast add` prints the new id; the forecast is in the ledger."""
        code, out, err = run("forecast", "add", "rain", "--by", "alice", "--probability",
                             "0.6", "--made-on", "2025-03-01")  # fmt: skip
        assert (code, out, err) == (0, "rain-f1\n", "")
        assert tracker.forecasts("rain")[0].probability == 0.6

    def test_bad_probability_is_an_error_naming_it(self, run: Run, tracker: ct.Tracker) -> None:
        """A probability outside [0, 1] exits non-zero naming the field; nothing added."""
        code, _, err = run("forecast", "add", "rain", "--by", "alice", "--probability",
                           "1.5", "--made-on", "2025-03-01")  # fmt: skip
        assert code != 0
        assert "probability" in err
        assert tracker.forecasts("rain") == ()

    def test_json(self, run: Run) -> None:
        """With --json the added forecast is printed in its stored form."""
        _, out, _ = run("forecast", "add", "rain", "--by", "alice", "--probability", "0.6",
                        "--made-on", "2025-03-01", "--json")  # fmt: skip
        data = json.loads(out)
        assert (data["type"], data["probability"], data["made_on"]) == (
            "forecast", 0.6, "2025-03-01",
        )  # fmt: skip


class TestRecordAndLeaderboard:
    def test_record_with_forecasts(self, run: Run) -> None:
        """`record --forecasts` prints the forecast record under the track record."""
        _forecasts(run)
        code, out, _ = run("record", "alice", "--forecasts")
        assert code == 0
        assert out.splitlines()[1:] == [
            "No claims.",
            (
                "Forecasts: 1 resolved claim forecast: last forecast on the right side of 50 % "
                "for 1 of 1 (100 %, 95 % interval 21–100 %). Final Brier 0.010, time-averaged "
                "Brier 0.085, relative Brier -0.003 (negative beats the crowd)."
            ),
        ]

    def test_record_json_has_the_forecasts(self, run: Run) -> None:
        """`record --forecasts --json` adds each speaker's forecast record."""
        _forecasts(run)
        _, out, _ = run("record", "--forecasts", "--json")
        records: list[dict[str, Any]] = json.loads(out)["records"]
        alice = records[0]["forecasts"]
        assert (alice["scored"], alice["claims"][0]["days"]) == (1, 4)
        assert alice["time_averaged_brier"] == pytest.approx(0.085)

    def test_leaderboard_by_a_forecast_score(self, run: Run) -> None:
        """`leaderboard --by relative_brier` ranks forecasters, best first."""
        _forecasts(run)
        code, out, _ = run("leaderboard", "--by", "relative_brier", "--min-resolved", "1")
        assert code == 0
        assert [line.split()[1] for line in out.splitlines()[2:]] == ["Alice", "Bob"]
        _, out, _ = run("leaderboard", "--by", "time_averaged_brier", "--min-resolved", "1",
                        "--json")  # fmt: skip
        board = json.loads(out)["leaderboard"]
        assert [(r["speaker_id"], round(r["score"], 3)) for r in board] == [
            ("alice", 0.085), ("bob", 0.09),
        ]  # fmt: skip
