"""How fast claimtrack reads and writes ClaimReview JSON-LD and CSV.

Run with ``python -m benchmarks.bench_interop``.  Builds a synthetic ledger
(:func:`benchmarks.synthetic.make_ledger`), then times, for each size:

- ``export``: :func:`export_claimreviews` of every claim (each one assessed) to JSON;
- ``import``: :func:`import_claimreviews` of that JSON into an empty tracker
  (parsing, limit checks, speaker matching, records, ``add_many``);
- ``csv write`` / ``csv read``: the claims as CSV, and back into a tracker that
  already holds the speakers.

Then the figures of issue 13:

- ``refuse [0,0,…]``: refusing a 16 MiB document of 8,388,607 zeros (under the size
  limit), and ``refuse {}x5M``: one of 5 million empty objects (15 MiB);
- ``real-shaped``: importing 10,000 reviews in the shapes real fact-checkers publish
  (the Newtral items of ``tests/data/real``, each made distinct: 37 MB, so read with
  ``max_bytes`` raised to 64 MiB), with ``on_error="skip"``.

Prints the time, the rate and the peak memory that :mod:`tracemalloc` saw (which
slows everything it watches, so times come from a separate, untraced run).
"""

from __future__ import annotations

import copy
import io
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import claimtrack as ct
from benchmarks.synthetic import make_ledger
from claimtrack.interop import ImportLimits
from claimtrack.interop.claimreview import export_claimreviews, import_claimreviews
from claimtrack.interop.tabular import read_csv, write_csv

SIZES = (1_000, 10_000)


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run *fn* twice: once for the time, once under tracemalloc for the peak memory."""
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 2**20


def measure(n: int) -> None:
    records = list(make_ledger(n_speakers=max(10, n // 100), n_claims=n, n_evidence=2 * n))
    tracker = ct.Tracker()
    tracker.add_many(records)
    speakers = [r for r in records if isinstance(r, ct.Speaker)]

    def export() -> str:
        out = io.StringIO()
        export_claimreviews(tracker, out, reviewer="Bench Desk", as_of="2026-01-01")
        return out.getvalue()

    text, t_export, m_export = timed(export)
    _, t_import, m_import = timed(lambda: import_claimreviews(ct.Tracker(), text))

    def csv_write() -> str:
        out = io.StringIO()
        write_csv(tracker, out, "claims")
        return out.getvalue()

    sheet, t_write, m_write = timed(csv_write)

    def csv_read() -> Any:
        target = ct.Tracker()
        target.add_many(speakers)
        return read_csv(target, sheet, "claims")

    _, t_read, m_read = timed(csv_read)
    for step, seconds, peak in (
        ("export", t_export, m_export),
        ("import", t_import, m_import),
        ("csv write", t_write, m_write),
        ("csv read", t_read, m_read),
    ):
        print(f"{n:>8} {step:<12} {seconds:>8.2f} {n / seconds:>11,.0f} {peak:>9.1f}")
    json_mib, csv_mib = len(text.encode()) / 2**20, len(sheet) / 2**20
    print(f"{'':>8} JSON {json_mib:.1f} MiB, CSV {csv_mib:.1f} MiB")


# Newtral's items are long (about 3.7 KB each): 10,000 of them are 37 MB.
BIG = ImportLimits(max_bytes=64 * 2**20)
REAL = Path(__file__).parent.parent / "tests" / "data" / "real" / "claimreview" / "jsonld"


def refuse(text: str) -> Any:
    try:
        import_claimreviews(ct.Tracker(), text)
    except ExceptionGroup as group:
        return group
    raise AssertionError("not refused")


def real_shaped(n: int) -> str:
    """*n* reviews in the real Newtral shapes, each with its own claim text."""
    items = []
    for name in ("newtral_fact_check_index.json", "newtral_fakes_index.json"):
        items.extend(json.loads((REAL / name).read_text(encoding="utf-8"))["data"])
    out = []
    for i in range(n):
        item = copy.deepcopy(items[i % len(items)])
        item["claimReviewed"] = f"{item['claimReviewed']} ({i})"
        out.append(item)
    return json.dumps({"total_results": n, "data": out}, ensure_ascii=False)


def figures() -> None:
    zeros = "[" + "0," * (8 * 1024 * 1024 - 2) + "0]"
    empties = "[" + "{}," * (5_000_000 - 1) + "{}]"
    for step, text in (("refuse [0,0,…]", zeros), ("refuse {}x5M", empties)):
        group, seconds, peak = timed(lambda t=text: refuse(t))
        print(f"{'':>8} {step:<16} {seconds:>8.3f} {'':>11} {peak:>9.1f}  {group.exceptions[0]}")
    text = real_shaped(10_000)
    report, seconds, peak = timed(
        lambda: import_claimreviews(ct.Tracker(), text, on_error="skip", limits=BIG)
    )
    print(
        f"{10_000:>8} {'real-shaped':<16} {seconds:>8.2f} {10_000 / seconds:>11,.0f} "
        f"{peak:>9.1f}  {report.counts}, {len(report.skipped)} skipped"
    )


def main() -> None:
    print(f"{'claims':>8} {'step':<12} {'seconds':>8} {'per second':>11} {'peak MiB':>9}")
    for n in SIZES:
        measure(n)
    figures()


if __name__ == "__main__":
    main()
