"""Connections of the PostgreSQL store (claimtrack.stores._pgconn): faults, against a real server.

A connection lost between calls or during an append, a server stopped under a writer.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import psycopg
import pytest

import claimtrack as ct
from claimtrack.errors import StoreError
from claimtrack.stores import PostgreSQLStore

T0 = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)  # after every date the ledgers record


def _speakers(prefix: str, n: int) -> list[ct.Record]:
    return [
        ct.Speaker(f"{prefix}{i}", f"Speaker {i}", recorded_at=T0 + dt.timedelta(seconds=i))
        for i in range(n)
    ]


class TestFaults:
    def test_lost_connection_before_an_append_reconnects(self, pg_dsn: str, pg_schema: str) -> None:
        """A backend killed between calls: the next append reconnects and stores once."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(_speakers("a", 1))
            pid = store._conn.info.backend_pid
            with psycopg.connect(pg_dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            store.append(_speakers("b", 1))
            assert [r.id for r in store.records()] == ["a0", "b0"]
            assert store.get("a0") is not None  # reads reconnect too

    def test_lost_acknowledgement_is_told_by_the_ids(
        self, pg_dsn: str, pg_schema: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Committed but the answer lost: the store finds its ids and does not append twice."""
        store = PostgreSQLStore(pg_dsn, schema=pg_schema)
        original = PostgreSQLStore._append_once
        calls = []

        def commit_then_lose(self: PostgreSQLStore, rows: Any) -> Any:
            calls.append(1)
            result = original(self, rows)
            if len(calls) == 1:
                self._conn.close()
                raise psycopg.OperationalError("server closed the connection unexpectedly")
            return result

        monkeypatch.setattr(PostgreSQLStore, "_append_once", commit_then_lose)
        assert store.append(_speakers("s", 3)) == []
        assert calls == [1]
        assert store.head() == 3
        assert [r.id for r in store.records()] == ["s0", "s1", "s2"]
        assert list(store.read_new()) == []
        store.close()

    def test_server_stopped_mid_run(self, pg_server: Any, pg_dsn: str, pg_schema: str) -> None:
        """The server dies under a writer: acknowledged records stay, and it carries on."""
        if pg_server is None:
            pytest.skip("the server of CLAIMTRACK_TEST_PG is not ours to stop")
        tracker = ct.Tracker(PostgreSQLStore(pg_dsn, schema=pg_schema))
        tracker.add_speaker("Before", id="before")
        pg_server.stop("immediate")
        try:
            with pytest.raises(StoreError) as caught:
                tracker.add_speaker("During", id="during")
            assert "Traceback" not in str(caught.value)
            with pytest.raises(StoreError):
                tracker.store.head()  # type: ignore[attr-defined]
        finally:
            pg_server.start()
        tracker.add_speaker("After", id="after")  # reconnects
        assert [r.id for r in tracker.store.records()] == ["before", "after"]  # type: ignore[attr-defined]
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as again:
            assert [r.id for r in again.records()] == ["before", "after"]
        tracker.close()

    def test_writer_killed_by_a_crash_loses_no_acknowledged_record(
        self, pg_server: Any, pg_dsn: str, pg_schema: str, tmp_path: Path
    ) -> None:
        """A writer process appending while the server crashes: every acknowledged id is kept."""
        if pg_server is None:
            pytest.skip("the server of CLAIMTRACK_TEST_PG is not ours to stop")
        PostgreSQLStore(pg_dsn, schema=pg_schema).close()
        log = tmp_path / "acked"
        script = textwrap.dedent(
            """
            import sys, time
            import claimtrack as ct
            from claimtrack.errors import DuplicateRecordError, StoreError
            from claimtrack.stores import PostgreSQLStore
            store = PostgreSQLStore(sys.argv[1], schema=sys.argv[2], connect_timeout=1)
            with open(sys.argv[3], "w") as log:
                i = 0
                deadline = time.monotonic() + 6
                while time.monotonic() < deadline:
                    try:
                        store.append([ct.Speaker(f"s{i}", "S")])
                    except DuplicateRecordError:
                        pass  # a retry after "cannot tell": it had been stored
                    except StoreError:
                        time.sleep(0.05)
                        continue
                    print(f"s{i}", file=log, flush=True)
                    i += 1
            """
        )
        writer = subprocess.Popen([sys.executable, "-c", script, pg_dsn, pg_schema, str(log)])
        try:
            import time

            time.sleep(1.5)
            pg_server.stop("immediate")
            time.sleep(0.5)
        finally:
            pg_server.start()
        assert writer.wait(timeout=60) == 0
        acked = log.read_text().split()
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            stored = [r.id for r in store.records()]
        assert len(acked) > 10
        assert stored[: len(acked)] == acked
        assert len(stored) <= len(acked) + 1
        assert stored == [f"s{i}" for i in range(len(stored))]  # gap-free, nothing twice
