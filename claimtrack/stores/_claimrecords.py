"""``ClaimRecords``: everything bearing on one claim (the value of the Store protocol).

Defined here as ``/work/wt/STORE_PROTOCOL.md`` specifies it until the protocol of issue
12 lands in ``stores/_base.py``; then this module goes and the import follows.
"""

from __future__ import annotations

import attrs

from claimtrack._model import Claim, Evidence, Record, Retraction, Ruling

__all__ = ["ClaimRecords"]


@attrs.frozen
class ClaimRecords:
    """Everything bearing on one claim, each tuple in store (seq) order.

    ``retractions`` holds every retraction reaching the claim, one of its evidence,
    rulings or forecasts, or another retraction in the tuple, transitively.

    .. versionadded:: 0.2.0
    """

    claim: Claim
    evidence: tuple[Evidence, ...]
    rulings: tuple[Ruling, ...]
    forecasts: tuple[Record, ...]
    retractions: tuple[Retraction, ...]
