"""Test configuration: Hypothesis profiles, and a small shared ledger (``riyadh``).

``default`` is quick, for local runs; ``ci`` is thorough and is chosen by ``.ci/run``
through ``HYPOTHESIS_PROFILE=ci``.  No test depends on wall-clock speed, so deadlines
are off in both.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def riyadh() -> Any:
    """A small ledger after the Riyadh talks of 18 February 2025, on a fixed clock.

    Three speakers; claims with and without stated confidences; evidence on both sides,
    one piece retracted; an editorial ruling.  Used by the CLI, report and plot tests.
    """
    import claimtrack as ct

    clock = iter(
        _dt.datetime(2025, 4, 1, tzinfo=_dt.UTC) + _dt.timedelta(minutes=i) for i in range(10_000)
    )
    t = ct.Tracker(clock=lambda: next(clock))
    article = ct.Source(
        title="U.S.-Russia Talks in Riyadh", publisher="JadeTimes", published="2025-02-18"
    )
    t.add_speaker(
        "Donald Trump",
        id="trump",
        roles=[ct.Role("President of the United States", start="2025-01-20")],
    )
    t.add_speaker("Volodymyr Zelenskyy", id="zelenskyy")
    t.add_speaker("Sergey Lavrov", id="lavrov")
    t.add_claim(
        "trump", "Ukraine will be involved in the peace negotiations.", id="trump-involved",
        quote="will be involved", kind="assurance", stated_on="2025-02-18", source=article,
        due="2025-12-31", topics={"ukraine"}, confidence=0.9,
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "Ukraine was not invited to the Riyadh meeting.", stance="refutes",
        strength="moderate", observed_on="2025-02-18", source=article,
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "US and Ukrainian delegations met in Jeddah.", stance="supports",
        strength="strong", observed_on="2025-03-11",
    )  # fmt: skip
    t.add_evidence(
        "trump-involved", "A misreported meeting.", stance="supports", strength="strong",
        observed_on="2025-03-12", id="bad-evidence",
    )  # fmt: skip
    t.retract("bad-evidence", reason="misreported")
    t.rule("trump-involved", "held", on="2025-03-11", rationale="Jeddah talks", by="desk")
    t.add_claim(
        "zelenskyy", "Ukraine will not accept any agreement made without it.", id="zel-accept",
        kind="commitment", stated_on="2025-02-18", topics={"ukraine"}, confidence=0.7,
    )  # fmt: skip
    t.add_evidence(
        "zel-accept", "Kyiv rejected the Riyadh outcome.", stance="supports",
        strength="conclusive", observed_on="2025-02-20",
    )  # fmt: skip
    t.add_claim(
        "lavrov", "The talks will focus on restoring US-Russia relations.", id="lavrov-focus",
        kind="prediction", stated_on="2025-02-18", due="2025-02-28", confidence=0.6,
    )  # fmt: skip
    t.add_evidence(
        "lavrov-focus", "The talks covered Ukraine at length.", stance="refutes",
        strength="conclusive", observed_on="2025-02-19",
    )  # fmt: skip
    return t
