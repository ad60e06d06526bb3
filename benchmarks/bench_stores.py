"""Benchmarks of the file stores, side by side with issue 12's figures.

Run ``python -m benchmarks.bench_stores`` (the 1,000 / 100,000 / 1,000,000 synthetic
ledger of :mod:`benchmarks.synthetic`, some minutes and about 2 GB), or with
``--small`` (a tenth).  Prints one table: each figure beside its goal.  The machine is
shared: wall-clock figures are noisy, run it more than once before believing one.

What is measured:

1. Bulk ``Tracker.add_many`` of the whole ledger into a new SQLite file, beside plain
   ``sqlite3.executemany`` of the very same rows (already encoded) into the same schema
   (indexes, topics and full-text index included), in one transaction each.
2. ``claimtrack --db big.db assess <id>`` in a new process: wall time and peak RSS.
3. ``ct.open(path)`` then ``assess(id)`` in process, after import.
4. ``history()`` of a claim with 1,000 pieces of evidence, file-backed.
5. ``assess_all()`` over the file in a new process: time and peak RSS, for 100,000
   claims with 1,000,000 and with 100,000 pieces of evidence.
6. ``track_record()`` of a speaker with 10,000 claims, from the file.
7. Single durable ``add_evidence`` calls, beside plain sqlite3 (one row per durable
   transaction): the floor this disk sets.
8. ``add_many`` of a 100,000-deep chain of retractions (each retracting the one
   before), in memory, JSON Lines and SQLite; then reopening the file and assessing the
   claim and listing claims.  ``--chain`` runs this part alone.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import claimtrack as ct
from benchmarks.synthetic import make_ledger
from claimtrack.stores._rows import Memo, to_values_many
from claimtrack.stores._schema import _FILL_FTS, _INSERT_KIND, _create

ROWS: list[tuple[str, str, str]] = []


def row(name: str, value: str, goal: str) -> None:
    ROWS.append((name, value, goal))
    print(f"{name:<62} {value:>18}   {goal}", flush=True)


def extra(n_claims: int) -> Iterator[ct.Record]:
    """A claim with 1,000 pieces of evidence, and a speaker with n_claims // 10 claims."""
    at = ct.PartialDate.parse("2025-06-01")
    yield ct.Claim("big", "s0", "A claim with much evidence.", stated_on="2020-01-01")
    for i in range(1_000):
        yield ct.Evidence(
            f"big-e{i}", "big", f"Report {i}.", stance=("supports", "refutes")[i % 2],
            strength="weak", observed_on=f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
        )  # fmt: skip
    yield ct.Speaker("prolific", "Prolific Speaker")
    for i in range(n_claims // 10):
        yield ct.Claim(f"p{i}", "prolific", f"Prolific claim {i}.", stated_on="2021-01-01")
        yield ct.Evidence(f"p{i}-e", f"p{i}", "Seen.", stance="supports", observed_on=at)


def bulk(path: str, records: list[ct.Record]) -> None:
    start = time.perf_counter()
    with ct.open(path) as tracker:
        tracker.add_many(records)
    ours = time.perf_counter() - start
    # the same rows, encoded beforehand, into the same schema, in one transaction
    plain = path + ".plain.db"
    conn = sqlite3.connect(plain, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    _create(conn, plain)
    conn.execute("COMMIT")
    keys: dict[str, str | None] = {}
    rows = []
    for record, values in zip(records, to_values_many(records, Memo()), strict=True):
        key = getattr(record, "claim_id", None) or (record.id if values[0] == "claim" else None)
        keys[record.id] = key
        rows.append((values[0], (values[0], values[1], key, *values[2:])))
    topics = [
        (t, seq) for seq, r in enumerate(records, 1) if isinstance(r, ct.Claim) for t in r.topics
    ]
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for kind in ("speaker", "claim", "evidence"):
        conn.executemany(_INSERT_KIND[kind, True], (v for k, v in rows if k == kind))
    conn.executemany("INSERT INTO topics (topic, seq) VALUES (?, ?)", topics)
    conn.execute(_FILL_FTS, (0,))
    conn.execute("COMMIT")
    baseline = time.perf_counter() - start
    conn.close()
    os.remove(plain)
    row(
        f"bulk add_many of {len(records):,} records -> SQLite",
        f"{ours:.1f} s",
        f"plain executemany {baseline:.1f} s: ratio {baseline / ours:.2f} (goal >= 0.5)",
    )


def child(code: str, *args: str) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of a new Python process running *code*."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, done.stdout.strip()


def peak_of(code: str, *args: str) -> tuple[float, float, str]:
    """As :func:`child`, with the peak RSS read by the child itself."""
    # VmHWM: the peak resident set of this process image (ru_maxrss would count the
    # benchmark's own memory, inherited through fork)
    wrapped = (
        "try:\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "finally:\n"
        + "    print(next(int(line.split()[1]) for line in open('/proc/self/status')"
        + " if line.startswith('VmHWM')) / 1024)"
    )
    wall, _, out = child(wrapped, *args)
    lines = out.splitlines()
    return wall, float(lines[-1]), "\n".join(lines[:-1])


def cli_assess(path: str) -> None:
    code = "import sys; from claimtrack.cli import main; main(sys.argv[1:])"
    runs = [peak_of(code, "--db", path, "assess", "c5") for _ in range(5)]
    wall = statistics.median(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    row("claimtrack --db big.db assess c5, a new process", f"{wall:.2f} s, {rss:.0f} MB",
        "<= 0.3 s, <= 60 MB")  # fmt: skip
    code = "import sys, sqlite3; print(0)"
    runs = [peak_of(code) for _ in range(5)]
    row("  Python start, for comparison", f"{statistics.median(r[0] for r in runs):.2f} s",
        f"{max(r[1] for r in runs):.0f} MB")  # fmt: skip


def in_process(path: str) -> None:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        with ct.open(path) as tracker:
            tracker.assess("c5")
        times.append(time.perf_counter() - start)
    row("ct.open(path) then assess(id), in process", f"{statistics.median(times) * 1e3:.1f} ms",
        "<= 20 ms")  # fmt: skip
    with ct.open(path) as tracker:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in tracker.history("big"):  # every entry read (they are made when read)
                pass
            times.append(time.perf_counter() - start)
            tracker._cache.clear()  # as a new tracker would: read from the file again
        row("history() of a claim with 1,000 pieces, file-backed, every entry read",
            f"{statistics.median(times) * 1e3:.1f} ms", "<= 20 ms")  # fmt: skip
        times = []
        for _ in range(3):
            tracker._cache.clear()  # as a new tracker would: read from the file again
            start = time.perf_counter()
            record = tracker.track_record("prolific")
            times.append(time.perf_counter() - start)
        row(f"track_record() of a {sum(record.counts.values()):,}-claim speaker, from the file",
            f"{statistics.median(times) * 1e3:.0f} ms", "<= 200 ms (median of 3)")  # fmt: skip


def assess_all(path: str, label: str) -> None:
    code = (
        "import sys, time, claimtrack as ct\n"
        "start = time.perf_counter()\n"
        "with ct.open(sys.argv[1]) as t:\n"
        "    n = len(t.assess_all())\n"
        "print(n, time.perf_counter() - start)"
    )
    wall, rss, out = peak_of(code, path)
    n, inner = out.split()
    row(f"assess_all() over the file, new process ({label})", f"{wall:.1f} s, {rss:.0f} MB",
        f"<= 3 s, <= 250 MB ({n} claims; the call itself {float(inner):.1f} s)")  # fmt: skip


def single_adds(tmp: str, n: int = 300) -> None:
    path = os.path.join(tmp, "single.db")
    with ct.open(path) as tracker:
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim("trump", "Talks.", id="c", stated_on="2025-02-18")
        start = time.perf_counter()
        for _ in range(n):
            tracker.add_evidence("c", "Seen.", stance="supports", observed_on="2025-03-01")
        ours = time.perf_counter() - start
    plain = os.path.join(tmp, "floor.db")
    conn = sqlite3.connect(plain, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (x)")
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?)", (i,))
        conn.execute("COMMIT")
    floor = time.perf_counter() - start
    conn.close()
    row("single durable add_evidence -> SQLite", f"{n / ours:,.0f} calls/s",
        f">= 1,000/s; this disk's floor, plain sqlite3: {n / floor:,.0f}/s")  # fmt: skip


def chain(tmp: str, n: int = 100_000) -> None:
    at = ct.PartialDate.parse("2025-02-18")
    start_records: list[ct.Record] = [
        ct.Speaker("s", "S"),
        ct.Claim("c", "s", "C.", stated_on=at),
        ct.Evidence("e", "c", "E.", stance="supports", observed_on=at),
    ]
    links = [ct.Retraction("r0", "e", reason="x")]
    links += [ct.Retraction(f"r{i}", f"r{i - 1}", reason="x") for i in range(1, n)]
    for suffix in (None, ".jsonl", ".db"):
        path = None if suffix is None else os.path.join(tmp, f"chain{suffix}")
        tracker = ct.Tracker() if path is None else ct.open(path)
        tracker.add_many(start_records)
        start = time.perf_counter()
        tracker.add_many(links)
        added = time.perf_counter() - start
        tracker.close()
        where = "memory" if path is None else suffix
        row(f"add_many of a {n:,}-deep retraction chain ({where})", f"{added:.2f} s", "<= 3 s")
        if path is not None:
            start = time.perf_counter()
            with ct.open(path) as again:
                again.assess("c")
                again.claims()
            row(f"  reopen it, assess the claim, list claims ({where})",
                f"{time.perf_counter() - start:.2f} s", "<= 3 s")  # fmt: skip


def main() -> None:
    if "--chain" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            chain(tmp)
        return
    small = "--small" in sys.argv
    scale = 10 if small else 1
    n_claims, n_evidence = 100_000 // scale, 1_000_000 // scale
    print(f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores (the machine is shared: figures are noisy)\n")  # fmt: skip
    if "--assess-all" in sys.argv:
        # only the assess_all() figures, over ledgers built once in DIR (kept there)
        keep = sys.argv[sys.argv.index("--assess-all") + 1]
        os.makedirs(keep, exist_ok=True)
        path, lean = os.path.join(keep, "big.db"), os.path.join(keep, "lean.db")
        if not os.path.exists(path):
            records = [*make_ledger(1_000 // scale, n_claims, n_evidence), *extra(n_claims)]
            bulk(path, records)
            del records
        if not os.path.exists(lean):
            with ct.open(lean) as tracker:
                tracker.add_many(make_ledger(1_000 // scale, n_claims, n_evidence // 10))
        assess_all(path, f"{n_claims:,} claims, {n_evidence:,} evidence")
        assess_all(lean, f"{n_claims:,} claims, {n_evidence // 10:,} evidence")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.db")
        records = [*make_ledger(1_000 // scale, n_claims, n_evidence), *extra(n_claims)]
        bulk(path, records)
        del records
        cli_assess(path)
        in_process(path)
        assess_all(path, f"{n_claims:,} claims, {n_evidence:,} evidence")
        lean = os.path.join(tmp, "lean.db")
        with ct.open(lean) as tracker:
            tracker.add_many(make_ledger(1_000 // scale, n_claims, n_evidence // 10))
        assess_all(lean, f"{n_claims:,} claims, {n_evidence // 10:,} evidence")
        single_adds(tmp)
        chain(tmp)


if __name__ == "__main__":
    main()
