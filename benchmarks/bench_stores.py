"""Benchmarks of the file stores: bulk import, single durable adds, reopening, memory.

Run ``python -m benchmarks.bench_stores`` (about four minutes; ``--small`` for a tenth
of the size, once each).  The bulk import and the SQLite reopening are run three times
each and the best and the median are shown: the machine is shared, and the same run
varies by 10-20 %.  Prints one table; wall-clock and CPU seconds are both shown
because the machine may be shared.

1. Bulk import of 1,000,000 evidence records (plus 1,000 speakers and 100,000 claims)
   into a new SQLite file with ``Tracker.add_many`` -- validation, encoding, one
   transaction, indexing -- side by side with plain ``sqlite3.executemany`` inserting
   the very same rows (already encoded) into the same schema in one transaction.
2. Single ``add_evidence`` calls to a SQLite file, each its own durable transaction.
3. Reopening the 1,100,000-record file and assessing one claim, in a new process each
   time (as a user's script would); then, in the same process, the first
   ``assess_all()``, which builds the running tallies that opening leaves to be built
   when first needed.  The same for a JSON Lines file.
4. Memory per evidence record held by a tracker, with :mod:`tracemalloc`: the
   difference between a ledger with and without 200,000 evidence records (same
   speakers and claims), divided by 200,000: made in memory with ``add_many``, and
   reopened from a SQLite file; each as it is, and after ``assess_all()``, which
   builds the running tallies and caches every claim's assessment.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter

import claimtrack as ct
from benchmarks.synthetic import make_ledger
from claimtrack._codec import to_values
from claimtrack.stores import SQLiteStore
from claimtrack.stores._sqlite import _INSERT_KIND


@contextmanager
def timed(results: dict[str, tuple[float, float]], name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    results[name] = (time.perf_counter() - wall, time.process_time() - cpu)


def bulk(tmp: str, records: list[ct.Record], out: list[tuple[str, str, str]], repeat: int) -> str:
    """Time ``add_many`` and plain ``executemany`` *repeat* times each, alternately.

    Each round writes a new file of each.  The machine is shared, so the figures
    vary by 10-20 % from run to run: the table gives the best round and the median,
    and the ratio of the bests (the ratio of the medians next to it).
    """
    n = len(records)
    rows = [to_values(r) for r in records]  # what the store writes: schema version 2
    ours_times: list[tuple[float, float]] = []
    plain_times: list[tuple[float, float]] = []
    ours = ""
    for round_ in range(repeat):
        results: dict[str, tuple[float, float]] = {}
        ours = os.path.join(tmp, f"bulk{round_}.db")
        gc.collect()
        with ct.open(ours) as tracker, timed(results, "ours"):
            tracker.add_many(records)
        del tracker
        gc.unfreeze()  # let the next round start from the same collector state
        gc.collect()
        plain = os.path.join(tmp, f"plain{round_}.db")
        SQLiteStore(plain).close()  # the same schema, WAL and pragmas
        conn = sqlite3.connect(plain, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        with timed(results, "plain"):
            conn.execute("BEGIN IMMEDIATE")
            # one executemany per run of records of one type, as the store does
            for kind, run in itertools.groupby(rows, itemgetter(0)):
                conn.executemany(_INSERT_KIND[kind], run)
            conn.execute("COMMIT")
        conn.close()
        os.remove(plain)
        if round_ < repeat - 1:
            os.remove(ours)
        ours_times.append(results["ours"])
        plain_times.append(results["plain"])
    (ow, oc), (pw, pc) = min(ours_times), min(plain_times)
    omed = statistics.median(w for w, _ in ours_times)
    pmed = statistics.median(w for w, _ in plain_times)
    out.append((f"bulk import, Tracker.add_many -> SQLite (best of {repeat})",
                f"{n / ow:,.0f} rec/s",
                f"{ow:.2f} s wall, {oc:.2f} s CPU; median {omed:.2f} s"))  # fmt: skip
    out.append((f"bulk import, plain sqlite3.executemany (best of {repeat})",
                f"{n / pw:,.0f} rec/s",
                f"{pw:.2f} s wall, {pc:.2f} s CPU; median {pmed:.2f} s"))  # fmt: skip
    out.append(("  ratio ours / plain (target >= 0.5)", f"{pw / ow:.2f}",
                f"of the medians {pmed / omed:.2f}; CPU ratio {pc / oc:.2f}"))  # fmt: skip
    return ours


def single_adds(tmp: str, out: list[tuple[str, str, str]], n: int = 2_000) -> None:
    path = os.path.join(tmp, "single.db")
    with ct.open(path) as tracker:
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            tracker.add_evidence("c", f"Observation {i}.", stance="supports",
                                 observed_on="2025-03-11")  # fmt: skip
        w, c = time.perf_counter() - wall, time.process_time() - cpu
    out.append((f"single add_evidence -> SQLite, {n} calls, durable", f"{n / w:,.0f} calls/s",
                f"{w:.2f} s wall, {c:.2f} s CPU"))  # fmt: skip
    # the floor this disk sets: plain sqlite3, one durable transaction per row
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO records (id, type, version) VALUES (?, 'x', 1)", (f"p{i}",))
        conn.execute("COMMIT")
    w, c = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    out.append(("  plain sqlite3, one row per durable transaction", f"{n / w:,.0f} rows/s",
                f"{w:.2f} s wall, {c:.2f} s CPU"))  # fmt: skip


_REOPEN = """
import json, sys, time
start = time.perf_counter()
import claimtrack as ct
imported = time.perf_counter()
wall, cpu = time.perf_counter(), time.process_time()
tracker = ct.open(sys.argv[1])
claim = tracker.claim("c1")
evidence = tracker.evidence(claim)
tracker.assess(claim)
opened = (time.perf_counter() - wall, time.process_time() - cpu)
wall, cpu = time.perf_counter(), time.process_time()
tracker.assess_all()
assessed = (time.perf_counter() - wall, time.process_time() - cpu)
print(json.dumps({"import": imported - start, "open": opened, "assess_all": assessed,
                  "records": len(tracker), "evidence": len(evidence)}))
"""


def reopen(path: str, label: str, out: list[tuple[str, str, str]], repeat: int) -> None:
    """Open *path* and assess one claim, then assess every claim, in a new process.

    Each of *repeat* rounds is a new Python process, as a user's script would be, so
    that no round finds the memory of the one before; the import of claimtrack is
    timed apart.
    """
    rounds = []
    for _ in range(repeat):
        child = subprocess.run(
            [sys.executable, "-c", _REOPEN, path], capture_output=True, text=True, check=True
        )
        rounds.append(json.loads(child.stdout))
    best = min(rounds, key=lambda r: r["open"][0])
    median = statistics.median(r["open"][0] for r in rounds)
    (w, c), (aw, ac) = best["open"], best["assess_all"]
    note = (f"{c:.2f} s CPU, median {median:.2f} s; {best['evidence']} evidence on c1;"
            f" import {best['import']:.2f} s")  # fmt: skip
    out.append((f"reopen {label} ({best['records']:,} records) + assess (best of {repeat})",
                f"{w:.2f} s", note))  # fmt: skip
    out.append(("  then the first assess_all()", f"{aw:.2f} s",
                f"{ac:.2f} s CPU, running tallies built"))  # fmt: skip


def memory(tmp: str, out: list[tuple[str, str, str]], n_evidence: int) -> None:
    """Memory per piece of evidence held, as made, and after assessing every claim."""

    def held(n: int, reopened: bool, assessed: bool) -> int:
        path = os.path.join(tmp, f"memory-{n}.db")
        if reopened and not os.path.exists(path):
            with ct.open(path) as writer:
                writer.add_many(list(make_ledger(1_000, 20_000, n)))
        gc.collect()
        tracemalloc.start()
        if reopened:
            tracker = ct.open(path)
        else:
            tracker = ct.Tracker()
            tracker.add_many(list(make_ledger(1_000, 20_000, n)))
        if assessed:
            tracker.assess_all()
        gc.collect()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        tracker.close()
        del tracker
        gc.unfreeze()
        gc.collect()
        return size

    for reopened, how in ((False, "made with add_many"), (True, "reopened from SQLite")):
        for assessed in (False, True):
            base, full = held(0, reopened, assessed), held(n_evidence, reopened, assessed)
            per = (full - base) / n_evidence
            then = ", then assess_all()" if assessed else ""
            out.append((f"memory per evidence held, {how}{then}", f"{per:.0f} bytes",
                        f"{n_evidence:,} evidence; without them {base / 1e6:.1f} MB"))  # fmt: skip


def jsonl_copy(records: list[ct.Record], tmp: str) -> str:
    path = os.path.join(tmp, "bulk.jsonl")
    with ct.open(path) as tracker:
        tracker.add_many(records)
    return path


def main() -> None:
    small = "--small" in sys.argv
    scale = 10 if small else 1
    repeat = 1 if small else 3
    out: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        records = list(make_ledger(1_000, 100_000 // scale, 1_000_000 // scale))
        db = bulk(tmp, records, out, repeat)
        jsonl = jsonl_copy(records, tmp)
        del records
        single_adds(tmp, out)
        reopen(db, "SQLite", out, repeat)
        reopen(jsonl, "JSON Lines", out, 1)
        memory(tmp, out, 200_000 // scale)
    width = max(len(row[0]) for row in out)
    print(f"claimtrack {ct.__version__}, Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")  # fmt: skip
    for name, figure, note in out:
        print(f"{name:<{width}}  {figure:>16}  {note}")


if __name__ == "__main__":
    main()
