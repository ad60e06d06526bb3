"""Tests for claimtrack.stores._weights: the per-claim weighing counts a SQLite ledger keeps."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack.stores import SCHEMA_VERSION, SQLiteStore
from claimtrack.stores._weights import decode, key_text, merge, parse_key
from claimtrack.strategies import ledgers

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _clock() -> dt.datetime:  # a fixed today, so due dates judge the same everywhere
    return NOW


def stored_counts(path: Path | str) -> dict[str, dict[str, int]]:
    """The weights table of a ledger file, decoded."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT claim_key, counts FROM weights").fetchall()
    finally:
        conn.close()
    out = {}
    for key, text in rows:
        found = decode(text)
        assert found is not None, text
        out[key] = found
    return out


def recount(records: list[ct.Record]) -> dict[str, dict[str, int]]:
    """The counts the weights table should hold for *records*, counted one by one."""
    out: dict[str, Counter[str]] = {}
    for record in records:
        if isinstance(record, ct.Claim):
            out[record.id] = Counter()
        elif isinstance(record, ct.Evidence):
            source = record.source
            key = (record.stance.value, record.strength.value,
                   1.0 if source is None else source.reliability)  # fmt: skip
            out[record.claim_id][key_text(key)] += 1
    return {k: dict(v) for k, v in out.items()}


def upto(path: Path | str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT value FROM meta WHERE name = 'weights_upto'").fetchone()[0])
    finally:
        conn.close()


def as_version_3(path: Path | str) -> None:
    """Turn a ledger file into one of schema version 3 (as 0.2.0 wrote it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in (
        "DROP TRIGGER weights_on_update",
        "DROP TRIGGER weights_on_delete",
        "DROP TABLE weights",
        "DROP TABLE meta",
        "PRAGMA user_version = 3",
    ):
        conn.execute(statement)
    conn.close()


def riyadh() -> list[ct.Record]:
    at = "2025-02-18"
    source = ct.Source(title="Wire report", reliability=0.8)
    return [
        ct.Speaker("trump", "Donald Trump"),
        ct.Claim("c", "trump", "Ukraine will be involved.", stated_on=at, due="2025-12-31"),
        ct.Claim("d", "trump", "The war will end in 24 hours.", stated_on=at),
        ct.Evidence("e1", "c", "Not invited.", stance="refutes", observed_on=at, source=source),
        ct.Evidence(
            "e2", "c", "Jeddah.", stance="supports", strength="strong", observed_on="2025-03-11"
        ),
        ct.Evidence(
            "e3", "c", "Istanbul.", stance="supports", strength="strong", observed_on="2025-05-16"
        ),
        ct.Evidence(
            "e4",
            "d",
            "Still at war.",
            stance="refutes",
            strength="conclusive",
            observed_on="2025-02-20",
        ),
    ]


class TestEncoding:
    @given(st.dictionaries(
        st.tuples(st.sampled_from([s.value for s in ct.Stance]),
                  st.sampled_from([s.value for s in ct.Strength]),
                  st.floats(0.0, 1.0)),
        st.integers(1, 10**12),
    ))  # fmt: skip
    def test_round_trip(self, counts: dict[tuple[str, str, float], int]) -> None:
        """Counts written with key_text() read back through decode() and parse_key()."""
        found = decode(json.dumps({key_text(k): n for k, n in counts.items()}))
        assert found is not None
        assert counts == {parse_key(k): n for k, n in found.items()}

    @pytest.mark.parametrize(
        "text",
        [None, 7, "", "[", "[]", '{"a/b/c": 1}x', '{"supports/weak/1.0": 0}',
         '{"supports/weak/1.0": -1}', '{"supports/weak/1.0": true}',
         '{"supports/weak/1.0": 1.5}', '{"supports/weak/1.0": "2"}'],
    )  # fmt: skip
    def test_not_counts(self, text: object) -> None:
        """Anything but a JSON object of positive integers is not counts."""
        assert decode(text) is None

    @pytest.mark.parametrize(
        "text",
        ["supports/weak", "supports/weak/1.0/x", "for/weak/1.0", "supports/huge/1.0",
         "supports/weak/1.00", "supports/weak/1.5", "supports/weak/-0.1", "supports/weak/nan",
         "supports/weak/inf", "supports/weak/x"],
    )  # fmt: skip
    def test_not_keys(self, text: str) -> None:
        """A key text not as key_text() writes it is not a key."""
        assert parse_key(text) is None

    def test_merge_skips_claims_without_counts(self) -> None:
        """New evidence of a claim whose counts were dropped writes no row for it."""
        added = {"c": '{"supports/weak/1.0":1}'}
        assert [] == merge([], added, {})
        assert [] == merge([], added, {"c": "not json"})
        assert [("c", '{"supports/weak/1.0":2}')] == merge(
            [], added, {"c": '{"supports/weak/1.0":1}'}
        )
        assert [("n", "{}")] == merge(["n"], {}, {})
        assert {} == decode("{}")


class TestKeptWithTheRecords:
    @given(ledgers(max_evidence=30))
    @settings(max_examples=30, deadline=None)
    def test_counts_equal_a_recount(self, records: list[ct.Record]) -> None:
        """After add_many, and after adding one by one, the counts are a recount's."""
        with tempfile.TemporaryDirectory() as tmp:
            bulk, single = Path(tmp, "bulk.db"), Path(tmp, "single.db")
            with ct.open(bulk) as t:
                t.add_many(records)
            with ct.open(single) as t:
                for record in records:
                    t.add_many([record])
            for path in (bulk, single):
                assert recount(records) == stored_counts(path)
                assert len(records) == upto(path)

    def test_a_second_writer_is_counted(self, tmp_path: Path) -> None:
        """Two processes appending to one file: the counts take in both."""
        path = tmp_path / "x.db"
        records = riyadh()
        with ct.open(path) as t:
            t.add_many(records[:3])
            code = (
                "import sys, claimtrack as ct\n"
                "with ct.open(sys.argv[1]) as t:\n"
                "    t.add_evidence('c', 'Seen.', stance='supports', observed_on='2025-04-01',"
                " id='other')\n"
            )
            subprocess.run([sys.executable, "-c", code, str(path)], check=True)
            t.add_many(records[3:])
        with ct.open(path) as t:
            everything = list(t.records())
        assert recount(everything) == stored_counts(path)

    def test_a_failed_append_changes_nothing(self, tmp_path: Path) -> None:
        """An append refused for a duplicate id leaves the counts and their mark as they were."""
        path = tmp_path / "x.db"
        with ct.open(path) as t:
            t.add_many(riyadh())
            before = (stored_counts(path), upto(path))
            with pytest.raises(ct.errors.DuplicateRecordError):
                t.add_many([ct.Evidence("e9", "c", "New.", stance="supports",
                                        observed_on="2025-06-01"),
                            ct.Evidence("e1", "c", "Again.", stance="supports",
                                        observed_on="2025-06-01")])  # fmt: skip
        assert before == (stored_counts(path), upto(path))

    def test_upgrade_from_version_3_counts_every_claim(self, tmp_path: Path) -> None:
        """upgrade() of a version 3 file gives the counts a new file has."""
        path = tmp_path / "x.db"
        records = riyadh()
        with ct.open(path) as t:
            t.add_many(records)
        as_version_3(path)
        with SQLiteStore(path) as store:
            assert (3, SCHEMA_VERSION) == (store.upgrade(), store.schema_version)
        assert recount(records) == stored_counts(path)
        assert len(records) == upto(path)

    def test_version_3_file_answers_without_counts(self, tmp_path: Path) -> None:
        """A version 3 file (not upgraded) answers assess_all() from its records, unchanged."""
        path = tmp_path / "x.db"
        with ct.open(path, clock=_clock) as t:
            t.add_many(riyadh())
            expected = t.assess_all()
            for a in expected:
                tuple(a.contributions)
        as_version_3(path)
        before = path.read_bytes()
        with ct.open(path, clock=_clock, readonly=True) as t:
            assert t.store._weighing_counts() is None  # type: ignore[attr-defined]
            found = t.assess_all()
            assert expected == found
        assert before == path.read_bytes()


def _edit(path: Path, *statements: str) -> None:
    """Run SQL on the file as another program would (sqlite3, not claimtrack)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


class TestOtherPrograms:
    """Counts are used only where they are current; the answers never change."""

    def _ledger(self, path: Path) -> tuple[ct.Assessment, ...]:
        with ct.open(path, clock=_clock) as t:
            t.add_many(riyadh())
            found = t.assess_all()
            for a in found:
                tuple(a.contributions)  # read while the ledger is open
            return found

    def _answers(self, path: Path) -> tuple[tuple[ct.Assessment, ...], list[ct.Assessment]]:
        """assess_all(), and assess() of each claim by a fresh tracker (contributions read)."""
        with ct.open(path, clock=_clock) as t:
            walked = t.assess_all()
            for a in walked:
                tuple(a.contributions)  # read while the ledger is open
        with ct.open(path, clock=_clock) as t:
            one_by_one = [t.assess(a.claim.id) for a in walked]
        return walked, one_by_one

    def test_an_update_drops_that_claims_counts(self, tmp_path: Path) -> None:
        """A record edited with UPDATE: its claim is read from its records."""
        path = tmp_path / "x.db"
        self._ledger(path)
        _edit(path, "UPDATE records SET stance = 'supports' WHERE id = 'e1'")
        assert "c" not in stored_counts(path)
        assert "d" in stored_counts(path)
        walked, one_by_one = self._answers(path)
        assert list(walked) == one_by_one
        assert walked[0].probability > 0.99  # e1 now supports: the edit is seen

    def test_a_delete_drops_that_claims_counts(self, tmp_path: Path) -> None:
        """A record removed with DELETE: its claim is read from its records."""
        path = tmp_path / "x.db"
        self._ledger(path)
        _edit(path, "DELETE FROM records WHERE id = 'e4'")
        assert "d" not in stored_counts(path)
        walked, one_by_one = self._answers(path)
        assert list(walked) == one_by_one
        assert walked[1].verdict is not ct.Verdict.FAILED

    def test_an_insert_is_read_then_caught_up(self, tmp_path: Path) -> None:
        """A row inserted by plain SQL is read from the records, then counted by the next append."""
        path = tmp_path / "x.db"
        self._ledger(path)
        _edit(
            path,
            "INSERT INTO records (type, version, id, claim_key, claim_id, text, stance, strength,"
            " observed_on, recorded_at) VALUES ('evidence', 1, 'x1', 'd', 'd', 'Seen.',"
            " 'supports', 'conclusive', '2025-03-01', '2025-03-01T00:00:00.000000Z')",
        )
        walked, one_by_one = self._answers(path)
        assert list(walked) == one_by_one
        assert walked[1].verdict is ct.Verdict.CONTESTED
        with ct.open(path) as t:
            t.add_evidence("c", "New.", stance="supports", observed_on="2025-07-01")
            everything = list(t.records())
        assert recount(everything) == stored_counts(path)

    def test_without_the_triggers_no_counts_are_used(self, tmp_path: Path) -> None:
        """Triggers dropped (then anything edited): every claim is read from its records."""
        path = tmp_path / "x.db"
        self._ledger(path)
        _edit(
            path,
            "DROP TRIGGER weights_on_update",
            "UPDATE records SET strength = 'weak' WHERE id = 'e4'",
        )
        with ct.open(path, clock=_clock) as t:
            assert t.store._weighing_counts() is None  # type: ignore[attr-defined]
        walked, one_by_one = self._answers(path)
        assert list(walked) == one_by_one
        assert walked[1].verdict is not ct.Verdict.FAILED

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE weights SET counts = 'garbage' WHERE claim_key = 'c'",
            "UPDATE weights SET counts = '{\"supports/weak/2.0\":1}' WHERE claim_key = 'c'",
            "UPDATE weights SET counts = NULL WHERE claim_key = 'c'",
            "DELETE FROM weights",
            "UPDATE meta SET value = 'x'",
            "UPDATE meta SET value = 0",
        ],
    )
    def test_damaged_counts_are_not_used(self, tmp_path: Path, statement: str) -> None:
        """Counts not as claimtrack writes them, or a damaged mark: read from the records."""
        path = tmp_path / "x.db"
        expected = self._ledger(path)
        if "NULL" in statement:  # NOT NULL: SQLite refuses it
            with pytest.raises(sqlite3.IntegrityError):
                _edit(path, statement)
            return
        _edit(path, statement)
        walked, one_by_one = self._answers(path)
        assert expected == walked
        assert list(walked) == one_by_one

    def test_read_only(self, tmp_path: Path) -> None:
        """A ledger opened read-only answers from its counts, and its bytes do not change."""
        path = tmp_path / "x.db"
        expected = self._ledger(path)
        before = path.read_bytes()
        with ct.open(path, clock=_clock, readonly=True) as t:
            assert t.store._weighing_counts() is not None  # type: ignore[attr-defined]
            found = t.assess_all()
            assert expected == found
        assert before == path.read_bytes()


class TestAnswers:
    @given(ledgers(max_evidence=25))
    @settings(max_examples=40, deadline=None)
    def test_assess_all_from_counts_equals_memory(self, records: list[ct.Record]) -> None:
        """assess_all() over a SQLite file (from its counts) equals it in memory, exactly."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "x.db")
            with ct.open(path, clock=_clock) as t:
                t.add_many(records)
            with ct.Tracker(clock=_clock) as memory:
                memory.add_many(records)
                expected = memory.assess_all()
            with ct.open(path, clock=_clock) as t:
                assert t.store._weighing_counts() is not None  # type: ignore[attr-defined]
                found = t.assess_all()
                assert expected == found
                for a, b in zip(expected, found, strict=True):
                    assert (a.log_odds, a.probability) == (b.log_odds, b.probability)
                    assert a.contributions == b.contributions


class TestClosed:
    def test_reading_contributions_after_closing(self, tmp_path: Path) -> None:
        """Contributions not read before the ledger closed: a StoreError saying it is closed."""
        path = tmp_path / "x.db"
        with ct.open(path, clock=_clock) as t:
            t.add_many(riyadh())
            (a, _) = t.assess_all()
        with pytest.raises(ct.errors.StoreError, match="closed"):
            tuple(a.contributions)
        with pytest.raises(ct.errors.StoreError, match="closed"):
            t.assess("c")


class TestConcurrentWriters:
    def test_two_processes_on_one_claim(self, tmp_path: Path) -> None:
        """Two processes adding 200 pieces each to one claim at once: counts are a recount."""
        path = tmp_path / "x.db"
        with ct.open(path) as t:
            t.add_many(riyadh())
        code = (
            "import sys, claimtrack as ct\n"
            "with ct.open(sys.argv[1]) as t:\n"
            "    for i in range(200):\n"
            "        t.add_evidence('c', 'Seen.', stance=sys.argv[2], strength='strong',"
            " observed_on='2025-04-01')\n"
        )
        writers = [
            subprocess.Popen([sys.executable, "-c", code, str(path), stance])
            for stance in ("supports", "refutes")
        ]
        assert [0, 0] == [w.wait(timeout=300) for w in writers]
        with ct.open(path, clock=_clock) as t:
            everything = list(t.records())
            (walked, _) = t.assess_all()
            assert walked == t.assess("c")
        assert recount(everything) == stored_counts(path)
        assert {"refutes/strong/1.0": 200, "supports/strong/1.0": 202} == {
            k: v for k, v in stored_counts(path)["c"].items() if "strong/1.0" in k
        }
