"""The ``claimtrack`` command, driven in-process and as a subprocess."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import claimtrack as ct
from claimtrack import cli

HAVE_JINJA = importlib.util.find_spec("jinja2") is not None
FIXED = dt.datetime(2025, 4, 1, 12, 0, tzinfo=dt.UTC)  # after every date the tests record


class Ledgers:
    """Hands out one in-memory tracker per path, kept across commands."""

    def __init__(self) -> None:
        self.trackers: dict[Path, ct.Tracker] = {}
        self.opened: list[tuple[Path, bool]] = []
        self.options: list[dict[str, str]] = []

    @contextlib.contextmanager
    def __call__(self, path: Path, writes: bool, **options: str) -> Iterator[ct.Tracker]:
        self.opened.append((path, writes))
        self.options.append(options)
        if path not in self.trackers:
            self.trackers[path] = ct.Tracker(clock=lambda: FIXED)
        yield self.trackers[path]


class Result:
    """What one command did: its exit code and its two output streams."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> object:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def ledgers() -> Ledgers:
    return Ledgers()


@pytest.fixture
def run(ledgers: Ledgers, capsys: pytest.CaptureFixture[str]) -> Run:
    def _run(*argv: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = cli._run(["--db", "test.db", *argv], opener=ledgers, stdout=out, stderr=err)
        captured = capsys.readouterr()  # argparse writes usage errors to sys.stderr
        return Result(code, out.getvalue() + captured.out, err.getvalue() + captured.err)

    return _run


def _seed(run: Run) -> None:
    assert run("speaker", "add", "Donald Trump", "--id", "trump").code == 0
    assert (
        run(
            "claim", "add", "trump", "Ukraine will be involved in the peace negotiations.",
            "--id", "c1", "--stated-on", "2025-02-18", "--kind", "assurance",
            "--due", "2025-12-31", "--topic", "ukraine", "--topic", "Peace-Talks",
        ).code
        == 0
    )  # fmt: skip


class TestWriting:
    def test_speaker_add_prints_the_id(self, run: Run, ledgers: Ledgers) -> None:
        """`speaker add` prints the new id and stores the speaker with its roles."""
        result = run(
            "speaker", "add", "Donald Trump",
            "--role", "President of the United States", "2025-01-20",
            "--same-as", "https://www.wikidata.org/wiki/Q22686",
        )  # fmt: skip
        assert (result.code, result.out, result.err) == (0, "donald-trump\n", "")
        speaker = ledgers.trackers[Path("test.db")].speaker("donald-trump")
        assert ("President of the United States", ct.PartialDate.parse("2025-01-20")) == (
            speaker.roles[0].title,
            speaker.roles[0].start,
        )

    def test_claim_add_with_source(self, run: Run, ledgers: Ledgers) -> None:
        """`claim add` passes every option through, source options included."""
        _seed(run)
        result = run(
            "claim", "add", "trump", "Talks will be held in Riyadh.", "--id", "c2",
            "--stated-on", "Feb 2025", "--kind", "prediction", "--confidence", "0.8",
            "--source-title", "U.S.-Russia Talks", "--publisher", "JadeTimes",
            "--published", "2025-02-18", "--url", "https://example.org/a",
            "--reliability", "0.7", "--quote", "in Riyadh",
        )  # fmt: skip
        assert result.code == 0
        claim = ledgers.trackers[Path("test.db")].claim("c2")
        assert claim.source is not None
        assert (
            str(claim.stated_on),
            claim.confidence,
            claim.source.reliability,
            claim.source.publisher,
            claim.quote,
        ) == ("2025-02", 0.8, 0.7, "JadeTimes", "in Riyadh")

    @pytest.mark.parametrize("stance", ["supports", "refutes", "mixed", "context"])
    def test_evidence_stance_flags(self, run: Run, ledgers: Ledgers, stance: str) -> None:
        """Each stance flag records that stance."""
        _seed(run)
        result = run(
            "evidence", "add", "c1", "Something happened.", f"--{stance}",
            "--observed", "2025-03-11", "--strength", "strong", "--json",
        )  # fmt: skip
        assert result.code == 0
        shape = result.json()
        assert {
            "type": "evidence",
            "id": "c1-e1",
            "claim_id": "c1",
            "text": "Something happened.",
            "stance": stance,
            "strength": "strong",
            "observed_on": "2025-03-11",
            "source": None,
            "retracted": False,
            "recorded_at": "2025-04-01T12:00:00.000000Z",
        } == shape

    def test_rule_and_retract(self, run: Run, ledgers: Ledgers) -> None:
        """`rule` records a ruling; `retract` withdraws it, and the JSON says so."""
        _seed(run)
        ruled = run("rule", "c1", "held", "--on", "2025-03-11", "--rationale", "Jeddah", "--json")
        assert tuple(ruled.json()[k] for k in ("type", "verdict", "on", "rationale")) == (
            "ruling",
            "held",
            "2025-03-11",
            "Jeddah",
        )
        retracted = run("retract", "c1-r1", "--reason", "premature")
        assert (retracted.code, retracted.out) == (0, "c1-r1-x1\n")
        assert ledgers.trackers[Path("test.db")].is_retracted("c1-r1")


class TestListing:
    def test_list_claims_json_shape(self, run: Run) -> None:
        """`list claims --json` gives {format, claims} with every documented key."""
        _seed(run)
        assert run("list", "claims", "--json").json() == {
            "format": 1,
            "claims": [
                {
                    "type": "claim",
                    "id": "c1",
                    "speaker_id": "trump",
                    "text": "Ukraine will be involved in the peace negotiations.",
                    "quote": None,
                    "kind": "assurance",
                    "stated_on": "2025-02-18",
                    "due": "2025-12-31",
                    "source": None,
                    "topics": ["peace-talks", "ukraine"],
                    "confidence": None,
                    "confidence_basis": None,
                    "recorded_at": "2025-04-01T12:00:00.000000Z",
                    "retracted": False,
                }
            ],
        }

    def test_list_claims_table(self, run: Run) -> None:
        """The default output is a table with a header row and one row per claim."""
        _seed(run)
        lines = run("list", "claims").out.splitlines()
        assert lines[0].split() == ["ID", "SPEAKER", "KIND", "STATED", "DUE", "TEXT"]
        assert lines[2].startswith("c1  ")
        assert len(lines) == 3

    def test_list_filters(self, run: Run) -> None:
        """Filters narrow the list; retracted claims show only when asked for."""
        _seed(run)
        run("retract", "c1", "--reason", "misquoted")
        assert run("list", "claims", "--json").json()["claims"] == []
        shown = run("list", "claims", "--include-retracted", "--json").json()
        assert [c["retracted"] for c in shown["claims"]] == [True]
        assert run("list", "claims", "--kind", "promise").out == "(none)\n"

    def test_list_speakers(self, run: Run) -> None:
        """`list speakers` shows each speaker and the number of their claims."""
        _seed(run)
        table = run("list", "speakers").out.splitlines()
        assert table[2].split() == ["trump", "Donald", "Trump", "1"]
        shape = run("list", "speakers", "--json").json()
        assert {"format", "speakers"} == set(shape)
        assert list(shape["speakers"][0]) == [
            "type",
            "id",
            "name",
            "roles",
            "organization",
            "same_as",
            "recorded_at",
        ]


class TestErrors:
    @pytest.mark.parametrize(
        ("argv", "needle"),
        [
            (["claim", "add", "nobody", "x", "--stated-on", "2025"], "no speaker with id 'nobody'"),
            (["claim", "add", "trump", "x", "--stated-on", "Smarch 31"], "--stated-on: 'Smarch"),
            (["claim", "add", "trump", "x", "--stated-on", "2025", "--due", "2024"], "--due"),
            (["claim", "add", "trump", "x", "--stated-on", "2025", "--confidence", "1.5"], "1.5"),
            (["claim", "add", "trump", "x", "--stated-on", "2025", "--id", "c1"], "'c1' is taken"),
            (["claim", "add", "trump", "  ", "--stated-on", "2025"], "TEXT"),
            (["evidence", "add", "nope", "x", "--supports", "--observed", "2025"], "'nope'"),
            (["evidence", "add", "c1", "x", "--supports", "--observed", "soon"], "--observed"),
            (
                ["evidence", "add", "c1", "x", "--supports", "--observed", "2025", "--url", "a"],
                "--url",
            ),
            (
                ["evidence", "add", "c1", "x", "--refutes", "--observed", "2025",
                 "--publisher", "P", "--reliability", "2"],
                "--reliability",
            ),
            (["rule", "c1", "held", "--on", "someday"], "--on:"),
            (["retract", "trump", "--reason", "x"], "speaker"),
            (["retract", "ghost", "--reason", "x"], "'ghost'"),
            (["speaker", "add", "X", "--role", "T", "2025", "2026", "2027"], "--role"),
            (["speaker", "add", "X", "--role", "T", "2026", "2025"], "--role"),
            (["list", "claims", "--speaker", "ghost"], "'ghost'"),
        ],
    )  # fmt: skip
    def test_user_mistake_is_one_line_exit_1(
        self, run: Run, ledgers: Ledgers, argv: list[str], needle: str
    ) -> None:
        """A user mistake prints one error line naming the problem, exits 1, adds nothing."""
        _seed(run)
        before = len(ledgers.trackers[Path("test.db")])
        result = run(*argv)
        assert (result.code, result.out) == (1, "")
        assert len(result.err.splitlines()) == 1
        assert result.err.startswith("claimtrack: error: ")
        assert needle in result.err
        assert "Traceback" not in result.err
        assert before == len(ledgers.trackers[Path("test.db")])

    @pytest.mark.parametrize(
        "argv",
        [
            [],
            ["frobnicate"],
            ["speaker"],
            ["claim", "add", "trump", "x"],
            ["claim", "add", "trump", "x", "--stated-on", "2025", "--kind", "rumour"],
            ["claim", "add", "trump", "x", "--stated-on", "2025", "--confidence", "high"],
            ["evidence", "add", "c1", "x", "--observed", "2025"],
            ["evidence", "add", "c1", "x", "--supports", "--refutes", "--observed", "2025"],
            ["evidence", "add", "c1", "x", "--supports", "--observed", "2025", "--strength", "9"],
            ["rule", "c1", "pending", "--on", "2025"],
            ["retract", "c1"],
            ["list", "everything"],
        ],
    )
    def test_usage_error_exits_2(self, run: Run, ledgers: Ledgers, argv: list[str]) -> None:
        """A usage error exits 2 with argparse's usage line, and opens no ledger."""
        result = run(*argv)
        assert result.code == 2
        assert "usage: claimtrack" in result.err
        assert ledgers.opened == []

    def test_help_exits_0(self, run: Run) -> None:
        """`--help` prints the usage and exits 0."""
        result = run("--help")
        assert (result.code, "speaker" in result.out) == (0, True)


class TestLedgerPath:
    def test_db_default_env_and_after_command(
        self, ledgers: Ledgers, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--db wins over CLAIMTRACK_DB, which wins over claimtrack.db; --db may follow."""
        quiet = io.StringIO()
        monkeypatch.delenv("CLAIMTRACK_DB", raising=False)
        cli._run(["list", "speakers"], opener=ledgers, stdout=quiet)
        monkeypatch.setenv("CLAIMTRACK_DB", "env.jsonl")
        cli._run(["list", "speakers"], opener=ledgers, stdout=quiet)
        cli._run(["--db", "flag.db", "list", "speakers"], opener=ledgers, stdout=quiet)
        cli._run(["list", "speakers", "--db", "after.db"], opener=ledgers, stdout=quiet)
        assert [
            (Path("claimtrack.db"), False),
            (Path("env.jsonl"), False),
            (Path("flag.db"), False),
            (Path("after.db"), False),
        ] == ledgers.opened

    def test_reading_a_missing_ledger_is_an_error(self, tmp_path: Path) -> None:
        """A reading command on a file that does not exist says so and creates nothing."""
        err = io.StringIO()
        missing = tmp_path / "missing.db"
        code = cli._run(["--db", str(missing), "list", "claims"], stderr=err)
        assert (code, missing.exists()) == (1, False)
        assert "no ledger here" in err.getvalue()


SESSION: list[list[str]] = [
    ["speaker", "add", "Donald Trump", "--id", "trump"],
    ["speaker", "add", "Sergey Lavrov", "--id", "lavrov"],
    ["claim", "add", "trump", "Ukraine will be involved in the peace negotiations.",
     "--id", "c1", "--stated-on", "2025-02-18", "--kind", "assurance", "--due", "2025-12-31",
     "--confidence", "0.9"],
    ["claim", "add", "lavrov", "The talks will focus on restoring US-Russia relations.",
     "--id", "c2", "--stated-on", "2025-02-18", "--kind", "prediction", "--due", "2025-02-28"],
    ["evidence", "add", "c1", "Ukraine was not invited to the Riyadh meeting.", "--refutes",
     "--observed", "2025-02-18", "--publisher", "JadeTimes"],
    ["evidence", "add", "c1", "US and Ukrainian delegations met in Jeddah.", "--supports",
     "--strength", "strong", "--observed", "2025-03-11"],
    ["evidence", "add", "c2", "The talks covered Ukraine at length.", "--refutes",
     "--strength", "conclusive", "--observed", "2025-02-19"],
]  # fmt: skip


class TestSession:
    def test_whole_session_in_process(self, run: Run, tmp_path: Path) -> None:
        """Add, assess, rule, retract, look back, rank and report, checking each step."""
        for argv in SESSION:
            assert run(*argv).code == 0, argv
        assessed = run("assess", "--json").json()
        assert [
            (a["claim_id"], a["verdict"], round(a["probability"], 6))
            for a in assessed["assessments"]
        ] == [("c1", "pending", 0.8), ("c2", "failed", 0.0)]
        assert run("rule", "c1", "held", "--on", "2025-03-11", "--by", "desk").code == 0
        one = run("assess", "c1", "--json").json()["assessments"][0]
        assert (one["verdict"], one["computed_verdict"], one["ruling"]["by"]) == (
            "held",
            "pending",
            "desk",
        )
        early = run("assess", "c1", "--as-of", "2025-02-20", "--json").json()["assessments"][0]
        assert (early["verdict"], round(early["probability"], 6), early["as_of"]) == (
            "pending",
            0.2,
            "2025-02-20",
        )
        assert run("retract", "c1-e1", "--reason", "misreported").code == 0
        history = run("history", "c1", "--json").json()
        assert [round(h["probability"], 6) for h in history["history"]] == [0.5, 0.941176, 0.941176]
        records = run("record", "--json").json()["records"]
        assert [(r["speaker_id"], r["resolved"], r["hit_rate"]) for r in records] == [
            ("trump", 1, 1.0),
            ("lavrov", 1, 0.0),
        ]
        assert records[0]["counts"]["held"] == 1
        assert set(records[0]) == {
            "speaker_id", "name", "topic", "kind", "as_of", "counts", "total", "resolved",
            "hit_rate", "interval", "confidence", "scored", "brier", "log_score",
            "calibration", "summary",
        }  # fmt: skip
        board = run("leaderboard", "--min-resolved", "1", "--json").json()
        assert (board["by"], board["min_resolved"]) == ("hit_rate", 1)
        assert [(e["rank"], e["speaker_id"]) for e in board["leaderboard"]] == [
            (1, "trump"),
            (2, "lavrov"),
        ]
        card = tmp_path / "card.md"
        done = run("report", "-o", str(card))
        assert (done.code, done.out) == (0, f"{card}\n")
        assert "## Sergey Lavrov" in card.read_text(encoding="utf-8")

    def test_tables(self, run: Run) -> None:
        """The readable forms of assess, history, record and leaderboard."""
        for argv in SESSION:
            run(*argv)
        assert run("assess").out.splitlines()[0].split() == [
            "CLAIM", "SPEAKER", "VERDICT", "P(HELD)", "TEXT",
        ]  # fmt: skip
        one = run("assess", "c2").out
        assert one.startswith("c2: failed, probability 0 %\n\n")
        assert "conclusive against it" in one
        assert "(Sergey Lavrov, 18 February 2025)" in one  # the speaker by name, not id
        assert run("history", "c1").out.splitlines()[2].split() == [
            "2025-02-18", "pending", "20", "%", "1",
        ]  # fmt: skip
        assert "Sergey Lavrov (lavrov)" in run("record").out
        assert run("record", "lavrov").out.splitlines()[0] == "Sergey Lavrov (lavrov)"
        lines = run("leaderboard", "--min-resolved", "1").out.splitlines()
        # Nothing of Trump's is resolved yet, so he is left out.
        assert [line.split()[:4] for line in lines[2:]] == [["1", "Sergey", "Lavrov", "1/1"]]
        assert run("leaderboard").out == (
            "(none)\n(speakers with fewer than 5 resolved claims are left out)\n"
        )

    @pytest.mark.parametrize(
        ("argv", "needle"),
        [
            (["assess", "ghost"], "'ghost'"),
            (["assess", "--as-of", "the ides of March"], "--as-of"),
            (["assess", "--known-at", "yesterday-ish"], "--known-at"),
            (["history", "ghost"], "'ghost'"),
            (["record", "ghost"], "'ghost'"),
            (["record", "--as-of", "nope"], "--as-of"),
            (["leaderboard", "--as-of", "nope"], "--as-of"),
            (["leaderboard", "--min-resolved", "-1"], "--min-resolved"),
            (["report", "-o", "card.pdf"], "format"),
            (["report", "-o", "/nonexistent-dir/card.md"], "/nonexistent-dir"),
            (["report", "-o", "card.md", "--speaker", "ghost"], "'ghost'"),
        ],
    )
    def test_reading_mistakes(self, run: Run, argv: list[str], needle: str) -> None:
        """Bad ids, dates and files in reading commands: one line, exit 1."""
        for step in SESSION:
            run(*step)
        result = run(*argv)
        assert (result.code, result.out) == (1, "")
        assert len(result.err.splitlines()) == 1
        assert needle in result.err


def _claimtrack(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run ``python -m claimtrack`` as a separate process."""
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


class TestSubprocess:
    @pytest.mark.parametrize("ledger", ["ledger.db", "ledger.jsonl"])
    def test_whole_session(self, tmp_path: Path, ledger: str) -> None:
        """A session of separate processes on one ledger file: every step persists."""
        for i, argv in enumerate(SESSION):
            result = _claimtrack("--db", ledger, *argv, cwd=tmp_path)
            # The first command starts the ledger, and says so on stderr.
            note = f"claimtrack: note: started a new ledger at {tmp_path / ledger}\n"
            assert (result.code, result.err) == (0, "" if i else note), argv
        steps = [
            ["rule", "c1", "held", "--on", "2025-03-11", "--rationale", "Jeddah talks"],
            ["retract", "c1-e1", "--reason", "misreported"],
            ["report", "-o", "card.md"],
            ["report", "-o", "card.html", "--no-charts"] if HAVE_JINJA else ["list", "claims"],
            ["export", "claimreview", "reviews.json", "--reviewer", "Example Desk"],
        ]
        for argv in steps:
            result = _claimtrack("--db", ledger, *argv, cwd=tmp_path)
            assert (result.code, result.err) == (0, ""), argv
        assessed = json.loads(_claimtrack("--db", ledger, "assess", "--json", cwd=tmp_path).out)
        assert [(a["claim_id"], a["verdict"]) for a in assessed["assessments"]] == [
            ("c1", "held"),
            ("c2", "failed"),
        ]
        if HAVE_JINJA:
            assert "Jeddah talks" in (tmp_path / "card.html").read_text(encoding="utf-8")
        # The exported reviews read back into a new ledger.
        imported = _claimtrack(
            "--db", "copy.jsonl", "import", "claimreview", "reviews.json", "--json", cwd=tmp_path
        )
        assert imported.code == 0, imported.err
        added = json.loads(imported.out)["added"]
        assert (added["speaker"], added["claim"]) == (2, 2)
        listed = json.loads(_claimtrack("--db", "copy.jsonl", "list", "claims", "--json",
                                        cwd=tmp_path).out)  # fmt: skip
        assert sorted(c["text"] for c in listed["claims"]) == [
            "The talks will focus on restoring US-Russia relations.",
            "Ukraine will be involved in the peace negotiations.",
        ]

    def test_env_names_the_ledger(self, tmp_path: Path) -> None:
        """CLAIMTRACK_DB chooses the ledger when --db is not given."""
        env = {"CLAIMTRACK_DB": str(tmp_path / "env.jsonl")}
        assert _claimtrack("speaker", "add", "Keith Kellogg", cwd=tmp_path, env=env).code == 0
        assert (tmp_path / "env.jsonl").exists()
        assert not (tmp_path / "claimtrack.db").exists()

    def test_errors_and_exit_codes(self, tmp_path: Path) -> None:
        """Exit 1 with one line and no traceback for mistakes; 2 for usage; file unchanged."""
        assert (
            _claimtrack("speaker", "add", "Donald Trump", "--id", "trump", cwd=tmp_path).code == 0
        )
        before = (tmp_path / "claimtrack.db").read_bytes()
        bad = _claimtrack("claim", "add", "trump", "x", "--stated-on", "Smarch", cwd=tmp_path)
        assert (bad.code, bad.out, len(bad.err.splitlines())) == (1, "", 1)
        assert "Traceback" not in bad.err
        usage = _claimtrack("claim", "add", "trump", cwd=tmp_path)
        assert (usage.code, "usage:" in usage.err) == (2, True)
        assert (tmp_path / "claimtrack.db").read_bytes() == before

    def test_bad_files(self, tmp_path: Path) -> None:
        """A damaged ledger, a missing or malformed import: one line, exit 1."""
        (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
        (tmp_path / "bad.json").write_text('{"@type": "Nonsense"}', encoding="utf-8")
        cases = [
            (["--db", "broken.jsonl", "list", "claims"], "broken.jsonl"),
            (["--db", "x.txt", "speaker", "add", "A"], "x.txt"),
            (["import", "claimreview", "missing.json"], "missing.json: no such file"),
            (["import", "claimreview", "bad.json"], "bad.json: is not a ClaimReview"),
        ]
        for argv, needle in cases:
            result = _claimtrack(*argv, cwd=tmp_path)
            assert (result.code, result.out) == (1, ""), argv
            assert len(result.err.splitlines()) == 1, result.err
            assert needle in result.err, result.err
        assert not (tmp_path / "x.txt").exists()

    def test_csv_round_trip(self, tmp_path: Path) -> None:
        """Speakers and claims exported as CSV import into a new ledger; --what is required."""
        pytest.importorskip("claimtrack.interop.tabular")
        for argv in SESSION[:4]:
            assert _claimtrack(*argv, cwd=tmp_path).code == 0
        for what in ("speakers", "claims"):
            done = _claimtrack("export", "csv", f"{what}.csv", "--what", what, cwd=tmp_path)
            assert (done.code, done.out) == (0, f"wrote 2 to {what}.csv\n")
        missing = _claimtrack("export", "csv", "x.csv", cwd=tmp_path)
        assert (missing.code, "--what" in missing.err) == (2, True)
        for what in ("speakers", "claims"):
            done = _claimtrack(
                "--db", "copy.db", "import", "csv", f"{what}.csv", "--what", what, "--json",
                cwd=tmp_path,
            )  # fmt: skip
            assert json.loads(done.out)["added"] == {what.rstrip("s"): 2}
        again = _claimtrack("--db", "copy.db", "import", "csv", "claims.csv", "--what", "claims",
                            cwd=tmp_path)  # fmt: skip
        assert again.out.startswith("added nothing\nskipped claims.csv:2:")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestImportStatus:
    @pytest.mark.parametrize(("err", "shown"), [(Terminal(), True), (io.StringIO(), False)])
    def test_status_only_on_a_terminal(
        self, ledgers: Ledgers, tmp_path: Path, err: io.StringIO, shown: bool
    ) -> None:
        """An import says what it is reading on stderr only when stderr is a terminal."""
        pytest.importorskip("claimtrack.interop.claimreview")
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": "Russia will not withdraw from the annexed territories.",
            "itemReviewed": {
                "@type": "Claim",
                "datePublished": "2025-02-18",
                "author": {"@type": "Organization", "name": "Kremlin"},
            },
            "reviewRating": {"@type": "Rating", "alternateName": "True"},
        }
        (tmp_path / "r.json").write_text(json.dumps(review), encoding="utf-8")
        out = io.StringIO()
        argv = ["import", "claimreview", str(tmp_path / "r.json")]
        assert cli._run(argv, opener=ledgers, stdout=out, stderr=err) == 0
        assert out.getvalue() == (
            "added 1 speaker, 1 claim, 1 ruling\nread as ClaimReview JSON-LD\n"
        )
        assert ("importing" in err.getvalue()) is shown

    def test_html_report_without_jinja2(
        self, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the html extra, `report` says which extra to install and exits 1."""
        monkeypatch.setitem(sys.modules, "jinja2", None)
        result = run("report", "-o", str(tmp_path / "card.html"))
        assert (result.code, result.out) == (1, "")
        assert result.err == (
            "claimtrack: error: the HTML report needs Jinja2: pip install 'claimtrack[html]'\n"
        )
        assert list(tmp_path.iterdir()) == []


class TestImportExportInterop:
    def test_skip_bad_imports_what_can_be_read(self, run: Run, tmp_path: Path) -> None:
        """--skip-bad: the good review comes in, the bad one is listed, the reader named."""
        good = {
            "@type": "ClaimReview",
            "datePublished": "2025-03-01",
            "claimReviewed": "Ukraine will be involved.",
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A B"}},
            "reviewRating": {"@type": "Rating", "alternateName": "Falso"},
        }
        (tmp_path / "r.json").write_text(json.dumps([good, {"@type": "ClaimReview"}]), "utf-8")
        strict = run("import", "claimreview", str(tmp_path / "r.json"))
        lenient = run("import", "claimreview", str(tmp_path / "r.json"), "--skip-bad", "--json")
        data = json.loads(lenient.out)
        assert (strict.code, lenient.code, data["added"], data["reader"]) == (
            1,
            0,
            {"speaker": 1, "claim": 1, "ruling": 1},
            "ClaimReview JSON-LD",
        )
        assert [x["path"] for x in data["skipped"]] == ["$[1]"]

    def test_html_page_says_its_reader(self, run: Run, tmp_path: Path) -> None:
        """An HTML page is read by its JSON-LD, and the output says so."""
        review = {
            "@type": "ClaimReview",
            "datePublished": "2025-03-01",
            "claimReviewed": "Ukraine will be involved.",
            "itemReviewed": {"@type": "Claim"},
            "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
        }
        page = f"<html><script type=application/ld+json>{json.dumps(review)}</script></html>"
        (tmp_path / "page.html").write_text(page, "utf-8")
        done = run("import", "claimreview", str(tmp_path / "page.html"))
        assert (done.code, done.out.splitlines()[-1]) == (0, "read as HTML page (JSON-LD scripts)")

    def test_csv_all_round_trip(self, run: Run, tmp_path: Path) -> None:
        """export csv --all DIR, then import csv --all DIR into a new ledger."""
        _seed(run)
        assert run("retract", "c1", "--reason", "misquoted").code == 0
        out = run("export", "csv", "--all", str(tmp_path / "dir"), "--json")
        assert json.loads(out.out)["written"] == {
            "speakers": 1,
            "claims": 1,
            "evidence": 0,
            "rulings": 0,
            "forecasts": 0,
            "retractions": 1,
        }
        back = run("--db", "copy.db", "import", "csv", "--all", str(tmp_path / "dir"), "--json")
        assert json.loads(back.out)["added"] == {"speaker": 1, "claim": 1, "retraction": 1}
