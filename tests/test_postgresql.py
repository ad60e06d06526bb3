"""The PostgreSQL store (claimtrack.stores._postgresql), against a real server.

The server comes from the ``pg_dsn`` fixture of ``conftest.py``: a throwaway cluster in a
temporary folder, or ``CLAIMTRACK_TEST_PG``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

import claimtrack as ct
from claimtrack._model import KIND_NAMES
from claimtrack.errors import (
    ClaimtrackError,
    CorruptStoreError,
    DuplicateRecordError,
    SchemaVersionError,
    StoreError,
)
from claimtrack.stores import ClaimRecords, PostgreSQLStore, open_store
from claimtrack.stores._pgschema import SCHEMA_VERSION
from claimtrack.strategies import ledgers

T0 = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)  # after every date the ledgers record
SLOW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _speakers(prefix: str, n: int) -> list[ct.Record]:
    return [
        ct.Speaker(f"{prefix}{i}", f"Speaker {i}", recorded_at=T0 + dt.timedelta(seconds=i))
        for i in range(n)
    ]


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
    """A small fixed ledger with a chain of retractions and a ruling."""
    t = ct.Tracker(clock=iter(T0 + dt.timedelta(seconds=i) for i in range(1000)).__next__)
    t.add_speaker("Donald Trump", id="trump")
    t.add_speaker("Sergey Lavrov", id="lavrov")
    t.add_claim(
        "trump", "Ukraine will be involved in the peace negotiations.", id="c1",
        stated_on="2025-02-18", topics={"ukraine", "peace-talks"}, kind="assurance",
    )  # fmt: skip
    t.add_claim(
        "lavrov", "The talks will focus on restoring relations.", id="c2",
        stated_on="2025-02", topics={"russia"}, kind="prediction", due="2025-12-31",
    )  # fmt: skip
    t.add_evidence("c1", "Ukraine was not invited to Riyadh.", id="e1", stance="refutes",
                   strength="moderate", observed_on="2025-02-18")  # fmt: skip
    t.add_evidence("c1", "Delegations met in Jeddah.", id="e2", stance="supports",
                   strength="strong", observed_on="2025-03-11")  # fmt: skip
    t.add_evidence("c2", "The talks covered Ukraine at length.", id="e3", stance="refutes",
                   strength="conclusive", observed_on="2025-02-19")  # fmt: skip
    t.retract("e1", reason="misreported", id="x1")
    t.retract("x1", reason="the report was right", id="x2")
    t.rule("c2", "failed", on="2025-03-01", rationale="they covered Ukraine", id="r1")
    t.retract("r1", reason="premature", id="x3")
    return list(t.store.load())


class TestOpen:
    def test_uri_and_conninfo_open_a_ledger(self, pg_ledger: str, pg_dsn: str) -> None:
        """ct.open takes a libpq string, and a postgresql:// or postgres:// URI."""
        with ct.open(pg_ledger) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            assert isinstance(tracker.store, PostgreSQLStore)
        params = psycopg.conninfo.conninfo_to_dict(pg_ledger)
        for scheme in ("postgresql", "postgres"):
            uri = f"{scheme}://{params['user']}@/{params['dbname']}?host={params['host']}"
            uri += f"&options=-csearch_path%3D{params['options'].split('=')[1]}"
            with ct.open(uri) as tracker:
                assert [s.id for s in tracker.speakers()] == ["trump"]

    def test_schema_argument_keeps_ledgers_apart(self, pg_dsn: str, pg_schema: str) -> None:
        """Two schemas in one database are two ledgers."""
        with _fresh(pg_dsn) as other:
            with PostgreSQLStore(pg_dsn, schema=pg_schema) as a:
                a.append(_speakers("a", 2))
            with PostgreSQLStore(pg_dsn, schema=other) as b:
                b.append(_speakers("b", 3))
            with PostgreSQLStore(pg_dsn, schema=pg_schema) as a:
                assert [r.id for r in a.records()] == ["a0", "a1"]
                assert a.schema == pg_schema
                assert a.schema_version == SCHEMA_VERSION

    def test_schema_is_created_once_with_a_version(self, pg_dsn: str, pg_schema: str) -> None:
        """A new schema gets the tables and a version row; reopening changes nothing."""
        PostgreSQLStore(pg_dsn, schema=pg_schema).close()
        PostgreSQLStore(pg_dsn, schema=pg_schema).close()
        with psycopg.connect(pg_dsn) as conn:
            rows = conn.execute(f'SELECT version FROM "{pg_schema}".claimtrack_schema').fetchall()  # type: ignore[arg-type]
        assert rows == [(SCHEMA_VERSION,)]

    def test_another_applications_schema_is_refused_untouched(
        self, pg_dsn: str, pg_schema: str
    ) -> None:
        """A schema with other tables is not a ledger, and is left as it was."""
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{pg_schema}"')  # type: ignore[arg-type]
            conn.execute(f'CREATE TABLE "{pg_schema}".orders (n int)')  # type: ignore[arg-type]
        with pytest.raises(CorruptStoreError, match="not a claimtrack ledger"):
            PostgreSQLStore(pg_dsn, schema=pg_schema)
        with psycopg.connect(pg_dsn) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", [pg_schema]
            ).fetchall()
        assert tables == [("orders",)]

    def test_newer_schema_version_is_refused(self, pg_dsn: str, pg_schema: str) -> None:
        """A ledger of a newer claimtrack is a SchemaVersionError."""
        PostgreSQLStore(pg_dsn, schema=pg_schema).close()
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'UPDATE "{pg_schema}".claimtrack_schema SET version = 99')  # type: ignore[arg-type]
        with pytest.raises(SchemaVersionError):
            PostgreSQLStore(pg_dsn, schema=pg_schema)

    def test_server_down_names_the_host_not_the_password(self, tmp_path: Path) -> None:
        """No server: a StoreError naming the host and the cause, without traceback chain."""
        dsn = f"host={tmp_path} port=5999 dbname=claims user=desk password=s3cret-pw"
        with pytest.raises(StoreError) as caught:
            ct.open(dsn)
        message = str(caught.value)
        assert str(tmp_path) in message
        assert "cannot connect" in message
        assert "s3cret-pw" not in message
        assert "s3cret-pw" not in repr(caught.value)
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__

    def test_password_is_never_shown(self, pg_dsn: str, pg_schema: str) -> None:
        """The password of the connection string appears in no repr and no error."""
        dsn = f"{pg_dsn} password=hunter2-secret options='-csearch_path={pg_schema}'"
        with ct.open(dsn) as tracker:
            tracker.add_speaker("Donald Trump", id="trump")
            assert "hunter2" not in repr(tracker.store)
            assert "hunter2" not in repr(tracker)
            with pytest.raises(DuplicateRecordError) as caught:
                tracker.store.append([ct.Speaker("trump", "Again")])
            assert "hunter2" not in str(caught.value)
        with pytest.raises(StoreError) as refused:
            PostgreSQLStore(dsn.replace("dbname=postgres", "dbname=nosuchdb"))
        assert "nosuchdb" in str(refused.value)
        assert "hunter2" not in str(refused.value)

    def test_missing_psycopg_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without psycopg, opening a DSN says which extra to install."""
        monkeypatch.setitem(sys.modules, "psycopg", None)
        with pytest.raises(StoreError, match=r"claimtrack\[postgresql\]"):
            open_store("postgresql://desk@db.example/claims")


class TestAppend:
    @SLOW
    @given(records=ledgers())
    def test_any_ledger_reads_back_equal_in_order(
        self, pg_dsn: str, records: list[ct.Record]
    ) -> None:
        """Every record comes back equal, in the order appended, recorded_at exact."""
        with _fresh(pg_dsn) as schema:
            with PostgreSQLStore(pg_dsn, schema=schema) as store:
                store.append(records[:3])
                store.append(records[3:])
            with PostgreSQLStore(pg_dsn, schema=schema) as again:
                assert list(again.records()) == records
                assert list(again.load()) == records
                assert [r.recorded_at for r in again.records()] == [r.recorded_at for r in records]

    def test_bulk_append_goes_through_copy(self, pg_dsn: str, pg_schema: str) -> None:
        """A large append (COPY) stores every record in order with gap-free seq."""
        records = _speakers("s", 5_000)
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(records[:1])
            store.append(records[1:])
            assert list(store.records()) == records
            assert store.head() == 5_000
        with psycopg.connect(pg_dsn) as conn:
            seqs = conn.execute(f'SELECT seq FROM "{pg_schema}".records ORDER BY seq').fetchall()  # type: ignore[arg-type]
        assert [s for (s,) in seqs] == list(range(1, 5_001))

    def test_duplicate_id_from_another_writer(self, pg_dsn: str, pg_schema: str) -> None:
        """The second writer of an id gets DuplicateRecordError, and stores nothing."""
        a = PostgreSQLStore(pg_dsn, schema=pg_schema)
        b = PostgreSQLStore(pg_dsn, schema=pg_schema)
        a.append(_speakers("s", 2))
        with pytest.raises(DuplicateRecordError, match="'s1'"):
            b.append([ct.Speaker("new", "New"), ct.Speaker("s1", "Taken")])
        assert [r.id for r in b.read_new()] == ["s0", "s1"]  # what b read is not lost
        assert a.counts()["speaker"] == 2
        assert a.head() == 2
        b.append([ct.Speaker("new", "New")])
        assert [r.id for r in a.records()] == ["s0", "s1", "new"]
        a.close(), b.close()

    def test_duplicate_inside_one_append(self, pg_dsn: str, pg_schema: str) -> None:
        """The same id twice in one append is refused whole."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            with pytest.raises(DuplicateRecordError):
                store.append([ct.Speaker("a", "A"), ct.Speaker("a", "A again")])
            assert store.head() == 0
            assert list(store.records()) == []

    def test_append_returns_other_writers_records_first(self, pg_dsn: str, pg_schema: str) -> None:
        """append() hands back, in order, what other writers stored since the last read."""
        a = PostgreSQLStore(pg_dsn, schema=pg_schema)
        b = PostgreSQLStore(pg_dsn, schema=pg_schema)
        a.append(_speakers("a", 2))
        assert [r.id for r in b.append(_speakers("b", 1))] == ["a0", "a1"]
        assert [r.id for r in a.read_new()] == ["b0"]
        assert list(a.read_new()) == []
        a.close(), b.close()

    def test_read_only_role_can_open_and_query(self, pg_dsn: str, pg_schema: str) -> None:
        """A role with only SELECT (a dashboard) reads everything, and cannot write."""
        with ct.Tracker(PostgreSQLStore(pg_dsn, schema=pg_schema)) as tracker:
            tracker.add_many(_ledger())
            assert not tracker.store.readonly  # type: ignore[attr-defined]
        role = f"reader_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN")  # type: ignore[arg-type]
            conn.execute(f'GRANT USAGE ON SCHEMA "{pg_schema}" TO {role}')  # type: ignore[arg-type]
            conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{pg_schema}" TO {role}')  # type: ignore[arg-type]
        try:
            dsn = psycopg.conninfo.make_conninfo(pg_dsn, user=role)
            with ct.Tracker(PostgreSQLStore(dsn, schema=pg_schema)) as reader:
                assert reader.assess("c2").verdict is ct.Verdict.FAILED
                store = reader.store
                assert isinstance(store, PostgreSQLStore)
                assert store.get("e2") is not None
                assert [c.id for c in store.claims(topic="ukraine")] == ["c1"]
                assert [r.id for r, _ in store.search("jeddah")] == ["e2"]
                assert store.counts()["evidence"] == 3
                assert store.readonly
                with pytest.raises(StoreError, match="permission denied"):
                    reader.add_speaker("Intruder", id="intruder")
                assert store.get("intruder") is None
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{pg_schema}" FROM {role}')  # type: ignore[arg-type]
                conn.execute(f'REVOKE ALL ON SCHEMA "{pg_schema}" FROM {role}')  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]


class TestRoles:
    def test_a_writing_role_with_the_documented_grants(self, pg_dsn: str, pg_schema: str) -> None:
        """A role with the grants the team how-to lists can append, and nothing more."""
        with ct.Tracker(PostgreSQLStore(pg_dsn, schema=pg_schema)) as tracker:
            tracker.add_many(_ledger())
        role = f"importer_{uuid.uuid4().hex[:8]}"
        grants = [
            f"CREATE ROLE {role} LOGIN",
            f'GRANT USAGE ON SCHEMA "{pg_schema}" TO {role}',
            f'GRANT SELECT, INSERT ON "{pg_schema}".records TO {role}',
            f'GRANT SELECT, UPDATE ON "{pg_schema}".ledger_head TO {role}',
            f'GRANT SELECT ON "{pg_schema}".claimtrack_schema TO {role}',
            f'GRANT SELECT, INSERT, UPDATE ON "{pg_schema}".weights TO {role}',
        ]
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for grant in grants:
                conn.execute(grant)  # type: ignore[arg-type]
        try:
            dsn = psycopg.conninfo.make_conninfo(pg_dsn, user=role)
            with ct.Tracker(PostgreSQLStore(dsn, schema=pg_schema)) as importer:
                importer.add_evidence(
                    "c1", "Imported overnight.", stance="supports", observed_on="2025-03-02"
                )
                importer.add_many([ct.Speaker(f"bulk{i}", "Bulk") for i in range(100)])
                assert importer.store.counts()["speaker"] == 102  # type: ignore[attr-defined]
            with psycopg.connect(pg_dsn) as conn:  # the weighing counts were kept
                upto, last = conn.execute(
                    f'SELECT weights_upto, last FROM "{pg_schema}".ledger_head'  # type: ignore[arg-type]
                ).fetchone()  # type: ignore[misc]
            assert upto == last == len(_ledger()) + 101
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]


def _oracle_claim_records(records: list[ct.Record], claim_id: str) -> ClaimRecords | None:
    """What claim_records() must answer, worked out from the list."""
    claim = next((r for r in records if r.id == claim_id and isinstance(r, ct.Claim)), None)
    if claim is None:
        return None
    about = [r for r in records if getattr(r, "claim_id", None) == claim_id]
    reached = {claim_id} | {r.id for r in about}
    retractions: list[ct.Retraction] = []
    for r in records:  # a retraction comes after its target, so one pass reaches all
        if isinstance(r, ct.Retraction) and r.target_id in reached:
            reached.add(r.id)
            retractions.append(r)
    return ClaimRecords(
        claim=claim,
        evidence=tuple(r for r in about if isinstance(r, ct.Evidence)),
        rulings=tuple(r for r in about if isinstance(r, ct.Ruling)),
        forecasts=tuple(r for r in about if isinstance(r, ct.Forecast)),
        retractions=tuple(retractions),
    )


class TestQueries:
    @SLOW
    @given(records=ledgers(), topic=st.sampled_from(["ukraine", "a", "peace-talks"]))
    def test_queries_answer_as_the_list_does(
        self, pg_dsn: str, records: list[ct.Record], topic: str
    ) -> None:
        """get, claim_records, claims filters, speakers, counts, each_claim: as the list."""
        with _fresh(pg_dsn) as schema, PostgreSQLStore(pg_dsn, schema=schema) as store:
            store.append(records)
            claims = [r for r in records if isinstance(r, ct.Claim)]
            for record in records:
                assert store.get(record.id) == record
            assert store.get("no-such-id") is None
            for claim in claims:
                assert store.claim_records(claim.id) == _oracle_claim_records(records, claim.id)
            assert [c.claim for c in store.each_claim()] == claims
            assert list(store.each_claim()) == [
                _oracle_claim_records(records, c.id) for c in claims
            ]
            assert list(store.speakers()) == [r for r in records if isinstance(r, ct.Speaker)]
            counts = dict.fromkeys(KIND_NAMES.values(), 0)
            for record in records:
                counts[KIND_NAMES[type(record)]] += 1
            assert store.counts() == counts
            assert list(store.claims(topic=topic)) == [c for c in claims if topic in c.topics]
            for claim in claims[:2]:
                by = claim.speaker_id
                assert list(store.claims(speaker_id=by)) == [
                    c for c in claims if c.speaker_id == by
                ]
                assert list(store.claims(kind=claim.kind)) == [
                    c for c in claims if c.kind is claim.kind
                ]
                end = claim.stated_on.end
                assert list(store.claims(stated_from=end)) == [
                    c for c in claims if c.stated_on.end >= end
                ]
                assert list(store.claims(stated_until=end, speaker_id=by)) == [
                    c for c in claims if c.stated_on.end <= end and c.speaker_id == by
                ]
            forecasts = [r for r in records if isinstance(r, ct.Forecast)]
            assert list(store.forecasts()) == forecasts
            for f in forecasts[:2]:
                assert list(store.forecasts(speaker_id=f.speaker_id)) == [
                    g for g in forecasts if g.speaker_id == f.speaker_id
                ]
                assert list(store.forecasts(claim_id=f.claim_id, speaker_id=f.speaker_id)) == [
                    g
                    for g in forecasts
                    if g.claim_id == f.claim_id and g.speaker_id == f.speaker_id
                ]

    def test_retractions_reach_through_chains(self, pg_dsn: str, pg_schema: str) -> None:
        """A retraction of a retraction is among a record's and its claim's retractions."""
        records = _ledger()
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(records)
            assert [r.id for r in store.retractions_of("e1")] == ["x1", "x2"]
            assert [r.id for r in store.retractions_of("x1")] == ["x2"]
            assert store.retractions_of("e2") == ()
            found = store.claim_records("c2")
            assert found is not None
            assert [r.id for r in found.retractions] == ["x3"]
            assert store.claim_records("e1") is None
            assert store.claim_records("nope") is None

    def test_a_retraction_cycle_is_corrupt_not_a_hang(self, pg_dsn: str, pg_schema: str) -> None:
        """A hand-made cycle (x1 retracts x2 retracts x1) is a CorruptStoreError."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(_ledger()[:5])  # speakers, claims, e1
            store.append(
                [
                    ct.Retraction("x1", "x2", reason="loop", recorded_at=T0),
                    ct.Retraction("x2", "x1", reason="loop", recorded_at=T0),
                ]
            )
            with pytest.raises(CorruptStoreError, match="x1"):
                store.retractions_of("x1")

    def test_search_ranks_matching_text(self, pg_dsn: str, pg_schema: str) -> None:
        """search() finds claims and evidence by their words, best match first."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(_ledger())
            found = store.search("Ukraine")
            assert {r.id for r, _ in found} == {"c1", "e1", "e3"}
            assert all(score > 0 for _, score in found)
            assert [r.id for r, _ in store.search("delegations Jeddah")] == ["e2"]
            assert store.search("Ukraine", limit=1)[0][1] == found[0][1]
            assert store.search("nothing-like-this") == []

    def test_a_stream_half_read_leaves_appends_free(self, pg_dsn: str, pg_schema: str) -> None:
        """A half-read records() stream sees its snapshot while appends go on."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(_speakers("s", 12_000))
            stream = store.records()
            first = next(stream)
            store.append([ct.Speaker("late", "Late")])
            rest = list(stream)
            assert first.id == "s0"
            assert len(rest) == 11_999
            assert store.get("late") is not None


class TestTracker:
    def test_tracker_answers_the_same_as_memory_and_sqlite(
        self, pg_ledger: str, tmp_path: Path
    ) -> None:
        """The same operations on memory, SQLite and PostgreSQL give the same answers."""
        trackers = [
            ct.Tracker(clock=iter(T0 + dt.timedelta(seconds=i) for i in range(99)).__next__),
            ct.open(
                tmp_path / "l.db",
                clock=iter(T0 + dt.timedelta(seconds=i) for i in range(99)).__next__,
            ),
            ct.open(
                pg_ledger, clock=iter(T0 + dt.timedelta(seconds=i) for i in range(99)).__next__
            ),
        ]
        for t in trackers:
            t.add_many(_ledger()[:4])
            t.add_evidence(
                "c1", "More news.", stance="supports", strength="weak", observed_on="2025-03-01"
            )
            t.rule("c1", "held", on="2025-03-12", rationale="Jeddah")
            with pytest.raises(DuplicateRecordError):
                t.add_speaker("Again", id="trump")
        later = T0 + dt.timedelta(days=400)
        reopened = [
            ct.Tracker(trackers[0].store, clock=lambda: later),
            ct.open(tmp_path / "l.db", clock=lambda: later),
            ct.open(pg_ledger, clock=lambda: later),
        ]

        def answers(t: ct.Tracker) -> Any:
            return (
                list(t.store.load()) if not isinstance(t.store, ct.stores.MemoryStore) else None,
                t.assess("c1"),
                t.assess("c1", as_of="2025-03-05"),
                t.history("c2"),
                [c.id for c in t.claims(speaker="trump")],
                t.track_record("trump"),
            )

        memory, sqlite, postgres = (answers(t) for t in reopened)
        assert memory[1:] == sqlite[1:] == postgres[1:]
        assert sqlite[0] == postgres[0]
        for t in [*trackers, *reopened[1:]]:
            t.close()


class TestFollow:
    def test_follow_yields_other_writers_records(self, pg_ledger: str) -> None:
        """follow() yields what another writer commits, and ends after the idle timeout."""
        reader, writer = ct.open(pg_ledger), ct.open(pg_ledger)
        writer.add_speaker("Donald Trump", id="trump")
        got = []
        for record in reader.follow(timeout=0.5):
            got.append(record.id)
            if record.id == "trump":
                writer.add_speaker("Sergey Lavrov", id="lavrov")
        assert got == ["trump", "lavrov"]
        assert "lavrov" in reader
        reader.close(), writer.close()

    @pytest.mark.parametrize("suffix", [".db", ".jsonl"])
    def test_follow_polls_file_stores(self, tmp_path: Path, suffix: str) -> None:
        """On SQLite and JSON Lines, follow() polls and yields the same."""
        path = tmp_path / f"ledger{suffix}"
        reader, writer = ct.open(path), ct.open(path)
        writer.add_speaker("Donald Trump", id="trump")
        got = [r.id for r in reader.follow(timeout=0.3, poll=0.05)]
        assert got == ["trump"]
        reader.close(), writer.close()


WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    import claimtrack as ct
    from claimtrack.stores import PostgreSQLStore
    dsn, schema, name, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = PostgreSQLStore(dsn, schema=schema)
    t = dt.datetime(2025, 2, 18, tzinfo=dt.UTC)
    for i in range(n):
        store.append([ct.Speaker(f"{name}-{i}", f"Writer {name} {i}", recorded_at=t)])
    store.close()
    """
)


class TestManyWriters:
    def test_four_writers_and_a_follower(self, pg_dsn: str, pg_schema: str) -> None:
        """4 processes, 2,000 each: appends while a reader follows: each record once, in order."""
        PostgreSQLStore(pg_dsn, schema=pg_schema).close()
        reader = PostgreSQLStore(pg_dsn, schema=pg_schema)
        writers = [
            subprocess.Popen([sys.executable, "-c", WRITER, pg_dsn, pg_schema, f"w{w}", "2000"])
            for w in range(4)
        ]
        seen = []
        for record in reader.follow(timeout=30):
            seen.append(record.id)
            if len(seen) == 8_000:
                break
        assert [w.wait(timeout=60) for w in writers] == [0, 0, 0, 0]
        assert list(reader.read_new()) == []
        assert len(seen) == len(set(seen)) == 8_000
        assert seen == [r.id for r in reader.records()]  # the store's one order
        for w in range(4):  # each writer's records in its own order
            mine = [i for i in seen if i.startswith(f"w{w}-")]
            assert mine == [f"w{w}-{i}" for i in range(2000)]
        reader.close()


class TestFollowCommand:
    def test_claimtrack_follow_prints_new_records(self, pg_ledger: str) -> None:
        """`claimtrack --db DSN follow --json` prints each record another writer adds."""
        import io
        import json
        import threading

        from claimtrack.cli import _run

        with ct.open(pg_ledger) as writer:
            writer.add_speaker("Donald Trump", id="trump")  # there before: not printed
            later = threading.Timer(0.3, writer.add_speaker, ["Sergey Lavrov"], {"id": "lavrov"})
            later.start()
            out = io.StringIO()
            code = _run(["--db", pg_ledger, "follow", "--timeout", "1", "--json"], stdout=out)
            later.join()
        assert code == 0
        assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["lavrov"]


_IDS = st.sampled_from(["a", "b", "c", "d", "e"])
_TEXT = st.sampled_from(["Text", " padded ", "", "x\ud800", "Ünïcödé — «ok»\nline"])


class PostgreSQLAgainstMemory(RuleBasedStateMachine):
    """The same operations on a PostgreSQL, a SQLite and a memory tracker agree.

    Failing operations included; a second writer appends between calls; the PostgreSQL
    and SQLite trackers are reopened at random points.  Every query answers the same.
    """

    dsn = ""  # set by the test below, from the pg_dsn fixture

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.schema = f"s_{uuid.uuid4().hex[:12]}"
        self.ledger = f"{self.dsn} options='-csearch_path={self.schema}'"
        self.folder = tempfile.mkdtemp()
        self.memory = ct.Tracker(clock=self.clock)
        self.sqlite = ct.open(os.path.join(self.folder, "l.db"), clock=self.clock)
        self.pg = ct.open(self.ledger, clock=self.clock)
        self.other = ct.open(self.ledger, clock=self.clock)  # a second writer

    def clock(self) -> dt.datetime:
        return self.now

    def all(self, call: Any, trackers: tuple[ct.Tracker, ...] = ()) -> None:
        self.now += dt.timedelta(seconds=1)
        outcomes = []
        for tracker in trackers or (self.pg, self.sqlite, self.memory):
            try:
                outcomes.append(("ok", call(tracker)))
            except ClaimtrackError as exc:
                outcomes.append(("error", type(exc)))
        assert all(outcome == outcomes[-1] for outcome in outcomes), outcomes

    @rule(id=_IDS, name=_TEXT)
    def add_speaker(self, id: str, name: str) -> None:
        self.all(lambda t: t.add_speaker(name, id=id))

    @rule(speaker=_IDS, id=_IDS, text=_TEXT, topic=st.sampled_from(["ukraine", "nato"]))
    def add_claim(self, speaker: str, id: str, text: str, topic: str) -> None:
        self.all(
            lambda t: t.add_claim(speaker, text, id=id, stated_on="2025-02-18", topics={topic})
        )

    @rule(claim=_IDS, text=_TEXT, stance=st.sampled_from(["supports", "refutes", "nope"]))
    def add_evidence(self, claim: str, text: str, stance: str) -> None:
        self.all(lambda t: t.add_evidence(claim, text, stance=stance, observed_on="2025-03"))

    @rule(claim=_IDS, verdict=st.sampled_from(["held", "failed"]))
    def rule_on(self, claim: str, verdict: str) -> None:
        self.all(lambda t: t.rule(claim, verdict, on="2025-04-01", rationale="desk"))

    @rule(withdrawn=_IDS, id=_IDS)
    def retract(self, withdrawn: str, id: str) -> None:
        self.all(lambda t: t.retract(withdrawn, reason="misreported", id=id))

    @rule(ids=st.lists(_IDS, max_size=3))
    def add_many(self, ids: list[str]) -> None:
        self.all(lambda t: t.add_many([ct.Speaker(i, "Bulk") for i in ids]))

    @rule(id=_IDS)
    def another_writer(self, id: str) -> None:
        """Another process's tracker adds a speaker: the PostgreSQL tracker sees it."""
        self.all(
            lambda t: t.add_speaker("Other", id=f"o-{id}"), (self.other, self.sqlite, self.memory)
        )

    @rule()
    def reopen(self) -> None:
        self.pg.close()
        self.pg = ct.open(self.ledger, clock=self.clock)
        self.sqlite.close()
        self.sqlite = ct.open(os.path.join(self.folder, "l.db"), clock=self.clock)

    @invariant()
    def agree(self) -> None:
        def ask(call: Any) -> Any:
            try:
                return ("ok", call())
            except ClaimtrackError as exc:
                return ("error", type(exc))

        answers = []
        for t in (self.pg, self.sqlite, self.memory):
            claims = t.claims()
            answers.append(
                (
                    list(t.records()),
                    [s.id for s in t.speakers()],
                    claims,
                    t.claims(topic="ukraine"),
                    ask(lambda t=t: t.claims(speaker="a")),
                    [t.assess(c) for c in claims],
                    [t.assess(c, as_of="2025-03-15") for c in claims],
                    [t.history(c) for c in claims],
                    t.assess_all(),
                    [t.track_record(s) for s in t.speakers()],
                    len(t),
                )
            )
        assert answers[0] == answers[1] == answers[2]

    def teardown(self) -> None:
        for t in (self.pg, self.sqlite, self.other):
            t.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')  # type: ignore[arg-type]


def test_postgresql_answers_as_sqlite_and_memory(pg_dsn: str) -> None:
    """Stateful: PostgreSQL, SQLite and memory trackers give the same answers throughout."""
    PostgreSQLAgainstMemory.dsn = pg_dsn
    run_state_machine_as_test(
        PostgreSQLAgainstMemory,
        settings=settings(max_examples=20, stateful_step_count=12, deadline=None),
    )


EVIDENCE_WRITER = textwrap.dedent(
    """
    import sys
    import claimtrack as ct
    with ct.open(sys.argv[1]) as t:
        for i in range(int(sys.argv[2])):
            t.add_evidence("c1", f"Report {i}", stance="supports", observed_on="2025-03-01")
    """
)


class TestAutomaticIds:
    def test_two_writers_without_ids_never_collide(self, pg_ledger: str) -> None:
        """Two processes adding evidence without ids to one claim: every piece stored."""
        with ct.open(pg_ledger) as t:
            t.add_many(_ledger()[:3])
        writers = [
            subprocess.Popen([sys.executable, "-c", EVIDENCE_WRITER, pg_ledger, "150"])
            for _ in range(2)
        ]
        assert [w.wait(timeout=120) for w in writers] == [0, 0]
        with ct.open(pg_ledger) as t:
            found = t.store.claim_records("c1")  # type: ignore[attr-defined]
            assert len(found.evidence) == 300
            assert len({e.id for e in found.evidence}) == 300


class TestOddSchemaNames:
    def test_a_schema_name_with_quotes_and_spaces(self, pg_dsn: str) -> None:
        """A schema named 'the "desk" ledger' works for writing, reading and following."""
        name = f'the "desk" ledger {uuid.uuid4().hex[:6]}'
        try:
            reader = ct.Tracker(PostgreSQLStore(pg_dsn, schema=name))
            with ct.Tracker(PostgreSQLStore(pg_dsn, schema=name)) as writer:
                writer.add_speaker("Donald Trump", id="trump")
            assert [r.id for r in reader.follow(timeout=0.3)] == ["trump"]
            assert reader.store.schema == name  # type: ignore[attr-defined]
            reader.close()
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(
                    psycopg.sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        psycopg.sql.Identifier(name)
                    )
                )
