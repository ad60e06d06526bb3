"""The one record <-> plain data mapping: round trips, strictness, golden files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import _codec, stores
from claimtrack._codec import (
    FORMAT_VERSION,
    MAX_LINE_BYTES,
    dumps,
    from_dict,
    loads,
    loads_many,
    to_dict,
)
from claimtrack.errors import CorruptStoreError, SchemaVersionError
from claimtrack.stores import _rows
from claimtrack.stores._rows import (
    CLAIM_COLUMNS,
    COLUMNS,
    EVIDENCE_COLUMNS,
    from_claim_rows,
    from_evidence_rows,
    from_row,
    from_rows,
    to_row,
)
from claimtrack.strategies import ledgers

T0 = dt.datetime(2025, 2, 18, 9, 30, tzinfo=dt.UTC)


def golden_ledger() -> list[ct.Record]:
    """Every record type and every field shape, with fixed recorded_at stamps."""
    article = ct.Source(
        title="U.S.-Russia Talks in Riyadh: A New Chapter in Diplomacy?",
        publisher="JadeTimes",
        author="Iruni Kalupahana",
        published="2025-02-18",
        url="https://example.org/riyadh",
        reliability=0.8,
    )
    at = [T0 + dt.timedelta(minutes=i, microseconds=i) for i in range(9)]
    return [
        ct.Speaker(
            "trump",
            "Donald Trump",
            roles=[ct.Role("President of the United States", start="2025-01-20")],
            same_as=["https://www.wikidata.org/wiki/Q22686"],
            recorded_at=at[0],
        ),
        ct.Speaker("russia", "Government of Russia", organization=True, recorded_at=at[1]),
        ct.Claim(
            "trump-ukraine-involved",
            "trump",
            "Ukraine will be involved in the peace negotiations.",
            quote="will be involved",
            kind=ct.ClaimKind.ASSURANCE,
            stated_on="2025-02-18",
            source=article,
            due="2025-12",
            topics={"ukraine", "peace-talks"},
            confidence=0.9,
            recorded_at=at[2],
        ),
        ct.Claim(
            "russia-no-withdrawal",
            "russia",
            "Russia will not withdraw from the territories it annexed in 2022.",
            kind="commitment",
            stated_on="2025",
            recorded_at=at[3],
        ),
        ct.Evidence(
            "e1",
            "trump-ukraine-involved",
            "Ukraine was not invited to the Riyadh meeting — «not a party».\nSecond line.",
            stance="refutes",
            strength="moderate",
            observed_on="2025-02-18",
            source=article,
            recorded_at=at[4],
        ),
        ct.Evidence(
            "e2",
            "trump-ukraine-involved",
            "US and Ukrainian delegations met in Jeddah.",
            stance="supports",
            strength="strong",
            observed_on="2025-03",
            recorded_at=at[5],
        ),
        ct.Ruling(
            "r1",
            "trump-ukraine-involved",
            "partly_held",
            on="2025-03-11",
            rationale="Involved later, not in Riyadh.",
            by="desk",
            recorded_at=at[6],
        ),
        ct.Retraction("x1", "e2", reason="misdated", recorded_at=at[7]),
        ct.Forecast(
            "f1",
            "trump-ukraine-involved",
            "russia",
            0.25,
            made_on="2025-02-20",
            source=article,
            recorded_at=at[8],
        ),
    ]


GOLDEN = Path(__file__).parent / "golden"


class TestGolden:
    def test_jsonl_text_is_byte_for_byte_the_golden_file(self) -> None:
        """The stored JSON Lines form of the fixed ledger has not changed."""
        expected = (GOLDEN / "ledger.jsonl").read_bytes()
        actual = "".join(dumps(r) + "\n" for r in golden_ledger()).encode("utf-8")
        assert expected == actual

    def test_dicts_are_the_golden_file(self) -> None:
        """The codec dicts of the fixed ledger have not changed (keys, order, values)."""
        expected = (GOLDEN / "ledger-dicts.json").read_text(encoding="utf-8")
        dicts = [to_dict(r) for r in golden_ledger()]
        actual = json.dumps(dicts, indent=1, ensure_ascii=False) + "\n"
        assert expected == actual

    def test_golden_file_reads_back_to_the_ledger(self) -> None:
        """Reading the golden file gives the fixed ledger, record for record."""
        lines = (GOLDEN / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
        assert golden_ledger() == [loads(line) for line in lines]
        assert golden_ledger() == loads_many(lines)

    def test_jsonl_store_writes_the_golden_file(self, tmp_path: Path) -> None:
        """A JSON Lines ledger of single appends is exactly the golden text."""
        path = tmp_path / "ledger.jsonl"
        with ct.open(path) as tracker:
            for record in golden_ledger():
                tracker.add(record)
        assert (GOLDEN / "ledger.jsonl").read_bytes() == path.read_bytes()

    def test_sqlite_v1_store_holds_the_golden_text(self, tmp_path: Path) -> None:
        """The data column of a schema version 1 ledger holds exactly the golden lines."""
        path = tmp_path / "ledger.db"
        v1_file(path)
        with ct.open(path) as tracker:
            tracker.add_many(golden_ledger())
        with sqlite3.connect(path) as conn:
            rows = [r[0] for r in conn.execute("SELECT data FROM records ORDER BY seq")]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        expected = (GOLDEN / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
        assert (expected, 1) == (rows, version)

    def test_sqlite_store_holds_the_golden_rows(self, tmp_path: Path) -> None:
        """A new SQLite ledger holds exactly the golden rows, one column per field."""
        path = tmp_path / "ledger.db"
        with ct.open(path) as tracker:
            tracker.add_many(golden_ledger())
        assert golden_rows() == table(path)
        assert expected_claim_keys() == claim_keys(path)

    def test_upgrade_gives_the_golden_rows(self, tmp_path: Path) -> None:
        """A version 1 ledger upgraded to the newest version holds the golden rows."""
        path = tmp_path / "ledger.db"
        v1_file(path)
        with ct.open(path) as tracker:
            tracker.add_many(golden_ledger())
        with stores.SQLiteStore(path) as store:
            assert (1, 1) == (store.schema_version, store.upgrade())
            assert stores.SCHEMA_VERSION == store.schema_version
        assert golden_rows() == table(path)
        assert expected_claim_keys() == claim_keys(path)
        with ct.open(path) as tracker:
            assert golden_ledger() == list(tracker.records())

    def test_rows_are_the_dicts(self) -> None:
        """Every column of a row is the dict's value, or its JSON text, or NULL."""
        for record in golden_ledger():
            data = to_dict(record)
            row = dict(zip(("type", "version", *COLUMNS), to_row(record), strict=True))
            for key, value in row.items():
                stored = data.get(key)
                if key != "version" and stored is not None and not isinstance(stored, str):
                    stored = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
                assert stored == value


V1_SCHEMA = (
    "CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL, data TEXT NOT NULL)"
)


def v1_file(path: Path) -> None:
    """An empty ledger of schema version 1 (the layout of claimtrack before 0.1.0's v2)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(V1_SCHEMA)
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def table(path: Path) -> list[list[Any]]:
    """Every row of the records table, in order, as JSON-ready lists (the v2 columns).

    Schema version 3 adds ``claim_key`` (checked by ``claim_keys``), not part of the
    golden rows of a record.
    """
    columns = ", ".join(f'"{name}"' for name in ("seq", "id", "type", "version", *COLUMNS[1:]))
    with sqlite3.connect(path) as conn:
        rows = [list(r) for r in conn.execute(f"SELECT {columns} FROM records ORDER BY seq")]
    conn.close()
    return rows


def claim_keys(path: Path) -> list[tuple[str, str | None]]:
    """The id and claim_key of every row, in order."""
    with sqlite3.connect(path) as conn:
        rows = list(conn.execute("SELECT id, claim_key FROM records ORDER BY seq"))
    conn.close()
    return rows


def expected_claim_keys() -> list[tuple[str, str | None]]:
    """What claim_key each golden record bears (the claim it is about)."""
    keys: dict[str, str | None] = {}
    for record in golden_ledger():
        if isinstance(record, ct.Claim):
            keys[record.id] = record.id
        elif isinstance(record, ct.Retraction):
            keys[record.id] = keys[record.target_id]
        else:
            keys[record.id] = getattr(record, "claim_id", None)
    return list(keys.items())


def golden_rows() -> list[list[Any]]:
    with (GOLDEN / "ledger-v2-rows.json").open(encoding="utf-8") as f:
        rows: list[list[Any]] = json.load(f)
    return rows


class TestRoundTrip:
    @given(ledgers())
    @settings(max_examples=30)  # generating ledgers is slow; each has many records
    def test_every_record_round_trips(self, records: list[ct.Record]) -> None:
        """from_dict(to_dict(r)) == r and loads(dumps(r)) == r for any record."""
        for record in records:
            assert record == from_dict(to_dict(record))
            assert record == loads(dumps(record))
        assert records == loads_many([dumps(r) for r in records])

    @given(ledgers())
    @settings(max_examples=30)
    def test_to_dict_is_plain_json(self, records: list[ct.Record]) -> None:
        """to_dict gives only JSON types, with type and version first."""
        for record in records:
            data = to_dict(record)
            assert ["type", "version"] == list(data)[:2]
            assert data == json.loads(json.dumps(data, allow_nan=False))

    @given(
        st.datetimes(
            timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
            min_value=dt.datetime(1, 1, 2),
            max_value=dt.datetime(9999, 12, 30),
        )
    )
    def test_recorded_at_is_iso_8601_in_utc(self, when: dt.datetime) -> None:
        """Any aware time is stored as isoformat() gives it in UTC, with Z, and read back."""
        utc = when.astimezone(dt.UTC)
        text = _codec._unstructure_datetime(when)
        assert utc.isoformat(timespec="microseconds").replace("+00:00", "Z") == text
        assert utc == _codec._datetime(text, None)

    @given(st.lists(st.integers(-1_500_000, 1_500_000), max_size=30))
    def test_bulk_rows_keep_each_recorded_at(self, steps: list[int]) -> None:
        """The rows of a bulk insert hold each record's own time, whatever came before it."""
        times = itertools.accumulate(
            (dt.timedelta(microseconds=n) for n in steps), initial=T0.replace(microsecond=999_998)
        )
        records = [
            ct.Evidence(f"e{i}", "c", "Seen.", stance="supports", observed_on="2025-03-01",
                        recorded_at=when)
            for i, when in enumerate(times)
        ]  # fmt: skip
        assert [_rows._values_of_dict(r) for r in records] == list(_rows.to_values_many(records))

    def test_public_functions_are_the_codec(self) -> None:
        """claimtrack.stores.to_dict / from_dict give and read the stored form."""
        for record in golden_ledger():
            assert to_dict(record) == stores.to_dict(record)
            assert record == stores.from_dict(stores.to_dict(record))

    def test_to_dict_refuses_what_is_not_a_record(self) -> None:
        """to_dict of a non-record is a TypeError."""
        with pytest.raises(TypeError, match="not a claimtrack record"):
            to_dict("trump")  # type: ignore[arg-type]


def _evidence_dict() -> dict[str, Any]:
    return to_dict(golden_ledger()[5])


class TestStrict:
    def test_unknown_type(self) -> None:
        """An unknown type tag is a CorruptStoreError naming it and the place."""
        data = {**_evidence_dict(), "type": "opinion"}
        with pytest.raises(CorruptStoreError, match="unknown record type 'opinion'") as info:
            from_dict(data, path="x.jsonl", line=3)
        assert ("x.jsonl", 3) == (info.value.path, info.value.line)

    def test_newer_version(self) -> None:
        """A newer format version is a SchemaVersionError naming both versions."""
        data = {**_evidence_dict(), "version": FORMAT_VERSION + 1}
        with pytest.raises(SchemaVersionError) as info:
            from_dict(data, path="x.jsonl", line=3)
        assert (FORMAT_VERSION + 1, FORMAT_VERSION, 3) == (
            info.value.found,
            info.value.supported,
            info.value.line,
        )

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"version": "1"}, "bad format version"),
            ({"version": 0}, "bad format version"),
            ({"text": 5}, "expected a string"),
            ({"text": "   "}, "must not be empty"),
            ({"text": "a\x00b"}, "NUL"),
            ({"text": "a\ud800b"}, "lone surrogate"),
            ({"stance": "maybe"}, "expected one of"),
            ({"observed_on": "18 Feb 2025"}, "expected an ISO date"),
            ({"observed_on": "2025-02-30"}, "expected an ISO date"),
            ({"recorded_at": "2025-02-18T09:35:00+01:00"}, "ISO 8601 UTC"),
            ({"recorded_at": 1739871300}, "ISO 8601 UTC"),
            (
                {
                    "source": {
                        "title": None,
                        "publisher": None,
                        "author": None,
                        "published": None,
                        "url": None,
                        "reliability": 1.0,
                    }
                },
                "must have a title",
            ),
            ({"source": "JadeTimes"}, "expected an object"),
            ({"extra": 1}, "unknown field"),
        ],
    )
    def test_bad_field(self, change: dict[str, Any], message: str) -> None:
        """A malformed or refused field is a CorruptStoreError saying what is wrong."""
        data = {**_evidence_dict(), **change}
        with pytest.raises(CorruptStoreError, match=message):
            from_dict(data)
        with pytest.raises(CorruptStoreError, match=message):
            loads_many([json.dumps(data)])

    def test_missing_field(self) -> None:
        """A missing field is a CorruptStoreError naming the field."""
        data = _evidence_dict()
        del data["stance"]
        with pytest.raises(CorruptStoreError, match="missing field 'stance'"):
            from_dict(data)

    @pytest.mark.parametrize("value", [10**400, -(10**400), "0.5", True])
    def test_number_out_of_float_range(self, value: Any) -> None:
        """A confidence that is no float (even an int too large for one) is refused."""
        claim = next(r for r in golden_ledger() if isinstance(r, ct.Claim))
        data = {**to_dict(claim), "confidence": value}
        with pytest.raises(CorruptStoreError, match="expected a number"):
            from_dict(data)

    def test_organization_must_be_a_boolean(self) -> None:
        """'false' as a string is refused, not read as True."""
        data = {**to_dict(golden_ledger()[0]), "organization": "false"}
        with pytest.raises(CorruptStoreError, match="true or false"):
            from_dict(data)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('{"type":"speaker","type":"speaker"}', "duplicate key 'type'"),
            ("[1, 2]", "must be a JSON object"),
            ('{"type": NaN}', "NaN is not allowed"),
            ("{" * 100_000, "not valid JSON"),
            ('{"type":"spea', "not valid JSON"),
            ("", "not valid JSON"),
        ],
    )
    def test_bad_json(self, text: str, message: str) -> None:
        """Duplicate keys, NaN, deep nesting and broken JSON are refused."""
        with pytest.raises(CorruptStoreError, match=message):
            loads(text, path="x.jsonl", line=1)
        with pytest.raises(CorruptStoreError, match=message):
            loads_many([text])

    def test_duplicate_key_in_plain_evidence(self) -> None:
        """The fast path does not hide a duplicate key: the last value does not win."""
        text = dumps(golden_ledger()[5]).replace('"stance":', '"stance":"refutes","stance":')
        with pytest.raises(CorruptStoreError, match="duplicate key 'stance'"):
            loads_many([text])

    def test_too_long(self) -> None:
        """A record text over the size cap is refused before parsing."""
        text = " " * (MAX_LINE_BYTES + 1)
        with pytest.raises(CorruptStoreError, match="longer than"):
            loads(text)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.sampled_from(
        [
            "",
            " e9",
            "e9 ",
            "a\ud800",
            "a\x00",
            "a\x7f",
            "2025-02",
            "supports",
            "2025-02-18T09:35:00.000005Z",
            "x\u2028",
            "\u00a0x",
        ]
    ),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.none(), max_size=2),
)


_ROW_JUNK = st.one_of(
    _JUNK.filter(lambda v: not isinstance(v, list | dict | bool)),
    st.binary(max_size=3),
    st.sampled_from(["{", "[1]", '{"title":"T"}', "null", "true", "1e400"]),
)


_CLAIM_COLUMNS = [a.name for a in ct.Claim.__attrs_attrs__]
_CLAIM_JUNK = st.one_of(
    _ROW_JUNK,
    st.sampled_from(
        [
            '["ukraine"]', '["Ukraine"]', '[" a"]', '["a","a"]', "[1]", "[]", '["a\\u0000"]',
            "0.5", "1", "0", "1.5", "-0.0", "true", '"0.5"', "1e400", "NaN", "10000000000000000",
            "stated", "wording", "guessed", "2019", "2025-02-18", "2025-12", '{"title":"T"}',
            '{"title":"T","title":"U"}', "assurance",
        ]
    ),
)  # fmt: skip


class TestFastPath:
    @given(ledgers(), st.data())
    @settings(max_examples=60)
    def test_row_fast_path_agrees_with_the_full_path(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """On any row, whole or with a column damaged, both row paths agree."""
        for record in records:
            row = list(to_row(record))
            if data.draw(st.booleans()):
                row[data.draw(st.integers(0, len(row) - 1))] = data.draw(_ROW_JUNK)
            try:
                expected: Any = from_row(row, path="x.db", line=7)
            except (CorruptStoreError, SchemaVersionError) as exc:
                expected = (type(exc), str(exc))
            try:
                (actual,) = from_rows([(7, *row)], path="x.db")
            except (CorruptStoreError, SchemaVersionError) as exc:
                actual = (type(exc), str(exc))
            assert expected == actual

    @given(ledgers())
    @settings(max_examples=60)
    def test_evidence_rows_are_the_rows_of_the_dicts(self, records: list[ct.Record]) -> None:
        """The fast evidence row is exactly the row made from the record's dict."""
        for record in records:
            if isinstance(record, ct.Evidence):
                assert _rows._values_of_dict(record) == _rows.to_values(record)
        assert [_rows._values_of_dict(r) for r in records] == list(_rows.to_values_many(records))

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("stance", "sideways", "expected one of"),
            ("stance", 3, "expected one of"),
            ("observed_on", "2025-13-01", "ISO date"),
            ("observed_on", 20250218, "ISO date"),
            ("text", b"bytes", "expected a string"),
            ("source", "{", "column source is not valid JSON"),
            ("source", '{"title":"T","title":"U"}', "duplicate key"),
            ("name", "Donald", "unknown field"),
            ("recorded_at", "yesterday", "ISO 8601"),
        ],
    )
    def test_damaged_row(self, column: str, value: Any, message: str) -> None:
        """A damaged column is a CorruptStoreError naming the file and row, on both paths."""
        evidence = ct.Evidence(
            "e1", "c", "Seen.", stance="supports", observed_on="2025-02-18",
            source=ct.Source(title="T"), recorded_at=T0,
        )  # fmt: skip
        for _ in range(2):  # the second time, the source is known to the fast path
            row = list(to_row(evidence))
            row[2 + COLUMNS.index(column)] = value
            with pytest.raises(CorruptStoreError, match=message) as info:
                from_rows([(9, *row)], path="x.db")
            assert ("x.db", 9) == (info.value.path, info.value.line)
            from_rows([(9, *to_row(evidence))], path="x.db")

    @given(ledgers(), st.data())
    @settings(max_examples=60)
    def test_claim_rows_agree_with_the_full_path(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """On any claim row, whole or with a claim column damaged, both row paths agree."""
        claims = [r for r in records if isinstance(r, ct.Claim)]
        claims.append(ct.Claim("c", "s", "Said.", stated_on="2025-02-18", confidence=0.5))
        for claim in claims:
            row = list(to_row(claim))
            if data.draw(st.booleans()):
                column = data.draw(st.sampled_from(_CLAIM_COLUMNS))
                row[2 + COLUMNS.index(column)] = data.draw(_CLAIM_JUNK)
            try:
                expected: Any = from_row(row, path="x.db", line=7)
            except (CorruptStoreError, SchemaVersionError) as exc:
                expected = (type(exc), str(exc))
            for _ in range(2):  # the second time, topics, confidence and source are known
                for read in (from_rows, _from_split):  # in full, and narrow if it is plain
                    try:
                        (actual,) = read([(7, *row)], path="x.db")
                    except (CorruptStoreError, SchemaVersionError) as exc:
                        actual = (type(exc), str(exc))
                    assert expected == actual

    def test_plain_claim_takes_the_fast_path(self) -> None:
        """A plain claim row is read without the full path, as the same record."""
        claim = ct.Claim(
            "c", "s", "Said.", stated_on="2025-02-18", due="2025-12", topics={"nato", "trade"},
            confidence=0.25, kind="promise", quote="Said it.", recorded_at=T0,
        )  # fmt: skip
        row = (7, *to_row(claim))
        assert claim == _rows._plain_claim(row, _rows.Memo())

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("due", "2024-12", "is before stated_on"),
            ("confidence_basis", "guessed", "must be one of"),
            ("confidence", "1.5", "must lie in"),
            ("confidence", "true", "expected a number"),
            ("confidence", None, "must be None when confidence is None"),
            ("topics", "[1]", "expected a string"),
            ("topics", '["a"', "column topics is not valid JSON"),
            ("kind", "boast", "expected one of"),
            ("stated_on", "2025-02-30", "ISO date"),
            ("stance", "supports", "unknown field"),
        ],
    )
    def test_damaged_claim_row(self, column: str, value: Any, message: str) -> None:
        """A damaged claim column is a CorruptStoreError naming the file and row, on both paths."""
        claim = ct.Claim(
            "c", "s", "Said.", stated_on="2025-02-18", due="2025-12", topics={"nato"},
            confidence=0.25, source=ct.Source(title="T"), recorded_at=T0,
        )  # fmt: skip
        for _ in range(2):  # the second time, the source and values are known
            row = list(to_row(claim))
            row[2 + COLUMNS.index(column)] = value
            for read in (from_rows, _from_split):
                with pytest.raises(CorruptStoreError, match=message) as info:
                    read([(9, *row)], path="x.db")
                assert ("x.db", 9) == (info.value.path, info.value.line)
            from_rows([(9, *to_row(claim))], path="x.db")

    @given(ledgers(), st.data())
    @settings(max_examples=60)
    def test_fast_path_agrees_with_the_full_path(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """On any evidence, whole or with a field damaged, both paths agree."""
        for record in records:
            if not isinstance(record, ct.Evidence):
                continue
            fields = to_dict(record)
            if data.draw(st.booleans()):
                key = data.draw(st.sampled_from(sorted(fields)))
                fields[key] = data.draw(_JUNK)
            text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
            try:
                expected: Any = loads(text)
            except (CorruptStoreError, SchemaVersionError) as exc:
                expected = (type(exc), str(exc))
            try:
                (actual,) = loads_many([text])
            except (CorruptStoreError, SchemaVersionError) as exc:
                actual = (type(exc), str(exc))
            assert expected == actual


def _is_narrow(row: Sequence[Any], kind: str = "evidence") -> bool:
    """Whether the SQLite store reads *row* (``(line, *row)``) narrow (see _sqlite._NARROW)."""
    own = EVIDENCE_COLUMNS if kind == "evidence" else CLAIM_COLUMNS
    others = [3 + i for i, name in enumerate(COLUMNS) if name not in own]
    return row[1] == kind and row[2] == FORMAT_VERSION and all(row[i] is None for i in others)


def _narrow(row: Sequence[Any], kind: str = "evidence") -> tuple[Any, ...]:
    """The narrow row the SQLite store reads for a whole row ``(line, *row)``."""
    own = EVIDENCE_COLUMNS if kind == "evidence" else CLAIM_COLUMNS
    return (row[0], *(row[3 + COLUMNS.index(name)] for name in own))


def _from_split(rows: list[tuple[Any, ...]], *, path: str) -> list[ct.Record]:
    """The records of *rows*, each read narrow or in full as the SQLite store reads it."""
    out: list[ct.Record] = []
    for row in rows:
        if _is_narrow(row):
            out.extend(from_evidence_rows([_narrow(row)], path=path))
        elif _is_narrow(row, "claim"):
            out.extend(from_claim_rows([_narrow(row, "claim")], path=path))
        else:
            out.extend(from_rows([row], path=path))
    return out


class TestEvidenceRows:
    @given(ledgers(), st.data())
    @settings(max_examples=60)
    def test_narrow_rows_read_as_the_full_rows(
        self, records: list[ct.Record], data: st.DataObject
    ) -> None:
        """Evidence rows read narrow give the records (or the error) of the full rows.

        Damage is any value SQLite can hold (None, numbers, text, bytes), in any column.
        """
        rows = [(n, *to_row(record)) for n, record in enumerate(records, 1)]
        if rows and data.draw(st.booleans()):
            n = data.draw(st.integers(0, len(rows) - 1))
            damaged = list(rows[n])
            damaged[data.draw(st.integers(1, len(damaged) - 1))] = data.draw(_ROW_JUNK)
            rows[n] = tuple(damaged)
        try:
            expected: Any = from_rows(rows, path="x.db")
        except (CorruptStoreError, SchemaVersionError) as exc:
            expected = (type(exc), str(exc))
        try:
            actual: Any = _from_split(rows, path="x.db")
        except (CorruptStoreError, SchemaVersionError) as exc:
            actual = (type(exc), str(exc))
        assert expected == actual

    def test_many_narrow_rows_are_read_in_order(self) -> None:
        """A run of narrow rows, plain or not, gives its records in order."""
        plain = ct.Evidence(
            "e1", "c", "Seen.", stance="supports", observed_on="2025-02-18", recorded_at=T0
        )
        month = ct.Evidence(
            "e2", "c", "Seen\tthen.", stance="refutes", observed_on="2025-02", recorded_at=T0
        )  # a tab: not plain, read the full way
        rows = [_narrow((n, *to_row(e))) for n, e in enumerate([plain, month, plain], 1)]
        assert [plain, month, plain] == from_evidence_rows(rows, path="x.db")

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("stance", "sideways", "expected one of"),
            ("observed_on", "2025-13-01", "ISO date"),
            ("recorded_at", "2025-02-18T09:30:00.000000+", "ISO 8601"),
            ("recorded_at", "2025-02-18T25:30:00.000000Z", "ISO 8601"),
            ("text", "a\x00b", "NUL character"),
            ("claim_id", 5, "expected an id string"),
        ],
    )
    def test_damaged_narrow_row(self, column: str, value: Any, message: str) -> None:
        """A damaged value in a narrow row is a CorruptStoreError naming the file and row."""
        evidence = ct.Evidence(
            "e1", "c", "Seen.", stance="supports", observed_on="2025-02-18", recorded_at=T0
        )
        row = list(to_row(evidence))
        row[2 + COLUMNS.index(column)] = value
        with pytest.raises(CorruptStoreError, match=message) as info:
            from_evidence_rows([_narrow((9, *row))], path="x.db")
        assert ("x.db", 9) == (info.value.path, info.value.line)


class TestCodecBugs:
    def test_a_codec_bug_is_not_reported_as_a_damaged_file(self) -> None:
        """An exception that is not about the stored data propagates as it is."""
        from unittest import mock

        data = to_dict(ct.Speaker("trump", "Donald Trump"))
        with (
            mock.patch("claimtrack._model.clean_text", side_effect=TypeError("a bug")),
            pytest.raises(TypeError, match="a bug"),
        ):
            from_dict(data)
        with pytest.raises(CorruptStoreError, match="name"):
            from_dict({**data, "name": ""})  # damage: refused, naming the file's record
