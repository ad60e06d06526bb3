"""Benchmark of scoring: assess_all, one assess after one new piece of evidence, history.

Run ``python -m benchmarks.bench_scoring`` (the full run, up to 1,000,000 evidence, takes
a few minutes and about 4 GB of memory), or ``python -m benchmarks.bench_scoring --quick``
(up to 100,000).  Prints a table of figures; nothing is asserted.

Figures (the issue's targets):

- ``assess_all()`` over 100,000 claims with 1,000,000 evidence in memory: under 2 s;
- one ``assess()`` after one new piece of evidence: under 50 µs, the same at every size
  (on a random claim, as the issue measured it; and apart, on a claim assessed before,
  whose state the tracker holds, and on a claim it has not seen);
- ``history()`` of a claim with 1,000 pieces of evidence, every entry read: under 20 ms;
- ``history()`` with 16,000 change points: under 0.5 s and 200 MB, ten times the points
  within twelve times the time and memory (``--history``: the call alone, the call and
  reading every entry once, which the goal is about, and ``tuple()`` of it);
- memory held per piece of evidence in memory: at most 600 B.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial

import claimtrack as ct
from benchmarks.synthetic import make_ledger

TODAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def load(n_evidence: int) -> ct.Tracker:
    tracker = ct.Tracker(clock=lambda: TODAY)
    n_claims = max(n_evidence // 10, 1)
    tracker.add_many(make_ledger(max(n_claims // 100, 1), n_claims, n_evidence), allow_future=True)
    return tracker


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds taken by each of *repeat* calls of *fn*."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def one_new_evidence(tracker: ct.Tracker, *, in_order: bool, repeat: int = 2_000) -> list[float]:
    """Time assess() right after adding one piece of evidence to a random claim."""
    rng = random.Random(7)
    claims = tracker.claims()
    times = []
    for k in range(repeat):
        claim = rng.choice(claims)
        # In date order: dated after everything synthetic (the usual case); out of
        # order: dated at the claim's own date, so it sorts before the claim's evidence.
        day = dt.date(2030, 1, 1) + dt.timedelta(days=k) if in_order else claim.stated_on
        tracker.add_evidence(claim, "New report.", stance="supports", strength="weak",
                             observed_on=day, allow_future=True)  # fmt: skip
        start = time.perf_counter()
        tracker.assess(claim)
        times.append(time.perf_counter() - start)
    return times


def after_add(
    tracker: ct.Tracker,
    claims: Sequence[ct.Claim],
    *,
    assessed_before: bool,
    start: dt.date,
    spread: bool = True,
) -> list[float]:
    """Time assess() right after adding one piece of evidence to each of *claims*.

    Each piece is dated after everything before it: the k-th *start* + k days (or
    *start* itself, without *spread*: for claims each given one piece).  With
    *assessed_before*, the claim is assessed just before the piece is added, so its state
    and running tally are in the tracker's cache and the piece is added to the tally:
    the incremental path.  Without, on claims the tracker has not seen, the claim's
    state is read from the store (by add_evidence) and its tally built by assess().
    """
    times = []
    for k, claim in enumerate(claims):
        if assessed_before:
            tracker.assess(claim)
        day = start + dt.timedelta(days=k) if spread else start
        tracker.add_evidence(claim, "New report.", stance="supports", strength="weak",
                             observed_on=day, allow_future=True)  # fmt: skip
        begin = time.perf_counter()
        tracker.assess(claim)
        times.append(time.perf_counter() - begin)
    return times


def median_p95(times: list[float]) -> str:
    return f"{us(statistics.median(times))} ({us(statistics.quantiles(times, n=20)[-1])})"


def big_claim(tracker: ct.Tracker, n: int = 1_000) -> ct.Claim:
    rng = random.Random(11)
    claim = tracker.add_claim("s0", "A claim with much evidence.", id="big",
                              stated_on="2020-01-01", due="2027-12-31")  # fmt: skip
    stances = ["supports", "refutes", "mixed", "context"]
    strengths = ["weak", "moderate", "strong"]
    tracker.add_many(
        [ct.Evidence(f"big-e{i}", "big", f"Report {i}.", stance=rng.choice(stances),
                     strength=rng.choice(strengths),
                     observed_on=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)))
         for i in range(n)],
        allow_future=True,
    )  # fmt: skip
    return claim


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def history_tracker(n: int) -> ct.Tracker:
    """A tracker holding one claim with *n* pieces of evidence, each on its own day."""
    tracker = ct.Tracker(clock=lambda: TODAY)
    tracker.add_speaker("S", id="s")
    tracker.add_claim("s", "C.", id="c", stated_on="1900-01-01")
    start_day = dt.date(1900, 1, 2)
    tracker.add_many(
        [ct.Evidence(f"e{i}", "c", "Seen.", stance=("supports", "refutes")[i % 2],
                     strength="weak", observed_on=start_day + dt.timedelta(days=i))
         for i in range(n)],
        allow_future=True,
    )  # fmt: skip
    tracker.assess("c")  # the claim's running tally, built once
    return tracker


def read_every_entry(history: Sequence[ct.Assessment]) -> None:
    """What a user does with a history: read each entry once (here, its verdict)."""
    for entry in history:
        entry.verdict  # noqa: B018


# what is timed of history(): the call alone; the call and reading every entry once
# (the user's cost, which the goal is about); the call and tuple(...) of it, which
# keeps every entry at once
HISTORY_WORK: dict[str, Callable[[ct.Tracker], object]] = {
    "history()": lambda t: t.history("c"),
    "+ read each entry": lambda t: read_every_entry(t.history("c")),
    "tuple(history())": lambda t: tuple(t.history("c")),
}


def history_read(tracker: ct.Tracker, claim: ct.Claim) -> None:
    """history() of *claim*, every entry read once."""
    read_every_entry(tracker.history(claim))


def history_points(n: int, runs: int = 1) -> dict[str, tuple[float, float]]:
    """Seconds (median of *runs*) and peak MB (tracemalloc, one more run) of each of
    :data:`HISTORY_WORK` for a claim with *n* change points."""
    tracker = history_tracker(n)  # n pieces and the claim's date: n + 1 points, n + 2 entries
    found = {}
    for name, work in HISTORY_WORK.items():
        seconds = statistics.median(timed(partial(work, tracker), runs))
        tracemalloc.start()
        work(tracker)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        found[name] = seconds, peak
    return found


def print_history_figures(runs: int) -> None:
    """The history() by change points table, with the ratio 10x the points costs."""
    print("history() by change points (goal: 16,000 <= 0.5 s and <= 200 MB; 10x the points "
          "<= 12x the time and memory, for the call and reading every entry once)")  # fmt: skip
    found = {points: history_points(points, runs) for points in (16_000, 160_000)}
    print(f"{'':>18} {'16,000 points':>22} {'160,000 points':>22} {'ratio':>15}")
    for name in HISTORY_WORK:
        (s1, m1), (s2, m2) = found[16_000][name], found[160_000][name]
        print(f"{name:>18} {s1:>8.3f} s {m1:>8.1f} MB {s2:>8.3f} s {m2:>8.1f} MB "
              f"{s2 / s1:>6.1f}x {m2 / m1:>6.1f}x", flush=True)  # fmt: skip
    print(f"(seconds: median of {runs}; MB: tracemalloc's peak during one more run)")


def bytes_per_evidence(n: int) -> float:
    """Memory a tracker holds per piece of evidence (tracemalloc, after assess_all)."""
    gc.collect()
    tracemalloc.start()
    base = ct.Tracker(clock=lambda: TODAY)
    base.add_many(make_ledger(100, 10_000, 0), allow_future=True)
    base.assess_all()
    without = tracemalloc.get_traced_memory()[0]
    del base
    gc.collect()
    tracemalloc.stop()
    tracemalloc.start()
    full = ct.Tracker(clock=lambda: TODAY)
    full.add_many(make_ledger(100, 10_000, n), allow_future=True)
    full.assess_all()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del full
    return (held - without) / n


def history_only(runs: int = 5) -> None:
    """Only the history() by change points figures (``--history``): medians of *runs*."""
    print_history_figures(runs)


def main() -> None:
    if "--history" in sys.argv:
        history_only()
        return
    sizes = [10_000, 100_000] if "--quick" in sys.argv else [10_000, 100_000, 1_000_000]
    if "--large" in sys.argv:  # only the 1,000,000-evidence row
        sizes = [1_000_000]
    print(f"Python {sys.version.split()[0]}; figures are medians (p95 where shown).")
    print("'frozen': after the script's own gc.freeze() (the library never calls it).")
    print()
    print(f"{'evidence':>10} {'claims':>8} {'load':>7} {'assess_all cold':>16} "
          f"{'warm':>6} {'frozen':>7} {'assess after add':>17} {'p95':>9} "
          f"{'add early':>10} {'history(1000)':>14} {'frozen':>9} {'as_of(1000)':>12}")  # fmt: skip
    split: list[tuple[int, list[float], list[float], list[float]]] = []
    for n in sizes:
        gc.collect()
        start = time.perf_counter()
        tracker = load(n)
        loaded = time.perf_counter() - start
        cold = timed(tracker.assess_all, 1)[0]
        warm = statistics.median(timed(tracker.assess_all, 3))
        rng = random.Random(13)
        claims = tracker.claims()
        # first, claims the tracker has not seen (assess_all keeps no claim's state),
        # each as loaded but for the one new piece
        # (dated before the pieces added later, which are then still in date order)
        unseen = after_add(tracker, rng.sample(claims, min(2_000, len(claims))),
                           assessed_before=False, start=dt.date(2027, 1, 1),
                           spread=False)  # fmt: skip
        # then a new tracker over the same store, with nothing in its cache, as before
        tracker = ct.Tracker(store=tracker.store, clock=lambda: TODAY)
        after = one_new_evidence(tracker, in_order=True)
        early = one_new_evidence(tracker, in_order=False)
        kept = after_add(tracker, rng.choices(claims, k=2_000), assessed_before=True,
                         start=dt.date(2050, 1, 1))  # fmt: skip
        split.append((n, after, kept, unseen))
        claim = big_claim(tracker)
        tracker.history(claim)  # bring the new claim's running sums up to date
        # history() and reading every entry once (entries are made when read)
        history = statistics.median(timed(partial(history_read, tracker, claim), 10))
        when = ct.PartialDate.parse("2022-06-30")  # parsing a date string costs ~25 µs
        as_of = statistics.median(timed(partial(tracker.assess, claim, as_of=when), 1_000))
        gc.freeze()
        frozen = statistics.median(timed(tracker.assess_all, 3))
        history_frozen = statistics.median(timed(partial(history_read, tracker, claim), 10))
        gc.unfreeze()
        p95 = statistics.quantiles(after, n=20)[-1]
        print(f"{n:>10,} {n // 10:>8,} {loaded:>6.1f}s {cold:>15.2f}s {warm:>5.2f}s "
              f"{frozen:>6.2f}s {us(statistics.median(after)):>17} {us(p95):>9} "
              f"{us(statistics.median(early)):>10} {ms(history):>14} {ms(history_frozen):>9} "
              f"{us(as_of):>12}", flush=True)  # fmt: skip
        del tracker
    print("\nassess() right after adding one piece of evidence (goal: < 50 µs, the same at "
          "every size): median (p95)")  # fmt: skip
    print(f"{'evidence':>10} {'claims':>8} {'a random claim':>22} {'a claim assessed before':>24} "
          f"{'a claim not seen':>22}")  # fmt: skip
    for n, after, kept, unseen in split:
        print(f"{n:>10,} {n // 10:>8,} {median_p95(after):>22} {median_p95(kept):>24} "
              f"{median_p95(unseen):>22}")  # fmt: skip
    print("(a random claim: of 2,000 random picks, the share of claims picked before, whose "
          "state the tracker holds, falls as the claims grow; a claim assessed before: its "
          "state and tally are in the cache, the piece is added to the tally; a claim not "
          "seen: its state is read from the store and its tally built)")  # fmt: skip
    n = sizes[-1]
    gc.collect()
    tracker = load(n)
    gc.freeze()
    cold = timed(tracker.assess_all, 1)[0]
    gc.unfreeze()
    print(f"\nassess_all() first call after loading {n:,} evidence, gc.freeze() first: "
          f"{cold:.2f}s")  # fmt: skip
    del tracker
    print()
    print_history_figures(3)
    per = bytes_per_evidence(200_000 if "--quick" not in sys.argv else 20_000)
    print(
        f"\nmemory held per piece of evidence, in memory, after assess_all: {per:.0f} B"
        " (goal <= 600 B)"
    )


if __name__ == "__main__":
    main()
