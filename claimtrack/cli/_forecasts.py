"""The forecast commands: ``forecast add``, ``record --forecasts``, forecast leaderboards."""

from __future__ import annotations

from typing import Any

from claimtrack._forecasts import FORECAST_RANKINGS, ForecastRecord

from ._commands import _source_from
from ._output import JSON_FORMAT, Session, clip, finite, pct, table

__all__ = [
    "FORECAST_RANKINGS",
    "cmd_forecast_add",
    "cmd_forecast_leaderboard",
    "forecast_record_json",
]


def cmd_forecast_add(s: Session) -> int:
    a = s.args
    forecast = s.tracker.forecast(
        a.claim,
        by=a.by,
        probability=a.probability,
        made_on=a.made_on,
        id=a.id,
        source=_source_from(a),
        allow_future=a.allow_future,
    )
    return s.added(forecast)


def forecast_record_json(rec: ForecastRecord) -> dict[str, Any]:
    """The ``--json`` form of a :class:`~claimtrack.ForecastRecord`."""
    return {
        "scored": rec.scored,
        "final_brier": rec.final_brier,
        "time_averaged_brier": rec.time_averaged_brier,
        "relative_brier": rec.relative_brier,
        "brier_skill": rec.brier_skill,
        "log_score": None if rec.log_score is None else finite(rec.log_score),
        "right_side": rec.right_side,
        "sided": rec.sided,
        "right_side_rate": rec.right_side_rate,
        "interval": None if rec.interval is None else list(rec.interval),
        "calibration": [
            {"count": b.count, "mean_stated": b.mean_stated, "observed": b.observed}
            for b in rec.calibration
        ],
        "claims": [
            {
                "claim_id": c.claim_id,
                "outcome": c.outcome,
                "resolved_on": c.resolved_on.isoformat(),
                "first_day": c.first_day.isoformat(),
                "last_probability": c.last_probability,
                "days": c.days,
                "time_averaged_brier": c.time_averaged_brier,
                "relative_brier": c.relative_brier,
            }
            for c in rec.claims
        ],
        "summary": rec.summary(),
    }


def _score(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def cmd_forecast_leaderboard(s: Session) -> int:
    a = s.args
    rows = s.tracker.leaderboard(
        by=a.by, min_resolved=a.min_resolved, topic=a.topic, kind=a.kind, as_of=a.as_of
    )
    if a.json:
        s.emit_json(
            {
                "format": JSON_FORMAT,
                "by": a.by,
                "min_resolved": a.min_resolved,
                "leaderboard": [
                    {
                        "rank": r.rank,
                        "speaker_id": r.speaker_id,
                        "name": r.name,
                        "score": finite(r.score),
                        **forecast_record_json(r.record),
                    }
                    for r in rows
                ],
            }
        )
        return 0
    cells = []
    for r in rows:
        rec = r.record
        interval = "-" if rec.interval is None else (
            f"{rec.interval[0] * 100:.0f}-{rec.interval[1] * 100:.0f}%"
        )  # fmt: skip
        cells.append(
            [
                str(r.rank),
                clip(r.name, 30),
                str(rec.scored),
                _score(rec.final_brier),
                _score(rec.time_averaged_brier),
                _score(rec.relative_brier, signed=True),
                f"{pct(rec.right_side_rate)} {interval}",
            ]
        )
    headers = ["#", "FORECASTER", "SCORED", "FINAL", "TIME-AVG", "RELATIVE", "RIGHT SIDE"]
    s.emit(table(headers, cells))
    if not rows:
        s.emit(f"(forecasters with fewer than {a.min_resolved} claims scored are left out)")
    return 0
