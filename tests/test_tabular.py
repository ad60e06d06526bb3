"""Tests for claimtrack.interop.tabular: CSV in and out, DataFrames."""

from __future__ import annotations

import builtins
import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack.errors import ImportFormatError, InvalidRecordError
from claimtrack.interop import ImportLimits, Skipped
from claimtrack.interop.tabular import (
    columns,
    read_csv,
    read_csv_all,
    to_frame,
    write_csv,
    write_csv_all,
)
from claimtrack.strategies import ledgers

NOON = dt.datetime(2025, 2, 18, 12, tzinfo=dt.UTC)
KINDS = ["speakers", "claims", "evidence", "rulings", "forecasts", "retractions"]


def problems(info: pytest.ExceptionInfo[ExceptionGroup[Any]]) -> list[str]:
    """The text of every ImportFormatError in a raised group."""
    assert all(isinstance(e, ImportFormatError) for e in info.value.exceptions)
    return [str(e) for e in info.value.exceptions]


def desk() -> ct.Tracker:
    """A tracker with Lavrov and Trump, and one claim; its clock after every date used."""
    tracker = ct.Tracker(clock=lambda: NOON + dt.timedelta(days=60))
    tracker.add_speaker("Sergey Lavrov", id="lavrov")
    tracker.add_speaker("Donald Trump", id="trump")
    tracker.add_claim("trump", "Ukraine will be involved.", id="c1", stated_on="2025-02-18")
    return tracker


def csv_of(tracker: ct.Tracker, what: str) -> str:
    out = io.StringIO()
    write_csv(tracker, out, what)
    return out.getvalue()


class TestLayout:
    def test_claim_columns(self) -> None:
        """A claims file has the codec's keys, the source spread over dotted columns."""
        assert columns("claims") == (
            "id",
            "speaker_id",
            "text",
            "quote",
            "kind",
            "stated_on",
            "source.title",
            "source.publisher",
            "source.author",
            "source.published",
            "source.url",
            "source.reliability",
            "due",
            "topics",
            "confidence",
            "confidence_basis",
            "recorded_at",
            "retracted",
        )

    @given(ledger=ledgers())
    @settings(max_examples=20)
    def test_columns_are_the_codecs_keys(self, ledger: list[ct.Record]) -> None:
        """Each kind's columns are its codec dict's keys, in order, source spread out,
        then the retracted mark."""
        from claimtrack.stores import to_dict

        for record in ledger:
            keys: list[str] = []
            for key, value in to_dict(record).items():
                if key in ("type", "version"):
                    continue
                if key == "source":
                    keys.extend(f"source.{k}" for k in attrs.fields_dict(ct.Source))
                else:
                    keys.append(key)
                if isinstance(value, dict):
                    assert list(value) == list(attrs.fields_dict(ct.Source))
            kind = {
                ct.Speaker: "speakers",
                ct.Claim: "claims",
                ct.Evidence: "evidence",
                ct.Ruling: "rulings",
                ct.Retraction: "retractions",
                ct.Forecast: "forecasts",
            }[type(record)]
            assert (*keys, "retracted") == columns(kind)

    def test_unknown_kind(self) -> None:
        """An unknown kind is an InvalidRecordError naming 'what'."""
        with pytest.raises(InvalidRecordError, match="what"):
            columns("opinions")

    def test_written_claim(self) -> None:
        """A claim is written one cell per column: lists as JSON, None as empty."""
        tracker = ct.Tracker(clock=lambda: NOON)
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim(
            "trump",
            "Ukraine will be involved, in talks.",
            id="c1",
            stated_on="2025-02-18",
            source=ct.Source(title="Riyadh", publisher="JadeTimes", reliability=0.5),
            topics={"ukraine", "peace-talks"},
        )
        assert csv_of(tracker, "claims").splitlines()[1] == (
            'c1,trump,"Ukraine will be involved, in talks.",,assertion,2025-02-18,Riyadh,'
            'JadeTimes,,,,0.5,,"[""peace-talks"", ""ukraine""]",,,2025-02-18T12:00:00.000000Z,false'
        )


class TestReadCsv:
    def test_other_layout_with_mapping(self) -> None:
        """A column mapping reads another layout; unknown columns are reported."""
        tracker = desk()
        sheet = (
            "Who,Statement,Said on,Topics,Notes\n"
            "lavrov,Talks will focus on relations.,18 Feb 2025,russia; talks,x\n"
        )
        report = read_csv(
            tracker,
            sheet,
            "claims",
            name="sheet.csv",
            columns={
                "Who": "speaker_id",
                "Statement": "text",
                "Said on": "stated_on",
                "Topics": "topics",
            },
        )
        (claim,) = report.records
        assert (claim.id, claim.topics, claim.kind, list(report.skipped)) == (
            "lavrov-talks-will-focus-on-relations",
            frozenset({"russia", "talks"}),
            ct.ClaimKind.ASSERTION,
            [Skipped("sheet.csv:1", "column 'Notes' is not a claims column; ignored")],
        )

    def test_every_bad_row_is_listed(self) -> None:
        """All problems are raised at once with file:line and column; nothing is added."""
        tracker = desk()
        sheet = (
            "speaker_id,text,stated_on,confidence,kind\n"
            "lavrov,Fine.,2025-02-18,,\n"
            "lavrov,Bad date.,Smarch 31,,\n"
            "nobody,Unknown speaker.,2025-02-18,,\n"
            "lavrov,Bad number.,2025-02-18,lots,\n"
            "lavrov,Bad kind.,2025-02-18,,boast\n"
            "lavrov,Out of range.,2025-02-18,1.5,\n"
        )
        with pytest.raises(ExceptionGroup) as info:
            read_csv(tracker, sheet, "claims", name="claims.csv")
        found = problems(info)
        assert found[:3] == [
            "claims.csv:3: stated_on: 'Smarch 31' is not a date",
            "claims.csv:4: speaker_id: no speaker with id 'nobody'",
            "claims.csv:5: confidence: 'lots' is not a number",
        ]
        assert [f.split(":", 2)[1] for f in found[3:]] == ["6", "7"]
        assert "kind" in found[3]
        assert "confidence" in found[4]
        assert len(tracker) == 3

    def test_ids_are_made_when_missing(self) -> None:
        """Rows without ids get the ids the tracker would make."""
        tracker = desk()
        report = read_csv(
            tracker,
            "claim_id,text,stance,observed_on\nc1,Met in Jeddah.,supports,2025-03-11\n"
            "c1,Kyiv visit.,supports,2025-03-20\n",
            "evidence",
        )
        assert [r.id for r in report.records] == ["c1-e1", "c1-e2"]

    def test_reimport_skips_rows_already_there(self) -> None:
        """Importing the same file again adds nothing and says why."""
        tracker = desk()
        text = csv_of(tracker, "speakers")
        report = read_csv(tracker, text, "speakers", name="speakers.csv")
        assert (report.records, [s.reason for s in report.skipped]) == (
            (),
            [
                "speaker 'lavrov' is already in the tracker",
                "speaker 'trump' is already in the tracker",
            ],
        )

    def test_taken_id_is_an_error(self) -> None:
        """A row whose id is taken by a different record is an error."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(desk(), "id,name\nlavrov,Someone Else\n", "speakers", name="s.csv")
        assert problems(info) == ["s.csv:2: id: 'lavrov' is taken (by a speaker)"]

    def test_blank_rows_are_skipped(self) -> None:
        """Blank rows are skipped and reported."""
        report = read_csv(ct.Tracker(), "name\n\n,\nKeith Kellogg\n", "speakers", name="s.csv")
        assert ([r.name for r in report.records], [s.path for s in report.skipped]) == (
            ["Keith Kellogg"],
            ["s.csv:2", "s.csv:3"],
        )

    def test_booleans_and_lists(self) -> None:
        """Booleans read as words; lists as JSON or separated by ';'."""
        report = read_csv(
            ct.Tracker(),
            'name,organization,same_as\nKremlin,yes,"https://a.org; https://b.org"\n'
            'NATO,true,"[""https://nato.int""]"\n',
            "speakers",
        )
        assert [(s.organization, s.same_as) for s in report.records] == [  # type: ignore[union-attr]
            (True, ("https://a.org", "https://b.org")),
            (True, ("https://nato.int",)),
        ]

    @pytest.mark.parametrize(
        ("sheet", "expected"),
        [
            ("name,organization\nX,maybe\n", "s.csv:2: organization: 'maybe' is not true or false"),
            ("name,same_as\nX,[1\n", "s.csv:2: same_as: '[1' is not a JSON array"),
            ("name,name\nX,Y\n", "s.csv:1: column 'name' appears twice"),
            ("name\nX,Y\n", "s.csv:2: has 2 cells but the header 1"),
        ],
    )
    def test_bad_cells(self, sheet: str, expected: str) -> None:
        """Malformed cells and rows are errors naming file, line and column."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(ct.Tracker(), sheet, "speakers", name="s.csv")
        assert problems(info)[0].startswith(expected)

    def test_bad_mapping(self) -> None:
        """A mapping to a column the layout lacks is an InvalidRecordError."""
        with pytest.raises(InvalidRecordError, match="columns"):
            read_csv(ct.Tracker(), "a\n", "speakers", columns={"a": "nickname"})

    def test_assessments_cannot_be_read(self) -> None:
        """Assessments are computed, so they are written but never read."""
        with pytest.raises(InvalidRecordError, match="what"):
            read_csv(ct.Tracker(), "a\n", "assessments")

    def test_path_and_name(self, tmp_path: Path) -> None:
        """A path is read, and its file name is used in messages."""
        path = tmp_path / "speakers.csv"
        path.write_text("name,organization\nX,perhaps\n", encoding="utf-8")
        with pytest.raises(ExceptionGroup) as info:
            read_csv(ct.Tracker(), path, "speakers")
        assert problems(info)[0].startswith("speakers.csv:2:")


class TestLimits:
    def test_size(self) -> None:
        """A file over max_bytes is refused before it is parsed."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(
                ct.Tracker(),
                "name\n" + "X\n" * 600,
                "speakers",
                limits=ImportLimits(max_bytes=1000),
            )
        assert "over the limit of 1000 bytes" in problems(info)[0]

    def test_rows(self) -> None:
        """More rows than max_items is refused before records are built."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(ct.Tracker(), "name\nA\nB\nC\n", "speakers", limits=ImportLimits(max_items=2))
        assert "holds 3 rows, over the limit of 2" in problems(info)[0]

    def test_cell_length(self) -> None:
        """A cell longer than max_string is refused with its line and column."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(
                ct.Tracker(),
                "name\n" + "x" * 51 + "\n",
                "speakers",
                name="s.csv",
                limits=ImportLimits(max_string=50),
            )
        assert problems(info)[0].startswith("s.csv:2: name: a cell of 51 characters")

    def test_depth_in_a_list_cell(self) -> None:
        """A JSON list cell nested deeper than max_depth is refused."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(
                ct.Tracker(),
                'name,same_as\nX,"[[[[""a""]]]]"\n',
                "speakers",
                name="s.csv",
                limits=ImportLimits(max_depth=2),
            )
        assert "nested deeper than 2" in problems(info)[0]


class TestWriteCsv:
    def test_failure_leaves_the_file_alone(self, tmp_path: Path) -> None:
        """A failing write changes nothing on disk and leaves no temporary file."""
        path = tmp_path / "claims.csv"
        path.write_text("old", encoding="utf-8")
        with pytest.raises(InvalidRecordError):
            write_csv(desk(), path, "opinions")
        assert (path.read_text(encoding="utf-8"), sorted(tmp_path.iterdir())) == ("old", [path])

    def test_to_path(self, tmp_path: Path) -> None:
        """Writing to a path gives the same text as writing to a file."""
        path = tmp_path / "claims.csv"
        n = write_csv(desk(), path, "claims")
        assert (n, path.read_text(encoding="utf-8")) == (1, csv_of(desk(), "claims"))


class TestRoundTrip:
    @given(ledger=ledgers())
    @settings(max_examples=60)
    def test_ledger_through_csv(self, ledger: list[ct.Record]) -> None:
        """Any ledger, retractions included, through write_csv_all and read_csv_all is
        the same records."""
        original = ct.Tracker()
        original.add_many(ledger)
        copy = ct.Tracker()
        with tempfile.TemporaryDirectory() as folder:
            write_csv_all(original, folder)
            read_csv_all(copy, folder)
        assert sorted(copy.records(), key=lambda r: r.id) == sorted(
            original.records(), key=lambda r: r.id
        )


class TestFrames:
    def test_claims_frame(self) -> None:
        """A claims frame has the CSV columns and one row per claim."""
        pytest.importorskip("pandas")
        frame = to_frame(desk(), "claims")
        assert (list(frame.columns), frame["id"].tolist()) == (list(columns("claims")), ["c1"])

    def test_missing_pandas_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas the error says which extra to install."""
        real_import = builtins.__import__

        def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
            if name == "pandas" or name.startswith("pandas."):
                raise ImportError("No module named 'pandas'")
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_pandas)
        with pytest.raises(ImportError, match=r"pip install 'claimtrack\[pandas\]'"):
            to_frame(desk(), "claims")


class TestAssessments:
    def tracker(self) -> ct.Tracker:
        tracker = desk()
        tracker.add_evidence(
            "c1",
            "Delegations met in Jeddah.",
            stance="supports",
            strength="strong",
            observed_on="2025-03-11",
            id="e1",
        )
        tracker.rule("c1", "held", on="2025-03-20", id="r1")
        return tracker

    def test_written_row(self) -> None:
        """Each claim's assessment is one row: verdicts, probability, ruling, evidence."""
        tracker = self.tracker()
        out = io.StringIO()
        assert write_csv(tracker, out, "assessments", as_of="2025-04-01") == 1
        a = tracker.assess("c1", as_of="2025-04-01")
        assert out.getvalue().splitlines() == [
            ",".join(columns("assessments")),
            f"c1,trump,held,pending,{a.probability!r},{a.log_odds!r},2025-04-01,false,r1,1",
        ]

    def test_as_of_changes_the_rows(self) -> None:
        """Assessments are judged at as_of: before the ruling, no ruling applies."""
        out = io.StringIO()
        write_csv(self.tracker(), out, "assessments", as_of="2025-03-15")
        assert out.getvalue().splitlines()[1].split(",")[2:4] == ["pending", "pending"]

    def test_frame(self) -> None:
        """to_frame gives the same columns and values as the CSV."""
        pytest.importorskip("pandas")
        frame = to_frame(self.tracker(), "assessments", as_of="2025-04-01")
        assert (list(frame.columns), frame.loc[0, "verdict"], frame.loc[0, "ruling_id"]) == (
            list(columns("assessments")),
            "held",
            "r1",
        )

    def test_evidence_frame(self) -> None:
        """An evidence frame has one row per piece of evidence."""
        pytest.importorskip("pandas")
        frame = to_frame(self.tracker(), "evidence")
        assert (frame["id"].tolist(), frame["stance"].tolist()) == (["e1"], ["supports"])


class TestRecordedAt:
    def test_any_time_text_is_read(self) -> None:
        """recorded_at may be any time text (naive read as UTC), not only the codec's form."""
        report = read_csv(ct.Tracker(), "name,recorded_at\nX,2025-02-18 10:30\n", "speakers")
        assert report.records[0].recorded_at == dt.datetime(2025, 2, 18, 10, 30, tzinfo=dt.UTC)

    def test_bad_codec_form_is_an_error(self) -> None:
        """A stamp in the codec's shape but not a real time is an error on its line."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(
                ct.Tracker(),
                "name,recorded_at\nX,2025-13-45T00:00:00.000000Z\n",
                "speakers",
                name="s.csv",
            )
        assert problems(info)[0].startswith("s.csv:2: ")


RUNNABLE = [
    "=2+3",
    '=HYPERLINK("https://evil.example","click")',
    "+A1",
    "-x",
    "@SUM(A1)",
]


class TestFormulaCells:
    @pytest.mark.parametrize("text", RUNNABLE)
    def test_runnable_cells_are_prefixed(self, text: str) -> None:
        """A cell a spreadsheet would run is written with a leading apostrophe."""
        tracker = ct.Tracker(clock=lambda: NOON)
        tracker.add_speaker(text, id="s")
        row = list(csv.reader(io.StringIO(csv_of(tracker, "speakers"), newline="")))[1]
        assert row[1] == "'" + text

    @pytest.mark.parametrize("text", ["\tx", "\rx", "=1", "'=1", "''+x"])
    def test_tab_carriage_return_and_quoted_triggers(self, text: str) -> None:
        """Tab and carriage return lead to a prefix too (text fields strip them, other
        cells may not), and so do triggers hidden behind apostrophes."""
        from claimtrack.interop._tabular_layout import neutralize

        assert neutralize(text) == "'" + text

    def test_numbers_and_plain_text_are_left_alone(self) -> None:
        """Plain numbers (-0.5) and text are not prefixed."""
        from claimtrack.interop._tabular_layout import neutralize

        assert [neutralize(t) for t in ("-0.5", "+3", "1e-3", "Plain", "'quoted")] == [
            "-0.5",
            "+3",
            "1e-3",
            "Plain",
            "'quoted",
        ]

    def test_can_be_turned_off(self) -> None:
        """neutralize=False writes the cells as they are, for programs."""
        tracker = ct.Tracker(clock=lambda: NOON)
        tracker.add_speaker("=2+3", id="s")
        out = io.StringIO()
        write_csv(tracker, out, "speakers", neutralize=False)
        assert out.getvalue().splitlines()[1].startswith("s,=2+3,")

    @given(st.text())
    def test_neutralize_then_restore_is_the_same_text(self, text: str) -> None:
        """Reading takes off exactly what writing put on, and what is written never
        starts a formula, whatever the text."""
        from claimtrack.interop._tabular_layout import neutralize, restore

        written = neutralize(text)
        assert (restore(written), written[:1] in ("=", "+", "-", "@", "\t", "\r")) == (
            text,
            written[:1] in ("+", "-") and written == text,  # only plain numbers start so
        )

    def test_written_and_read_back_unchanged(self) -> None:
        """Hostile text goes through write_csv and read_csv unchanged."""
        tracker = ct.Tracker(clock=lambda: NOON)
        for i, text in enumerate([*RUNNABLE, "'=x", "''+y"]):
            tracker.add_speaker(text, id=f"s{i}")
        copy = ct.Tracker()
        read_csv(copy, csv_of(tracker, "speakers"), "speakers")
        assert [s.name for s in copy.speakers()] == [s.name for s in tracker.speakers()]

    @pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
    def test_libreoffice_finds_no_formula(self, tmp_path: Path) -> None:
        """LibreOffice Calc converts the written file to xlsx with no formula in it."""
        tracker = ct.Tracker(clock=lambda: NOON)
        for i, text in enumerate(RUNNABLE):
            tracker.add_speaker(text, id=f"s{i}")
        tracker.add_claim("s0", "=1+1", stated_on="2025-02-18", quote="@A1", topics={"-x"})
        for kind in ("speakers", "claims"):
            write_csv(tracker, tmp_path / f"{kind}.csv", kind)
        sheets = _xlsx_sheets(tmp_path, ["speakers.csv", "claims.csv"])
        assert [("<f>" in s or "<f " in s) for s in sheets] == [False, False]

    @pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
    def test_libreoffice_check_can_fail(self, tmp_path: Path) -> None:
        """Without neutralising, LibreOffice does make a formula: the check above can fail."""
        tracker = ct.Tracker(clock=lambda: NOON)
        tracker.add_speaker("=2+3", id="s")
        write_csv(tracker, tmp_path / "raw.csv", "speakers", neutralize=False)
        (sheet,) = _xlsx_sheets(tmp_path, ["raw.csv"])
        assert "<f>" in sheet or "<f " in sheet


def _xlsx_sheets(folder: Path, names: list[str]) -> list[str]:
    """Convert CSV files with LibreOffice (headless) and return each first sheet's XML."""
    import subprocess
    import zipfile

    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            *[str(folder / n) for n in names],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sheets = []
    for name in names:
        with zipfile.ZipFile(folder / name.replace(".csv", ".xlsx")) as book:
            sheets.append(book.read("xl/worksheets/sheet1.xml").decode())
    return sheets


class TestRetracted:
    def test_retracted_records_are_marked_in_every_file(self) -> None:
        """Each per-kind file says which records were retracted."""
        tracker = desk()
        tracker.add_evidence("c1", "Seen.", id="e1", stance="supports", observed_on="2025-02-19")
        tracker.rule("c1", "held", on="2025-02-20", id="r1")
        tracker.retract("e1", reason="misread", id="x1")
        tracker.retract("c1", reason="misquoted", id="x2")
        marks = {
            kind: [row[-1] for row in csv.reader(io.StringIO(csv_of(tracker, kind)))][1:]
            for kind in KINDS
        }
        assert marks == {
            "speakers": ["false", "false"],
            "claims": ["true"],
            "evidence": ["true"],
            "rulings": ["false"],
            "forecasts": [],
            "retractions": ["false", "false"],
        }

    def test_read_csv_does_not_bring_back_a_retracted_claim_live(self) -> None:
        """Alone, a row marked retracted is skipped and listed, not imported live."""
        tracker = desk()
        tracker.retract("c1", reason="misquoted")
        copy = ct.Tracker()
        read_csv(copy, csv_of(tracker, "speakers"), "speakers")
        report = read_csv(copy, csv_of(tracker, "claims"), "claims")
        assert (copy.claims(include_retracted=True), [s.path for s in report.skipped]) == (
            (),
            ["claims.csv:2"],
        )

    def test_all_files_come_back_equal(self, tmp_path: Path) -> None:
        """write_csv_all then read_csv_all: the same records, retractions included."""
        tracker = desk()
        tracker.add_evidence("c1", "Seen.", id="e1", stance="supports", observed_on="2025-02-19")
        tracker.retract("e1", reason="misread")
        counts = write_csv_all(tracker, tmp_path / "out")
        copy = ct.Tracker()
        report = read_csv_all(copy, tmp_path / "out")
        assert (counts, report.counts, sorted(copy.records(), key=lambda r: r.id)) == (
            {
                "speakers": 2,
                "claims": 1,
                "evidence": 1,
                "rulings": 0,
                "forecasts": 0,
                "retractions": 1,
            },
            {"speaker": 2, "claim": 1, "evidence": 1, "retraction": 1},
            sorted(tracker.records(), key=lambda r: r.id),
        )

    def test_read_csv_all_is_all_or_nothing(self, tmp_path: Path) -> None:
        """One bad row in any file: nothing from any file is added."""
        tracker = desk()
        write_csv_all(tracker, tmp_path)
        path = tmp_path / "claims.csv"
        path.write_text(path.read_text("utf-8").replace("2025-02-18,", "Smarch 31,", 1), "utf-8")
        copy = ct.Tracker()
        with pytest.raises(ExceptionGroup) as info:
            read_csv_all(copy, tmp_path)
        assert (problems(info), len(copy)) == (
            ["claims.csv:2: stated_on: 'Smarch 31' is not a date"],
            0,
        )

    def test_not_a_directory(self, tmp_path: Path) -> None:
        """A missing directory, or one without the files, is refused."""
        with pytest.raises(ExceptionGroup):
            read_csv_all(ct.Tracker(), tmp_path / "missing")
        with pytest.raises(ExceptionGroup):
            read_csv_all(ct.Tracker(), tmp_path)


class TestSkipAndLines:
    def test_skip_imports_good_rows_and_lists_bad_ones(self) -> None:
        """on_error='skip': each row all or nothing, bad rows listed with file and line."""
        tracker = desk()
        sheet = (
            "speaker_id,text,stated_on\n"
            "lavrov,Good one.,2025-02-18\n"
            "lavrov,Bad date.,Smarch 31\n"
            "nobody,Unknown speaker.,2025-02-18\n"
            "trump,Good two.,2025-02-19\n"
        )
        report = read_csv(tracker, sheet, "claims", on_error="skip")
        assert (
            [r.text for r in report.records],  # type: ignore[attr-defined]
            [(s.path, s.reason) for s in report.skipped],
        ) == (
            ["Good one.", "Good two."],
            [
                ("claims.csv:3", "stated_on: 'Smarch 31' is not a date"),
                ("claims.csv:4", "speaker_id: no speaker with id 'nobody'"),
            ],
        )

    def test_error_while_adding_names_file_and_line(self) -> None:
        """A record the tracker refuses (a speaker retracted) is named by file and line."""
        tracker = desk()
        sheet = "id,target_id,reason\nx1,c1,fine\nx2,lavrov,speakers cannot be retracted\n"
        with pytest.raises(ExceptionGroup) as info:
            read_csv(tracker, sheet, "retractions", name="retractions.csv")
        ((error,),) = [info.value.exceptions]
        assert (error.path, "speakers cannot be retracted" in error.reason, len(tracker)) == (  # type: ignore[attr-defined]
            "retractions.csv:3",
            True,
            3,
        )

    def test_error_while_adding_is_skipped_in_skip_mode(self) -> None:
        """In skip mode the refused record is listed with its line; the rest come in."""
        tracker = desk()
        sheet = "id,target_id,reason\nx1,c1,fine\nx2,lavrov,speakers cannot be retracted\n"
        report = read_csv(tracker, sheet, "retractions", name="r.csv", on_error="skip")
        assert ([r.id for r in report.records], [s.path for s in report.skipped]) == (
            ["x1"],
            ["r.csv:3"],
        )


class TestDateOrder:
    def test_ambiguous_cell_names_the_row_and_the_accepted_forms(self) -> None:
        """A cell like 02/03/2025 is refused with the reason, not just "not a date"."""
        with pytest.raises(ExceptionGroup) as info:
            read_csv(desk(), "speaker_id,text,stated_on\ntrump,Talks.,02/03/2025\n", "claims")
        (problem,) = problems(info)
        assert problem.startswith("claims.csv:2: stated_on: '02/03/2025' is ambiguous")
        assert "date_order='DMY'" in problem

    @pytest.mark.parametrize(
        ("order", "day"), [("DMY", dt.date(2025, 1, 2)), ("MDY", dt.date(2025, 2, 1))]
    )
    def test_the_trackers_order_reads_numeric_cells(self, order: str, day: dt.date) -> None:
        """A tracker made with date_order reads the sheet's numeric dates in that order."""
        tracker = ct.Tracker(clock=lambda: NOON + dt.timedelta(days=60), date_order=order)  # type: ignore[arg-type]
        tracker.add_speaker("Donald Trump", id="trump")
        report = read_csv(tracker, "speaker_id,text,stated_on\ntrump,Talks.,02/01/2025\n", "claims")
        assert isinstance(report.records[0], ct.Claim)
        assert day == report.records[0].stated_on.start
