"""Synthetic ledgers for the benchmark suite.

``make_ledger(n_speakers, n_claims, n_evidence)`` yields records in an order a tracker
accepts: speakers, then claims spread over the speakers, then evidence spread over the
claims with dates after each claim's own date.  The same seed gives the same ledger.

Run ``python -m benchmarks.synthetic`` to see how fast records are made.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator

import claimtrack as ct

_T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
_DAY0 = dt.date(2020, 1, 1)
_TOPICS = ("ukraine", "russia", "economy", "health", "nato", "trade", "elections", "climate")
_STANCES = (ct.Stance.SUPPORTS, ct.Stance.REFUTES, ct.Stance.SUPPORTS, ct.Stance.REFUTES,
            ct.Stance.MIXED, ct.Stance.CONTEXT)  # fmt: skip
_STRENGTHS = (ct.Strength.WEAK, ct.Strength.MODERATE, ct.Strength.STRONG)
_SOURCE = ct.Source(title="Synthetic wire report", publisher="Bench News", reliability=0.9)


def make_ledger(
    n_speakers: int = 1_000,
    n_claims: int = 100_000,
    n_evidence: int = 1_000_000,
    *,
    seed: int = 20250218,
    with_confidence: float = 0.3,
) -> Iterator[ct.Record]:
    """Yield a synthetic ledger of the given size (see the module docstring)."""
    rng = random.Random(seed)
    tick = 0

    def stamp() -> dt.datetime:
        nonlocal tick
        tick += 1
        return _T0 + dt.timedelta(microseconds=tick)

    for s in range(n_speakers):
        yield ct.Speaker(f"s{s}", f"Speaker {s}", recorded_at=stamp())
    stated: list[int] = []
    for c in range(n_claims):
        day = rng.randrange(0, 1500)
        stated.append(day)
        conf = round(rng.random(), 2) if rng.random() < with_confidence else None
        yield ct.Claim(
            f"c{c}",
            f"s{rng.randrange(n_speakers)}",
            f"Synthetic claim number {c} will come true.",
            kind=rng.choice(list(ct.ClaimKind)),
            stated_on=_DAY0 + dt.timedelta(days=day),
            due=_DAY0 + dt.timedelta(days=day + rng.randrange(30, 720)),
            topics=frozenset(rng.sample(_TOPICS, 2)),
            confidence=conf,
            recorded_at=stamp(),
        )
    for e in range(n_evidence):
        c = rng.randrange(n_claims)
        yield ct.Evidence(
            f"e{e}",
            f"c{c}",
            f"Observation {e}.",
            stance=rng.choice(_STANCES),
            strength=rng.choice(_STRENGTHS),
            observed_on=_DAY0 + dt.timedelta(days=stated[c] + rng.randrange(0, 900)),
            source=_SOURCE if rng.random() < 0.5 else None,
            recorded_at=stamp(),
        )


def make_forecast_ledger(
    n_speakers: int = 1_000,
    n_claims: int = 10_000,
    n_forecasts: int = 100_000,
    *,
    n_evidence: int = 20_000,
    resolved: float = 0.8,
    seed: int = 20250301,
) -> Iterator[ct.Record]:
    """Yield a synthetic forecasting ledger: speakers, claims, evidence, rulings, forecasts.

    A share *resolved* of the claims get a ruling (held or failed, one to thirteen
    months after they were stated); the evidence, three-quarters of it strong or
    conclusive, resolves some of the rest by weight.  Forecasts are by any speaker, on
    any claim, made up to fifteen months after the claim was stated, so some fall on or
    after the day it resolved.  About a third of the claims carry their speaker's own
    confidence.
    """
    rng = random.Random(seed)
    tick = 0

    def stamp() -> dt.datetime:
        nonlocal tick
        tick += 1
        return _T0 + dt.timedelta(microseconds=tick)

    for s in range(n_speakers):
        yield ct.Speaker(f"s{s}", f"Forecaster {s}", recorded_at=stamp())
    stated: list[int] = []
    for c in range(n_claims):
        day = rng.randrange(0, 1500)
        stated.append(day)
        yield ct.Claim(
            f"q{c}",
            f"s{rng.randrange(n_speakers)}",
            f"Question {c}: will it happen by the due date?",
            kind=ct.ClaimKind.PREDICTION,
            stated_on=_DAY0 + dt.timedelta(days=day),
            due=_DAY0 + dt.timedelta(days=day + 400),
            topics=frozenset(rng.sample(_TOPICS, 1)),
            confidence=round(rng.random(), 2) if rng.random() < 0.3 else None,
            recorded_at=stamp(),
        )
    strengths = (ct.Strength.WEAK, ct.Strength.STRONG, ct.Strength.STRONG, ct.Strength.CONCLUSIVE)
    for e in range(n_evidence):
        c = rng.randrange(n_claims)
        yield ct.Evidence(
            f"qe{e}",
            f"q{c}",
            f"Report {e}.",
            stance=rng.choice((ct.Stance.SUPPORTS, ct.Stance.REFUTES)),
            strength=rng.choice(strengths),
            observed_on=_DAY0 + dt.timedelta(days=stated[c] + rng.randrange(0, 400)),
            recorded_at=stamp(),
        )
    for c in range(n_claims):
        if rng.random() < resolved:
            yield ct.Ruling(
                f"q{c}-r",
                f"q{c}",
                rng.choice((ct.Verdict.HELD, ct.Verdict.FAILED)),
                on=_DAY0 + dt.timedelta(days=stated[c] + rng.randrange(30, 400)),
                recorded_at=stamp(),
            )
    for f in range(n_forecasts):
        c = rng.randrange(n_claims)
        yield ct.Forecast(
            f"qf{f}",
            f"q{c}",
            f"s{rng.randrange(n_speakers)}",
            round(rng.random(), 2),
            made_on=_DAY0 + dt.timedelta(days=stated[c] + rng.randrange(0, 450)),
            recorded_at=stamp(),
        )


if __name__ == "__main__":
    start = time.perf_counter()
    n = sum(1 for _ in make_ledger(100, 10_000, 100_000))
    print(f"{n} records made in {time.perf_counter() - start:.2f} s")
