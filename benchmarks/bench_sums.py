"""Benchmark of the exact sums (``claimtrack._sums``) where the running tallies use them.

Run ``python -m benchmarks.bench_sums`` (about half a minute, under 200 MB).  Each
figure is the 10th percentile of many timings, so that other work on a shared machine
disturbs it less; nothing is asserted.  Run it on two checkouts in turn to compare:
``PYTHONPATH=<checkout> python -m benchmarks.bench_sums``.

- ``assess`` of a claim of 10 pieces not in the tracker's cache (its tally built);
- ``assess`` after adding a piece in date order, and out of order, to a cached claim
  of about 10 pieces;
- ``history`` and ``assess(as_of=...)`` of a claim of 1,000 pieces, and ``assess``
  after adding a piece early in its order (the prefix sums after it found again when
  the assessment needs them: a claim that held or failed, for ``resolved_on``);
- the prefix sums of 1,000 shares: exact (``prefix_sums``) against adding floats in
  order (``itertools.accumulate``).
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import itertools
import math
import random
import time
from collections.abc import Callable

import claimtrack as ct

TODAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_RELIABILITIES = (1.0, 0.7, 0.9, 0.5)


def tracker_with(n_claims: int, per_claim: int) -> ct.Tracker:
    """A tracker with *n_claims* claims of *per_claim* pieces each (seeded)."""
    tracker = ct.Tracker(clock=lambda: TODAY)
    tracker.add_speaker("S", id="s")
    rng = random.Random(5)
    records: list[ct.Record] = []
    for c in range(n_claims):
        records.append(ct.Claim(f"c{c}", "s", "C.", stated_on="2020-01-01"))
        records.extend(
            ct.Evidence(f"c{c}e{i}", f"c{c}", "E.",
                        stance=rng.choice(["supports", "refutes", "mixed"]),
                        strength=rng.choice(["weak", "moderate", "strong"]),
                        observed_on=dt.date(2020, 1, 2) + dt.timedelta(days=rng.randrange(1500)),
                        source=ct.Source(publisher="p", reliability=rng.choice(_RELIABILITIES)))
            for i in range(per_claim)
        )  # fmt: skip
    tracker.add_many(records, allow_future=True)
    return tracker


def low(samples: list[float]) -> float:
    """The 10th percentile: what a call costs when nothing else gets in its way."""
    return sorted(samples)[len(samples) // 10]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def after_adding(tracker: ct.Tracker, claims: list[str], day: Callable[[int], dt.date]) -> float:
    """assess() of each of *claims* right after a new piece dated ``day(k)``."""
    samples = []
    for k, claim in enumerate(claims):
        tracker.add_evidence(claim, "New.", stance="supports", strength="weak",
                             observed_on=day(k), allow_future=True)  # fmt: skip
        samples.append(timed(functools.partial(tracker.assess, claim)))
    return low(samples)


def repeated(fn: Callable[[], object], times: int) -> float:
    return low([timed(fn) for _ in range(times)])


def main() -> None:
    rows: list[tuple[str, float]] = []
    small = tracker_with(3_000, 10)
    claims = iter([f"c{c}" for c in range(3_000)])
    rows.append(
        ("assess, claim of 10 not cached", repeated(lambda: small.assess(next(claims)), 3_000))
    )
    in_order = [f"c{k % 500}" for k in range(3_000)]
    later = after_adding(small, in_order, lambda k: dt.date(2025, 1, 1) + dt.timedelta(days=k))
    rows.append(("assess after a piece in order (10)", later))
    out_of_order = [f"c{500 + k % 500}" for k in range(3_000)]
    early = after_adding(small, out_of_order, lambda k: dt.date(2020, 1, 1))
    rows.append(("assess after a piece out of order (10)", early))
    big = tracker_with(1, 1_000)
    big.history("c0")  # the tally built, its sums found
    rows.append(("history, claim of 1,000", repeated(lambda: big.history("c0"), 30)))
    when = ct.PartialDate.parse("2021-06-30")
    rows.append(
        ("assess(as_of), claim of 1,000", repeated(lambda: big.assess("c0", as_of=when), 2_000))
    )
    first_days = after_adding(
        big, ["c0"] * 300, lambda k: dt.date(2020, 1, 2) + dt.timedelta(days=k)
    )
    rows.append(("assess after a piece early (1,000)", first_days))
    rng = random.Random(1)
    values = [math.log(r) * w * s for r in (2, 4, 16) for w in _RELIABILITIES for s in (1, -1)]
    shares = array.array("d", (rng.choice(values) for _ in range(1_000)))
    try:
        from claimtrack._sums import ExactSum, prefix_sums
    except ImportError:  # (a checkout from before the exact sums)
        pass
    else:
        exact = repeated(lambda: prefix_sums(shares, ExactSum()), 300)
        rows.append(("prefix sums of 1,000, exact", exact))
    floats = repeated(lambda: array.array("d", itertools.accumulate(shares, initial=0.0)), 300)
    rows.append(("prefix sums of 1,000, floats in order", floats))
    for name, seconds in rows:
        print(f"{name:42} {seconds * 1e6:10.1f} µs")


if __name__ == "__main__":
    main()
