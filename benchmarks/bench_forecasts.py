"""How fast forecasts are imported and scored, and how much memory they hold.

Run ``python -m benchmarks.bench_forecasts``.  The figures of issue 14, on the
synthetic set of :func:`benchmarks.synthetic.make_forecast_ledger` (100,000 forecasts
by 1,000 forecasters on 10,000 claims, with 20,000 pieces of evidence and 8,000
rulings):

- import (``add_many`` of the whole ledger, its records already made): under 3 s;
- every forecaster's ``ForecastRecord`` with time-averaged and relative Brier: under
  3 s in all (once through ``leaderboard(by="time_averaged_brier")``, which scores each
  claim once for everyone, and once as 1,000 calls of ``forecast_record``);
- memory per forecast held (``tracemalloc``: what making the forecasts and adding them
  to a tracker that already holds the rest of the ledger leaves allocated): at most
  400 B.

Each figure is one cold run (the first call, nothing cached), as a user meets it.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import time
import tracemalloc

import claimtrack as ct

from .synthetic import make_forecast_ledger

TODAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _tracker() -> ct.Tracker:
    return ct.Tracker(clock=lambda: TODAY)


def main() -> None:
    records = list(make_forecast_ledger())
    forecasts = [r for r in records if isinstance(r, ct.Forecast)]
    others = [r for r in records if not isinstance(r, ct.Forecast)]
    print(f"{len(records):,} records: {len(forecasts):,} forecasts")

    t = _tracker()
    start = time.perf_counter()
    t.add_many(records)
    imported = time.perf_counter() - start
    print(f"import of the whole ledger (add_many): {imported:.2f} s  (target < 3 s)")

    start = time.perf_counter()
    rows = t.leaderboard(by="time_averaged_brier", min_resolved=1)
    board = time.perf_counter() - start
    print(f"every forecaster's record, via leaderboard(): {board:.2f} s for {len(rows)} "
          "ranked  (target < 3 s)")  # fmt: skip

    again = _tracker()
    again.add_many(records)
    start = time.perf_counter()
    recs = [again.forecast_record(f"s{i}") for i in range(1_000)]
    each = time.perf_counter() - start
    scored = sum(r.scored for r in recs)
    print(f"every forecaster's record, 1,000 forecast_record() calls: {each:.2f} s "
          f"({scored:,} claim scores)  (target < 3 s)")  # fmt: skip
    del again, recs

    # memory: what making and adding the forecasts adds to a tracker holding the rest:
    # the records (their ids, numbers and stamps) and the tracker's indexes of them
    del records, forecasts, others, t
    gc.collect()
    base = _tracker()
    made = make_forecast_ledger()
    rest: list[ct.Record] = []
    for record in made:
        if isinstance(record, ct.Forecast):
            first = record
            break
        rest.append(record)
    base.add_many(rest)
    del rest
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    added = base.add_many(itertools.chain([first], made))
    n = len(added)
    del added, first, made
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"memory per forecast held: {(after - before) / n:.0f} B over {n:,} forecasts "
          "(target <= 400 B)")  # fmt: skip


if __name__ == "__main__":
    main()
