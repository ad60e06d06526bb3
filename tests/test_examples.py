"""Every script in examples/ runs, prints its result, and leaves the repository alone."""

from __future__ import annotations

import runpy
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import claimtrack as ct

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = "claimtrack-example-output"
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Examples run in-process keep their output folder in the test's folder, not here."""
    monkeypatch.chdir(tmp_path)


def _run(script: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestExamples:
    def test_there_are_examples(self) -> None:
        """The examples folder holds the scripts the README and docs point to."""
        names = {script.name for script in EXAMPLES}
        assert {
            "riyadh_talks.py",
            "custom_policy.py",
            "claimreview_roundtrip.py",
            "pundit_forecasts.py",
            "promise_tracker.py",
        } <= names

    @pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
    def test_runs_and_prints(self, script: Path, tmp_path: Path) -> None:
        """The script exits 0, prints, and keeps its files in one folder it names."""
        result = _run(script, tmp_path)
        assert 0 == result.returncode, result.stderr
        assert "" != result.stdout.strip()
        assert set(tmp_path.iterdir()) <= {tmp_path / OUTPUT}
        for file in (tmp_path / OUTPUT).glob("*") if (tmp_path / OUTPUT).exists() else ():
            assert file.name in result.stdout, f"{script.name} does not say it wrote {file}"

    @pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
    def test_a_closed_pipe_ends_quietly(self, script: Path, tmp_path: Path) -> None:
        """`python example.py | head -1` ends without a traceback."""
        result = subprocess.run(
            f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} | head -1",
            shell=True,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 1 == len(result.stdout.splitlines())
        assert "" == result.stderr

    def test_riyadh_keeps_its_files_in_the_folder_given(self, tmp_path: Path) -> None:
        """Given a folder, the Riyadh example keeps its ledger there and rereads it next time."""
        folder = tmp_path / "out"
        path = folder / "riyadh.db"
        script = ROOT / "examples" / "riyadh_talks.py"
        first = _run(script, tmp_path, str(folder))
        second = _run(script, tmp_path, str(folder))
        assert (0, 0) == (first.returncode, second.returncode), first.stderr + second.stderr
        assert f"Wrote 34 records to {path}." in first.stdout
        assert f"{path} already holds a ledger of 34 records; reading it." in second.stdout
        # Everything after the first lines is read back from the file, unchanged.
        assert first.stdout.splitlines()[4:] == second.stdout.splitlines()[4:]
        assert f"Kept in {folder.resolve()}:" in first.stdout
        names = {p.name for p in folder.iterdir()}
        assert {"riyadh.db", "riyadh-scorecard.md", "riyadh-scorecard.html"} <= names
        assert {"riyadh-track-records.png", "riyadh-trump-probability.png"} <= names
        assert [] == [p for p in tmp_path.iterdir() if p != folder]


class TestRiyadhExample:
    def test_verdicts(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The running example's ledger gives each claim the verdict its output reports."""
        namespace = runpy.run_path(str(ROOT / "examples" / "riyadh_talks.py"))
        tracker = ct.Tracker(clock=lambda: namespace["TODAY"])
        namespace["build"](tracker)
        verdicts = {a.claim.id: a.verdict for a in tracker.assess_all()}
        assert {
            "trump-ukraine-involved": ct.Verdict.HELD,
            "zelenskyy-no-deal-without-ukraine": ct.Verdict.PENDING,
            "lavrov-talks-focus": ct.Verdict.HELD,
            "russia-no-withdrawal": ct.Verdict.PENDING,
            "us-kellogg-to-kyiv": ct.Verdict.PARTLY_HELD,
            "us-minerals-deal": ct.Verdict.PARTLY_HELD,
            "macron-emergency-summit": ct.Verdict.HELD,
        } == verdicts
        namespace["main"]()
        out = capsys.readouterr().out
        assert "How it changed: 18 February 2025: pending (20 %); 23 November 2025: held" in out

    def test_track_records_and_leaderboard(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The example ends with each speaker's record and a board ranked by the lower bound."""
        namespace = runpy.run_path(str(ROOT / "examples" / "riyadh_talks.py"))
        namespace["main"]()
        out = capsys.readouterr().out
        assert "Donald Trump: Of 1 resolved claim, 1 held and 0 failed" in out
        board = [line.strip() for line in out.splitlines() if line.startswith("  4. ")]
        # Two partly held claims: a hit rate of 1/2, Wilson interval 9-91 %, last.
        assert [
            (
                "4. Government of the United States: hit rate 50 % over 2 resolved claims "
                "(95 % interval 9–91 %)"
            )
        ] == board

    def test_known_at_differs_from_as_of(self) -> None:
        """The misfiled evidence counts in the 1 June view as known then, not as known now."""
        namespace = runpy.run_path(str(ROOT / "examples" / "riyadh_talks.py"))
        tracker = ct.Tracker(clock=lambda: namespace["TODAY"])
        namespace["build"](tracker)
        now = tracker.assess("trump-ukraine-involved", as_of="2025-06-01")
        then = tracker.assess("trump-ukraine-involved", as_of="2025-06-01", known_at="2025-06-01")
        assert (ct.Verdict.PENDING, ct.Verdict.HELD) == (now.verdict, then.verdict)


def _namespace(name: str) -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "examples" / name))


class TestPunditExample:
    @pytest.fixture
    def tracker(self) -> ct.Tracker:
        namespace = _namespace("pundit_forecasts.py")
        tracker = ct.Tracker(clock=lambda: namespace["TODAY"])
        namespace["build"](tracker)
        return tracker

    def test_brier_scores_match_the_hand_computation(self, tracker: ct.Tracker) -> None:
        """Each pundit's Brier score is the mean squared error worked out by hand."""
        # Brightwater: 0.9, 0.8, 0.6, 0.8, 0.7 held; 0.7 and 0.6 failed; the stadium
        # forecast (0.9) partly held and is not scored.
        brightwater = (0.1**2 + 0.2**2 + 0.7**2 + 0.4**2 + 0.2**2 + 0.3**2 + 0.6**2) / 7
        vane = (0.95**2 + 0.9**2 + 0.1**2 + 0.05**2 + 0.9**2 + 0.1**2) / 6
        # Marchbank, from his words: 0.97, 0.875, 0.675 (bridge) and 1 - 0.325 (ferry)
        # held; 0.675 (rate cut) failed; the games are pending.
        marchbank = (0.03**2 + 0.125**2 + 0.675**2 + 0.325**2 + 0.325**2) / 5
        abernathy = (0.4**2 + 0.3**2) / 2
        expected = {
            "brightwater": pytest.approx(brightwater),
            "vane": pytest.approx(vane),
            "marchbank": pytest.approx(marchbank),
            "abernathy": pytest.approx(abernathy),
        }
        assert expected == {s.id: tracker.track_record(s).brier for s in tracker.speakers()}
        assert 0.17 == pytest.approx(brightwater)

    def test_wording_confidences_are_marked(self, tracker: ct.Tracker) -> None:
        """Marchbank's confidences come from his words; left out, he has no Brier score."""
        claims = tracker.claims(speaker="marchbank")
        assert {"wording"} == {c.confidence_basis for c in claims}
        assert 0.675 == tracker.claim("marchbank-ferry").confidence
        assert None is tracker.track_record("marchbank", include_wording=False).brier

    def test_murphy_terms_add_up(self, tracker: ct.Tracker) -> None:
        """Over all forecasts, reliability - resolution + uncertainty is the Brier score."""
        rec = tracker.track_record()
        assert 20 == rec.scored
        assert pytest.approx(0.21) == rec.uncertainty
        assert rec.reliability is not None
        assert rec.resolution is not None
        assert pytest.approx(rec.brier) == rec.reliability - rec.resolution + 0.21

    def test_leaderboards(self, tracker: ct.Tracker) -> None:
        """By lower bound the lucky pundit is third; by Brier with a floor of 5 she is out."""
        by_rate = [row.speaker_id for row in tracker.leaderboard(min_resolved=2)]
        by_brier = [row.speaker_id for row in tracker.leaderboard(by="brier", min_resolved=5)]
        assert ["marchbank", "brightwater", "abernathy", "vane"] == by_rate
        assert ["marchbank", "brightwater", "vane"] == by_brier

    def test_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The printed text says the names are fictional and shows the hand computation."""
        _namespace("pundit_forecasts.py")["main"]()
        out = capsys.readouterr().out
        assert "fictional" in out.splitlines()[0]
        assert "= 1.19 / 7 = 0.170." in " ".join(out.split())
        assert "  Cornelius Vane          6   0.424     -1.310" in out


class TestPromiseExample:
    def test_meter(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Rulings give kept, compromise and broken; the evidence gives the open ratings."""
        namespace = _namespace("promise_tracker.py")
        tracker = ct.Tracker(clock=lambda: namespace["TODAY"])
        namespace["build"](tracker)
        status = namespace["status"]
        meter = {c.id: status(tracker.assess(c)) for c in tracker.claims()}
        assert {
            "Promise kept": 4,
            "Compromise": 2,
            "Promise broken": 2,
            "Stalled": 3,
            "In the works": 2,
            "Not yet rated": 1,
        } == dict(Counter(meter.values()))
        assert ("Stalled", "In the works") == (meter["airport-rail"], meter["crisis-centre"])
        rec = tracker.track_record("calloway")
        # (4 kept + half of 2 compromises) / 8 rated.
        assert (8, 0.625, 6) == (rec.resolved, rec.hit_rate, rec.counts[ct.Verdict.PENDING])
        namespace["main"]()
        out = " ".join(capsys.readouterr().out.split())
        assert "fictional" in out
        assert "4 held, 2 partly held and 2 failed: a hit rate of 63 %" in out
