"""claimtrack: track what public figures claim and whether it held up.

Record claims made by speakers, the evidence about how things turned out, and
editorial rulings; ask, for any claim at any point in time, whether it held up, how
sure that is and why; and for any speaker, a track record with honest error bars.

Example:
    >>> import claimtrack as ct
    >>> tracker = ct.Tracker()
    >>> trump = tracker.add_speaker("Donald Trump", id="trump")
    >>> claim = tracker.add_claim(trump, "Ukraine will be involved in the peace talks.",
    ...                           stated_on="2025-02-18", kind=ct.ClaimKind.ASSURANCE)
    >>> claim.stated_on
    PartialDate('2025-02-18')
"""

from __future__ import annotations

from . import errors, stores, wording
from ._assessment import Assessment, Contribution
from ._copy import copy
from ._dates import DateInput, DateOrder, PartialDate, Precision, RelativeDeadline, within
from ._forecasts import (
    ClaimForecastScore,
    ForecastLeaderboardRow,
    ForecastRecord,
    brier_skill_score,
    relative_brier,
    time_averaged_brier,
)
from ._history import History
from ._model import (
    Claim,
    ClaimKind,
    Evidence,
    Forecast,
    Record,
    Retraction,
    Role,
    Ruling,
    Source,
    Speaker,
    Stance,
    Strength,
    Verdict,
)
from ._open import open
from ._records import (
    CalibrationBin,
    LeaderboardRow,
    MurphyDecomposition,
    TrackRecord,
    brier_score,
    calibration_bins,
    log_score,
    murphy_decomposition,
    wilson_interval,
)
from ._scoring import EvidenceWeighing, ScoringPolicy
from ._tracker import Tracker


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed distribution when first asked.

    (``importlib.metadata`` costs a tenth of a second to import: a command-line call
    that never asks for the version does not pay for it.)
    """
    if name != "__version__":
        raise AttributeError(f"module 'claimtrack' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("claimtrack")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "0.0.0+unknown"
    globals()["__version__"] = version
    return version


__all__ = [
    "Assessment",
    "CalibrationBin",
    "Claim",
    "ClaimForecastScore",
    "ClaimKind",
    "Contribution",
    "DateInput",
    "DateOrder",
    "Evidence",
    "EvidenceWeighing",
    "Forecast",
    "ForecastLeaderboardRow",
    "ForecastRecord",
    "History",
    "LeaderboardRow",
    "MurphyDecomposition",
    "PartialDate",
    "Precision",
    "Record",
    "RelativeDeadline",
    "Retraction",
    "Role",
    "Ruling",
    "ScoringPolicy",
    "Source",
    "Speaker",
    "Stance",
    "Strength",
    "TrackRecord",
    "Tracker",
    "Verdict",
    "__version__",
    "brier_score",
    "brier_skill_score",
    "calibration_bins",
    "copy",
    "errors",
    "log_score",
    "murphy_decomposition",
    "open",
    "relative_brier",
    "stores",
    "time_averaged_brier",
    "wilson_interval",
    "within",
    "wording",
]
