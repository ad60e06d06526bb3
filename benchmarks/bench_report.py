"""How long scorecards and charts take, and how large they are.

Run with ``python -m benchmarks.bench_report``.  Builds synthetic ledgers
(:func:`benchmarks.synthetic.make_ledger`) and times, for each size:

- ``markdown``: :func:`claimtrack.report.markdown` (every claim assessed, every
  speaker's track record, every timeline);
- ``html``: :func:`claimtrack.report.html` without charts;
- ``html+charts``: with charts (needs matplotlib): the leaderboard chart, a calibration
  chart per speaker with stated confidences, and at most 50 probability charts;
- ``cli list``: ``claimtrack list claims --json`` in-process on the same ledger.

Prints the time and the size of the output.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import claimtrack as ct
from benchmarks.synthetic import make_ledger
from claimtrack import cli, report

SIZES = ((20, 200, 1_000), (100, 2_000, 10_000))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def steps(tracker: ct.Tracker) -> list[tuple[str, Callable[[], str]]]:
    @contextlib.contextmanager
    def opener(path: Path, writes: bool) -> Iterator[ct.Tracker]:
        yield tracker

    def listing() -> str:
        out = io.StringIO()
        cli.run(["list", "claims", "--json"], opener=opener, stdout=out)
        return out.getvalue()

    chosen: list[tuple[str, Callable[[], str]]] = [
        ("markdown", lambda: report.markdown(tracker)),
        ("html", lambda: report.html(tracker, charts=False)),
        ("cli list", listing),
    ]
    if report.plots_available():
        chosen.insert(2, ("html+charts", lambda: report.html(tracker)))
    return chosen


def main() -> None:
    print(f"{'ledger (speakers/claims/evidence)':<36} {'step':<12} {'seconds':>8} {'KiB':>8}")
    for n_speakers, n_claims, n_evidence in SIZES:
        tracker = ct.Tracker()
        tracker.add_many(list(make_ledger(n_speakers, n_claims, n_evidence)))
        label = f"{n_speakers}/{n_claims}/{n_evidence}"
        for name, fn in steps(tracker):
            text, seconds = timed(fn)
            size = len(text.encode("utf-8")) / 1024
            print(f"{label:<36} {name:<12} {seconds:>8.2f} {size:>8.0f}")


if __name__ == "__main__":
    main()
