"""The stores: nothing lost, nothing half-written, damage reported with the file untouched."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import claimtrack as ct
from claimtrack._codec import dumps
from claimtrack._model import KIND_NAMES
from claimtrack.errors import (
    ClaimtrackError,
    CorruptStoreError,
    DuplicateRecordError,
    InvalidRecordError,
    SchemaVersionError,
    StoreError,
    StoreWarning,
)
from claimtrack.stores import (
    SCHEMA_VERSION,
    JSONLinesStore,
    MemoryStore,
    SQLiteStore,
    Store,
    _sqlite,
    open_store,
    repair,
)
from claimtrack.strategies import ledgers

SUFFIXES = [".db", ".jsonl"]
T0 = dt.datetime(2025, 2, 18, tzinfo=dt.UTC)


def _speakers(prefix: str, n: int) -> list[ct.Record]:
    return [
        ct.Speaker(f"{prefix}{i}", f"Speaker {i}", recorded_at=T0 + dt.timedelta(seconds=i))
        for i in range(n)
    ]


def _jsonl(tmp_path: Path, *lines: str, end: str = "\n") -> Path:
    path = tmp_path / "ledger.jsonl"
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


def _read_all(path: Path) -> list[ct.Record]:
    """Open a ledger and read every record (a file of schema 3 reads rows when asked)."""
    with ct.open(path) as tracker:
        return list(tracker.records())


def _v1_file(path: Path, records: list[ct.Record]) -> None:
    """A ledger of schema version 1 (one JSON object per row) holding *records*."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as claimtrack made them
    conn.execute(
        "CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
        " type TEXT NOT NULL, data TEXT NOT NULL)"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.executemany(
        "INSERT INTO records (id, type, data) VALUES (?, ?, ?)",
        [(r.id, KIND_NAMES[type(r)], dumps(r)) for r in records],
    )
    conn.close()


def _lines(records: list[ct.Record]) -> list[str]:
    return [dumps(r) for r in records]


class TestProtocol:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_file_stores_are_stores(self, tmp_path: Path, suffix: str) -> None:
        """Every store satisfies the Store protocol."""
        store = open_store(tmp_path / f"x{suffix}")
        assert isinstance(store, Store)
        store.close()
        assert isinstance(MemoryStore(), Store)

    @given(records=ledgers())
    @settings(max_examples=25)
    def test_forecasts_answer_as_the_list_does(self, records: list[ct.Record]) -> None:
        """forecasts() by speaker, by claim, both or neither, and claim_records: as the list."""
        forecasts = [r for r in records if isinstance(r, ct.Forecast)]
        with tempfile.TemporaryDirectory() as folder:
            stores: list[Any] = [open_store(Path(folder) / f"x{s}") for s in SUFFIXES]
            stores.append(MemoryStore())
            for store in stores:
                store.append(records)
                assert list(store.forecasts()) == forecasts
                assert store.counts()["forecast"] == len(forecasts)
                for f in forecasts[:3]:
                    assert list(store.forecasts(speaker_id=f.speaker_id)) == [
                        g for g in forecasts if g.speaker_id == f.speaker_id
                    ]
                    assert list(store.forecasts(claim_id=f.claim_id)) == [
                        g for g in forecasts if g.claim_id == f.claim_id
                    ]
                    both = store.forecasts(claim_id=f.claim_id, speaker_id=f.speaker_id)
                    assert list(both) == [
                        g
                        for g in forecasts
                        if g.claim_id == f.claim_id and g.speaker_id == f.speaker_id
                    ]
                    assert store.claim_records(f.claim_id).forecasts == tuple(
                        g for g in forecasts if g.claim_id == f.claim_id
                    )
                store.close()


class TestOpen:
    @pytest.mark.parametrize(
        ("name", "cls"),
        [
            ("x.db", SQLiteStore),
            ("x.sqlite", SQLiteStore),
            ("x.SQLITE3", SQLiteStore),
            ("x.jsonl", JSONLinesStore),
        ],
    )
    def test_suffix_chooses_the_store(self, tmp_path: Path, name: str, cls: type) -> None:
        """ct.open picks the store by the file's suffix."""
        with ct.open(tmp_path / name) as tracker:
            assert cls is type(tracker.store)

    def test_unknown_suffix_lists_the_known_ones(self, tmp_path: Path) -> None:
        """Another suffix is an error listing the suffixes claimtrack knows; no file made."""
        with pytest.raises(InvalidRecordError, match=r"\.db, \.sqlite, \.sqlite3, \.jsonl"):
            ct.open(tmp_path / "x.json")
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_context_manager_closes(self, tmp_path: Path, suffix: str) -> None:
        """Leaving the with-block closes the store; the records stay in the file."""
        with ct.open(tmp_path / f"x{suffix}") as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
        with ct.open(tmp_path / f"x{suffix}") as again:
            assert ["trump"] == [r.id for r in again.records()]


class TestRoundTrip:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    @given(records=ledgers())
    @settings(max_examples=25)  # each example writes files with fsync
    def test_any_ledger_reopens_equal(self, suffix: str, records: list[ct.Record]) -> None:
        """Any ledger written to a file store and reopened gives equal records, in order."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"ledger{suffix}"
            with ct.open(path) as writer:
                half = len(records) // 2
                writer.add_many(records[:half])
                for record in records[half:]:
                    writer.add(record)
                written = list(writer.records())
            with ct.open(path) as reader:
                assert written == list(reader.records())
                assert records == list(reader.records())

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_recorded_at_is_kept_exactly(self, tmp_path: Path, suffix: str) -> None:
        """The stamp the writer gave (to the microsecond, in UTC) comes back."""
        when = dt.datetime(2025, 2, 18, 9, 30, 1, 123456, tzinfo=dt.UTC)
        with ct.open(tmp_path / f"x{suffix}", clock=lambda: when) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
        with ct.open(tmp_path / f"x{suffix}") as again:
            assert when == again.speaker("trump").recorded_at


class TestFailingCallsChangeNothing:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_refused_records_leave_the_file_as_it_was(self, tmp_path: Path, suffix: str) -> None:
        """A call that raises leaves no byte of it on disk, and the tracker as it was."""
        path = tmp_path / f"x{suffix}"
        with ct.open(path) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            before = path.read_bytes()
            with pytest.raises(DuplicateRecordError):
                tracker.add_speaker("Someone", id="trump")
            with pytest.raises(InvalidRecordError):
                tracker.add_speaker("Lone \ud800 surrogate")
            with pytest.raises(ClaimtrackError):
                tracker.add_many(
                    [*_speakers("ok", 3), ct.Claim("c", "nobody", "x", stated_on="2025")]
                )
            assert before == path.read_bytes()
            assert 1 == len(tracker)

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_lone_surrogate_never_reaches_the_file(self, tmp_path: Path, suffix: str) -> None:
        """A record smuggling a lone surrogate past validation is refused by the store."""
        forged = ct.Speaker("x", "fine", recorded_at=T0)
        object.__setattr__(forged, "name", "bad \ud800")
        store = open_store(tmp_path / f"x{suffix}")
        before = Path(store.path).read_bytes()
        with pytest.raises(InvalidRecordError, match="lone surrogate"):
            store.append([forged])
        assert before == Path(store.path).read_bytes()
        assert [] == list(store.load())
        store.close()


class TestConcurrentTrackers:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_refresh_reads_what_another_writer_added(self, tmp_path: Path, suffix: str) -> None:
        """refresh() tells, once, in order, what other writers added since the last call."""
        path = tmp_path / f"x{suffix}"
        with ct.open(path) as a, ct.open(path) as b:
            a.add_speaker("Donald Trump", id="trump")
            b.add_many(_speakers("s", 3))
            assert ["s0", "s1", "s2"] == [r.id for r in a.refresh()]
            assert ["trump", "s0", "s1", "s2"] == [r.id for r in a.records()]
            assert () == a.refresh()
            b.add_many(_speakers("t", 2))
            assert "t0" in a  # every call sees what is committed (issue 12)
            assert () == a.refresh()  # ... and that call took it in
            assert list(a.records()) == list(b.records())

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_append_picks_up_other_writers_first(self, tmp_path: Path, suffix: str) -> None:
        """An append applies records others added before it, keeping the file's order."""
        path = tmp_path / f"x{suffix}"
        with ct.open(path) as a, ct.open(path) as b:
            a.add_speaker("A", id="a")
            b.add_speaker("B", id="b")
            a.add_speaker("C", id="c")
            assert ["a", "b", "c"] == [r.id for r in a.records()]
            with ct.open(path) as reader:
                assert list(a.records()) == list(reader.records())

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_duplicate_id_race_is_an_error(self, tmp_path: Path, suffix: str) -> None:
        """Two writers adding the same id: the second gets DuplicateRecordError."""
        path = tmp_path / f"x{suffix}"
        with ct.open(path) as a, ct.open(path) as b:
            a.add_speaker("Donald Trump", id="trump")
            with pytest.raises(DuplicateRecordError, match="'trump'"):
                b.add_speaker("Someone else", id="trump")
            with pytest.raises(DuplicateRecordError, match="'trump'"):
                b.add_many([*_speakers("s", 2), ct.Speaker("trump", "Again")])
        with ct.open(path) as reader:
            assert ["trump"] == [r.id for r in reader.records()]
            assert "Donald Trump" == reader.speaker("trump").name


_CHILD = textwrap.dedent(
    """
    import sys
    import claimtrack as ct
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with ct.open(path) as tracker:
        i = 0
        while count < 0 or i < count:
            if i % 3 == 2:
                ids = [f"{prefix}{i}-{k}" for k in range(3)]
                tracker.add_many([ct.Speaker(x, "Batch " + x) for x in ids])
            else:
                ids = [tracker.add_speaker("Single", id=f"{prefix}{i}").id]
            print(" ".join(ids), flush=True)
            i += 1
    """
)


def _child(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), prefix, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


class TestCrash:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_sigkill_loses_no_acknowledged_write(self, tmp_path: Path, suffix: str) -> None:
        """Every id a killed writer printed after a call returned is in the reopened file."""
        path = tmp_path / f"x{suffix}"
        child = _child(path, "k", -1)
        assert child.stdout is not None
        acknowledged: list[str] = []
        while len(acknowledged) < 60:
            acknowledged.extend(child.stdout.readline().split())
        child.send_signal(signal.SIGKILL)
        child.wait()
        acknowledged.extend(child.stdout.read().split())
        child.stdout.close()
        with warnings.catch_warnings():
            # the kill may tear the last, unacknowledged write: that is reported
            warnings.simplefilter("ignore", StoreWarning)
            with ct.open(path) as tracker:
                stored = {r.id for r in tracker.records()}
                batches = [r.id for r in tracker.records() if "-" in r.id]
        assert set(acknowledged) <= stored
        assert 0 == len(batches) % 3  # a batch is there whole or not at all


class TestTwoProcesses:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_concurrent_appends_lose_nothing(self, tmp_path: Path, suffix: str) -> None:
        """Two processes appending to one file both finish, and every record is there."""
        path = tmp_path / f"x{suffix}"
        ct.open(path).close()
        children = [_child(path, prefix, 40) for prefix in ("a", "b")]
        printed: list[str] = []
        for child in children:
            out, _ = child.communicate(timeout=120)
            assert 0 == child.returncode
            printed.extend(out.split())
        with ct.open(path) as tracker:
            stored = [r.id for r in tracker.records()]
        assert 2 * 66 == len(printed)  # per child: 27 single adds, 13 batches of 3
        assert sorted(printed) == sorted(stored)


class TestJSONLinesDamage:
    def test_torn_last_line_is_skipped_with_a_warning(self, tmp_path: Path) -> None:
        """A last line without its newline is reported, skipped, and left in the file."""
        lines = _lines(_speakers("s", 2))
        path = _jsonl(tmp_path, *lines, lines[0][:20].replace("s0", "s9"), end="")
        before = path.read_bytes()
        with pytest.warns(StoreWarning, match=r"ledger\.jsonl:3: skipping an unfinished write"):
            tracker = ct.open(path)
        assert ["s0", "s1"] == [r.id for r in tracker.records()]
        with pytest.raises(StoreError, match="repair"):
            tracker.add_speaker("New", id="new")
        tracker.close()
        assert before == path.read_bytes()

    def test_repair_cuts_off_the_torn_line(self, tmp_path: Path) -> None:
        """repair() removes exactly the unfinished write; then appends work again."""
        lines = _lines(_speakers("s", 2))
        path = _jsonl(tmp_path, *lines, '{"type":"speaker","ver', end="")
        assert len('{"type":"speaker","ver') == repair(path)
        assert ("\n".join(lines) + "\n").encode() == path.read_bytes()
        assert 0 == repair(path)
        with ct.open(path) as tracker:
            tracker.add_speaker("New", id="new")
            assert ["s0", "s1", "new"] == [r.id for r in tracker.records()]

    def test_incomplete_batch_is_torn_whole(self, tmp_path: Path) -> None:
        """A batch cut short at the end of the file is skipped whole, then repaired away."""
        first = _lines(_speakers("s", 1))
        batch = _lines(_speakers("b", 3))
        marker = '{"type":"batch","version":1,"count":3}'
        path = _jsonl(tmp_path, *first, marker, *batch[:2])
        with pytest.warns(StoreWarning), ct.open(path) as tracker:
            assert ["s0"] == [r.id for r in tracker.records()]
        repair(path)
        assert (first[0] + "\n").encode() == path.read_bytes()

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ("not json at all", "not valid JSON"),
            ("", "not valid JSON"),
            ('{"type":"opinion","version":1}', "unknown record type"),
            ('{"type":"batch","version":1,"count":"3"}', "bad batch marker"),
        ],
    )
    def test_bad_line_in_the_middle(self, tmp_path: Path, bad: str, message: str) -> None:
        """A bad line that is not the last is a CorruptStoreError naming it; file untouched."""
        lines = _lines(_speakers("s", 3))
        path = _jsonl(tmp_path, lines[0], bad, lines[1], lines[2])
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=message) as info:
            ct.open(path)
        assert (str(path), 2) == (info.value.path, info.value.line)
        with pytest.raises(CorruptStoreError):
            repair(path)
        assert before == path.read_bytes()

    def test_complete_bad_last_line_is_corrupt_not_torn(self, tmp_path: Path) -> None:
        """A bad last line that does end in a newline was not torn: it is damage."""
        lines = _lines(_speakers("s", 2))
        path = _jsonl(tmp_path, *lines, '{"type":"speaker","ver')
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=":3: not valid JSON"):
            ct.open(path)
        assert before == path.read_bytes()

    def test_newer_record_version(self, tmp_path: Path) -> None:
        """A record of a newer format is a SchemaVersionError naming the line."""
        newer = dumps(_speakers("s", 1)[0]).replace('"version":1', '"version":2')
        path = _jsonl(tmp_path, *_lines(_speakers("t", 1)), newer)
        before = path.read_bytes()
        with pytest.raises(SchemaVersionError, match=r"ledger\.jsonl:2: format version 2"):
            ct.open(path)
        assert before == path.read_bytes()

    def test_duplicate_id_in_the_file(self, tmp_path: Path) -> None:
        """An id that appears twice (a bad merge) is a CorruptStoreError naming the line."""
        lines = _lines(_speakers("s", 2))
        path = _jsonl(tmp_path, lines[0], lines[1], lines[0])
        with pytest.raises(CorruptStoreError, match=r":3: id 's0' appears twice"):
            ct.open(path)


class TestSQLiteDamage:
    def test_not_a_database(self, tmp_path: Path) -> None:
        """A file that is not SQLite is a CorruptStoreError naming it; bytes unchanged."""
        path = tmp_path / "notes.db"
        path.write_text("These are my notes, not a database.\n" * 100)
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match="not a SQLite database") as info:
            ct.open(path)
        assert str(path) == info.value.path
        assert before == path.read_bytes()
        assert ["notes.db"] == [p.name for p in tmp_path.iterdir()]

    def test_another_sqlite_database(self, tmp_path: Path) -> None:
        """A SQLite database that is not a ledger is refused, not added to."""
        path = tmp_path / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE people (name TEXT)")
        conn.commit()
        conn.close()
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match="not a claimtrack ledger"):
            ct.open(path)
        assert before == path.read_bytes()

    def test_newer_schema(self, tmp_path: Path) -> None:
        """A database of a newer schema version is a SchemaVersionError; untouched."""
        path = tmp_path / "x.db"
        ct.open(path).close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        before = path.read_bytes()
        with pytest.raises(SchemaVersionError) as info:
            ct.open(path)
        assert (SCHEMA_VERSION + 1, SCHEMA_VERSION) == (info.value.found, info.value.supported)
        assert before == path.read_bytes()

    def test_bad_row(self, tmp_path: Path) -> None:
        """A row with a damaged column is a CorruptStoreError naming the row; untouched."""
        path = tmp_path / "x.db"
        with ct.open(path) as tracker:
            tracker.add_many(_speakers("s", 3))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE records SET organization = 'NaN' WHERE seq = 2")
        conn.close()
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=r"x\.db:2: .*organization is not valid JSON"):
            _read_all(path)
        assert before == path.read_bytes()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ("stance = 'sideways'", "expected one of"),
            ("observed_on = '2025-02-30'", "ISO date"),
            ("claim_id = 12", "expected an id string"),
            ("name = 'Extra'", "unknown field"),
            ("version = 9", "newer"),
        ],
    )
    def test_bad_evidence_row(self, tmp_path: Path, change: str, message: str) -> None:
        """Damaged evidence in a column is refused, naming the file and row; untouched."""
        path = tmp_path / "x.db"
        with ct.open(path) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
            for _ in range(3):
                tracker.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"UPDATE records SET {change} WHERE seq = 4")
        conn.close()
        before = path.read_bytes()
        with pytest.raises((CorruptStoreError, SchemaVersionError), match=message) as info:
            _read_all(path)
        assert ("x.db:4" in str(info.value), before) == (True, path.read_bytes())

    def test_bad_row_v1(self, tmp_path: Path) -> None:
        """In a version 1 file, a row whose data is not a record names the row."""
        path = tmp_path / "x.db"
        _v1_file(path, _speakers("s", 3))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE records SET data = '{\"type\": NaN}' WHERE seq = 2")
        conn.close()
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=r"x\.db:2: not valid JSON"):
            ct.open(path)
        with SQLiteStore(path) as store, pytest.raises(CorruptStoreError, match=r"x\.db:2"):
            store.upgrade()  # the migration stops at the damaged row, in one transaction
        assert before == path.read_bytes()


class TestSQLiteReading:
    """Plain evidence is read narrow and every other row in full, in one snapshot."""

    @given(records=ledgers(), chunk=st.integers(1, 5))
    @settings(max_examples=25)  # each example writes a file with fsync
    def test_any_ledger_reads_in_order_whatever_the_chunks(
        self, records: list[ct.Record], chunk: int
    ) -> None:
        """Read a few rows at a time, narrow and wide rows interleave in append order."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ledger.db"
            with ct.open(path) as writer:
                writer.add_many(records)
                written = list(writer.records())
            with mock.patch.object(_sqlite, "_CHUNK", chunk), SQLiteStore(path) as store:
                assert written == list(store.load())

    def _ledger(self, path: Path) -> list[ct.Record]:
        # recorded after the last of its dates (1 April 2025)
        with ct.open(path, clock=lambda: T0 + dt.timedelta(days=42)) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")  # seq 1
            tracker.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")  # 2
            for _ in range(3):  # 3, 4, 5
                tracker.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
            tracker.add_claim("trump", "Peace.", id="d", stated_on="2025-02-18")  # 6
            tracker.add_evidence("d", "Seen.", stance="refutes", observed_on="2025-03-01")  # 7
            tracker.rule("d", "failed", on="2025-04-01", id="r")  # 8: wide, last
            return list(tracker.records())

    def test_rows_deleted_by_hand_leave_the_rest_in_order(self, tmp_path: Path) -> None:
        """A gap in seq (rows deleted outside claimtrack) is no damage to the others."""
        path = tmp_path / "x.db"
        records = self._ledger(path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DELETE FROM records WHERE seq IN (4, 6, 7)")
        conn.close()
        with SQLiteStore(path) as store:
            assert [records[i] for i in (0, 1, 2, 4, 7)] == list(store.load())

    def test_evidence_with_another_column_set_is_read_in_full(self, tmp_path: Path) -> None:
        """Evidence among plain evidence with another type's column set is refused, by row."""
        path = tmp_path / "x.db"
        self._ledger(path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE records SET verdict = 'held' WHERE seq = 4")
        conn.close()
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=r"x\.db:4: .*unknown field.*verdict"):
            _read_all(path)
        assert before == path.read_bytes()

    def test_a_read_sees_one_snapshot(self, tmp_path: Path) -> None:
        """Records another writer appends while a read is under way wait for the next read."""
        path = tmp_path / "x.db"
        records = self._ledger(path)
        later = T0 + dt.timedelta(days=42)  # after the dates it records
        with SQLiteStore(path) as reader, ct.open(path, clock=lambda: later) as writer:
            with mock.patch.object(_sqlite, "_CHUNK", 2):
                read = reader.load()
                first = next(read)  # the read transaction has begun
                writer.add_claim("trump", "More talks.", id="e", stated_on="2025-03-01")
                writer.add_evidence("e", "Seen.", stance="supports", observed_on="2025-03-02")
                assert records == [first, *read]
            assert not reader._conn.in_transaction  # the snapshot is let go
            assert ["e", "e-e1"] == [r.id for r in reader.read_new()]
            assert [] == list(reader.read_new())

    def test_an_abandoned_read_lets_go_of_its_snapshot(self, tmp_path: Path) -> None:
        """A read stopped half-way ends its transaction, so the store can append."""
        path = tmp_path / "x.db"
        self._ledger(path)
        with SQLiteStore(path) as store:
            read = store.load()
            next(read)
            read.close()
            assert not store._conn.in_transaction
            store.append([ct.Speaker("lavrov", "Sergey Lavrov", recorded_at=T0)])
        with SQLiteStore(path) as store:
            assert "lavrov" == list(store.load())[-1].id


class TestSQLiteSchemaVersions:
    def test_v1_is_read_and_appended_as_it_is(self, tmp_path: Path) -> None:
        """Opening a version 1 file never rewrites it; appends keep its layout."""
        path = tmp_path / "x.db"
        _v1_file(path, _speakers("s", 3))
        before = path.read_bytes()
        with ct.open(path) as tracker:
            assert 3 == len(tracker)
        assert before == path.read_bytes()
        with ct.open(path) as tracker:
            tracker.add_many(_speakers("t", 2))
        conn = sqlite3.connect(path)
        data = [r[0] for r in conn.execute("SELECT data FROM records ORDER BY seq")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.close()
        assert (_lines(_speakers("s", 3) + _speakers("t", 2)), 1) == (data, version)

    @given(ledgers())
    @settings(max_examples=20)
    def test_upgrade_keeps_every_record(self, records: list[ct.Record]) -> None:
        """A version 1 ledger upgraded to the newest version reopens equal, in the same order."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.db"
            _v1_file(path, records)
            with SQLiteStore(path) as store:
                assert 1 == store.upgrade()
            with ct.open(path) as tracker:
                assert records == list(tracker.records())
            with SQLiteStore(path) as store:
                assert (SCHEMA_VERSION,) * 2 == (store.upgrade(), store.schema_version)

    def test_a_writer_follows_an_upgrade_by_another(self, tmp_path: Path) -> None:
        """A tracker opened on a version 1 file writes version 2 rows after an upgrade."""
        path = tmp_path / "x.db"
        _v1_file(path, _speakers("s", 2))
        with ct.open(path) as tracker:
            with SQLiteStore(path) as other:
                other.upgrade()
                other.append(_speakers("o", 1))
            tracker.add_speaker("Sergey Lavrov", id="lavrov")
            assert ["s0", "s1", "o0", "lavrov"] == [r.id for r in tracker.records()]
        with ct.open(path) as again:
            assert ["s0", "s1", "o0", "lavrov"] == [r.id for r in again.records()]

    def test_schema_is_versioned_and_wal(self, tmp_path: Path) -> None:
        """A new ledger has PRAGMA user_version set and runs in WAL mode."""
        path = tmp_path / "x.db"
        ct.open(path).close()
        conn = sqlite3.connect(path)
        assert SCHEMA_VERSION == conn.execute("PRAGMA user_version").fetchone()[0]
        assert "wal" == conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()

    def test_repair_checks_a_database(self, tmp_path: Path) -> None:
        """repair() on a sound SQLite ledger removes nothing."""
        path = tmp_path / "x.db"
        with ct.open(path) as tracker:
            tracker.add_many(_speakers("s", 3))
        assert 0 == repair(path)


# -- a file-backed tracker against an in-memory one ------------------------------------

_IDS = st.sampled_from(["a", "b", "c", "d", "e"])
_TEXT = st.sampled_from(["Text", " padded ", "", "x\ud800", "Ünïcödé — «ok»\nline"])


_DAYS = st.sampled_from(["2025-02-18", "2025-03", "2025-03-11", "2025", "2026-01-01"])


class StoresAgree(RuleBasedStateMachine):
    """The same operations on a SQLite, a JSON Lines and an in-memory tracker agree.

    Failing operations included; the file trackers are reopened at random points, and
    another writer (a second tracker on each file, a connection of its own) appends
    between calls, the same records going to the memory tracker.  Every query answers
    the same on all three.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp()
        self.now = T0
        self.paths = [os.path.join(self.dir, f"ledger{s}") for s in SUFFIXES]
        self.files = [ct.open(p, clock=self.clock) for p in self.paths]
        self.others = [ct.open(p, clock=self.clock) for p in self.paths]
        self.memory = ct.Tracker(clock=self.clock)
        self.n = 0

    def clock(self) -> dt.datetime:
        return self.now

    def all(self) -> list[ct.Tracker]:
        return [*self.files, self.memory]

    def same(self, call: Any) -> None:
        self.now += dt.timedelta(seconds=1)
        outcomes = []
        for tracker in self.all():
            try:
                outcomes.append(("ok", call(tracker)))
            except ClaimtrackError as exc:
                outcomes.append(("error", type(exc)))
        assert all(outcome == outcomes[-1] for outcome in outcomes), outcomes

    @rule(id=_IDS, name=_TEXT)
    def add_speaker(self, id: str, name: str) -> None:
        self.same(lambda t: t.add_speaker(name, id=id))

    @initialize()
    def speakers(self) -> None:
        self.same(lambda t: t.add_many([ct.Speaker("a", "A"), ct.Speaker("b", "B")]))

    @rule(
        speaker=_IDS,
        id=st.none() | _IDS,
        text=st.sampled_from(["Text", "Talks on peace.", "Ünïcödé — «ok»", "x\ud800"]),
        topics=st.sets(st.sampled_from(["Ukraine", "peace"]), max_size=2),
        kind=st.sampled_from(["assertion", "promise", "promise", "nope"]),
        stated_on=_DAYS,
        due=st.none() | _DAYS,
    )
    def add_claim(
        self,
        speaker: str,
        id: str | None,
        text: str,
        topics: set[str],
        kind: str,
        stated_on: str,
        due: str | None,
    ) -> None:
        self.same(
            lambda t: t.add_claim(
                speaker,
                text,
                id=id,
                stated_on=stated_on,
                topics=topics,
                kind=kind,
                due=due,
                allow_future=True,
            )
        )

    @rule(
        claim=_IDS,
        id=st.none() | _IDS,
        stance=st.sampled_from(["supports", "refutes", "mixed", "nope"]),
        strength=st.sampled_from(["weak", "strong", "conclusive"]),
        observed_on=_DAYS,
    )
    def add_evidence(
        self, claim: str, id: str | None, stance: str, strength: str, observed_on: str
    ) -> None:
        self.same(
            lambda t: t.add_evidence(
                claim,
                "Seen.",
                id=id,
                stance=stance,
                strength=strength,
                observed_on=observed_on,
                allow_future=True,
            )
        )

    @rule(claim=_IDS, verdict=st.sampled_from(["held", "failed", "void", "pending"]), on=_DAYS)
    def rule_on(self, claim: str, verdict: str, on: str) -> None:
        self.same(lambda t: t.rule(claim, verdict, on=on, allow_future=True))

    @rule(
        claim=_IDS,
        by=_IDS,
        probability=st.sampled_from([0.0, 0.3, 0.9, 1.0, 1.5]),
        made_on=_DAYS,
    )
    def forecast(self, claim: str, by: str, probability: float, made_on: str) -> None:
        self.same(
            lambda t: t.forecast(
                claim, by=by, probability=probability, made_on=made_on, allow_future=True
            )
        )
        self.same(lambda t: t.forecasts(claim, by=by))
        self.same(lambda t: t.forecast_record(by))
        self.same(lambda t: t.leaderboard(by="final_brier", min_resolved=0))

    @rule(withdrawn=st.sampled_from(["a", "b", "c", "a-e1", "b-e1", "a-x1", "a-r1", "a-f1"]))
    def retract(self, withdrawn: str) -> None:
        self.same(lambda t: t.retract(withdrawn, reason="misreported"))

    @rule(ids=st.lists(_IDS, max_size=3))
    def add_many(self, ids: list[str]) -> None:
        self.same(lambda t: t.add_many([ct.Speaker(i, "Bulk") for i in ids]))

    @rule(claim=_IDS, stance=st.sampled_from(["supports", "refutes"]))
    def another_writer(self, claim: str, stance: str) -> None:
        """Another writer appends to each file; the memory tracker gets the same record."""
        self.now += dt.timedelta(seconds=1)
        self.n += 1
        record = ct.Evidence(
            f"w{self.n}", claim, "Reported.", stance=stance, observed_on="2025-03-02",
            recorded_at=self.now,
        )  # fmt: skip
        outcomes = []
        for tracker in (*self.others, self.memory):
            try:
                outcomes.append(("ok", tracker.add(record)))
            except ClaimtrackError as exc:
                outcomes.append(("error", type(exc)))
        assert all(outcome == outcomes[-1] for outcome in outcomes), outcomes

    @rule(which=st.integers(0, 1))
    def reopen(self, which: int) -> None:
        self.files[which].close()
        self.files[which] = ct.open(self.paths[which], clock=self.clock)

    @rule(
        claim=_IDS,
        as_of=st.none() | _DAYS,
        known_at=st.none() | st.integers(0, 40),
    )
    def assess(self, claim: str, as_of: str | None, known_at: int | None) -> None:
        when = None if known_at is None else T0 + dt.timedelta(seconds=known_at)
        self.same(lambda t: t.assess(claim, as_of=as_of, known_at=when))
        self.same(lambda t: t.history(claim, known_at=when))

    @rule(
        speaker=st.none() | _IDS,
        topic=st.none() | st.sampled_from(["ukraine", "PEACE"]),
        kind=st.none() | st.sampled_from(["promise", "assertion"]),
        since=st.none() | _DAYS,
        verdict=st.none() | st.sampled_from(["held", "pending"]),
    )
    def claims(
        self,
        speaker: str | None,
        topic: str | None,
        kind: str | None,
        since: str | None,
        verdict: str | None,
    ) -> None:
        self.same(lambda t: t.claims(speaker, topic=topic, kind=kind, since=since, verdict=verdict))
        self.same(lambda t: t.claims(speaker, include_retracted=True, until=since))

    @rule(words=st.sampled_from(["text", "TALKS peace", "seen", "reported", "ok", '"x']))
    def search(self, words: str) -> None:
        self.same(lambda t: sorted(r.id for r, _ in t.search(words, limit=1000)))

    @rule(speaker=st.none() | _IDS, as_of=st.none() | _DAYS)
    def track_records(self, speaker: str | None, as_of: str | None) -> None:
        self.same(lambda t: t.track_record(speaker, as_of=as_of))
        self.same(lambda t: t.leaderboard(min_resolved=0, as_of=as_of))
        self.same(lambda t: t.assess_all(as_of=as_of))

    @invariant()
    def agree(self) -> None:
        records = [list(t.records()) for t in self.all()]
        assert all(one == records[-1] for one in records)
        assert len({len(t) for t in self.all()}) == 1

    def teardown(self) -> None:
        for tracker in (*self.files, *self.others):
            tracker.close()
        expected = list(self.memory.records())
        for path in self.paths:
            with ct.open(path, clock=self.clock) as again:
                assert expected == list(again.records())
                assert self.memory.assess_all() == again.assess_all()
        shutil.rmtree(self.dir)


StoresAgree.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestStoresAgree = StoresAgree.TestCase


class StoresAgreeWithPostgreSQL(StoresAgree):
    """StoresAgree with a PostgreSQL ledger (its own schema) beside the two files."""

    dsn = ""  # set by the test below, from the pg_dsn fixture

    def __init__(self) -> None:
        import uuid

        self.schema = f"a_{uuid.uuid4().hex[:12]}"
        super().__init__()
        ledger = f"{self.dsn} options='-csearch_path={self.schema}'"
        self.paths.append(ledger)
        self.files.append(ct.open(ledger, clock=self.clock))
        self.others.append(ct.open(ledger, clock=self.clock))

    @rule()
    def reopen_postgresql(self) -> None:
        self.files[2].close()
        self.files[2] = ct.open(self.paths[2], clock=self.clock)

    def teardown(self) -> None:
        import psycopg

        try:
            super().teardown()
        finally:
            with psycopg.connect(self.dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')  # type: ignore[arg-type]


def test_stores_agree_with_postgresql(pg_dsn: str) -> None:
    """Stateful: a PostgreSQL tracker answers as the SQLite, JSON Lines and memory ones."""
    from hypothesis.stateful import run_state_machine_as_test

    StoresAgreeWithPostgreSQL.dsn = pg_dsn
    run_state_machine_as_test(
        StoresAgreeWithPostgreSQL,
        settings=settings(max_examples=15, stateful_step_count=25, deadline=None),
    )


def test_attrs_records_are_slotted() -> None:
    """Records are slotted (the memory figure depends on it)."""
    assert attrs.has(ct.Evidence)
    assert not hasattr(
        ct.Evidence("e", "c", "t", stance="supports", observed_on="2025"), "__dict__"
    )


def _cycle_records(last: ct.Record) -> list[ct.Record]:
    return [
        ct.Speaker("s", "S", recorded_at=T0),
        ct.Claim("c", "s", "Talks.", stated_on="2025-02-18", recorded_at=T0),
        ct.Evidence("e", "c", "Seen.", stance="supports", observed_on="2025-03", recorded_at=T0),
        ct.Retraction("x1", "e", reason="wrong", recorded_at=T0),
        last,
    ]


class TestStoredFaults:
    @pytest.mark.parametrize(
        ("records", "named"),
        [
            (
                [
                    *_cycle_records(ct.Retraction("x0", "e", reason="-", recorded_at=T0))[:3],
                    ct.Retraction("x1", "x2", reason="a", recorded_at=T0),
                    ct.Retraction("x2", "x1", reason="b", recorded_at=T0),
                ],
                "retraction 'x1' retracts 'x2', which does not come before it",
            ),
            (
                [
                    *_cycle_records(ct.Retraction("x0", "e", reason="-", recorded_at=T0))[:3],
                    ct.Retraction("x1", "x1", reason="a", recorded_at=T0),
                ],
                "retraction 'x1' retracts itself",
            ),
        ],
    )
    def test_a_jsonl_file_with_a_cycle_is_refused_not_a_hang(
        self, tmp_path: Path, records: list[ct.Record], named: str
    ) -> None:
        """A file holding a cycle of retractions opens with a CorruptStoreError naming it."""
        path = _jsonl(tmp_path, *_lines(records))
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match=named):
            ct.open(path)
        assert before == path.read_bytes()

    def test_a_sqlite_file_with_a_cycle_is_refused_not_a_hang(self, tmp_path: Path) -> None:
        """A hand-edited cycle in a SQLite file: every walk says so, naming the records."""
        from claimtrack import report

        path = tmp_path / "x.db"
        with ct.open(path) as tracker:
            tracker.add_many(_cycle_records(ct.Retraction("x2", "x1", reason="b", recorded_at=T0)))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE records SET target_id = 'x2' WHERE id = 'x1'")  # x1 <-> x2
        conn.close()
        before = path.read_bytes()
        named = "retraction 'x1' retracts 'x2', which does not come before it"
        with ct.open(path) as tracker:
            for call in (
                lambda: tracker.assess("c"),
                tracker.assess_all,
                lambda: tracker.leaderboard(min_resolved=0),
                lambda: report.markdown(tracker),
            ):
                with pytest.raises(CorruptStoreError, match=named):
                    call()
            # (nothing reaches e any more; listing claims needs no walk of the cycle)
            assert (False, ["c"]) == (tracker.is_retracted("e"), [c.id for c in tracker.claims()])
        assert before == path.read_bytes()

    def test_a_missing_speaker_in_a_jsonl_file_names_the_claim(self, tmp_path: Path) -> None:
        """A claim whose speaker is not in a hand-edited file: CorruptStoreError naming it."""
        path = _jsonl(tmp_path, *_lines(_cycle_records(ct.Speaker("t", "T"))[1:3]))
        before = path.read_bytes()
        with pytest.raises(CorruptStoreError, match="claim 'c' refers to speaker 's'"):
            ct.open(path)
        assert before == path.read_bytes()

    def test_a_missing_speaker_in_a_sqlite_file_names_the_claim(self, tmp_path: Path) -> None:
        """leaderboard over a claim whose speaker row is gone: CorruptStoreError, no KeyError."""
        path = tmp_path / "x.db"
        with ct.open(path) as tracker:
            tracker.add_many(_cycle_records(ct.Ruling("r", "c", "held", on="2025-03-01"))[:3])
            tracker.rule("c", "held", on="2025-03-01")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DELETE FROM records WHERE id = 's'")
        conn.close()
        before = path.read_bytes()
        with (
            ct.open(path) as tracker,
            pytest.raises(CorruptStoreError, match="claim 'c' refers to speaker 's'"),
        ):
            tracker.leaderboard(min_resolved=0)
        assert before == path.read_bytes()

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_what_was_read_before_never_changes_what_is_accepted(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """A source with "reliability": true is refused, also after an equal one with 1.0."""
        good = ct.Source(title="Report", reliability=1.0)
        records = [
            ct.Speaker("s", "S", recorded_at=T0),
            ct.Claim("c", "s", "Talks.", stated_on="2025-02-18", recorded_at=T0),
            ct.Evidence("e1", "c", "Seen.", stance="supports", observed_on="2025-03",
                        source=good, recorded_at=T0),
            ct.Evidence("e2", "c", "Seen.", stance="supports", observed_on="2025-03",
                        source=good, recorded_at=T0),
        ]  # fmt: skip
        damaged = [records[:2] + records[3:], records]  # read first; read after the good one
        for n, ledger in enumerate(damaged):
            path = tmp_path / f"x{n}{suffix}"
            if suffix == ".jsonl":
                lines = _lines(ledger)
                lines[-1] = lines[-1].replace('"reliability":1.0', '"reliability":true')
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                with ct.open(path) as tracker:
                    tracker.add_many(ledger)
                conn = sqlite3.connect(path, isolation_level=None)
                conn.execute(
                    "UPDATE records SET source = replace(source, '\"reliability\":1.0',"
                    " '\"reliability\":true') WHERE id = 'e2'"
                )
                conn.close()
            with pytest.raises(CorruptStoreError, match=r"e2|reliability"):
                _read_all(path)


_ADDER = textwrap.dedent(
    """
    import sys
    import claimtrack as ct
    with ct.open(sys.argv[1]) as tracker:
        for _ in range(int(sys.argv[2])):
            tracker.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
    """
)


class TestTwoWriters:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_two_processes_adding_evidence_without_ids(self, tmp_path: Path, suffix: str) -> None:
        """Two processes add 500 pieces each to one claim, no ids given: all 1,000 kept."""
        path = tmp_path / f"x{suffix}"
        with ct.open(path) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            tracker.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _ADDER, str(path), "500"],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        errors = [child.communicate()[1] for child in children]
        assert ([0, 0], ["", ""]) == ([c.returncode for c in children], errors)
        with ct.open(path) as tracker:
            ids = [e.id for e in tracker.evidence("c")]
        assert (1000, 1000) == (len(ids), len(set(ids)))


def _v2_file(path: Path, records: list[ct.Record]) -> None:
    """A ledger of schema version 2 (one column per field, no claim_key, no indexes)."""
    from claimtrack.stores._rows import COLUMNS, to_values_many
    from claimtrack.stores._schema import _INSERT_KIND

    fields = ", ".join(f'"{name}"' for name in COLUMNS[1:])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
        f" type TEXT NOT NULL, version INTEGER NOT NULL, {fields})"
    )
    conn.execute("PRAGMA user_version = 2")
    for values in to_values_many(records):
        conn.execute(_INSERT_KIND[values[0], False], values)
    conn.close()


class TestSchemaVersion2:
    def _ledger(self) -> list[ct.Record]:
        return [
            *_cycle_records(ct.Retraction("x2", "x1", reason="back", recorded_at=T0)),
            ct.Ruling("r", "c", "held", on="2025-03-01", recorded_at=T0),
        ]

    def test_a_version_2_file_reads_and_answers_as_it_is(self, tmp_path: Path) -> None:
        """A version 2 file opens unchanged and answers every query (read into memory)."""
        path = tmp_path / "x.db"
        records = self._ledger()
        _v2_file(path, records)
        before = path.read_bytes()
        with ct.open(path, clock=lambda: T0) as old, ct.Tracker(clock=lambda: T0) as fresh:
            fresh.add_many(records, allow_future=True)
            assert records == list(old.records())
            for query in (
                lambda t: t.assess("c"),
                lambda t: t.history("c"),
                lambda t: t.claims(topic=None, include_retracted=True),
                lambda t: t.is_retracted("e"),
                lambda t: t.track_record("s"),
            ):
                assert query(fresh) == query(old)
        assert before == path.read_bytes()

    def test_upgrade_keeps_every_record_and_keys_them(self, tmp_path: Path) -> None:
        """upgrade() moves a version 2 file on: same records, claim_key through chains."""
        path = tmp_path / "x.db"
        records = self._ledger()
        _v2_file(path, records)
        with SQLiteStore(path) as store:
            assert (2, SCHEMA_VERSION) == (store.upgrade(), store.schema_version)
            assert records == list(store.records())
            found = store.claim_records("c")
            assert found is not None
            assert (["e"], ["x1", "x2"], ["r"]) == (
                [e.id for e in found.evidence],
                [x.id for x in found.retractions],
                [r.id for r in found.rulings],
            )
        conn = sqlite3.connect(path)
        keys = dict(conn.execute("SELECT id, claim_key FROM records"))
        conn.close()
        assert {"s": None, "c": "c", "e": "c", "x1": "c", "x2": "c", "r": "c"} == keys


def _without_forecast_columns(path: Path) -> None:
    """A schema 3 ledger as written before forecasts: no probability or made_on column."""
    with ct.open(path, clock=lambda: T0) as tracker:
        tracker.add_many(TestSchemaVersion2()._ledger(), allow_future=True)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE records DROP COLUMN probability")
    conn.execute("ALTER TABLE records DROP COLUMN made_on")
    conn.commit()
    conn.close()


class TestForecastColumns:
    def test_a_file_without_them_gets_them_on_opening(self, tmp_path: Path) -> None:
        """A ledger written before forecasts gets the two columns and takes forecasts."""
        path = tmp_path / "x.db"
        _without_forecast_columns(path)
        with ct.open(path, clock=lambda: T0) as tracker:
            tracker.forecast("c", by="s", probability=0.7, made_on="2025-02-18", id="f1")
        with ct.open(path, clock=lambda: T0) as tracker:
            assert [f.probability for f in tracker.forecasts("c")] == [0.7]
            assert tracker.store.claim_records("c").forecasts[0].id == "f1"  # type: ignore[attr-defined]

    def test_read_only_it_is_read_unchanged(self, tmp_path: Path) -> None:
        """Opened read-only, such a file is read (no forecasts) and not changed."""
        path = tmp_path / "x.db"
        _without_forecast_columns(path)
        before = path.read_bytes()
        with ct.open(path, readonly=True, clock=lambda: T0) as tracker:
            assert (len(tracker), tracker.forecasts("c")) == (6, ())
            assert tracker.assess("c").verdict is ct.Verdict.HELD
        assert before == path.read_bytes()


class TestSearchWithoutFullText:
    def test_search_falls_back_to_like_without_fts5(self, tmp_path: Path) -> None:
        """Where SQLite lacks FTS5, a new ledger has no full-text table; search still works."""
        from claimtrack.stores import _schema

        path = tmp_path / "x.db"
        with (
            mock.patch.object(_schema, "_fts5_available", return_value=False),
            ct.open(path) as tracker,
        ):
            tracker.add_many(_cycle_records(ct.Speaker("t", "T", recorded_at=T0)))
            assert [("c", 1.0)] == [(r.id, s) for r, s in tracker.search("TALKS")]
            assert [] == tracker.search("nothing")
        conn = sqlite3.connect(path)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert "records_text" not in tables
