"""Benchmarks of the PostgreSQL store, on a local server, with the synthetic ledger.

Run ``python -m benchmarks.bench_postgresql`` (``--small`` for a tenth of the size).
It starts a throwaway PostgreSQL cluster in a temporary folder (Debian's binaries,
``runuser -u postgres`` when run as root; the socket in the folder, no TCP port; fsync
*on*, ``shared_buffers=256MB``, ``max_wal_size=4GB``), or uses ``CLAIMTRACK_BENCH_PG``
(a connection string) when set.  Prints one table: wall-clock seconds (the machine may
be shared, so figures vary).

1. Bulk import of the 1,100,000 records of ``benchmarks.synthetic.make_ledger()`` into
   a new ledger with ``Tracker.add_many`` (validation, encoding, one COPY in one
   transaction, the weighing counts of every claim, the tracker's indexing), and
   ``PostgreSQLStore.append`` alone; beside plain ``COPY`` of the very same rows
   (already encoded) into the same table, indexes included, in one transaction (no
   counts).
2. ``ct.open(dsn)`` then ``assess(id)``, in process (the best of 7, and the median);
   ``claimtrack --db DSN assess <id>`` as a new process (the best of 3), beside the
   time a new process takes to import ``claimtrack.cli`` and psycopg.
3. Four writer processes appending one record per append, 2,000 each, while a reader
   follows: appends per second in all, records missed or repeated by the follower.
   Then the same with evidence on 50 shared claims (each append updates a claim's
   weighing counts that the other writers update too), and a check that the counts
   equal a recount from the records.
4. ``follow()`` latency: one writer appends a record every 5 ms and notes when each
   append returned; the follower notes when it received it; the median and 95th
   percentile of the difference.
5. ``ct.open(dsn).assess_all()`` in a new process: seconds and peak RSS.  The tracker
   weighs each claim from the ledger's weighing counts (schema version 2), read in one
   snapshot (``PostgreSQLStore._weighing_counts()``); the note says how many claims
   have counts and whether they are current.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

import psycopg

import claimtrack as ct
from benchmarks.synthetic import make_ledger
from claimtrack.stores import PostgreSQLStore
from claimtrack.stores._pgschema import COPY
from claimtrack.stores._rows import to_row
from claimtrack.stores._weights import count, decode, merge


class Server:
    """A throwaway PostgreSQL cluster for the benchmark."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
        self.bindir = os.path.dirname(found[-1])
        self.folder = tempfile.mkdtemp(prefix="claimtrack-bench-pg-")
        self.data = os.path.join(self.folder, "data")
        self.root = os.geteuid() == 0
        if self.root:
            os.chown(self.folder, pwd.getpwnam("postgres").pw_uid, -1)
        self.run("initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", self.data)
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.folder}"
            " -c shared_buffers=256MB -c max_wal_size=4GB"
        )
        log = os.path.join(self.folder, "log")
        self.run("pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "start")
        self.dsn = f"host={self.folder} user=postgres dbname=postgres"

    def run(self, tool: str, *args: str) -> None:
        command = [os.path.join(self.bindir, tool), *args]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def remove(self) -> None:
        try:
            self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def ledger_dsn(dsn: str, schema: str) -> str:
    return f"{dsn} options='-csearch_path={schema}'"


def bulk(dsn: str, records: list[ct.Record], out: list[tuple[str, str, str]]) -> None:
    rows = [(seq, *to_row(r)) for seq, r in enumerate(records, 1)]
    PostgreSQLStore(dsn, schema="plain").close()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET search_path TO plain")
        t = time.perf_counter()
        with conn.transaction():
            with conn.cursor().copy(COPY) as copy:  # type: ignore[arg-type]
                for row in rows:
                    copy.write_row(row)
            conn.execute("UPDATE ledger_head SET last = %s", [len(rows)])
        plain = time.perf_counter() - t
    del rows
    out.append(("plain COPY of the encoded rows, 1 transaction", f"{plain:.1f} s", ""))

    store = PostgreSQLStore(dsn, schema="store")
    t = time.perf_counter()
    store.append(records)
    alone = time.perf_counter() - t
    store.close()
    out.append(
        ("PostgreSQLStore.append (encode + COPY)", f"{alone:.1f} s", f"{plain / alone:.2f}x plain")
    )

    t = time.perf_counter()
    with ct.Tracker(PostgreSQLStore(dsn, schema="bench")) as tracker:
        tracker.add_many(records)
    ours = time.perf_counter() - t
    out.append(
        (
            "Tracker.add_many (validate, encode, COPY, index)",
            f"{ours:.1f} s",
            f"{plain / ours:.2f}x plain (goal >= 0.5x)",
        )
    )


def open_assess(dsn: str, claim_id: str, out: list[tuple[str, str, str]]) -> None:
    ledger = ledger_dsn(dsn, "bench")
    times = []
    for _ in range(7):
        t = time.perf_counter()
        with ct.open(ledger) as tracker:
            tracker.assess(claim_id)
        times.append(time.perf_counter() - t)
    out.append(
        (
            "ct.open(dsn) + assess(id), in process (after import)",
            f"{min(times) * 1000:.0f} ms",
            f"median {statistics.median(times) * 1000:.0f} ms (goal <= 50 ms)",
        )
    )
    cli = []
    for _ in range(3):
        t = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "claimtrack", "--db", ledger, "assess", claim_id],
            capture_output=True,
            text=True,
        )
        cli.append(time.perf_counter() - t)
    importing = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import time; t = time.perf_counter(); import claimtrack.cli,"
                " psycopg; print(time.perf_counter() - t)"
            ),
        ],
        capture_output=True,
        text=True,
    )
    out.append(
        (
            "claimtrack --db DSN assess <id>, new process",
            f"{min(cli):.2f} s",
            (
                f"exit {child.returncode}; of which importing claimtrack.cli and psycopg"
                f" {float(importing.stdout):.2f} s (goal <= 0.4 s)"
            ),
        )
    )


WRITER = textwrap.dedent(
    """
    import sys, time
    import claimtrack as ct
    from claimtrack.stores import PostgreSQLStore
    dsn, name, n, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    schema = sys.argv[5] if len(sys.argv) > 5 else "writers"
    store = PostgreSQLStore(dsn, schema=schema)
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(n):
        if schema == "evidence":  # on 50 shared claims: their counts change under the others
            store.append([ct.Evidence(f"{name}-{i}", f"c{i % 50}", "Seen.", stance="supports",
                                      strength="moderate", observed_on="2025-01-20")])
        else:
            store.append([ct.Speaker(f"{name}-{i}", "W")])
        print(f"{name}-{i} {time.time()}", flush=True)
        if pause:
            time.sleep(pause)
    """
)


def writers(
    dsn: str, out: list[tuple[str, str, str]], n: int = 2_000, schema: str = "writers"
) -> None:
    with PostgreSQLStore(dsn, schema=schema) as store:
        if schema == "evidence":
            store.append(
                [ct.Speaker("s", "S")]
                + [ct.Claim(f"c{i}", "s", "Shared.", stated_on="2025-01-10") for i in range(50)]
            )
    reader = PostgreSQLStore(dsn, schema=schema)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, dsn, f"w{w}", str(n), "0", schema],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for p in procs:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "ready"
    t = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    seen = []
    for record in reader.follow(timeout=20):
        seen.append(record.id)
        if len(seen) == 4 * n:
            break
    elapsed = time.perf_counter() - t
    for p in procs:
        p.communicate()
    records = list(reader.records())
    stored = [r.id for r in records if r.id.startswith("w")]
    missed = len(set(stored) - set(seen))
    repeated = len(seen) - len(set(seen))
    in_order = seen == stored
    reader.close()
    what = "1 evidence on 50 shared claims" if schema == "evidence" else "1 record"
    note = f"missed {missed}, repeated {repeated}, in seq order: {in_order}"
    if schema == "evidence":
        claims, counts = count(records)
        expected = {key: decode(text) for key, text in merge(claims, counts, {})}
        with psycopg.connect(dsn) as conn:
            rows = conn.execute("SELECT claim_key, counts FROM evidence.weights").fetchall()
        weights = {key: decode(text) for key, text in rows}
        note += f"; counts equal a recount: {weights == expected}"
    goal = (
        "the counts' contended path: no goal"
        if schema == "evidence"
        else "goal >= 1,000/s, 0 missed"
    )
    out.append(
        (
            f"4 writers x {n:,} appends of {what}",
            f"{4 * n / elapsed:,.0f} appends/s",
            f"{note} ({goal})",
        )
    )


def latency(dsn: str, out: list[tuple[str, str, str]], n: int = 500) -> None:
    PostgreSQLStore(dsn, schema="latency").close()
    reader = PostgreSQLStore(dsn, schema="latency")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, dsn, "l", str(n), "0.005", "latency"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    received: dict[str, float] = {}
    for record in reader.follow(timeout=10):
        received[record.id] = time.time()
        if len(received) == n:
            break
    lines = proc.communicate()[0].split("\n")
    committed = {rid: float(at) for rid, at in (line.split() for line in lines if line.strip())}
    delays = sorted((received[rid] - committed[rid]) * 1000 for rid in committed if rid in received)
    reader.close()
    p95 = delays[int(len(delays) * 0.95)]
    out.append(
        (
            "follow() latency, append returned -> follower has it",
            f"median {statistics.median(delays):.2f} ms",
            f"p95 {p95:.2f} ms over {len(delays)} (goal median <= 5 ms)",
        )
    )


ASSESS_ALL = textwrap.dedent(
    """
    import re, sys, time
    import claimtrack as ct
    t = time.perf_counter()
    with ct.open(sys.argv[1]) as tracker:
        n = len(tracker.assess_all())
    seconds = time.perf_counter() - t
    with open("/proc/self/status") as status:  # VmHWM: this process's peak, after exec
        peak = int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1)) / 1024
    print(n, seconds, peak)
    """
)


def assess_all(dsn: str, out: list[tuple[str, str, str]]) -> None:
    with psycopg.connect(dsn) as conn:
        counted, current = conn.execute(
            "SELECT (SELECT count(*) FROM bench.weights), weights_upto = last"
            " FROM bench.ledger_head"
        ).fetchone()  # type: ignore[misc]
    child = subprocess.run(
        [sys.executable, "-c", ASSESS_ALL, ledger_dsn(dsn, "bench")],
        capture_output=True,
        text=True,
        check=True,
    )
    n, seconds, peak = child.stdout.split()
    out.append(
        (
            f"ct.open(dsn).assess_all() ({int(n):,} claims), new process",
            f"{float(seconds):.1f} s",
            (
                f"peak RSS {float(peak):.0f} MB (goal <= 4 s, <= 250 MB);"
                f" {counted:,} claims with counts, current: {current}"
            ),
        )
    )


def main() -> None:
    small = "--small" in sys.argv
    sizes = (100, 10_000, 100_000) if small else (1_000, 100_000, 1_000_000)
    server = None if os.environ.get("CLAIMTRACK_BENCH_PG") else Server()
    dsn = os.environ.get("CLAIMTRACK_BENCH_PG") or server.dsn  # type: ignore[union-attr]
    out: list[tuple[str, str, str]] = []
    try:
        records = list(make_ledger(*sizes))
        print(
            f"{len(records):,} records; started {dt.datetime.now(dt.UTC):%H:%M:%S} UTC", flush=True
        )
        bulk(dsn, records, out)
        del records
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE bench.records")
        open_assess(dsn, "c5", out)
        writers(dsn, out)
        writers(dsn, out, schema="evidence")
        latency(dsn, out)
        assess_all(dsn, out)
    finally:
        if server is not None:
            server.remove()
    width = max(len(name) for name, _, _ in out)
    for name, figure, note in out:
        print(f"{name:<{width}}  {figure:>18}  {note}")


if __name__ == "__main__":
    main()
