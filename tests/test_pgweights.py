"""Tests of the PostgreSQL ledger's weighing counts (schema version 2), on a real server.

The counts (``weights``, ``ledger_head.weights_upto``, the triggers) are derived data:
every test here checks them against a recount from the records, or checks that
``assess_all()`` answers as the records say whatever happened to them.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

import claimtrack as ct
from claimtrack.errors import CorruptStoreError, DuplicateRecordError
from claimtrack.stores import PostgreSQLStore, _pgweights
from claimtrack.stores._pgschema import _CREATE_V1, FIELDS, SCHEMA_VERSION
from claimtrack.stores._pgweights import TRIGGERS, Pending
from claimtrack.stores._rows import COLUMNS, to_row
from claimtrack.stores._weights import count, decode, merge
from claimtrack.strategies import ledgers

T0 = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(days=400)  # the trackers' clock when assessing
SLOW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_INSERT = (
    f"INSERT INTO records (seq, type, version, id, {FIELDS})"
    f" VALUES ({', '.join(['%s'] * (len(COLUMNS) + 3))})"
)


def _clock() -> Any:
    return iter(T0 + dt.timedelta(seconds=i) for i in range(100_000)).__next__


def _ledger() -> list[ct.Record]:
    """Claims with evidence of every stance, strength and reliability; rulings; retractions."""
    t = ct.Tracker(clock=_clock())
    wire = ct.Source(title="Wire", reliability=0.9)
    blog = ct.Source(title="Blog", reliability=0.35)
    t.add_speaker("Donald Trump", id="trump")
    t.add_speaker("Sergey Lavrov", id="lavrov")
    for i in range(6):
        t.add_claim(
            "trump" if i % 2 else "lavrov", f"Claim {i}.", id=f"c{i}", stated_on="2025-01-10",
            due="2025-02-01" if i == 3 else None,
        )  # fmt: skip
    stances = ["supports", "refutes", "mixed", "context", "supports", "refutes", "supports"]
    strengths = ["weak", "moderate", "strong", "moderate", "weak"]
    for k in range(40):
        t.add_evidence(
            f"c{k % 5}", f"Evidence {k}.", id=f"e{k}", stance=stances[k % 7],
            strength=strengths[k % 5], observed_on=f"2025-01-{11 + k % 17}",
            source=(None, wire, blog)[k % 3],
        )  # fmt: skip
    t.add_evidence("c4", "Settled.", id="settle", stance="supports", strength="conclusive",
                   observed_on="2025-02-01")  # fmt: skip
    t.rule("c2", "held", on="2025-02-02", rationale="desk", id="r1")
    t.retract("e1", reason="misreported", id="x1")  # c1 is read from its records
    t.retract("x1", reason="it was right", id="x2")
    t.rule("c3", "failed", on="2025-02-03", rationale="desk", id="r2")
    t.retract("r2", reason="premature", id="x3")  # c3 too
    return list(t.store.load())


def _recount(records: Sequence[ct.Record]) -> dict[str, dict[str, int] | None]:
    """Each claim's counts as they must be stored (decoded), worked out from the records."""
    claims, counts = count(records)
    found = {claim_id: decode(text) for claim_id, text in merge(claims, counts, {})}
    assert None not in found.values()
    return found


def _conn(dsn: str, schema: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute("SELECT set_config('search_path', quote_ident(%s), false)", [schema])
    return conn


def _stored(dsn: str, schema: str) -> tuple[dict[str, dict[str, int] | None], int | None, int]:
    """The stored counts (decoded: the order of keys may vary), ``weights_upto``, the head."""
    with _conn(dsn, schema) as conn:
        rows = conn.execute("SELECT claim_key, counts FROM weights").fetchall()
        weights = {claim_id: decode(text) for claim_id, text in rows}
        row = conn.execute("SELECT weights_upto, last FROM ledger_head").fetchone()
    assert row is not None
    return weights, row[0], row[1]


def _append_by_sql(dsn: str, schema: str, records: Sequence[ct.Record]) -> None:
    """Append as a program other than claimtrack would: the head first, then the rows."""
    with _conn(dsn, schema) as conn, conn.transaction():
        for record in records:
            last = conn.execute("UPDATE ledger_head SET last = last + 1 RETURNING last").fetchone()
            conn.execute(_INSERT, [last[0], *to_row(record)])  # type: ignore[index]


def _same(a: ct.Assessment, b: ct.Assessment) -> None:
    """Two assessments of one claim agree."""
    assert (a.claim, a.verdict, a.computed_verdict) == (b.claim, b.verdict, b.computed_verdict)
    assert (a.ruling, a.due_passed, a.as_of, a.known_at) == (b.ruling, b.due_passed, None, None)
    # exactly: every path adds the shares up exactly, rounding once (claimtrack._sums)
    assert (a.log_odds, a.probability) == (b.log_odds, b.probability)
    assert tuple(a.contributions) == tuple(b.contributions)
    assert a == b


def _assess_all_is_right(ledger: str, records: Sequence[ct.Record]) -> list[ct.Assessment]:
    """assess_all over the server equals assess_all in memory and assess() of each claim."""
    memory = ct.Tracker(clock=lambda: LATER)
    memory.add_many(records)
    with ct.open(ledger, clock=lambda: LATER) as tracker:
        found = tracker.assess_all()
        expected = memory.assess_all()
        assert [a.claim.id for a in found] == [a.claim.id for a in expected]
        for got, want in zip(found, expected, strict=True):
            _same(got, want)
            _same(got, tracker.assess(got.claim.id))
    return list(found)


def _counted(ledger: str) -> set[str]:
    """The claims assess_all weighs from their counts; set() when none are used."""
    with ct.open(ledger) as tracker:
        store = tracker.store
        assert isinstance(store, PostgreSQLStore)
        weights = store._weighing_counts()
    return set() if weights is None else set(weights.counts)


@pytest.fixture
def store(pg_dsn: str, pg_schema: str) -> Iterator[PostgreSQLStore]:
    with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
        yield store


class TestCounts:
    def test_add_many_counts_every_claim(self, pg_dsn: str, pg_schema: str) -> None:
        """A bulk append (COPY) stores each claim's counts as a recount gives them."""
        records = _ledger()
        with ct.Tracker(PostgreSQLStore(pg_dsn, schema=pg_schema)) as tracker:
            tracker.add_many(records)
        weights, upto, head = _stored(pg_dsn, pg_schema)
        assert weights == _recount(records)
        assert upto == head == len(records)

    @pytest.mark.parametrize("fast", [True, False])
    def test_single_adds_count_as_they_go(
        self, store: PostgreSQLStore, pg_dsn: str, fast: bool
    ) -> None:
        """Appends of one or a few records keep the counts equal to a recount."""
        store._fast = fast  # (False: small appends read and merge under the lock)
        records = _ledger()
        for i in range(0, len(records), 3):
            store.append(records[i : i + 3])
        weights, upto, head = _stored(pg_dsn, store.schema)
        assert weights == _recount(records)
        assert upto == head == len(records)

    def test_two_writers_interleaved(self, pg_dsn: str, pg_schema: str) -> None:
        """Two stores appending in turn (each adding to the other's claims) count it all."""
        records = _ledger()
        a = PostgreSQLStore(pg_dsn, schema=pg_schema)
        b = PostgreSQLStore(pg_dsn, schema=pg_schema)
        for i, record in enumerate(records):
            (a if i % 2 else b).append([record])
        a.close(), b.close()
        weights, upto, head = _stored(pg_dsn, pg_schema)
        assert weights == _recount(records)
        assert upto == head

    @SLOW
    @given(records=ledgers(max_claims=4, max_evidence=10))
    def test_any_ledger_in_any_split(self, pg_dsn: str, records: list[ct.Record]) -> None:
        """Any ledger, appended in two parts (one of them bulk), is counted as a recount."""
        schema = f"h_{uuid.uuid4().hex[:12]}"
        pads = [ct.Speaker(f"pad{i}", "P", recorded_at=T0) for i in range(64)]
        try:
            with PostgreSQLStore(pg_dsn, schema=schema) as store:
                store.append(records[:2])
                store.append(records[2:] + pads)  # (COPY: every kind of record)
                assert list(store.records()) == records + pads
            weights, upto, head = _stored(pg_dsn, schema)
            assert weights == _recount(records)
            assert upto == head
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]

    @pytest.mark.parametrize("fast", [True, False])
    def test_a_failed_append_leaves_the_counts(
        self, store: PostgreSQLStore, pg_dsn: str, fast: bool
    ) -> None:
        """A duplicate id (small or bulk append) changes neither the counts nor the mark."""
        records = _ledger()
        store.append(records)
        store._fast = fast  # (False: small appends read and merge under the lock)
        before = _stored(pg_dsn, store.schema)
        evidence = ct.Evidence("new", "c0", "New.", stance="supports", observed_on="2025-01-20")
        for batch in ([evidence, records[5]], [evidence, *(records[:70])]):
            with pytest.raises(DuplicateRecordError):
                store.append(batch)
            assert _stored(pg_dsn, store.schema) == before
        store.append([evidence])
        assert _stored(pg_dsn, store.schema)[0] == _recount([*records, evidence])


class TestOneStatement:
    def _spy(self, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
        """What each one-statement try of an append answered (None: made again)."""
        tries: list[int | None] = []
        fast = PostgreSQLStore._append_fast

        def spy(self: PostgreSQLStore, *args: Any) -> int | None:
            tries.append(fast(self, *args))
            return tries[-1]

        monkeypatch.setattr(PostgreSQLStore, "_append_fast", spy)
        return tries

    def test_an_append_is_one_statement(
        self, store: PostgreSQLStore, pg_dsn: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Evidence on a stored claim, a new claim, a speaker: each counted in one statement."""
        records = _ledger()
        store.append(records[:10])
        tries = self._spy(monkeypatch)
        for record in records[10:20]:
            store.append([record])
        assert tries == list(range(11, 21))
        assert _stored(pg_dsn, store.schema)[:2] == (_recount(records[:20]), 20)

    @pytest.mark.parametrize("meanwhile", ["evidence", "sql"])
    def test_counts_changed_while_waiting(
        self,
        pg_dsn: str,
        pg_schema: str,
        store: PostgreSQLStore,
        monkeypatch: pytest.MonkeyPatch,
        meanwhile: str,
    ) -> None:
        """Counts another writer changed after they were read: the append is made again."""
        records = _ledger()
        store.append(records[:20])
        other = ct.Evidence("other", "c0", "Other.", stance="refutes", observed_on="2025-01-21",
                            recorded_at=T0)  # fmt: skip
        merged = Pending.merged

        def late(self: Pending, conn: Any) -> Any:
            found = merged(self, conn)  # read, then another writer appends to c0
            monkeypatch.setattr(Pending, "merged", merged)  # (once)
            if meanwhile == "evidence":
                with PostgreSQLStore(pg_dsn, schema=pg_schema) as writer:
                    writer.append([other])
            else:
                _append_by_sql(pg_dsn, pg_schema, [other])
            return found

        monkeypatch.setattr(Pending, "merged", late)
        tries = self._spy(monkeypatch)
        mine = ct.Evidence("mine", "c0", "Mine.", stance="supports", observed_on="2025-01-22",
                           recorded_at=T0)  # fmt: skip
        store.append([mine])
        assert tries == [21, None] if meanwhile == "evidence" else [None]
        expected = [*records[:20], other, mine]
        assert [r.id for r in store.records()] == [r.id for r in expected]
        assert _stored(pg_dsn, pg_schema)[:2] == (_recount(expected), 22)


class TestManyWriters:
    WRITER = textwrap.dedent(
        """
        import datetime as dt, sys
        import claimtrack as ct
        from claimtrack.stores import PostgreSQLStore
        dsn, schema, name, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        store = PostgreSQLStore(dsn, schema=schema)
        for i in range(n):
            store.append([ct.Evidence(
                f"{name}-{i}", f"c{i % 3}", "Seen.", stance=("supports", "refutes")[i % 2],
                strength=("weak", "strong", "moderate")[i % 3], observed_on="2025-01-20",
            )])
        store.close()
        """
    )

    def test_four_writers_on_the_same_claims(self, pg_dsn: str, pg_schema: str) -> None:
        """4 processes adding evidence to the same 3 claims at once: no count is lost."""
        setup = [ct.Speaker("s", "S")] + [
            ct.Claim(f"c{i}", "s", f"Claim {i}.", stated_on="2025-01-10") for i in range(3)
        ]
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(setup)
        writers = [
            subprocess.Popen([sys.executable, "-c", self.WRITER, pg_dsn, pg_schema, f"w{w}", "300"])
            for w in range(4)
        ]
        assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            records = list(store.records())
        assert len(records) == 4 + 1_200
        weights, upto, head = _stored(pg_dsn, pg_schema)
        assert weights == _recount(records)
        assert upto == head == 1_204


class TestAssessAll:
    def test_assess_all_answers_as_memory_and_assess(self, pg_ledger: str) -> None:
        """assess_all from the counts equals memory's and assess() of each claim."""
        records = _ledger()
        with ct.open(pg_ledger, clock=_clock()) as tracker:
            tracker.add_many(records)
        assert _counted(pg_ledger) == {"c0", "c2", "c4", "c5"}  # c1, c3: retractions
        found = _assess_all_is_right(pg_ledger, records)
        assert {a.verdict for a in found} >= {ct.Verdict.HELD, ct.Verdict.PENDING}

    @SLOW
    @given(records=ledgers())
    def test_any_ledger(self, pg_dsn: str, records: list[ct.Record]) -> None:
        """For any ledger, assess_all over the server answers as in memory and as assess()."""
        schema = f"h_{uuid.uuid4().hex[:12]}"
        try:
            with PostgreSQLStore(pg_dsn, schema=schema) as store:
                store.append(records)
            _assess_all_is_right(f"{pg_dsn} options='-csearch_path={schema}'", records)
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]


class TestEdits:
    @pytest.mark.parametrize(
        "edit",
        [
            "UPDATE {s}.records SET stance = 'refutes' WHERE id = 'e0'",
            "UPDATE {s}.records SET claim_id = 'c2' WHERE id = 'e0'",
            "DELETE FROM {s}.records WHERE id = 'e0'",
        ],
    )
    def test_an_edit_drops_that_claims_counts(
        self, pg_dsn: str, pg_ledger: str, pg_schema: str, edit: str
    ) -> None:
        """An UPDATE or DELETE by another program drops the counts of the claims it touches."""
        records = _ledger()
        with ct.open(pg_ledger) as tracker:
            tracker.add_many(records)
        with psycopg.connect(pg_dsn, autocommit=True) as conn:  # search_path elsewhere
            conn.execute(edit.format(s=f'"{pg_schema}"'))  # type: ignore[arg-type]
        moved = "claim_id" in edit  # the claim it left and the one it joined
        assert _counted(pg_ledger) == {"c2", "c4", "c5"} - ({"c2"} if moved else set())
        with ct.open(pg_ledger) as tracker:
            edited = list(tracker.store.load())
        _assess_all_is_right(pg_ledger, edited)

    def test_truncate_empties_the_counts(self, pg_dsn: str, pg_schema: str) -> None:
        """TRUNCATE of records empties weights."""
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(_ledger())
        with _conn(pg_dsn, pg_schema) as conn:
            conn.execute("TRUNCATE records")
        assert _stored(pg_dsn, pg_schema)[0] == {}

    @pytest.mark.parametrize(
        "change",
        [
            *(f"DROP TRIGGER {name} ON records" for name in TRIGGERS),
            "ALTER TABLE records DISABLE TRIGGER weights_on_update",
            "UPDATE ledger_head SET weights_upto = NULL",
            "REVOKE SELECT ON weights FROM {role}",
        ],
    )
    def test_untrusted_counts_are_not_used(
        self, pg_dsn: str, pg_ledger: str, pg_schema: str, change: str
    ) -> None:
        """Triggers gone or disabled, the mark NULL, weights unreadable: counts unused."""
        records = _ledger()
        with ct.open(pg_ledger) as tracker:
            tracker.add_many(records)
        role = f"dash_{uuid.uuid4().hex[:8]}"
        grants = [
            f"CREATE ROLE {role} LOGIN",
            f'GRANT USAGE ON SCHEMA "{pg_schema}" TO {role}',
            f'GRANT SELECT ON ALL TABLES IN SCHEMA "{pg_schema}" TO {role}',
        ]
        with _conn(pg_dsn, pg_schema) as conn:
            for grant in grants:
                conn.execute(grant)  # type: ignore[arg-type]
            conn.execute(change.format(role=role))  # type: ignore[arg-type]
        try:
            ledger = psycopg.conninfo.make_conninfo(pg_ledger, user=role)
            assert _counted(ledger) == set()
            with ct.open(ledger) as dashboard:
                store = dashboard.store
                assert isinstance(store, PostgreSQLStore)
                assert store._weighing_counts() is None
            _assess_all_is_right(ledger, records)
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]

    def test_a_dashboard_role_reads_the_counts(
        self, pg_dsn: str, pg_ledger: str, pg_schema: str
    ) -> None:
        """A role with SELECT on every table (the how-to's dashboard) uses the counts."""
        records = _ledger()
        with ct.open(pg_ledger) as tracker:
            tracker.add_many(records)
        role = f"dash_{uuid.uuid4().hex[:8]}"
        with _conn(pg_dsn, pg_schema) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN")  # type: ignore[arg-type]
            conn.execute(f'GRANT USAGE ON SCHEMA "{pg_schema}" TO {role}')  # type: ignore[arg-type]
            conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{pg_schema}" TO {role}')  # type: ignore[arg-type]
        try:
            ledger = psycopg.conninfo.make_conninfo(pg_ledger, user=role)
            assert _counted(ledger) == {"c0", "c2", "c4", "c5"}
            _assess_all_is_right(ledger, records)
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]


class TestCatchUp:
    @pytest.mark.parametrize(("bulk", "chunk"), [(False, 10_000), (True, 10_000), (False, 1)])
    def test_rows_written_by_sql_are_caught_up(
        self,
        pg_dsn: str,
        pg_ledger: str,
        pg_schema: str,
        monkeypatch: pytest.MonkeyPatch,
        bulk: bool,
        chunk: int,
    ) -> None:
        """Rows another program inserts are left out until the next append counts them."""
        monkeypatch.setattr(_pgweights, "_CHUNK", chunk)  # (rows read at a time)
        records = _ledger()
        with ct.open(pg_ledger) as tracker:
            tracker.add_many(records)
        by_sql = [
            ct.Evidence("sql1", "c0", "By SQL.", stance="refutes", strength="strong",
                        observed_on="2025-01-30", recorded_at=T0),
            ct.Claim("sql-claim", "trump", "By SQL too.", stated_on="2025-01-12", recorded_at=T0),
            ct.Evidence("sql2", "sql-claim", "Seen.", stance="supports", observed_on="2025-01-13",
                        recorded_at=T0),
        ]  # fmt: skip
        _append_by_sql(pg_dsn, pg_schema, by_sql)
        assert _counted(pg_ledger) == {"c2", "c4", "c5"}  # c0 and sql-claim: rows after the mark
        _assess_all_is_right(pg_ledger, records + by_sql)
        more: list[ct.Record] = [
            ct.Evidence("later", "c5", "Later.", stance="supports", observed_on="2025-01-20",
                        recorded_at=T0)
        ]  # fmt: skip
        more += [ct.Speaker(f"pad{i}", "P", recorded_at=T0) for i in range(70 if bulk else 0)]
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            store.append(more)
            everything = list(store.records())
        weights, upto, head = _stored(pg_dsn, pg_schema)
        assert weights == _recount(everything)
        assert upto == head == len(everything)
        assert _counted(pg_ledger) == {"c0", "c2", "c4", "c5", "sql-claim"}
        _assess_all_is_right(pg_ledger, everything)

    def test_a_damaged_row_to_catch_up_fails_the_append(
        self, pg_dsn: str, pg_schema: str, store: PostgreSQLStore
    ) -> None:
        """A row that is not a record, after the mark, fails the append and names its seq."""
        store.append(_ledger()[:4])
        _append_by_sql(pg_dsn, pg_schema, [ct.Speaker("x", "X")])
        with _conn(pg_dsn, pg_schema) as conn:
            conn.execute("UPDATE records SET type = 'evidence', stance = 'sideways' WHERE id = 'x'")
        before = _stored(pg_dsn, pg_schema)
        with pytest.raises(CorruptStoreError) as caught:
            store.append([ct.Speaker("y", "Y")])
        assert caught.value.line == 5
        assert _stored(pg_dsn, pg_schema) == before


class TestRoles:
    def test_a_writer_without_grants_on_weights(
        self, pg_dsn: str, pg_ledger: str, pg_schema: str
    ) -> None:
        """A writing role with the version 1 grants appends; its records are caught up later."""
        records = _ledger()
        with ct.open(pg_ledger) as tracker:
            tracker.add_many(records)
        role = f"importer_{uuid.uuid4().hex[:8]}"
        grants = [
            f"CREATE ROLE {role} LOGIN",
            f'GRANT USAGE ON SCHEMA "{pg_schema}" TO {role}',
            f'GRANT SELECT, INSERT ON "{pg_schema}".records TO {role}',
            f'GRANT SELECT, UPDATE ON "{pg_schema}".ledger_head TO {role}',
            f'GRANT SELECT ON "{pg_schema}".claimtrack_schema TO {role}',
        ]
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for grant in grants:
                conn.execute(grant)  # type: ignore[arg-type]
        try:
            new = ct.Evidence("imp", "c0", "Imported.", stance="refutes", observed_on="2025-01-20")
            with PostgreSQLStore(psycopg.conninfo.make_conninfo(pg_dsn, user=role),
                                 schema=pg_schema) as importer:  # fmt: skip
                importer.append([new])
            assert _stored(pg_dsn, pg_schema)[1] == len(records)  # the mark stays
            assert "c0" not in _counted(pg_ledger)
            with PostgreSQLStore(pg_dsn, schema=pg_schema) as desk:
                desk.append([ct.Speaker("desk", "Desk")])
            assert _stored(pg_dsn, pg_schema)[0] == _recount([*records, new])
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]


def _v1_ledger(dsn: str, schema: str, records: Sequence[ct.Record]) -> None:
    """A version 1 ledger (as the previous claimtrack made it) holding *records*."""
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
        conn.execute("SELECT set_config('search_path', quote_ident(%s), true)", [schema])
        for statement in _CREATE_V1:
            conn.execute(statement)  # type: ignore[arg-type]
        conn.execute("INSERT INTO claimtrack_schema (version) VALUES (1)")
    with PostgreSQLStore(dsn, schema=schema) as store:
        assert store.schema_version == 1
        store.append(records[:3])
        store.append(records[3:])


class TestMigration:
    @pytest.mark.parametrize("chunk", [10_000, 7])
    def test_upgrade_counts_as_a_new_ledger_does(
        self, pg_dsn: str, pg_schema: str, monkeypatch: pytest.MonkeyPatch, chunk: int
    ) -> None:
        """upgrade() from version 1 builds the counts a new ledger has for the same records."""
        monkeypatch.setattr(_pgweights, "_CHUNK", chunk)  # (rows read at a time)
        records = _ledger()
        _v1_ledger(pg_dsn, pg_schema, records)
        ledger = f"{pg_dsn} options='-csearch_path={pg_schema}'"
        assert _counted(ledger) == set()  # version 1: no counts
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            assert (1, SCHEMA_VERSION) == (store.upgrade(), store.schema_version)
            assert list(store.records()) == records
        with PostgreSQLStore(pg_dsn, schema=f"{pg_schema}_new") as fresh:
            fresh.append(records)
        try:
            assert _stored(pg_dsn, pg_schema) == _stored(pg_dsn, f"{pg_schema}_new")
            assert _stored(pg_dsn, pg_schema)[0] == _recount(records)
        finally:
            with psycopg.connect(pg_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{pg_schema}_new" CASCADE')  # type: ignore[arg-type]
        _assess_all_is_right(ledger, records)

    def test_a_store_opened_before_the_upgrade_keeps_appending(
        self, pg_dsn: str, pg_schema: str
    ) -> None:
        """A writer still on version 1 appends after another's upgrade; its rows are caught up."""
        records = _ledger()
        _v1_ledger(pg_dsn, pg_schema, records[:20])
        old = PostgreSQLStore(pg_dsn, schema=pg_schema)
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as upgrading:
            upgrading.upgrade()
        old.append(records[20:30])
        old.close()
        assert _stored(pg_dsn, pg_schema)[1] == 20
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as new:
            new.append(records[30:])
        assert _stored(pg_dsn, pg_schema)[0] == _recount(records)

    def test_a_damaged_row_stops_the_migration(self, pg_dsn: str, pg_schema: str) -> None:
        """A row that is not a record: CorruptStoreError naming it; still version 1, unchanged."""
        records = _ledger()
        _v1_ledger(pg_dsn, pg_schema, records)
        with _conn(pg_dsn, pg_schema) as conn:
            conn.execute("UPDATE records SET strength = 'huge' WHERE id = 'e3'")
            seq = conn.execute("SELECT seq FROM records WHERE id = 'e3'").fetchone()[0]  # type: ignore[index]
        with PostgreSQLStore(pg_dsn, schema=pg_schema) as store:
            with pytest.raises(CorruptStoreError, match="huge") as caught:
                store.upgrade()
            assert caught.value.line == seq
            assert store.schema_version == 1
        with _conn(pg_dsn, pg_schema) as conn:
            assert conn.execute("SELECT version FROM claimtrack_schema").fetchone() == (1,)
            assert conn.execute("SELECT to_regclass('weights')").fetchone() == (None,)
