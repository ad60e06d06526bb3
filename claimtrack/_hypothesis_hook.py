"""Hypothesis's entry point for claimtrack (see ``[project.entry-points.hypothesis]``).

Hypothesis runs entry points while it is itself being imported, possibly because
:mod:`claimtrack.strategies` is importing it.  So the hook registers *deferred*
strategies: :mod:`claimtrack.strategies` is imported only when one is first drawn.
"""

from __future__ import annotations

import importlib
from typing import Any


def _hypothesis_setup_hook() -> None:
    """Register claimtrack's record types with Hypothesis's ``st.from_type``."""
    from hypothesis import strategies as st

    from ._dates import PartialDate
    from ._model import Claim, Evidence, Forecast, Retraction, Role, Ruling, Source, Speaker

    def lazy(name: str) -> st.SearchStrategy[Any]:
        def load() -> st.SearchStrategy[Any]:
            strategy: st.SearchStrategy[Any] = getattr(
                importlib.import_module("claimtrack.strategies"), name
            )()
            return strategy

        return st.deferred(load)

    for cls, name in [
        (PartialDate, "partial_dates"),
        (Role, "roles"),
        (Source, "sources"),
        (Speaker, "speakers"),
        (Claim, "claims"),
        (Evidence, "evidence"),
        (Ruling, "rulings"),
        (Retraction, "retractions"),
        (Forecast, "forecasts"),
    ]:
        st.register_type_strategy(cls, lazy(name))
