"""The ``claimtrack`` command helps a newcomer: suggestions, words, filters, new commands."""

from __future__ import annotations

import contextlib
import datetime as dt
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

FIXED = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


class Ledgers:
    """Hands out one in-memory tracker per path, kept across commands."""

    def __init__(self) -> None:
        self.trackers: dict[Path, ct.Tracker] = {}
        self.opened: list[tuple[Path, bool, dict[str, str]]] = []

    @contextlib.contextmanager
    def __call__(self, path: Path, writes: bool, **options: str) -> Iterator[ct.Tracker]:
        self.opened.append((path, writes, options))
        if path not in self.trackers:
            self.trackers[path] = ct.Tracker(clock=lambda: FIXED)
        yield self.trackers[path]

    @property
    def tracker(self) -> ct.Tracker:
        return self.trackers[Path("test.db")]


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


SEED: list[list[str]] = [
    ["speaker", "add", "Donald Trump", "--id", "trump"],
    ["speaker", "add", "Sergey Lavrov", "--id", "lavrov"],
    ["claim", "add", "trump", "Ukraine will be involved in the peace negotiations.",
     "--id", "trump-involved", "--stated-on", "2025-02-18", "--kind", "assurance",
     "--due", "2025-12-31", "--topic", "ukraine", "--confidence", "0.9"],
    ["claim", "add", "lavrov", "The talks will focus on restoring US-Russia relations.",
     "--id", "lavrov-focus", "--stated-on", "2025-02-18", "--kind", "prediction",
     "--due", "2025-02-28", "--topic", "relations"],
    ["claim", "add", "trump", "Kellogg will go to Kyiv.", "--id", "kellogg-kyiv",
     "--stated-on", "2025-01-20", "--kind", "promise"],
    ["evidence", "add", "trump-involved", "Ukraine was not invited to the Riyadh meeting.",
     "--refutes", "--observed", "2025-02-18"],
    ["evidence", "add", "lavrov-focus", "The talks covered Ukraine at length.", "--refutes",
     "--strength", "conclusive", "--observed", "2025-02-19"],
]  # fmt: skip


def _seed(run: Run) -> None:
    for argv in SEED:
        assert run(*argv).code == 0, argv


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


class TestSuggestions:
    def test_misspelt_command(self, run: Run) -> None:
        """`asses` suggests `assess` instead of listing every command; exit 2."""
        result = run("asses")
        assert result.code == 2
        assert "did you mean 'assess'?" in result.err
        assert "choose from" not in result.err

    def test_misspelt_verdict(self, run: Run) -> None:
        """A misspelt verdict suggests the near one."""
        _seed(run)
        result = run("rule", "trump-involved", "heldd", "--on", "2025-03-01")
        assert (result.code, "did you mean 'held'?" in result.err) == (2, True)

    def test_unknown_claim_id(self, run: Run) -> None:
        """An id with a typo suggests the claim it was meant to be."""
        _seed(run)
        result = run("assess", "trump-involvd")
        assert (result.code, result.out) == (1, "")
        assert result.err == (
            "claimtrack: error: no claim with id 'trump-involvd'; did you mean 'trump-involved'?\n"
        )

    @pytest.mark.parametrize("given", ["Trump", "Donald Trump", "donald trump", "trupm"])
    def test_unknown_speaker_suggests_id_with_name(self, run: Run, given: str) -> None:
        """A speaker given by another case, by name or misspelt: the id is suggested."""
        _seed(run)
        result = run("claim", "add", given, "x", "--stated-on", "2025-02-18")
        assert result.code == 1
        assert "did you mean 'trump' (Donald Trump)?" in result.err
        assert len(result.err.splitlines()) == 1

    def test_no_suggestion_for_nothing_near(self, run: Run) -> None:
        """An id near nothing in the ledger gets no suggestion."""
        _seed(run)
        result = run("retract", "ghost", "--reason", "x")
        assert result.err == "claimtrack: error: no record with id 'ghost'\n"

    def test_evidence_id_suggestion(self, run: Run) -> None:
        """Ids of other records (evidence) are suggested too."""
        _seed(run)
        result = run("retract", "trump-involved-e2", "--reason", "x")
        assert "did you mean 'trump-involved-e1'" in result.err


class TestWords:
    @pytest.mark.parametrize(
        "verdict", ["partly held", "partly-held", "Partly_Held", "PARTLY HELD"]
    )
    def test_verdict_words(self, run: Run, ledgers: Ledgers, verdict: str) -> None:
        """`rule` accepts a verdict as the tables write it: spaces, hyphens, any case."""
        _seed(run)
        result = run("rule", "trump-involved", verdict, "--on", "2025-03-01")
        assert result.code == 0, result.err
        assert ledgers.tracker.assess("trump-involved").verdict is ct.Verdict.PARTLY_HELD

    def test_kind_and_strength_words(self, run: Run, ledgers: Ledgers) -> None:
        """Kinds and strengths read the same way."""
        _seed(run)
        assert run("claim", "add", "trump", "x", "--id", "c9", "--kind", "Promise",
                   "--stated-on", "2025-02-18").code == 0  # fmt: skip
        assert ledgers.tracker.claim("c9").kind is ct.ClaimKind.PROMISE
        assert run("evidence", "add", "c9", "y", "--supports", "--strength", " Strong ",
                   "--observed", "2025-02-20").code == 0  # fmt: skip
        assert ledgers.tracker.evidence("c9")[0].strength is ct.Strength.STRONG


class TestSpeakers:
    def test_namesake_warns(self, run: Run, ledgers: Ledgers) -> None:
        """`speaker add` warns on stderr when a speaker has the same name, any case."""
        _seed(run)
        result = run("speaker", "add", "donald  TRUMP")
        assert (result.code, result.out) == (0, "donald-trump\n")
        assert result.err.startswith("claimtrack: warning: a speaker named 'donald  TRUMP'")
        assert "(trump)" in result.err
        assert len(ledgers.tracker.speakers()) == 3

    def test_new_name_is_quiet(self, run: Run) -> None:
        """A new name adds without a warning."""
        _seed(run)
        result = run("speaker", "add", "Keith Kellogg")
        assert (result.code, result.err) == (0, "")

    def test_both_orders_of_list(self, run: Run) -> None:
        """`speaker list` = `list speakers`, `claim list` = `list claims`, and evidence."""
        _seed(run)
        assert run("speaker", "list").out == run("list", "speakers").out
        assert run("claim", "list", "--json").out == run("list", "claims", "--json").out
        assert run("evidence", "list", "trump-involved").out == (
            run("list", "evidence", "trump-involved").out
        )


class TestListEvidence:
    def test_table_and_json(self, run: Run) -> None:
        """`list evidence CLAIM` shows every piece of evidence, retracted ones marked."""
        _seed(run)
        run("evidence", "add", "trump-involved", "Jeddah talks.", "--supports",
            "--strength", "strong", "--observed", "2025-03-11")  # fmt: skip
        run("retract", "trump-involved-e1", "--reason", "misreported")
        lines = run("list", "evidence", "trump-involved").out.splitlines()
        assert lines[0].split() == ["ID", "OBSERVED", "STANCE", "STRENGTH", "TEXT"]
        assert lines[2].split()[:5] == [
            "trump-involved-e1", "(retracted)", "2025-02-18", "refutes", "moderate",
        ]  # fmt: skip
        assert lines[3].split()[:4] == ["trump-involved-e2", "2025-03-11", "supports", "strong"]
        shape = run("list", "evidence", "trump-involved", "--json").json()
        assert isinstance(shape, dict)
        assert (shape["format"], shape["claim_id"]) == (1, "trump-involved")
        assert [(e["id"], e["retracted"]) for e in shape["evidence"]] == [
            ("trump-involved-e1", True),
            ("trump-involved-e2", False),
        ]

    def test_unknown_claim(self, run: Run) -> None:
        """An unknown claim is an error with a suggestion."""
        _seed(run)
        result = run("list", "evidence", "lavrov-fcus")
        assert (result.code, "did you mean 'lavrov-focus'?" in result.err) == (1, True)


def _ids(result: Result, key: str = "claims") -> list[str]:
    shape = result.json()
    assert isinstance(shape, dict), result.err
    return [c["id"] if "id" in c else c["claim_id"] for c in shape[key]]


class TestFilters:
    @pytest.mark.parametrize(
        ("flags", "expected"),
        [
            ([], ["trump-involved", "lavrov-focus", "kellogg-kyiv"]),
            (["--speaker", "trump"], ["trump-involved", "kellogg-kyiv"]),
            (["--speaker", "Sergey Lavrov"], ["lavrov-focus"]),
            (["--topic", "Ukraine"], ["trump-involved"]),
            (["--kind", "promise"], ["kellogg-kyiv"]),
            (["--verdict", "failed"], ["lavrov-focus"]),
            (["--verdict", "pending"], ["trump-involved", "kellogg-kyiv"]),
            (["--since", "2025-02"], ["trump-involved", "lavrov-focus"]),
            (["--until", "2025-01-31"], ["kellogg-kyiv"]),
            (["--since", "2025-02-01", "--speaker", "trump"], ["trump-involved"]),
        ],
    )
    def test_list_claims(self, run: Run, flags: list[str], expected: list[str]) -> None:
        """`list claims` filters by speaker (id or name), topic, kind, verdict and dates."""
        _seed(run)
        assert _ids(run("list", "claims", *flags, "--json")) == expected

    def test_assess(self, run: Run) -> None:
        """`assess` takes the same filters; its verdict filter honours --as-of."""
        _seed(run)
        assert _ids(run("assess", "--speaker", "trump", "--json"), "assessments") == [
            "trump-involved",
            "kellogg-kyiv",
        ]
        assert _ids(run("assess", "--verdict", "failed", "--json"), "assessments") == [
            "lavrov-focus"
        ]
        early = run("assess", "--verdict", "failed", "--as-of", "2025-02-18", "--json")
        assert _ids(early, "assessments") == []
        assert _ids(run("assess", "--topic", "relations", "--json"), "assessments") == [
            "lavrov-focus"
        ]

    def test_assess_claim_and_filter_is_usage(self, run: Run) -> None:
        """A claim and a filter together is a usage error."""
        _seed(run)
        assert run("assess", "trump-involved", "--topic", "ukraine").code == 2

    def test_report(self, run: Run, tmp_path: Path) -> None:
        """`report` with filters covers the chosen claims only."""
        _seed(run)
        card = tmp_path / "card.md"
        assert run("report", "-o", str(card), "--kind", "promise").code == 0
        text = card.read_text(encoding="utf-8")
        assert "Kellogg will go to Kyiv." in text
        assert "Ukraine will be involved" not in text
        assert "restoring US-Russia relations" not in text

    def test_bad_since(self, run: Run) -> None:
        """A bad --since names the flag and the forms that work."""
        _seed(run)
        result = run("list", "claims", "--since", "last spring")
        assert result.code == 1
        assert result.err.startswith("claimtrack: error: --since: 'last spring' is not a date")
        assert "2025-02-18" in result.err


class TestDue:
    @pytest.mark.parametrize(
        ("due", "expected"),
        [
            ("+100d", "2025-05-29"),
            ("+2w", "2025-03-04"),
            ("+3m", "2025-05-18"),
            ("+1y", "2026-02-18"),
            ("within 3 months", "2025-05-18"),
            ("in 100 days", "2025-05-29"),
            ("Within 1 Year", "2026-02-18"),
        ],
    )
    def test_relative_due(self, run: Run, ledgers: Ledgers, due: str, expected: str) -> None:
        """`--due` takes a deadline relative to --stated-on, like ct.within."""
        _seed(run)
        result = run("claim", "add", "trump", "x", "--id", "c9", "--stated-on", "2025-02-18",
                     "--due", due)  # fmt: skip
        assert result.code == 0, result.err
        assert str(ledgers.tracker.claim("c9").due) == expected

    @pytest.mark.parametrize("due", ["next Tuesday", "+1x", "soonish"])
    def test_bad_due_names_the_flag_and_forms(self, run: Run, due: str) -> None:
        """A --due that is not a date names --due and says which forms work."""
        _seed(run)
        result = run("claim", "add", "trump", "x", "--stated-on", "2025-02-18", "--due", due)
        assert result.code == 1
        assert result.err.startswith(f"claimtrack: error: --due: {due!r} is not a date")
        assert "+100d" in result.err
        assert "due_on" not in result.err
        assert "PartialDate" not in result.err

    def test_due_before_stated(self, run: Run) -> None:
        """A due date before the statement: both flags named, no reprs."""
        _seed(run)
        result = run(
            "claim", "add", "trump", "x", "--stated-on", "2025-02-18", "--due", "2025-01-01"
        )
        assert result.err == (
            "claimtrack: error: --due: '2025-01-01' is before --stated-on 2025-02-18 "
            "(record 'trump-x')\n"
        )


class TestDateOrder:
    def test_flag_and_environment(self, ledgers: Ledgers, monkeypatch: pytest.MonkeyPatch) -> None:
        """--date-order, else CLAIMTRACK_DATE_ORDER, reaches claimtrack.open as date_order."""
        quiet = io.StringIO()
        monkeypatch.delenv("CLAIMTRACK_DATE_ORDER", raising=False)
        cli._run(["--db", "a.db", "list", "speakers"], opener=ledgers, stdout=quiet)
        cli._run(["--date-order", "dmy", "--db", "a.db", "list", "speakers"], opener=ledgers,
                 stdout=quiet)  # fmt: skip
        cli._run(["--db", "a.db", "list", "speakers", "--date-order", "MDY"], opener=ledgers,
                 stdout=quiet)  # fmt: skip
        monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "mdy")
        cli._run(["--db", "a.db", "list", "speakers"], opener=ledgers, stdout=quiet)
        cli._run(["--db", "a.db", "--date-order", "DMY", "list", "speakers"], opener=ledgers,
                 stdout=quiet)  # fmt: skip
        assert [o for _, _, o in ledgers.opened] == [
            {},
            {"date_order": "DMY"},
            {"date_order": "MDY"},
            {"date_order": "MDY"},
            {"date_order": "DMY"},
        ]

    def test_bad_values(
        self, ledgers: Ledgers, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad --date-order is a usage error; a bad environment value names the variable."""
        err = io.StringIO()
        assert cli._run(["--date-order", "YMD", "list", "speakers"], opener=ledgers) == 2
        assert "--date-order" in capsys.readouterr().err
        monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "day first")
        assert cli._run(["list", "speakers"], opener=ledgers, stderr=err) == 1
        assert err.getvalue() == (
            "claimtrack: error: CLAIMTRACK_DATE_ORDER: 'day first' must be DMY or MDY\n"
        )
        assert ledgers.opened == []


class TestDateOrderOnFile:
    def test_real_ledger(self, tmp_path: Path) -> None:
        """--date-order reaches claimtrack.open; a day-first date is read day first."""
        import inspect

        done = _claimtrack("--date-order", "DMY", "speaker", "add", "Donald Trump", "--id",
                           "trump", cwd=tmp_path)  # fmt: skip
        if "date_order" not in inspect.signature(ct.open).parameters:
            # Until claimtrack.open takes date_order=, a clear error, no traceback.
            assert (done.code, done.err) == (
                1,
                (
                    "claimtrack: error: --date-order: this claimtrack cannot read dates in a "
                    "given order\n"
                ),
            )
            return
        assert done.code == 0, done.err
        added = _claimtrack("--date-order", "DMY", "claim", "add", "trump", "x", "--id", "c1",
                            "--stated-on", "02/03/2025", cwd=tmp_path)  # fmt: skip
        assert added.code == 0, added.err
        listed = json.loads(_claimtrack("list", "claims", "--json", cwd=tmp_path).out)
        assert listed["claims"][0]["stated_on"] == "2025-03-02"


class TestInit:
    def test_init_creates_and_says_where(self, tmp_path: Path) -> None:
        """`init` starts a ledger and prints its absolute path; again, it leaves it alone."""
        first = _claimtrack("init", "riyadh.db", cwd=tmp_path)
        where = tmp_path / "riyadh.db"
        assert (first.code, first.out, first.err) == (0, f"started a new ledger at {where}\n", "")
        with ct.open(where) as tracker:
            assert len(tracker) == 0
        again = _claimtrack("--db", "riyadh.db", "init", cwd=tmp_path)
        assert again.out == f"a ledger is already at {where} (0 records); left as it was\n"
        assert again.code == 0

    def test_init_uses_environment(self, tmp_path: Path) -> None:
        """Without a path, `init` starts the ledger CLAIMTRACK_DB names."""
        done = _claimtrack("init", cwd=tmp_path, env={"CLAIMTRACK_DB": "env.jsonl"})
        assert done.code == 0
        assert (tmp_path / "env.jsonl").exists()

    def test_writing_command_notes_a_new_ledger(self, tmp_path: Path) -> None:
        """The first writing command on a new file says so on stderr; later ones do not."""
        env = {"CLAIMTRACK_DB": ""}
        first = _claimtrack("speaker", "add", "Keith Kellogg", cwd=tmp_path, env=env)
        assert first.err == (
            f"claimtrack: note: started a new ledger at {tmp_path / 'claimtrack.db'}\n"
        )
        second = _claimtrack("speaker", "add", "Sergey Lavrov", cwd=tmp_path, env=env)
        assert (second.code, second.err) == (0, "")

    def test_missing_ledger_points_to_init(self, tmp_path: Path) -> None:
        """A reading command on a missing file says how to start one."""
        result = _claimtrack("--db", "nope.db", "list", "claims", cwd=tmp_path)
        assert result.code == 1
        assert "no ledger here" in result.err
        assert "claimtrack init" in result.err


class TestRepair:
    def test_repair_torn_jsonl(self, tmp_path: Path) -> None:
        """After a torn write, appends point to `claimtrack repair`, which fixes the file."""
        ledger = tmp_path / "l.jsonl"
        with ct.open(ledger) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
        with ledger.open("a", encoding="utf-8") as handle:
            handle.write('{"type": "spea')
        blocked = _claimtrack("--db", "l.jsonl", "speaker", "add", "Keith Kellogg", cwd=tmp_path)
        assert blocked.code == 1
        assert blocked.err.splitlines() == [
            (
                "claimtrack: warning: l.jsonl:2: skipping an unfinished write at the end of the "
                "file (14 bytes, never acknowledged); `claimtrack repair` removes it"
            ),
            (
                "claimtrack: error: l.jsonl:2: the file ends in an unfinished write; "
                "run `claimtrack repair` before appending"
            ),
        ]
        fixed = _claimtrack("--db", "l.jsonl", "repair", cwd=tmp_path)
        assert (fixed.code, fixed.out) == (
            0,
            "l.jsonl: removed an unfinished write of 14 bytes from the end\n",
        )
        again = _claimtrack("--db", "l.jsonl", "repair", cwd=tmp_path)
        assert again.out == "l.jsonl: nothing to repair\n"
        assert (
            _claimtrack("--db", "l.jsonl", "speaker", "add", "Keith Kellogg", cwd=tmp_path).code
            == 0
        )

    def test_repair_sqlite_and_missing(self, tmp_path: Path) -> None:
        """A SQLite ledger needs no repair; a missing file is an error."""
        with ct.open(tmp_path / "l.db") as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
        assert (
            _claimtrack("--db", "l.db", "repair", cwd=tmp_path).out == "l.db: nothing to repair\n"
        )
        missing = _claimtrack("--db", "gone.db", "repair", cwd=tmp_path)
        assert (missing.code, "no ledger here" in missing.err) == (1, True)
        assert not (tmp_path / "gone.db").exists()


class TestBackup:
    @pytest.mark.parametrize("name", ["l.db", "l.jsonl"])
    def test_backup_copies_every_record(self, tmp_path: Path, name: str) -> None:
        """`backup PATH` writes a copy that opens with the same records."""
        with ct.open(tmp_path / name) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.add_claim("trump", "Ukraine will be involved.", id="c1", stated_on="2025-02-18")
        copy = "copy" + Path(name).suffix
        done = _claimtrack("--db", name, "backup", copy, cwd=tmp_path)
        assert (done.code, done.out, done.err) == (0, f"backed up {name} to {copy}\n", "")
        with ct.open(tmp_path / copy) as tracker:
            assert [r.id for r in tracker.records()] == ["trump", "c1"]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, copy])

    def test_backup_while_a_store_is_open(self, tmp_path: Path) -> None:
        """The store's backup sees what its own connection committed."""
        with ct.open(tmp_path / "l.db") as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.store.backup(tmp_path / "copy.db")  # type: ignore[attr-defined]
            tracker.add_speaker("Keith Kellogg", id="kellogg")
        with ct.open(tmp_path / "copy.db") as copy:
            assert [s.id for s in copy.speakers()] == ["trump"]


class TestPlot:
    @pytest.fixture
    def ledger(self, tmp_path: Path) -> Path:
        pytest.importorskip("matplotlib")
        with ct.open(tmp_path / "l.db") as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.add_claim("trump", "Ukraine will be involved.", id="c1",
                              stated_on="2025-02-18", confidence=0.8, due="2025-03-31")  # fmt: skip
            tracker.add_evidence("c1", "Jeddah talks.", stance="supports",
                                 strength="conclusive", observed_on="2025-03-11")  # fmt: skip
        return tmp_path / "l.db"

    @pytest.mark.parametrize(
        ("argv", "magic"),
        [
            (["probability", "c1", "-o", "p.svg"], b"<?xml"),
            (["probability", "c1", "-o", "p.png"], b"\x89PNG"),
            (["records", "-o", "r.png"], b"\x89PNG"),
            (["calibration", "trump", "-o", "c.svg"], b"<?xml"),
        ],
    )
    def test_chart_files(self, ledger: Path, argv: list[str], magic: bytes) -> None:
        """`plot` writes one chart as PNG or SVG and prints its path."""
        done = _claimtrack("--db", str(ledger), "plot", *argv, cwd=ledger.parent)
        assert (done.code, done.out) == (0, argv[-1] + "\n"), done.err
        assert (ledger.parent / argv[-1]).read_bytes().startswith(magic)

    def test_bad_suffix_and_unknown_claim(self, ledger: Path) -> None:
        """A chart must be .png or .svg; an unknown claim gets a suggestion."""
        bad = _claimtrack("--db", str(ledger), "plot", "probability", "c1", "-o", "p.pdf",
                          cwd=ledger.parent)  # fmt: skip
        assert (bad.code, ".png or .svg" in bad.err) == (1, True)
        ghost = _claimtrack("--db", str(ledger), "plot", "probability", "c-1", "-o", "p.svg",
                            cwd=ledger.parent)  # fmt: skip
        assert (ghost.code, "did you mean 'c1'?" in ghost.err) == (1, True)
        assert not (ledger.parent / "p.svg").exists()


class TestImportLimits:
    def test_max_items(self, run: Run, tmp_path: Path) -> None:
        """--max-items lowers or raises the item limit; the error names the flag."""
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
        second = {**review, "claimReviewed": "Talks will be held in Riyadh."}
        (tmp_path / "r.json").write_text(json.dumps([review, second]), encoding="utf-8")
        refused = run("import", "claimreview", str(tmp_path / "r.json"), "--max-items", "1")
        assert refused.code == 1
        assert "over the limit of 1 (raise the limit with --max-items)" in refused.err
        assert "ImportLimits" not in refused.err
        assert run("import", "claimreview", str(tmp_path / "r.json"), "--max-items", "2").code == 0
        assert run("import", "claimreview", str(tmp_path / "r.json"), "--max-items", "0").code == 2


class TestSuggestionsOnABigLedger:
    def test_only_near_spellings(self, run: Run, ledgers: Ledgers) -> None:
        """Past 20,000 records ids are not all compared; another case is still found."""
        _seed(run)
        ledgers.tracker.add_many(
            ct.Claim(f"filler-{i}", "trump", f"Filler claim {i}.", stated_on="2025")
            for i in range(20_000)
        )
        assert "did you mean 'trump-involved'?" in run("assess", "Trump-Involved").err
        assert run("assess", "trump-involvd").err == (
            "claimtrack: error: no claim with id 'trump-involvd'\n"
        )


class TestApiWordsInMessages:
    @pytest.mark.parametrize(
        ("error", "expected"),
        [
            (
                ct.errors.InvalidRecordError(
                    "observed_on", "2027-01-01", "is after today; pass allow_future=True"
                ),
                "--observed: '2027-01-01' is after today; pass --allow-future",
            ),
            (
                ct.errors.InvalidRecordError(
                    "stated_on", "02/03/2025", 'could be read two ways; give date_order="DMY"'
                ),
                "--stated-on: '02/03/2025' could be read two ways; give --date-order DMY",
            ),
            (
                ct.errors.InvalidRecordError("on", ct.PartialDate.parse("2025"), "is before it"),
                "--on: '2025' is before it",
            ),
            (
                ct.errors.InvalidRecordError("as_of", None, "is required"),
                "--as-of is required",
            ),
        ],
    )
    def test_flags_not_keywords(self, error: Exception, expected: str) -> None:
        """The API's keyword arguments in a message become the command's flags."""
        from claimtrack.cli._errors import describe

        assert describe(error) == expected

    def test_allow_future_flag(self, run: Run, ledgers: Ledgers) -> None:
        """--allow-future is accepted by claim add, evidence add and rule."""
        _seed(run)
        assert run("evidence", "add", "trump-involved", "Summit planned.", "--supports",
                   "--observed", "2025-02-20", "--allow-future").code == 0  # fmt: skip
        assert run("rule", "trump-involved", "held", "--on", "2025-02-20",
                   "--allow-future").code == 0  # fmt: skip
        assert run("claim", "add", "trump", "x", "--stated-on", "2025-02-20",
                   "--allow-future").code == 0  # fmt: skip


class TestSearch:
    def test_best_match_first(self, run: Run) -> None:
        """`search WORDS` finds claims and evidence by their words, best match first."""
        _seed(run)
        found = run("search", "Riyadh", "meeting", "--json").json()
        assert isinstance(found, dict)
        assert (found["format"], found["words"]) == (1, "Riyadh meeting")
        first = found["results"][0]
        assert first["record"]["id"] == "trump-involved-e1"
        assert isinstance(first["score"], float)
        assert [r["score"] for r in found["results"]] == sorted(
            (r["score"] for r in found["results"]), reverse=True
        )

    def test_table_limit_and_nothing(self, run: Run) -> None:
        """The table names each record's type; --limit caps it; no match is (none)."""
        _seed(run)
        lines = run("search", "talks", "--limit", "1").out.splitlines()
        assert lines[0].split() == ["ID", "TYPE", "OF", "TEXT"]
        assert len(lines) == 3
        assert run("search", "zeppelin").out == "(none)\n"

    def test_usage(self, run: Run) -> None:
        """No words, or a limit below 1, is a usage error."""
        _seed(run)
        assert run("search").code == 2
        assert run("search", "talks", "--limit", "0").code == 2

    @pytest.mark.parametrize("name", ["l.db", "l.jsonl"])
    def test_on_a_file(self, tmp_path: Path, name: str) -> None:
        """Search works on SQLite (FTS5) and JSON Lines ledgers in a new process."""
        with ct.open(tmp_path / name) as tracker:
            tracker.add_speaker("Sergey Lavrov", id="lavrov")
            tracker.add_claim("lavrov", "The talks will focus on restoring relations.",
                              id="c1", stated_on="2025-02-18")  # fmt: skip
            tracker.add_claim("lavrov", "Sanctions will be lifted.", id="c2",
                              stated_on="2025-02-18")  # fmt: skip
        done = _claimtrack("--db", name, "search", "restoring relations", "--json", cwd=tmp_path)
        assert done.code == 0, done.err
        assert [r["record"]["id"] for r in json.loads(done.out)["results"]] == ["c1"]
