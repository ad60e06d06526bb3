"""Every script in examples/ runs, prints its result, and leaves the repository alone."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import claimtrack as ct

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


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
        assert {"riyadh_talks.py", "custom_policy.py", "claimreview_roundtrip.py"} <= names

    @pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
    def test_runs_and_prints(self, script: Path, tmp_path: Path) -> None:
        """The script exits 0, prints something, and writes no file where it runs."""
        result = _run(script, tmp_path)
        assert 0 == result.returncode, result.stderr
        assert "" != result.stdout.strip()
        assert [] == list(tmp_path.iterdir())

    def test_riyadh_keeps_its_ledger_in_the_file_given(self, tmp_path: Path) -> None:
        """Given a path, the Riyadh example writes the ledger there and rereads it next time."""
        path = tmp_path / "riyadh.db"
        script = ROOT / "examples" / "riyadh_talks.py"
        first = _run(script, tmp_path, str(path))
        second = _run(script, tmp_path, str(path))
        assert (0, 0) == (first.returncode, second.returncode), first.stderr + second.stderr
        assert f"Wrote 34 records to {path}." in first.stdout
        assert f"{path} already holds a ledger of 34 records; reading it." in second.stdout
        # Everything after the first lines is read back from the file, unchanged.
        assert first.stdout.splitlines()[4:] == second.stdout.splitlines()[4:]


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
        assert "How it changed: 18 February 2025: pending (20%); 23 November 2025: held" in out

    def test_known_at_differs_from_as_of(self) -> None:
        """The misfiled evidence counts in the 1 June view as known then, not as known now."""
        namespace = runpy.run_path(str(ROOT / "examples" / "riyadh_talks.py"))
        tracker = ct.Tracker(clock=lambda: namespace["TODAY"])
        namespace["build"](tracker)
        now = tracker.assess("trump-ukraine-involved", as_of="2025-06-01")
        then = tracker.assess("trump-ukraine-involved", as_of="2025-06-01", known_at="2025-06-01")
        assert (ct.Verdict.PENDING, ct.Verdict.HELD) == (now.verdict, then.verdict)
