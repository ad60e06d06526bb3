"""Forecast records: scoring people who give probabilities and revise them.

Pure functions over plain sequences, and :class:`ForecastRecord`, the summary of one
forecaster's resolved claims.  The definitions (also in the docs' concepts page):

A claim *resolves* on ``resolved_on``, the first day its assessment is ``HELD``
(outcome 1) or ``FAILED`` (outcome 0), its final verdict.  A forecaster's forecasts on
a claim count if made before ``resolved_on``; the one *standing* on a day is the
latest made on or before it (of two made the same day, the later one in the order
given).  A claim whose first forecast by them is on or after ``resolved_on`` is not
scored for them.  Over the claims scored:

- *final Brier*: the mean of ``(p_last - o)²``, ``p_last`` the last forecast;
- *time-averaged Brier*: per claim, the mean of ``(p_d - o)²`` over every day ``d``
  from their first forecast to the day before ``resolved_on``, both included, ``p_d``
  the forecast standing on ``d``; then the mean over claims;
- *relative Brier*: per claim and each of those days, their Brier that day minus the
  median of the Brier that day of every forecaster with a forecast standing on that
  day (themselves included; the mean of the two middle values for an even number);
  averaged over their days, then over claims.  Negative is better than the crowd;
- *Brier skill*: ``1 - final Brier / B_ref``, ``B_ref = ō(1 - ō)`` the Brier score of
  always forecasting the base rate ``ō`` of outcome 1 among the claims scored;
  ``None`` when ``B_ref`` is 0;
- *log score*, *calibration* and the *Murphy decomposition* of the last forecasts;
- *right-side rate*: the share of claims scored whose last forecast was on the right
  side of 50 % (above for outcome 1, below for 0), forecasts of exactly 50 % left out,
  with its Wilson interval.

Days are counted in whole days: a forecast standing from 1 March to 3 March (the day
before ``resolved_on`` 4 March) stands three days.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from ._format import interval as _interval_words
from ._format import percent
from ._model import slot_setters
from ._records import (
    CalibrationBin,
    MurphyDecomposition,
    _check_level,
    _n,
    _pairs,
    brier_score,
    calibration_bins,
    log_score,
    wilson_interval,
)
from .errors import InvalidRecordError

__all__ = [
    "ClaimForecastScore",
    "ForecastLeaderboardRow",
    "ForecastRecord",
    "brier_skill_score",
    "relative_brier",
    "time_averaged_brier",
]

FORECAST_RANKINGS = (
    "final_brier",
    "time_averaged_brier",
    "relative_brier",
    "brier_skill",
    "log_score",
    "right_side_rate",
)
"""The leaderboard keys that rank forecasters (``leaderboard(by=...)``)."""

_LOWER_IS_BETTER = frozenset({"final_brier", "time_averaged_brier", "relative_brier"})
_LABELS = {
    "final_brier": "final Brier",
    "time_averaged_brier": "time-averaged Brier",
    "relative_brier": "relative Brier",
    "brier_skill": "Brier skill",
    "log_score": "log score",
    "right_side_rate": "right-side rate",
}


# -- checking input -------------------------------------------------------------------------


def _day(value: Any, name: str) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InvalidRecordError(name, value, "must be a datetime.date")
    return value


def _outcome(value: Any) -> int:
    if isinstance(value, bool) or value not in (0, 1) or not isinstance(value, int | float):
        raise InvalidRecordError("outcome", value, "must be 0 or 1")
    return int(value)


def _probability(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isnan(value)
        or not 0.0 <= value <= 1.0
    ):
        raise InvalidRecordError(name, value, "must be a probability in [0, 1]")
    return float(value)


def _steps(
    forecasts: Iterable[tuple[_dt.date, float]], resolved_on: _dt.date, name: str
) -> list[tuple[_dt.date, float]]:
    """The checked forecasts made before *resolved_on*, one per day (the last given), by day."""
    given: Any = forecasts  # checked at run time: callers may pass anything
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidRecordError(name, given, "must be a sequence of (day, probability)")
    by_day: dict[_dt.date, float] = {}
    for i, item in enumerate(forecasts):
        try:
            day, p = item
        except (TypeError, ValueError):
            raise InvalidRecordError(
                f"{name}[{i}]", item, "must be a (day, probability) pair"
            ) from None
        day = _day(day, f"{name}[{i}]")
        p = _probability(p, f"{name}[{i}]")
        if day < resolved_on:
            by_day.pop(day, None)  # the last given that day stands
            by_day[day] = p
    return sorted(by_day.items())


# -- one claim ---------------------------------------------------------------------------------


@frozen
class ClaimForecastScore:
    """How one forecaster did on one resolved claim.

    Attributes:
        claim_id: the claim.
        outcome: 1 if it held, 0 if it failed.
        resolved_on: the day it resolved.
        first_day: the day of their first forecast counted.
        last_probability: their last forecast before *resolved_on*.
        days: the days from *first_day* to the day before *resolved_on*, both included.
        brier_days: the sum over those days of the Brier score of the standing forecast.
        relative_days: the sum over those days of their Brier minus the crowd's median.

    Example:
        >>> import datetime
        >>> s = score_claim([("a", datetime.date(2025, 3, 1), 0.8)], 1,
        ...                 datetime.date(2025, 3, 3))["a"]
        >>> s.days, round(s.time_averaged_brier, 4), s.relative_brier
        (2, 0.04, 0.0)

    .. versionadded:: 0.2.0
    """

    claim_id: str
    outcome: int
    resolved_on: _dt.date
    first_day: _dt.date
    last_probability: float
    days: int
    brier_days: float
    relative_days: float

    @property
    def final_brier(self) -> float:
        """``(last_probability - outcome)²``."""
        return (self.last_probability - self.outcome) ** 2

    @property
    def time_averaged_brier(self) -> float:
        """The mean over the days of the Brier score of the standing forecast."""
        return self.brier_days / self.days

    @property
    def relative_brier(self) -> float:
        """The mean over the days of their Brier minus the crowd's median Brier."""
        return self.relative_days / self.days


_SCORE_SETTERS = slot_setters(ClaimForecastScore)


def _murphy(table: Sequence[CalibrationBin], n: int) -> MurphyDecomposition:
    """:func:`~claimtrack.murphy_decomposition`, from its calibration table (already made)."""
    base = math.fsum(b.observed * b.count for b in table) / n
    return MurphyDecomposition(
        reliability=math.fsum(b.count * (b.mean_stated - b.observed) ** 2 for b in table) / n,
        resolution=math.fsum(b.count * (b.observed - base) ** 2 for b in table) / n,
        uncertainty=base * (1.0 - base),
    )


def score_claim(
    forecasts: Iterable[tuple[str, _dt.date, float]],
    outcome: int,
    resolved_on: _dt.date,
    *,
    claim_id: str = "",
) -> dict[str, ClaimForecastScore]:
    """Score every forecaster on one resolved claim at once.

    Args:
        forecasts: ``(forecaster, day, probability)`` triples; of two by one forecaster
            on one day, the later in this order stands.
        outcome: 1 if the claim held, 0 if it failed.
        resolved_on: the day it resolved; forecasts on or after it are ignored.
        claim_id: the claim's id, kept in the scores.

    Returns:
        A :class:`ClaimForecastScore` per forecaster with a forecast before
        *resolved_on*.

    The forecasts standing change only on forecast days, so the crowd's median is
    taken once per stretch of days between them, not once per day: the cost is
    O(F log F + F·k) for F forecasts and k forecasters, whatever the number of days.

    Raises:
        InvalidRecordError: a malformed triple, probability, day or outcome.
    """
    o = _outcome(outcome)
    resolved_on = _day(resolved_on, "resolved_on")
    given: Any = forecasts  # checked at run time: callers may pass anything
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidRecordError("forecasts", given, "must be (forecaster, day, probability)")
    per: dict[str, dict[_dt.date, float]] = {}
    for i, item in enumerate(forecasts):
        try:
            who, day, p = item
        except (TypeError, ValueError):
            raise InvalidRecordError(
                f"forecasts[{i}]", item, "must be a (forecaster, day, probability) triple"
            ) from None
        if type(day) is not _dt.date:
            day = _day(day, f"forecasts[{i}]")
        if type(p) is not float or not 0.0 <= p <= 1.0:
            p = _probability(p, f"forecasts[{i}]")
        if day < resolved_on:
            days = per.get(who)
            if days is None:
                per[who] = {day: p}
            else:
                days.pop(day, None)
                days[day] = p
    if not per:
        return {}
    # events: (day, forecaster, brier of the forecast made that day), by day
    events = sorted(
        (day, who, (p - o) ** 2) for who, days in per.items() for day, p in days.items()
    )
    end = resolved_on.toordinal()
    current: dict[str, float] = {}
    ordered: list[float] = []  # the current Briers, sorted
    median_sum = 0.0  # sum over the days before the event day of the crowd's median
    median_at: dict[str, float] = {}  # median_sum at each forecaster's first day
    brier_sum: dict[str, float] = {}
    first: dict[str, _dt.date] = {}
    last_p: dict[str, float] = {}
    n = len(events)
    i = 0
    while i < n:
        day = events[i][0]
        while i < n and events[i][0] == day:
            _, who, b = events[i]
            old = current.get(who)
            if old is None:
                first[who] = day
                median_at[who] = median_sum
                brier_sum[who] = 0.0
            else:
                del ordered[bisect.bisect_left(ordered, old)]
            current[who] = b
            bisect.insort(ordered, b)
            i += 1
        stop = events[i][0].toordinal() if i < n else end
        length = stop - day.toordinal()
        k = len(ordered)
        median = ordered[k // 2] if k % 2 else (ordered[k // 2 - 1] + ordered[k // 2]) / 2
        median_sum += median * length
        for who, b in current.items():
            brier_sum[who] += b * length
    for who, days in per.items():
        last_p[who] = days[max(days)]
    out = {}
    new = object.__new__
    for who, start in first.items():
        # ClaimForecastScore(...) with its fields set directly, from values checked
        # above (a frozen class's __init__ takes four times as long; leaderboards make
        # one per forecaster per claim)
        score: ClaimForecastScore = new(ClaimForecastScore)
        values = (
            claim_id, o, resolved_on, start, last_p[who], end - start.toordinal(),
            brier_sum[who], brier_sum[who] - (median_sum - median_at[who]),
        )  # fmt: skip
        for put, value in zip(_SCORE_SETTERS, values, strict=True):
            put(score, value)
        out[who] = score
    return out


def time_averaged_brier(
    forecasts: Sequence[tuple[_dt.date, float]], outcome: int, resolved_on: _dt.date
) -> float | None:
    """The time-averaged Brier score of one forecaster on one resolved claim.

    The mean of ``(p_d - outcome)²`` over every day ``d`` from the first forecast to
    the day before *resolved_on*, both included, ``p_d`` the forecast standing on ``d``.

    Args:
        forecasts: ``(day, probability)`` pairs in any order of days; of two on one day,
            the later in the sequence stands.  Those on or after *resolved_on* are ignored.
        outcome: 1 if the claim held, 0 if it failed.
        resolved_on: the day the claim resolved.

    Returns:
        The score (lower is better), or ``None`` without a forecast before *resolved_on*.

    Raises:
        InvalidRecordError: a malformed pair, probability, day or outcome.

    Example:
        >>> import datetime
        >>> d = datetime.date
        >>> round(time_averaged_brier([(d(2025, 3, 1), 0.6), (d(2025, 3, 3), 0.9)], 1,
        ...                           d(2025, 3, 5)), 4)
        0.085

    .. versionadded:: 0.2.0
    """
    o = _outcome(outcome)
    resolved_on = _day(resolved_on, "resolved_on")
    steps = _steps(forecasts, resolved_on, "forecasts")
    if not steps:
        return None
    total = 0.0
    for (day, p), nxt in zip(steps, [*(s[0] for s in steps[1:]), resolved_on], strict=True):
        total += (p - o) ** 2 * (nxt - day).days
    return total / (resolved_on - steps[0][0]).days


def relative_brier(
    forecasts: Mapping[str, Sequence[tuple[_dt.date, float]]], outcome: int, resolved_on: _dt.date
) -> dict[str, float]:
    """Each forecaster's relative Brier score on one resolved claim.

    For each day from a forecaster's first forecast to the day before *resolved_on*:
    their Brier that day minus the median Brier that day of every forecaster with a
    forecast standing (themselves included); the mean over their days.  Negative is
    better than the crowd.

    Args:
        forecasts: each forecaster's ``(day, probability)`` pairs, as for
            :func:`time_averaged_brier`.
        outcome: 1 if the claim held, 0 if it failed.
        resolved_on: the day the claim resolved.

    Returns:
        The score of each forecaster with a forecast before *resolved_on*.

    Raises:
        InvalidRecordError: a malformed pair, probability, day or outcome.

    Example:
        >>> import datetime
        >>> d = datetime.date
        >>> scores = relative_brier({"a": [(d(2025, 3, 1), 0.9)], "b": [(d(2025, 3, 1), 0.5)]},
        ...                         1, d(2025, 3, 2))
        >>> {k: round(v, 2) for k, v in scores.items()}
        {'a': -0.12, 'b': 0.12}

    .. versionadded:: 0.2.0
    """
    if not isinstance(forecasts, Mapping):
        raise InvalidRecordError("forecasts", forecasts, "must map forecasters to their forecasts")
    resolved_on = _day(resolved_on, "resolved_on")
    triples = [
        (who, day, p)
        for who, pairs in forecasts.items()
        for day, p in _steps(pairs, resolved_on, f"forecasts[{who!r}]")
    ]
    return {who: s.relative_brier for who, s in score_claim(triples, outcome, resolved_on).items()}


def brier_skill_score(forecasts: Sequence[float], outcomes: Sequence[int]) -> float | None:
    """``1 - Brier / B_ref``: the Brier score against always forecasting the base rate.

    ``B_ref = ō(1 - ō)`` for the share ``ō`` of outcomes that are 1.  1 is perfect, 0
    is no better than the base rate, negative is worse.

    Returns:
        The skill score, or ``None`` when ``B_ref`` is 0 (every outcome the same).

    Raises:
        InvalidRecordError: as for :func:`~claimtrack.brier_score`.

    Example:
        >>> brier_skill_score([0.9, 0.2], [1, 0])
        0.9
        >>> brier_skill_score([0.9, 0.8], [1, 1]) is None
        True

    .. versionadded:: 0.2.0
    """
    pairs = _pairs(forecasts, outcomes)
    base = sum(o for _, o in pairs) / len(pairs)
    reference = base * (1.0 - base)
    if reference == 0.0:
        return None
    return 1.0 - brier_score(forecasts, outcomes) / reference


# -- a forecaster's record -----------------------------------------------------------------------


@frozen(kw_only=True)
class ForecastRecord:
    """How a forecaster's probabilities did on the claims that resolved.

    Build one with :meth:`from_scores` (or ``Tracker.forecast_record``).  The
    definitions are in this module's docstring and the concepts page of the docs.

    Attributes:
        scored: how many resolved claims are scored (every score below is over them).
        final_brier: the mean Brier score of the last forecasts, or ``None``.
        time_averaged_brier: the mean over claims of the mean daily Brier, or ``None``.
        relative_brier: the mean over claims of the mean daily Brier minus the crowd's
            median (negative is better than the crowd), or ``None``.
        brier_skill: ``1 - final_brier / B_ref`` against the base rate, or ``None``
            (nothing scored, or every outcome the same).
        log_score: the mean log likelihood of the last forecasts (higher is better),
            or ``None``.
        calibration: one :class:`~claimtrack.CalibrationBin` per distinct last forecast.
        reliability: the reliability term of the Murphy decomposition, or ``None``.
        resolution: its resolution term, or ``None``.
        uncertainty: its uncertainty term, or ``None``.
        right_side: how many last forecasts were on the right side of 50 %.
        sided: how many last forecasts were not exactly 50 %.
        right_side_rate: ``right_side / sided``, or ``None`` when *sided* is 0.
        interval: its Wilson interval at level *confidence*, or ``None``.
        confidence: the level of *interval*.
        claims: the :class:`ClaimForecastScore` of each claim scored, by claim id.

    Example:
        >>> ForecastRecord.from_scores([]).scored
        0

    .. versionadded:: 0.2.0
    """

    scored: int = 0
    final_brier: float | None = None
    time_averaged_brier: float | None = None
    relative_brier: float | None = None
    brier_skill: float | None = None
    log_score: float | None = None
    calibration: tuple[CalibrationBin, ...] = ()
    reliability: float | None = None
    resolution: float | None = None
    uncertainty: float | None = None
    right_side: int = 0
    sided: int = 0
    right_side_rate: float | None = None
    interval: tuple[float, float] | None = None
    confidence: float = 0.95
    claims: tuple[ClaimForecastScore, ...] = field(default=(), repr=False)

    @classmethod
    def from_scores(
        cls, scores: Iterable[ClaimForecastScore], *, confidence: float = 0.95
    ) -> ForecastRecord:
        """Summarise one forecaster's per-claim scores (from ``score_claim``).

        Raises:
            InvalidRecordError: *confidence* is outside (0, 1), or an item is not a
                :class:`ClaimForecastScore`.

        Example:
            >>> import datetime
            >>> d = datetime.date
            >>> s = score_claim([("a", d(2025, 3, 1), 0.8)], 1, d(2025, 3, 3))["a"]
            >>> rec = ForecastRecord.from_scores([s])
            >>> round(rec.final_brier, 4), rec.right_side_rate, rec.brier_skill
            (0.04, 1.0, None)
        """
        level = _check_level(confidence)
        items = sorted(scores, key=lambda s: s.claim_id)
        for i, s in enumerate(items):
            if not isinstance(s, ClaimForecastScore):
                raise InvalidRecordError(f"scores[{i}]", s, "must be a ClaimForecastScore")
        if not items:
            return cls(confidence=level)
        ps = [s.last_probability for s in items]
        os_ = [s.outcome for s in items]
        n = len(items)
        final = brier_score(ps, os_)
        table = calibration_bins(ps, os_)
        murphy = _murphy(table, n)
        base = sum(os_) / n
        reference = base * (1.0 - base)  # ō(1 - ō): the Brier score of the base rate
        right = sum(1 for p, o in zip(ps, os_, strict=True) if p != 0.5 and (p > 0.5) == (o == 1))
        sided = sum(1 for p in ps if p != 0.5)
        return cls(
            scored=n,
            final_brier=final,
            time_averaged_brier=math.fsum(s.brier_days / s.days for s in items) / n,
            relative_brier=math.fsum(s.relative_days / s.days for s in items) / n,
            brier_skill=None if reference == 0.0 else 1.0 - final / reference,
            log_score=log_score(ps, os_),
            calibration=table,
            reliability=murphy.reliability,
            resolution=murphy.resolution,
            uncertainty=murphy.uncertainty,
            right_side=right,
            sided=sided,
            right_side_rate=right / sided if sided else None,
            interval=wilson_interval(right, sided, confidence=level) if sided else None,
            confidence=level,
            claims=tuple(items),
        )

    def score(self, by: str) -> float | None:
        """The score a leaderboard ranks by (one of ``FORECAST_RANKINGS``)."""
        if by not in FORECAST_RANKINGS:
            allowed = ", ".join(repr(k) for k in FORECAST_RANKINGS)
            raise InvalidRecordError("by", by, f"is not a forecast ranking; allowed: {allowed}")
        value: float | None = getattr(self, by)
        return value

    def summary(self) -> str:
        """The record in one plain-language paragraph.

        Example:
            >>> import datetime
            >>> d = datetime.date
            >>> s = score_claim([("a", d(2025, 3, 1), 0.8)], 1, d(2025, 3, 3))["a"]
            >>> print(ForecastRecord.from_scores([s]).summary())
            1 resolved claim forecast: last forecast on the right side of 50 % for 1 of
            1 (100 %, 95 % interval 21–100 %). Final Brier 0.040, time-averaged Brier
            0.040, relative Brier +0.000 (negative beats the crowd).
        """
        if not self.scored:
            return "No resolved claims forecast."
        words = [f"{_n(self.scored, 'resolved claim')} forecast:"]
        if self.right_side_rate is not None and self.interval is not None:
            low, high = self.interval
            words.append(
                f"last forecast on the right side of 50 % for {self.right_side} of "
                f"{self.sided} ({percent(self.right_side_rate)}, "
                f"{percent(self.confidence)} interval {_interval_words(low, high)})."
            )
        else:
            words.append("every last forecast was exactly 50 %.")
        words.append(
            f"Final Brier {self.final_brier:.3f}, time-averaged Brier "
            f"{self.time_averaged_brier:.3f}, relative Brier {self.relative_brier:+.3f} "
            "(negative beats the crowd)."
        )
        if self.brier_skill is not None:
            words.append(f"Brier skill {self.brier_skill:+.3f} against the base rate.")
        return " ".join(words)

    def __repr__(self) -> str:
        tab = "None" if self.time_averaged_brier is None else f"{self.time_averaged_brier:.3g}"
        return f"<ForecastRecord {self.scored} scored, time_averaged_brier={tab}>"


@frozen(kw_only=True)
class ForecastLeaderboardRow:
    """One forecaster's line on a leaderboard by a forecast score.

    Attributes:
        rank: the place, from 1.
        speaker_id: the forecaster's id.
        name: their name.
        by: the score ranked by (one of the forecast keys of ``leaderboard``).
        score: its value.
        scored: how many resolved claims they forecast.
        record: their whole :class:`ForecastRecord`.

    Example:
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Alice", id="alice")
        >>> _ = t.add_claim("alice", "It will rain.", id="c", stated_on="2025-03-01")
        >>> _ = t.forecast("c", by="alice", probability=0.8, made_on="2025-03-01")
        >>> _ = t.rule("c", "held", on="2025-03-03")
        >>> print(t.leaderboard(by="time_averaged_brier", min_resolved=1)[0])
        1. Alice: time-averaged Brier 0.040 over 1 claim; right side 1 of 1 (95 % interval 21–100 %)

    .. versionadded:: 0.2.0
    """

    rank: int
    speaker_id: str
    name: str
    by: str
    score: float
    scored: int
    record: ForecastRecord = field(repr=False, eq=False)

    def __str__(self) -> str:
        value = (
            f"{self.score:+.3f}"
            if self.by in ("relative_brier", "brier_skill")
            else (percent(self.score) if self.by == "right_side_rate" else f"{self.score:.3f}")
        )
        line = (
            f"{self.rank}. {self.name}: {_LABELS[self.by]} {value} over {_n(self.scored, 'claim')}"
        )
        rec = self.record
        if rec.interval is not None:
            low, high = rec.interval
            line += (
                f"; right side {rec.right_side} of {rec.sided} ({percent(rec.confidence)} "
                f"interval {_interval_words(low, high)})"
            )
        return line


def rank_forecasters(
    records: Iterable[tuple[str, str, ForecastRecord]], *, by: str, min_scored: int
) -> tuple[ForecastLeaderboardRow, ...]:
    """Rank ``(speaker_id, name, record)`` triples by a forecast score.

    Forecasters with at least ``max(min_scored, 1)`` claims scored and a score (Brier
    skill is ``None`` when every outcome is the same); the Brier scores lowest first,
    skill and log score highest first, the right-side rate by the lower end of its
    Wilson interval, highest first; ties by more claims scored, then name and id.
    """
    if by not in FORECAST_RANKINGS:
        allowed = ", ".join(repr(k) for k in FORECAST_RANKINGS)
        raise InvalidRecordError("by", by, f"is not a forecast ranking; allowed: {allowed}")
    floor = max(min_scored, 1)
    eligible = []
    for speaker_id, name, rec in records:
        value = rec.score(by)
        if value is None or rec.scored < floor:
            continue
        if by == "right_side_rate":
            assert rec.interval is not None
            key = -rec.interval[0]
        else:
            key = value if by in _LOWER_IS_BETTER else -value
        eligible.append(((key, -rec.scored, name, speaker_id), speaker_id, name, value, rec))
    eligible.sort(key=lambda item: item[0])
    return tuple(
        ForecastLeaderboardRow(
            rank=i, speaker_id=sid, name=name, by=by, score=value, scored=rec.scored, record=rec
        )
        for i, (_, sid, name, value, rec) in enumerate(eligible, start=1)
    )
