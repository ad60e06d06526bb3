"""The ``claimtrack`` command never harms the ledger or the terminal, whatever it is given."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import claimtrack as ct
from claimtrack import cli
from claimtrack.cli._output import json_text, safe_text


class Result:
    """What one command did: its exit code and its two output streams."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def _claimtrack(*argv: str | bytes, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run ``python -m claimtrack`` as a separate process (bytes arguments allowed)."""
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", *argv],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "CLAIMTRACK_DB": "", **(env or {})},
        check=False,
        timeout=120,
    )
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def _ledger(path: Path) -> Path:
    with ct.open(path) as tracker:
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim("trump", "Ukraine will be involved.", id="c1", stated_on="2025-02-18")
    return path


class TestNotOntoTheLedger:
    @pytest.mark.parametrize("name", ["l.db", "l.jsonl"])
    @pytest.mark.parametrize(
        "argv",
        [
            ["export", "claimreview", "{ledger}", "--reviewer", "Desk"],
            ["export", "csv", "{ledger}", "--what", "claims"],
            ["report", "-o", "{ledger}", "--format", "md"],
            ["report", "-o", "./{ledger}", "--format", "html"],
            ["backup", "{ledger}"],
            ["plot", "records", "-o", "{ledger}"],
        ],
    )
    def test_refused_and_ledger_intact(self, tmp_path: Path, name: str, argv: list[str]) -> None:
        """Writing an export, report, backup or chart onto the ledger is refused, exit 1."""
        before = _ledger(tmp_path / name).read_bytes()
        given = [a.format(ledger=name) for a in argv]
        result = _claimtrack("--db", name, *given, cwd=tmp_path)
        assert (result.code, result.out) == (1, "")
        assert "that is the ledger itself" in result.err
        assert (tmp_path / name).read_bytes() == before

    def test_through_a_link(self, tmp_path: Path) -> None:
        """A symbolic link or a hard link to the ledger is the ledger too."""
        ledger = _ledger(tmp_path / "l.jsonl")
        before = ledger.read_bytes()
        (tmp_path / "soft.md").symlink_to(ledger)
        os.link(ledger, tmp_path / "hard.md")
        for target in ("soft.md", "hard.md"):
            result = _claimtrack("--db", "l.jsonl", "report", "-o", target, cwd=tmp_path)
            assert (result.code, "that is the ledger itself" in result.err) == (1, True)
        assert ledger.read_bytes() == before

    def test_sqlite_side_files(self, tmp_path: Path) -> None:
        """The write-ahead log beside a SQLite ledger is not written over either."""
        _ledger(tmp_path / "l.db")
        result = _claimtrack("--db", "l.db", "report", "-o", "l.db-wal", "--format", "md",
                             cwd=tmp_path)  # fmt: skip
        assert result.code == 1


class TestFailedImportCreatesNothing:
    def test_no_ledger_after_a_bad_import(self, tmp_path: Path) -> None:
        """An import that fails leaves no ledger file behind, so reads still say so."""
        (tmp_path / "bad.json").write_text('{"@type": "Nonsense"}', encoding="utf-8")
        for name in ("new.db", "new.jsonl"):
            result = _claimtrack("--db", name, "import", "claimreview", "bad.json", cwd=tmp_path)
            assert result.code == 1
            assert not (tmp_path / name).exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]
        after = _claimtrack("--db", "new.db", "list", "claims", cwd=tmp_path)
        assert "no ledger here" in after.err

    def test_missing_file_creates_nothing(self, tmp_path: Path) -> None:
        """Importing a file that is not there names it, without `$:` or errno."""
        result = _claimtrack("--db", "new.db", "import", "csv", "gone.csv", "--what", "claims",
                             cwd=tmp_path)  # fmt: skip
        assert result.err == "claimtrack: error: gone.csv: no such file\n"
        assert list(tmp_path.iterdir()) == []

    def test_failed_write_on_new_ledger(self, tmp_path: Path) -> None:
        """Any writing command that fails on a new ledger leaves no file."""
        result = _claimtrack("--db", "new.db", "claim", "add", "nobody", "x", "--stated-on",
                             "2025", cwd=tmp_path)  # fmt: skip
        assert result.code == 1
        assert list(tmp_path.iterdir()) == []

    def test_existing_ledger_unchanged(self, tmp_path: Path) -> None:
        """A failed import into an existing ledger leaves it byte for byte as it was."""
        ledger = _ledger(tmp_path / "l.jsonl")
        before = ledger.read_bytes()
        (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
        result = _claimtrack("--db", "l.jsonl", "import", "claimreview", "bad.json", cwd=tmp_path)
        assert result.code == 1
        assert ledger.read_bytes() == before


class TestUsage:
    @pytest.mark.parametrize(
        ("argv", "needle"),
        [
            (["export", "claimreview", "out.json"], "--reviewer"),
            (["export", "csv", "out.csv"], "--what"),
            (["import", "csv", "in.csv"], "--what"),
            (["report", "-o", "x.html", "--format", "md"], "--format md"),
            (["report"], "-o/--output"),
        ],
    )
    def test_missing_or_contradictory_is_exit_2(
        self, tmp_path: Path, argv: list[str], needle: str
    ) -> None:
        """A required option missing, or one contradicting the file name: usage, exit 2."""
        _ledger(tmp_path / "l.db")
        (tmp_path / "in.csv").write_text("id\n", encoding="utf-8")
        result = _claimtrack("--db", "l.db", *argv, cwd=tmp_path)
        assert result.code == 2
        assert "usage: claimtrack" in result.err
        assert needle in result.err
        assert "None" not in result.err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "l.db"]

    def test_unwritable_report_names_the_file(self, tmp_path: Path) -> None:
        """A report into a missing folder names the file and folder, no temporary name."""
        _ledger(tmp_path / "l.db")
        result = _claimtrack("--db", "l.db", "report", "-o", "/nonexistent/dir/card.md",
                             cwd=tmp_path)  # fmt: skip
        assert result.err == (
            "claimtrack: error: /nonexistent/dir/card.md: cannot write it: "
            "no folder /nonexistent/dir\n"
        )

    def test_invalid_utf8_argument(self, tmp_path: Path) -> None:
        """An argument that is not UTF-8 is a usage error naming it, not a traceback."""
        _ledger(tmp_path / "l.db")
        result = _claimtrack("--db", "l.db", "report", "-o", "x.md", "--title", b"caf\xe9",
                             cwd=tmp_path)  # fmt: skip
        assert result.code == 2
        assert "Traceback" not in result.err
        assert "argument 7 (after --title) is not valid UTF-8: 'caf\\\\xe9'" in result.err
        assert not (tmp_path / "x.md").exists()

    def test_invalid_utf8_in_process(self) -> None:
        """The same in-process, where argv holds surrogate escapes."""
        err = io.StringIO()
        code = cli._run(["speaker", "add", "caf\udce9"], stderr=err)
        assert code == 2
        assert "argument 3 is not valid UTF-8" in err.getvalue()


HOSTILE = "Kel\x1b[2J\x1b]0;owned\x07logg \u202eevil\u2066 \x9b31m"


class TestControlCharacters:
    def test_safe_text_escapes_every_control(self) -> None:
        """C0 (but tab and newline), DEL, C1 and bidi controls are shown as escapes."""
        controls = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c not in (9, 10)]
        bidi = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
        shown = safe_text("".join(controls + bidi) + "\t\n")
        assert shown.isprintable() is False  # the tab and newline stay
        assert shown.endswith("\t\n")
        assert all(ch.isprintable() for ch in shown[:-2])
        assert "\\x1b" in shown
        assert "\\u202e" in shown

    def test_json_is_lossless(self) -> None:
        """In JSON the same characters become \\u escapes: read back, the text is unchanged."""
        text = json_text({"name": HOSTILE})
        assert all(ch.isprintable() or ch in " \n" for ch in text)
        assert json.loads(text) == {"name": HOSTILE}

    def test_nothing_raw_reaches_the_terminal(self, tmp_path: Path) -> None:
        """Names and texts with escapes print escaped in tables, JSON and errors."""
        with ct.open(tmp_path / "l.db") as tracker:
            tracker.add_speaker(HOSTILE, id="kellogg")
            tracker.add_claim("kellogg", f"Talks {HOSTILE}", id="c1", stated_on="2025-02-18")
        outputs = [
            _claimtrack("--db", "l.db", *argv, cwd=tmp_path)
            for argv in (
                ["list", "speakers"],
                ["list", "claims"],
                ["list", "claims", "--json"],
                ["assess", "c1"],
                ["record"],
                ["claim", "add", HOSTILE, "x", "--stated-on", "2025"],
            )
        ]
        for result in outputs:
            for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066"):
                assert raw not in result.out + result.err
        assert "Kel\\x1b[2J" in outputs[0].out
        claims = json.loads(outputs[2].out)["claims"]
        assert claims[0]["text"] == f"Talks {HOSTILE}"
        assert outputs[5].err.startswith("claimtrack: error: no speaker with id 'Kel\\x1b")


class TestClosedPipe:
    def test_head_closes_the_pipe(self, tmp_path: Path) -> None:
        """`claimtrack list claims | head -1` ends quietly: no traceback on stderr."""
        with ct.open(tmp_path / "l.db") as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.add_many(
                ct.Claim(f"c{i}", "trump", f"Claim number {i} " + "x" * 100, stated_on="2025")
                for i in range(3000)
            )
        with subprocess.Popen(
            [sys.executable, "-m", "claimtrack", "--db", "l.db", "list", "claims"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as reader:
            assert reader.stdout is not None
            assert reader.stderr is not None
            first = reader.stdout.readline()
            reader.stdout.close()
            err = reader.stderr.read().decode()
            reader.wait(timeout=60)
        assert first.startswith(b"ID")
        assert "Traceback" not in err
        assert "BrokenPipeError" not in err
        assert err == ""


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestProgress:
    @pytest.mark.parametrize(("err", "shown"), [(Terminal(), True), (io.StringIO(), False)])
    def test_report_status_only_on_a_terminal(
        self, tmp_path: Path, err: io.StringIO, shown: bool
    ) -> None:
        """`report` shows what it writes on stderr only when stderr is a terminal."""
        _ledger(tmp_path / "l.db")
        out = io.StringIO()
        card = tmp_path / "card.md"
        assert cli._run(["--db", str(tmp_path / "l.db"), "report", "-o", str(card)],
                        stdout=out, stderr=err) == 0  # fmt: skip
        assert (f"writing {card}" in err.getvalue()) is shown
        assert out.getvalue() == f"{card}\n"
