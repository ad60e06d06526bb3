"""Store file faults: foreign files, a missing last newline, read-only files, a full disk.

Each test that involves a file compares its bytes before and after.  Read-only files
are tested two ways: with the ``readonly=True`` flag, and with a file the process really
cannot write.  The tests run as root on the project's machine, and root ignores file
permission bits, so the real case runs in a child process that first gives up root for
the ``nobody`` user (``os.setuid``); run as another user, the child keeps its user and
the permission bits do the work.  A full disk is a child process whose file size is
limited with ``RLIMIT_FSIZE`` (the signal it raises ignored there), which needs no root.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack._codec import dumps
from claimtrack.errors import CorruptStoreError, SchemaVersionError, StoreError, StoreWarning
from claimtrack.stores import SCHEMA_VERSION, JSONLinesStore, SQLiteStore, repair
from claimtrack.strategies import ledgers

SUFFIXES = [".db", ".jsonl"]
T0 = dt.datetime(2025, 2, 18, tzinfo=dt.UTC)


def _speakers(prefix: str, n: int) -> list[ct.Record]:
    return [
        ct.Speaker(f"{prefix}{i}", f"Speaker {i}", recorded_at=T0 + dt.timedelta(seconds=i))
        for i in range(n)
    ]


def _ledger(path: Path, n: int = 3) -> list[str]:
    """Write a ledger of *n* speakers at *path*; return their ids."""
    with ct.open(path) as tracker:
        tracker.add_many(_speakers("s", n))
    return [f"s{i}" for i in range(n)]


def _files(folder: Path) -> dict[str, bytes]:
    """The bytes of every file in *folder*, by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _foreign(path: Path, user_version: int, *, tables: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(tables)
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.close()


class TestForeignSQLite:
    @pytest.mark.parametrize("user_version", [0, 1, 2, SCHEMA_VERSION + 1, 42, -7])
    def test_another_applications_database_is_untouched(
        self, tmp_path: Path, user_version: int
    ) -> None:
        """A database with its own user_version and tables is refused; no byte changes."""
        path = tmp_path / "app.db"
        _foreign(
            path,
            user_version,
            tables="CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('a');",
        )
        before = _files(tmp_path)
        with pytest.raises(CorruptStoreError, match="not a claimtrack ledger") as info:
            ct.open(path)
        assert str(path) == info.value.path
        assert before == _files(tmp_path)  # not switched to WAL, no -wal or -shm left

    @pytest.mark.parametrize("user_version", [1, 2])
    def test_a_records_table_of_another_shape_is_foreign(
        self, tmp_path: Path, user_version: int
    ) -> None:
        """A table called records with other columns is not a ledger either."""
        path = tmp_path / "app.db"
        _foreign(path, user_version, tables="CREATE TABLE records (seq INTEGER, body TEXT);")
        before = _files(tmp_path)
        with pytest.raises(CorruptStoreError, match="not a claimtrack ledger"):
            ct.open(path)
        assert before == _files(tmp_path)

    def test_a_newer_ledger_is_still_a_schema_version_error(self, tmp_path: Path) -> None:
        """A ledger of a newer schema (it has the records table) says so; untouched."""
        path = tmp_path / "x.db"
        _ledger(path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        before = _files(tmp_path)
        with pytest.raises(SchemaVersionError):
            ct.open(path)
        assert before == _files(tmp_path)

    def test_a_ledger_still_opens_and_appends(self, tmp_path: Path) -> None:
        """The stricter check still takes claimtrack's own ledgers."""
        path = tmp_path / "x.db"
        ids = _ledger(path)
        with ct.open(path) as tracker:
            tracker.add_speaker("Another", id="another")
        with ct.open(path) as tracker:
            assert [*ids, "another"] == [r.id for r in tracker.records()]


def _jsonl(path: Path, records: list[ct.Record], *, newline_at_end: bool) -> None:
    text = "\n".join(dumps(r) for r in records)
    path.write_bytes((text + ("\n" if newline_at_end else "")).encode())


class TestJSONLinesLastNewline:
    def test_last_valid_line_without_newline_is_a_record(self, tmp_path: Path) -> None:
        """A last line that is a whole record without its newline is read, no warning."""
        path = tmp_path / "x.jsonl"
        _jsonl(path, _speakers("s", 3), newline_at_end=False)
        before = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("error", StoreWarning)
            with ct.open(path) as tracker:
                assert ["s0", "s1", "s2"] == [r.id for r in tracker.records()]
        assert before == path.read_bytes()

    @settings(max_examples=min(50, settings().max_examples))
    @given(ledgers(max_claims=3, max_evidence=4), st.booleans(), st.integers(0, 3))
    def test_any_ledger_reads_the_same_without_its_last_newline(
        self, records: list[ct.Record], batch: bool, added: int
    ) -> None:
        """With or without its last newline, a file gives the same records; appends too."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.jsonl"
            with ct.open(path) as tracker:
                if batch:
                    tracker.add_many(records)
                else:
                    for record in records:
                        tracker.add(record)
            path.write_bytes(path.read_bytes().removesuffix(b"\n"))
            more = _speakers("more", added)
            with ct.open(path) as tracker:
                assert records == list(tracker.records())
                tracker.add_many(more)
            with ct.open(path) as tracker:
                assert [*records, *more] == list(tracker.records())

    def test_repair_keeps_it(self, tmp_path: Path) -> None:
        """repair() removes nothing from such a file."""
        path = tmp_path / "x.jsonl"
        _jsonl(path, _speakers("s", 2), newline_at_end=False)
        before = path.read_bytes()
        assert 0 == repair(path)
        assert before == path.read_bytes()

    def test_a_batch_whose_last_line_lacks_its_newline(self, tmp_path: Path) -> None:
        """A whole batch whose last record has no newline is kept whole."""
        path = tmp_path / "x.jsonl"
        lines = ['{"type":"batch","version":1,"count":2}', *(dumps(r) for r in _speakers("s", 2))]
        path.write_bytes("\n".join(lines).encode())
        with ct.open(path) as tracker:
            assert ["s0", "s1"] == [r.id for r in tracker.records()]

    def test_appending_ends_the_line_first(self, tmp_path: Path) -> None:
        """An append adds the missing newline, then its own lines; every record reads back."""
        path = tmp_path / "x.jsonl"
        _jsonl(path, _speakers("s", 2), newline_at_end=False)
        before = path.read_bytes()
        with ct.open(path) as tracker:
            tracker.add_speaker("Third", id="third")
            tracker.add_many(_speakers("b", 2))
        after = path.read_bytes()
        assert after.startswith(before + b"\n")
        assert after.endswith(b"\n")
        assert 6 == after.count(b"\n")  # 3 records, a batch marker and its 2 records
        with ct.open(path) as tracker:
            assert ["s0", "s1", "third", "b0", "b1"] == [r.id for r in tracker.records()]

    def test_another_reader_follows_the_append(self, tmp_path: Path) -> None:
        """A second tracker that read the unterminated line sees what the first appends."""
        path = tmp_path / "x.jsonl"
        _jsonl(path, _speakers("s", 2), newline_at_end=False)
        with ct.open(path) as reader, ct.open(path) as writer:
            writer.add_speaker("Third", id="third")
            assert ["third"] == [r.id for r in reader.refresh()]
            reader.add_speaker("Fourth", id="fourth")
            assert ["fourth"] == [r.id for r in writer.refresh()]
        with ct.open(path) as tracker:
            assert ["s0", "s1", "third", "fourth"] == [r.id for r in tracker.records()]

    @pytest.mark.parametrize(
        "tail", ['{"type":"speaker","id":"s', '{"type":"batch","version":1,"count":2}']
    )
    def test_an_unfinished_line_is_still_a_torn_write(self, tmp_path: Path, tail: str) -> None:
        """A last line that is not whole JSON (or an incomplete batch) is still skipped."""
        path = tmp_path / "x.jsonl"
        path.write_bytes((dumps(_speakers("s", 1)[0]) + "\n" + tail).encode())
        before = path.read_bytes()
        with pytest.warns(StoreWarning, match="unfinished write"), ct.open(path) as tracker:
            assert ["s0"] == [r.id for r in tracker.records()]
        assert before == path.read_bytes()

    def test_a_whole_json_value_that_is_not_a_record_is_corrupt(self, tmp_path: Path) -> None:
        """A last line that is whole JSON but not a record is damage, not a torn write."""
        path = tmp_path / "x.jsonl"
        path.write_bytes((dumps(_speakers("s", 1)[0]) + '\n{"type":"speaker"}').encode())
        with pytest.raises(CorruptStoreError) as info:
            ct.open(path)
        assert 2 == info.value.line


class TestReadOnlyFlag:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_reads_everything_and_refuses_writes(self, tmp_path: Path, suffix: str) -> None:
        """readonly=True reads the ledger; a write is a StoreError naming the file and why."""
        path = tmp_path / f"x{suffix}"
        ids = _ledger(path)
        before = path.read_bytes()
        with ct.open(path, readonly=True) as tracker:
            assert ids == [r.id for r in tracker.records()]
            assert tracker.store.readonly  # type: ignore[attr-defined]
            with pytest.raises(StoreError, match="read-only") as info:
                tracker.add_speaker("Not stored", id="nope")
            assert str(path) == info.value.path
            assert str(path) in str(info.value)
            assert "nope" not in tracker
            assert ids == [r.id for r in tracker.records()]
        assert before == path.read_bytes()

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_a_missing_file_is_not_created(self, tmp_path: Path, suffix: str) -> None:
        """readonly=True on a path with no file is a StoreError, and creates nothing."""
        path = tmp_path / f"x{suffix}"
        with pytest.raises(StoreError, match="does not exist") as info:
            ct.open(path, readonly=True)
        assert str(path) == info.value.path
        assert [] == list(tmp_path.iterdir())

    def test_sees_what_a_writer_adds(self, tmp_path: Path) -> None:
        """A read-only SQLite tracker still sees records another tracker commits."""
        path = tmp_path / "x.db"
        _ledger(path)
        with ct.open(path) as writer, ct.open(path, readonly=True) as reader:
            writer.add_speaker("Later", id="later")
            assert ["later"] == [r.id for r in reader.refresh()]

    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_store_classes_take_the_flag(self, tmp_path: Path, suffix: str) -> None:
        """SQLiteStore and JSONLinesStore take readonly= too; a writable one says False."""
        path = tmp_path / f"x{suffix}"
        _ledger(path)
        cls = SQLiteStore if suffix == ".db" else JSONLinesStore
        with cls(path) as store:
            assert not store.readonly
        with cls(path, readonly=True) as store:
            assert store.readonly
            assert 3 == len(list(store.load()))


# The child of the real read-only tests: gives up root (if it has it), then opens the
# ledger, reads it, tries one write, and prints what happened as JSON.
_UNWRITABLE_CHILD = textwrap.dedent(
    """
    import json, os, sys
    import cattrs  # imported lazily by claimtrack; nobody may not read root's Python
    import claimtrack as ct
    from claimtrack.errors import ClaimtrackError
    if os.getuid() == 0:
        try:
            os.setgid(65534)
            os.setuid(65534)  # nobody: file permission bits apply from here on
        except PermissionError as exc:  # root without CAP_SETUID (some containers)
            print(json.dumps({"skip": f"cannot give up root: {exc}"}))
            sys.exit(0)
    out = {}
    try:
        tracker = ct.open(sys.argv[1])
    except ClaimtrackError as exc:
        out["open"] = f"{type(exc).__name__}: {exc}"
    else:
        out["ids"] = [r.id for r in tracker.records()]
        out["readonly"] = tracker.store.readonly
        try:
            tracker.add_speaker("Not stored", id="nope")
            out["write"] = "ok"
        except ClaimtrackError as exc:
            out["write"] = f"{type(exc).__name__}: {exc}"
            out["path"] = getattr(exc, "path", None)
        out["after"] = [r.id for r in tracker.records()]
        tracker.close()
    print(json.dumps(out))
    """
)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the child can reach after giving up root (pytest's tmp_path is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-ro-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


def _as_unprivileged(path: Path) -> dict[str, object]:
    child = subprocess.run(
        [sys.executable, "-c", _UNWRITABLE_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert 0 == child.returncode, child.stderr
    result: dict[str, object] = json.loads(child.stdout)
    if "skip" in result:
        pytest.skip(str(result["skip"]))
    return result


def _read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


class TestReallyUnwritable:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_read_only_file(self, shared_dir: Path, suffix: str) -> None:
        """A file the user cannot write opens for reading; a write names the file and why."""
        path = shared_dir / f"x{suffix}"
        ids = _ledger(path)
        _read_only(path)
        before = path.read_bytes()
        out = _as_unprivileged(path)
        assert ids == out["ids"] == out["after"]
        assert out["readonly"] is True
        assert isinstance(out["write"], str)
        assert out["write"].startswith("StoreError: ")
        assert "read-only" in out["write"]
        assert str(path) == out["path"]
        assert before == path.read_bytes()

    @pytest.mark.parametrize("journal", ["wal", "delete"])
    def test_database_in_a_read_only_folder(self, shared_dir: Path, journal: str) -> None:
        """A ledger in a folder the user cannot write (no room for WAL files) is read.

        Also a writable file in an old rollback-journal mode, which cannot be switched
        to WAL there.
        """
        path = shared_dir / "x.db"
        ids = _ledger(path)
        if journal == "wal":
            _read_only(path)
        else:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.close()
            path.chmod(0o666)
        before = _files(shared_dir)
        shared_dir.chmod(0o555)
        try:
            out = _as_unprivileged(path)
        finally:
            shared_dir.chmod(0o777)
        assert ids == out["ids"] == out["after"]
        assert out["readonly"] is True
        assert isinstance(out["write"], str)
        assert out["write"].startswith("StoreError: ")
        assert "read-only" in out["write"]
        assert "not a SQLite database" not in out["write"]
        assert before == _files(shared_dir)


# The child of the disk-full tests: the file may grow by only a few kB more.
_FULL_CHILD = textwrap.dedent(
    """
    import json, os, resource, signal, sys
    import claimtrack as ct
    from claimtrack.errors import ClaimtrackError
    path, room = sys.argv[1], int(sys.argv[2])
    tracker = ct.open(path)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    grown = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    limit = grown + room
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    out = {"acknowledged": [], "error": None}
    try:
        for i in range(200):
            batch = [ct.Speaker(f"n{i}-{j}", "x" * 2000) for j in range(3)]
            tracker.add_many(batch)
            out["acknowledged"] += [r.id for r in batch]
    except ClaimtrackError as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["path"] = getattr(exc, "path", None)
    out["held"] = len(tracker)
    tracker.close()
    print(json.dumps(out))
    """
)


class TestDiskFull:
    @pytest.mark.parametrize("suffix", SUFFIXES)
    def test_a_full_disk_is_a_store_error_and_keeps_what_was_acknowledged(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """Writes past the space left fail as StoreError; every acknowledged record stays."""
        path = tmp_path / f"x{suffix}"
        ids = _ledger(path)
        child = subprocess.run(
            [sys.executable, "-c", _FULL_CHILD, str(path), "40000"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == child.returncode, child.stderr
        out = json.loads(child.stdout)
        assert out["error"] is not None
        assert out["error"].startswith("StoreError: ")
        assert str(path) == out["path"]
        assert out["acknowledged"]  # some appends fitted before the disk was full
        assert len(ids) + len(out["acknowledged"]) == out["held"]
        with ct.open(path) as tracker:
            assert [*ids, *out["acknowledged"]] == [r.id for r in tracker.records()]
            tracker.add_speaker("After", id="after")  # space again: writing works again
