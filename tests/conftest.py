"""Test configuration: Hypothesis profiles.

``default`` is quick, for local runs; ``ci`` is thorough and is chosen by ``.ci/run``
through ``HYPOTHESIS_PROFILE=ci``.  No test depends on wall-clock speed, so deadlines
are off in both.
"""

from __future__ import annotations

import os

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
