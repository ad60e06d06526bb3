"""Tests for claimtrack.interop.tabular: CSV in and out, DataFrames."""

from __future__ import annotations

import builtins
import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import claimtrack as ct
from claimtrack.errors import ImportFormatError, InvalidRecordError
from claimtrack.interop import ImportLimits, Skipped
from claimtrack.interop.tabular import columns, read_csv, to_frame, write_csv
from claimtrack.strategies import ledgers

NOON = dt.datetime(2025, 2, 18, 12, tzinfo=dt.UTC)
KINDS = ["speakers", "claims", "evidence", "rulings", "forecasts", "retractions"]


def problems(info: pytest.ExceptionInfo[ExceptionGroup[Any]]) -> list[str]:
    """The text of every ImportFormatError in a raised group."""
    assert all(isinstance(e, ImportFormatError) for e in info.value.exceptions)
    return [str(e) for e in info.value.exceptions]


def desk() -> ct.Tracker:
    """A tracker with Lavrov and Trump, and one claim."""
    tracker = ct.Tracker(clock=lambda: NOON)
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
        )

    @given(ledger=ledgers())
    @settings(max_examples=20)
    def test_columns_are_the_codecs_keys(self, ledger: list[ct.Record]) -> None:
        """Each kind's columns are its codec dict's keys, in order, source spread out."""
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
            assert tuple(keys) == columns(kind)

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
            'JadeTimes,,,,0.5,,"[""peace-talks"", ""ukraine""]",,,2025-02-18T12:00:00.000000Z'
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
        """Any ledger, written kind by kind and read back in order, is the same records."""
        original = ct.Tracker()
        original.add_many(ledger)
        copy = ct.Tracker()
        for kind in KINDS:
            read_csv(copy, csv_of(original, kind), kind)
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
