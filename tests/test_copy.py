"""ct.copy and ``claimtrack copy`` (claimtrack._copy): a ledger between any two stores."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

import claimtrack as ct
from claimtrack.cli import _run
from claimtrack.errors import CorruptStoreError, StoreError
from claimtrack.stores import PostgreSQLStore
from claimtrack.strategies import ledgers

T0 = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)  # after every date the ledgers record
SLOW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@contextlib.contextmanager
def _fresh(dsn: str) -> Iterator[str]:
    """A schema name of its own for one Hypothesis example, dropped afterwards."""
    name = f"h_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')  # type: ignore[arg-type]


def _ledger() -> list[ct.Record]:
    t = ct.Tracker(clock=iter(T0 + dt.timedelta(seconds=i) for i in range(99)).__next__)
    t.add_speaker("Donald Trump", id="trump")
    t.add_claim("trump", "Ukraine will be involved.", id="c1", stated_on="2025-02-18")
    t.add_evidence("c1", "Not invited.", id="e1", stance="refutes", strength="moderate",
                   observed_on="2025-02-18")  # fmt: skip
    t.add_evidence("c1", "Met in Jeddah.", id="e2", stance="supports", strength="strong",
                   observed_on="2025-03-11")  # fmt: skip
    t.retract("e1", reason="misreported", id="x1")
    return list(t.store.load())


class TestCopy:
    @SLOW
    @given(records=ledgers())
    def test_a_ledger_round_trips_through_every_store(
        self, pg_dsn: str, tmp_path_factory: pytest.TempPathFactory, records: list[ct.Record]
    ) -> None:
        """SQLite -> PostgreSQL -> JSON Lines -> SQLite keeps ids, order and recorded_at."""
        folder = tmp_path_factory.mktemp("copy")
        with ct.open(folder / "a.db") as start:
            start.add_many(records)
        with _fresh(pg_dsn) as schema:
            dsn = f"{pg_dsn} options='-csearch_path={schema}'"
            assert ct.copy(folder / "a.db", dsn) == len(records)
            assert ct.copy(dsn, folder / "b.jsonl") == len(records)
        assert ct.copy(folder / "b.jsonl", folder / "c.db") == len(records)
        with ct.open(folder / "c.db") as end:
            back = list(end.store.load())
        assert back == records
        assert [r.recorded_at for r in back] == [r.recorded_at for r in records]

    def test_a_destination_with_records_is_refused(self, pg_ledger: str, tmp_path: Path) -> None:
        """Copying into a ledger that holds records changes nothing."""
        with ct.open(tmp_path / "src.db") as src:
            src.add_many(_ledger())
        with ct.open(pg_ledger) as dst:
            dst.add_speaker("Someone", id="someone")
        with pytest.raises(StoreError, match="already holds records"):
            ct.copy(tmp_path / "src.db", pg_ledger)
        with ct.open(pg_ledger) as dst:
            assert [r.id for r in dst.store.load()] == ["someone"]

    def test_a_failed_copy_leaves_nothing(
        self, pg_dsn: str, pg_schema: str, tmp_path: Path
    ) -> None:
        """A copy that fails half way stores nothing, and removes the file it made."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append([ct.Speaker("s0", "Speaker 0", recorded_at=T0)])
        with psycopg.connect(pg_dsn, autocommit=True) as conn:  # a bad row in the source
            conn.execute(
                f'INSERT INTO "{pg_schema}".records (seq, id, type, version, name) VALUES'  # type: ignore[arg-type]
                " (2, 's2', 'nonsense', 1, 'T')"
            )
            conn.execute(f'UPDATE "{pg_schema}".ledger_head SET last = 2')  # type: ignore[arg-type]
        with pytest.raises(CorruptStoreError, match="nonsense"):
            ct.copy(f"{pg_dsn} options='-csearch_path={pg_schema}'", tmp_path / "out.db")
        assert not (tmp_path / "out.db").exists()
        with ct.open(tmp_path / "src.db") as src:
            src.add_many(_ledger())
        other = f"{pg_schema}_dst"
        PostgreSQLStore(pg_dsn, schema=other).close()
        with psycopg.connect(pg_dsn, autocommit=True) as conn:  # the server fails row 5
            conn.execute(
                f'CREATE FUNCTION "{other}".fail() RETURNS trigger LANGUAGE plpgsql AS'  # type: ignore[arg-type]
                " $$BEGIN RAISE EXCEPTION 'disk full (a test)'; END$$"
            )
            conn.execute(
                f'CREATE TRIGGER fail BEFORE INSERT ON "{other}".records FOR EACH ROW'  # type: ignore[arg-type]
                f' WHEN (NEW.seq = 5) EXECUTE FUNCTION "{other}".fail()'
            )
        try:
            with pytest.raises(StoreError, match="disk full"):
                ct.copy(tmp_path / "src.db", f"{pg_dsn} options='-csearch_path={other}'")
            with PostgreSQLStore(pg_dsn, schema=other) as dst:
                assert dst.head() == 0
                assert list(dst.records()) == []
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{other}" CASCADE')  # type: ignore[arg-type]


class TestCommand:
    def test_claimtrack_copy(self, tmp_path: Path, pg_ledger: str) -> None:
        """`claimtrack copy SRC DST` copies between a file and a server, and says how many."""
        with ct.open(tmp_path / "a.jsonl") as src:
            src.add_many(_ledger())
        out = io.StringIO()
        assert _run(["copy", str(tmp_path / "a.jsonl"), pg_ledger], stdout=out) == 0
        assert out.getvalue() == "copied 5 records\n"
        out = io.StringIO()
        with_password = f"{pg_ledger} password=hunter2-secret"
        assert _run(["copy", with_password, str(tmp_path / "b.db"), "--json"], stdout=out) == 0
        assert json.loads(out.getvalue())["copied"] == 5
        assert "hunter2" not in out.getvalue()
        with ct.open(tmp_path / "b.db") as copied:
            assert list(copied.store.load()) == _ledger()

    def test_claimtrack_copy_refuses_a_full_destination(self, tmp_path: Path) -> None:
        """Copying onto a ledger with records is one error line, and changes nothing."""
        for name in ("a.db", "b.db"):
            with ct.open(tmp_path / name) as t:
                t.add_speaker("Someone", id=name[0])
        before = (tmp_path / "b.db").read_bytes()
        err = io.StringIO()
        assert _run(["copy", str(tmp_path / "a.db"), str(tmp_path / "b.db")], stderr=err) == 1
        assert err.getvalue().startswith("claimtrack: error: cannot copy into")
        assert (tmp_path / "b.db").read_bytes() == before
