"""How fast claimtrack reads and writes ClaimReview JSON-LD and CSV.

Run with ``python -m benchmarks.bench_interop``.  Builds a synthetic ledger
(:func:`benchmarks.synthetic.make_ledger`), then times, for each size:

- ``export``: :func:`export_claimreviews` of every claim (each one assessed) to JSON;
- ``import``: :func:`import_claimreviews` of that JSON into an empty tracker
  (parsing, limit checks, speaker matching, records, ``add_many``);
- ``csv write`` / ``csv read``: the claims as CSV, and back into a tracker that
  already holds the speakers.

Prints the time, the rate and the peak memory that :mod:`tracemalloc` saw (which
slows everything it watches, so times come from a separate, untraced run).
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import claimtrack as ct
from benchmarks.synthetic import make_ledger
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


def main() -> None:
    print(f"{'claims':>8} {'step':<12} {'seconds':>8} {'per second':>11} {'peak MiB':>9}")
    for n in SIZES:
        measure(n)


if __name__ == "__main__":
    main()
