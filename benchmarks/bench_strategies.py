"""How long claimtrack's Hypothesis strategies take to generate examples.

Run with ``python -m benchmarks.bench_strategies``.  Prints, for each strategy, the
examples generated and the time per example (generation only: no shrinking, no
example database).
"""

from __future__ import annotations

import time
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from claimtrack import strategies as cts

EXAMPLES = 200


def measure(strategy: st.SearchStrategy[Any]) -> tuple[int, float]:
    count = 0

    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(_: Any) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    run()
    return count, time.perf_counter() - start


def main() -> None:
    rows = [
        ("texts()", cts.texts()),
        ("partial_dates()", cts.partial_dates()),
        ("sources()", cts.sources()),
        ("speakers()", cts.speakers()),
        ("claims()", cts.claims()),
        ("evidence()", cts.evidence()),
        ("ledgers()", cts.ledgers()),
    ]
    print(f"{'strategy':<18} {'examples':>8} {'total s':>8} {'ms/example':>11}")
    for name, strategy in rows:
        count, seconds = measure(strategy)
        print(f"{name:<18} {count:>8} {seconds:>8.2f} {1000 * seconds / count:>11.2f}")


if __name__ == "__main__":
    main()
