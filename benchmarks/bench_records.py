"""How fast track records and leaderboards are.

Run ``python -m benchmarks.bench_records``.  Two figures, from the issue:

- ``track_record()`` for one speaker with 10,000 claims (100,000 pieces of evidence),
  after a first ``assess_all()``: target under 50 ms;
- ``leaderboard()`` over 1,000 speakers and 100,000 claims (300,000 pieces of
  evidence), after a first ``assess_all()``: target under 1 s.

Each is timed as the best and the median of several runs, after one untimed warm-up.
The cold figures (the first call, which assesses every claim) are printed too, as are
the calls with ``as_of``, which are not cached.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

import claimtrack as ct

from .synthetic import make_ledger

TODAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _load(n_speakers: int, n_claims: int, n_evidence: int) -> ct.Tracker:
    tracker = ct.Tracker(clock=lambda: TODAY)
    tracker.add_many(make_ledger(n_speakers, n_claims, n_evidence))
    return tracker


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []

    one = _load(1, 10_000, 100_000)
    cold = _once(lambda: one.track_record("s0"))
    rows.append(("track_record('s0'), 10k claims, cold", f"{cold * 1e3:.1f}", "", ""))
    one.assess_all()
    best, median = _time(lambda: one.track_record("s0"), 20)
    rows.append(("track_record('s0'), 10k claims", f"{best * 1e3:.1f}", f"{median * 1e3:.1f}",
                 "< 50 ms"))  # fmt: skip
    best, median = _time(lambda: one.track_record("s0", topic="ukraine"), 20)
    rows.append(("  ... topic='ukraine'", f"{best * 1e3:.1f}", f"{median * 1e3:.1f}", ""))
    best, median = _time(lambda: one.track_record("s0", as_of="2023-06-30"), 5)
    rows.append(("  ... as_of='2023-06-30' (not cached)", f"{best * 1e3:.1f}",
                 f"{median * 1e3:.1f}", ""))  # fmt: skip

    many = _load(1_000, 100_000, 300_000)
    cold = _once(lambda: many.leaderboard())
    rows.append(("leaderboard(), 1k speakers, 100k claims, cold", f"{cold * 1e3:.1f}", "", ""))
    many.assess_all()
    best, median = _time(lambda: many.leaderboard(), 5)
    rows.append(("leaderboard(), 1k speakers, 100k claims", f"{best * 1e3:.1f}",
                 f"{median * 1e3:.1f}", "< 1000 ms"))  # fmt: skip
    best, median = _time(lambda: many.leaderboard(by="brier", min_resolved=1), 5)
    rows.append(("  ... by='brier'", f"{best * 1e3:.1f}", f"{median * 1e3:.1f}", ""))
    best, median = _time(lambda: many.leaderboard(topic="ukraine", kind="promise"), 5)
    rows.append(("  ... topic='ukraine', kind='promise'", f"{best * 1e3:.1f}",
                 f"{median * 1e3:.1f}", ""))  # fmt: skip

    width = max(len(r[0]) for r in rows)
    print(f"{'call':<{width}}  {'best ms':>9}  {'median ms':>9}  target")
    for name, best_ms, median_ms, target in rows:
        print(f"{name:<{width}}  {best_ms:>9}  {median_ms:>9}  {target}")


if __name__ == "__main__":
    main()
