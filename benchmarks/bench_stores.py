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
3. Reopening the 1,100,000-record file and looking up one claim and its evidence (and
   assessing it, if ``Tracker.assess`` exists); then, in the same process, the first
   ``assess_all()``, which builds the running tallies that opening leaves to be built
   when first needed.  The same for a JSON Lines file.
4. Memory per evidence record held by a tracker, with :mod:`tracemalloc`: the
   difference between a ledger with and without 200,000 evidence records (same
   speakers and claims), divided by 200,000: made in memory with ``add_many``, and
   reopened from a SQLite file.
"""

from __future__ import annotations

import gc
import itertools
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

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


def reopen(path: str, label: str, out: list[tuple[str, str, str]], repeat: int) -> None:
    """Reopen *path* and assess one claim, *repeat* times; then the first assess_all."""
    times: list[tuple[float, float]] = []
    for round_ in range(repeat):
        gc.unfreeze()  # as in a new process: the last round's tracker is gone
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        tracker = ct.open(path)
        claim = tracker.claim("c1")
        evidence = tracker.evidence(claim)
        assess: Callable[..., Any] | None = getattr(tracker, "assess", None)
        what = "lookup + evidence"
        if assess is not None:
            assess(claim)
            what = "assess"
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
        if round_ < repeat - 1:
            tracker.close()
            del tracker
    w, c = min(times)
    median = statistics.median(w for w, _ in times)
    n = len(tracker)
    note = f"{c:.2f} s CPU, median {median:.2f} s; {len(evidence)} evidence on c1"
    out.append((f"reopen {label} ({n:,} records) + {what} (best of {repeat})", f"{w:.2f} s", note))
    if assess is not None:
        wall, cpu = time.perf_counter(), time.process_time()
        tracker.assess_all()
        w, c = time.perf_counter() - wall, time.process_time() - cpu
        out.append(("  then the first assess_all()", f"{w:.2f} s",
                    f"{c:.2f} s CPU, running tallies built"))  # fmt: skip
    tracker.close()


def memory(tmp: str, out: list[tuple[str, str, str]], n_evidence: int) -> None:
    def held(n: int, reopened: bool) -> int:
        records = list(make_ledger(1_000, 20_000, n))
        if reopened:
            path = os.path.join(tmp, f"memory-{n}.db")
            with ct.open(path) as writer:
                writer.add_many(records)
        del records
        gc.collect()
        tracemalloc.start()
        if reopened:
            tracker = ct.open(path)
        else:
            tracker = ct.Tracker()
            tracker.add_many(list(make_ledger(1_000, 20_000, n)))
        gc.collect()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        tracker.close()
        del tracker
        return size

    for reopened, how in ((False, "made with add_many"), (True, "reopened from SQLite")):
        base, full = held(0, reopened), held(n_evidence, reopened)
        per = (full - base) / n_evidence
        out.append((f"memory per evidence held, {how} ({n_evidence:,})", f"{per:.0f} bytes",
                    f"ledger without evidence: {base / 1e6:.1f} MB"))  # fmt: skip


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
