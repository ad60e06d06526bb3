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

from importlib import metadata as _metadata

from . import errors, stores, wording
from ._assessment import Assessment, Contribution
from ._dates import DateInput, PartialDate, Precision, RelativeDeadline, within
from ._forecasts import (
    ClaimForecastScore,
    ForecastLeaderboardRow,
    ForecastRecord,
    brier_skill_score,
    relative_brier,
    time_averaged_brier,
)
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

try:
    __version__ = _metadata.version("claimtrack")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "Assessment",
    "CalibrationBin",
    "Claim",
    "ClaimForecastScore",
    "ClaimKind",
    "Contribution",
    "DateInput",
    "Evidence",
    "EvidenceWeighing",
    "Forecast",
    "ForecastLeaderboardRow",
    "ForecastRecord",
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
