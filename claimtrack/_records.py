"""Track records: how often claims held up, with honest error bars.

Two layers:

- **Scoring rules** that take plain sequences, so they work on anyone's data:
  :func:`brier_score`, :func:`log_score`, :func:`wilson_interval`,
  :func:`murphy_decomposition` and :func:`calibration_bins`.  Forecasts are
  probabilities in [0, 1]; outcomes are 1 (it happened) or 0 (it did not).
- :class:`TrackRecord`: the summary of a selection of claims and their verdicts,
  built by the pure constructor :meth:`TrackRecord.from_verdicts` from
  ``(claim, verdict)`` pairs.

The rules, in one place:

- a claim *resolved* ``HELD`` scores 1, ``PARTLY_HELD`` ½ and ``FAILED`` 0 in the hit
  rate; ``PENDING``, ``UNRESOLVED`` and ``CONTESTED`` are open; ``UNVERIFIABLE`` and
  ``VOID`` count neither for nor against.
- the Brier and log scores, the calibration bins and the Murphy decomposition use only
  claims with a ``confidence`` that resolved ``HELD`` (outcome 1) or ``FAILED`` (0).
  Nothing is invented for claims without one.
"""

from __future__ import annotations

import math
import statistics
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from ._enums import Verdict, to_enum
from ._format import interval as _interval_words
from ._format import percent
from ._model import Claim
from .errors import InvalidRecordError

__all__ = [
    "CalibrationBin",
    "LeaderboardRow",
    "MurphyDecomposition",
    "TrackRecord",
    "brier_score",
    "calibration_bins",
    "log_score",
    "murphy_decomposition",
    "wilson_interval",
]

Z_95 = 1.959964
"""The normal quantile used for a 95 % interval (as DESIGN.md fixes it)."""

HIT_SCORE: Mapping[Verdict, float] = types.MappingProxyType(
    {Verdict.HELD: 1.0, Verdict.PARTLY_HELD: 0.5, Verdict.FAILED: 0.0}
)
"""What each resolved verdict adds to the successes of a hit rate."""

OUTCOME: Mapping[Verdict, int] = types.MappingProxyType({Verdict.HELD: 1, Verdict.FAILED: 0})
"""The outcome a forecast is scored against; other verdicts are not scored."""

OPEN_VERDICTS = (Verdict.PENDING, Verdict.UNRESOLVED, Verdict.CONTESTED)
"""Verdicts of claims that are not (yet) settled."""
NOT_COUNTED = (Verdict.UNVERIFIABLE, Verdict.VOID)
"""Verdicts that count neither for nor against."""

RANKINGS = ("hit_rate", "brier")
"""What a leaderboard can rank by (the ``by=`` argument)."""


# -- checking the input of the scoring rules --------------------------------------------


def _check_level(confidence: Any) -> float:
    # compared as given, not through float() or math.isnan(), which overflow on a huge
    # int; NaN fails the comparison too
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 < confidence < 1
    ):
        raise InvalidRecordError(
            "confidence", confidence, "must be a level strictly between 0 and 1, e.g. 0.95"
        )
    return float(confidence)


def _z(confidence: float) -> float:
    if confidence == 0.95:
        return Z_95
    return statistics.NormalDist().inv_cdf(0.5 + confidence / 2)


def _pairs(forecasts: Sequence[float], outcomes: Sequence[int]) -> list[tuple[float, int]]:
    """Check and pair the arguments of a scoring rule."""
    if isinstance(forecasts, str | bytes) or not isinstance(forecasts, Iterable):
        raise InvalidRecordError("forecasts", forecasts, "must be a sequence of probabilities")
    if isinstance(outcomes, str | bytes) or not isinstance(outcomes, Iterable):
        raise InvalidRecordError("outcomes", outcomes, "must be a sequence of 0s and 1s")
    fs, os_ = list(forecasts), list(outcomes)
    if len(fs) != len(os_):
        raise InvalidRecordError(
            "outcomes", outcomes, f"has {len(os_)} items but forecasts has {len(fs)}"
        )
    if not fs:
        raise InvalidRecordError("forecasts", forecasts, "must not be empty")
    pairs = []
    for i, (f, o) in enumerate(zip(fs, os_, strict=True)):
        if (
            isinstance(f, bool)
            or not isinstance(f, int | float)
            or math.isnan(f)
            or not 0.0 <= f <= 1.0
        ):
            raise InvalidRecordError(f"forecasts[{i}]", f, "must be a probability in [0, 1]")
        if o not in (0, 1) or not isinstance(o, int | float):
            raise InvalidRecordError(f"outcomes[{i}]", o, "must be 0 or 1 (or False or True)")
        pairs.append((float(f), int(o)))
    return pairs


# -- the scoring rules ------------------------------------------------------------------


def brier_score(forecasts: Sequence[float], outcomes: Sequence[int]) -> float:
    """The Brier score: the mean squared difference between forecast and outcome.

    0 is perfect, 0.25 is what always saying 50 % earns, 1 is always certain and always
    wrong.  Lower is better.

    Args:
        forecasts: probabilities in [0, 1] that each event would happen.
        outcomes: 1 where it happened, 0 where it did not (``True``/``False`` too).

    Returns:
        The mean of ``(forecast - outcome) ** 2``.

    Raises:
        InvalidRecordError: the sequences are empty or of different lengths, a forecast
            lies outside [0, 1], or an outcome is not 0 or 1 (naming the item).

    Example:
        >>> round(brier_score([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 1]), 6)
        0.175

    .. versionadded:: 0.1.0
    """
    pairs = _pairs(forecasts, outcomes)
    return math.fsum((f - o) ** 2 for f, o in pairs) / len(pairs)


def log_score(forecasts: Sequence[float], outcomes: Sequence[int]) -> float:
    """The logarithmic score: the mean natural log of the probability given to what happened.

    This is a log *likelihood*, so **higher is better**: 0 is perfect (certain and
    right), ``ln 0.5 ≈ -0.693`` is what always saying 50 % earns.

    A forecast of exactly 0 for something that happened, or exactly 1 for something that
    did not, gives that item a likelihood of 0 and the whole score ``-inf``.  That is
    the rule (certainty that turns out wrong is unboundedly bad), and claimtrack does
    not clip forecasts to hide it; clip them yourself before calling if you want a
    finite penalty.

    Args:
        forecasts: probabilities in [0, 1] that each event would happen.
        outcomes: 1 where it happened, 0 where it did not.

    Returns:
        The mean of ``ln(forecast)`` where the outcome is 1 and ``ln(1 - forecast)``
        where it is 0; ``-inf`` if any certain forecast missed.

    Raises:
        InvalidRecordError: as for :func:`brier_score`.

    Example:
        >>> round(log_score([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 1]), 4)
        -0.5108
        >>> log_score([1.0, 0.5], [0, 1])
        -inf

    .. versionadded:: 0.1.0
    """
    pairs = _pairs(forecasts, outcomes)
    total = []
    for f, o in pairs:
        p = f if o == 1 else 1.0 - f
        if p == 0.0:
            return -math.inf
        total.append(math.log(p))
    return math.fsum(total) / len(pairs)


def wilson_interval(successes: float, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a proportion of *successes* out of *n*.

    Unlike the textbook ``p ± z·√(p(1-p)/n)``, it stays inside [0, 1] and does not
    collapse to a point at 0 of n or n of n, so one lucky claim does not look certain.
    *successes* may be fractional: a partly held claim counts as ½.

    At ``confidence=0.95`` the normal quantile is ``z = 1.959964``; other levels use
    the exact quantile of the standard normal distribution.

    Args:
        successes: how many succeeded, 0 ≤ successes ≤ n (halves allowed).
        n: how many were tried, at least 1.
        confidence: the level, strictly between 0 and 1.

    Returns:
        ``(low, high)``, with ``low ≤ successes / n ≤ high``.

    Raises:
        InvalidRecordError: *n* is below 1, *successes* is outside [0, n], or
            *confidence* is not strictly between 0 and 1.

    Example:
        >>> low, high = wilson_interval(7.5, 10)
        >>> round(low, 4), round(high, 4)
        (0.4422, 0.9191)

    .. versionadded:: 0.1.0
    """
    level = _check_level(confidence)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidRecordError("n", n, "must be a whole number of at least 1")
    if (
        isinstance(successes, bool)
        or not isinstance(successes, int | float)
        or math.isnan(successes)
        or not 0 <= successes <= n
    ):
        raise InvalidRecordError("successes", successes, f"must lie in [0, n] = [0, {n}]")
    z = _z(level)
    p = successes / n
    z2n = z * z / n
    denom = 1.0 + z2n
    centre = (p + z2n / 2) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    # The interval always contains p and lies in [0, 1]; min/max only absorb rounding
    # (at p = 0 or 1, centre - half and centre + half land a few ulps off the bound).
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


@frozen
class CalibrationBin:
    """One bin of a calibration table: forecasts of about the same probability.

    Args:
        count: how many forecasts fell in the bin.
        mean_stated: their mean forecast probability.
        observed: the share of them that came true.

    Example:
        >>> calibration_bins([0.8, 0.8, 0.3], [1, 0, 0])[1]
        CalibrationBin(count=2, mean_stated=0.8, observed=0.5)

    .. versionadded:: 0.1.0
    """

    count: int
    mean_stated: float
    observed: float

    @property
    def gap(self) -> float:
        """``mean_stated - observed``: positive means over-confident about the event."""
        return self.mean_stated - self.observed


def calibration_bins(
    forecasts: Sequence[float], outcomes: Sequence[int], *, bins: int | None = None
) -> tuple[CalibrationBin, ...]:
    """Group forecasts by stated probability and compare each group with what happened.

    Args:
        forecasts: probabilities in [0, 1].
        outcomes: 1 where it happened, 0 where it did not.
        bins: ``None`` (the default) for one bin per distinct forecast value, the bins
            for which the Murphy decomposition is exact; or a number of equal-width bins
            over [0, 1] (the last one closed), of which only non-empty ones are returned.

    Returns:
        The non-empty bins, in increasing order of probability.

    Raises:
        InvalidRecordError: as for :func:`brier_score`, or *bins* is not a whole number
            of at least 1.

    Example:
        >>> [(b.count, b.observed) for b in calibration_bins([0.1, 0.15, 0.9], [0, 1, 1],
        ...                                                   bins=10)]
        [(2, 0.5), (1, 1.0)]

    .. versionadded:: 0.1.0
    """
    if bins is not None and (isinstance(bins, bool) or not isinstance(bins, int) or bins < 1):
        raise InvalidRecordError("bins", bins, "must be None or a whole number of at least 1")
    groups: dict[float | int, list[tuple[float, int]]] = {}
    for f, o in _pairs(forecasts, outcomes):
        key: float | int = f if bins is None else min(int(f * bins), bins - 1)
        groups.setdefault(key, []).append((f, o))
    return tuple(
        CalibrationBin(
            count=len(items),
            mean_stated=math.fsum(f for f, _ in items) / len(items),
            observed=sum(o for _, o in items) / len(items),
        )
        for _, items in sorted(groups.items())
    )


@frozen
class MurphyDecomposition:
    """The Murphy (1973) decomposition of a Brier score.

    ``brier = reliability - resolution + uncertainty`` exactly, when the bins are the
    distinct forecast values (as :func:`murphy_decomposition` makes them).

    Args:
        reliability: the mean squared gap between stated and observed frequency, per bin
            (0 is perfectly calibrated; lower is better).
        resolution: how far the bins' observed frequencies spread from the overall one
            (higher is better: the forecaster tells events apart).
        uncertainty: ``ō(1 - ō)`` for the overall frequency ``ō``; a property of the
            events, not of the forecaster.

    .. versionadded:: 0.1.0
    """

    reliability: float
    resolution: float
    uncertainty: float

    @property
    def brier(self) -> float:
        """``reliability - resolution + uncertainty``: the Brier score it decomposes."""
        return self.reliability - self.resolution + self.uncertainty


def murphy_decomposition(
    forecasts: Sequence[float], outcomes: Sequence[int]
) -> MurphyDecomposition:
    """Split the Brier score into reliability, resolution and uncertainty.

    With ``N`` forecasts, bins ``k`` of ``n_k`` forecasts of value ``f_k`` with observed
    frequency ``ō_k``, and overall frequency ``ō``:

    - reliability = Σ n_k (f_k - ō_k)² / N
    - resolution = Σ n_k (ō_k - ō)² / N
    - uncertainty = ō (1 - ō)

    The bins are the distinct forecast values, so ``reliability - resolution +
    uncertainty`` equals :func:`brier_score` (up to rounding).

    Args:
        forecasts: probabilities in [0, 1].
        outcomes: 1 where it happened, 0 where it did not.

    Returns:
        A :class:`MurphyDecomposition`.

    Raises:
        InvalidRecordError: as for :func:`brier_score`.

    Example:
        >>> m = murphy_decomposition([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 1])
        >>> round(m.reliability, 4), round(m.resolution, 4), round(m.uncertainty, 4)
        (0.175, 0.1875, 0.1875)
        >>> round(m.brier, 6)
        0.175

    .. versionadded:: 0.1.0
    """
    table = calibration_bins(forecasts, outcomes)
    total = sum(b.count for b in table)
    base = math.fsum(b.observed * b.count for b in table) / total
    return MurphyDecomposition(
        reliability=math.fsum(b.count * (b.mean_stated - b.observed) ** 2 for b in table) / total,
        resolution=math.fsum(b.count * (b.observed - base) ** 2 for b in table) / total,
        uncertainty=base * (1.0 - base),
    )


# -- track records ----------------------------------------------------------------------


def _counts_converter(value: Mapping[Any, int]) -> Mapping[Verdict, int]:
    counts = dict.fromkeys(Verdict, 0)
    for key, n in dict(value).items():
        verdict = to_enum(Verdict, key, "counts")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidRecordError("counts", value, f"has {n!r} for {verdict.value}")
        counts[verdict] = n
    return types.MappingProxyType(counts)


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


@frozen(kw_only=True)
class TrackRecord:
    """How a selection of claims turned out: counts, hit rate with interval, scores.

    Build one with :meth:`from_verdicts` (or ``Tracker.track_record``); every number is
    derived from ``(claim, verdict)`` pairs by the rules in this module's docstring.

    Attributes:
        counts: claims per :class:`~claimtrack.Verdict`, every verdict present (zeros
            included), in the order of the enum.
        resolved: held + partly held + failed.
        hit_rate: (held + ½·partly held) / resolved, or ``None`` when nothing is resolved.
        interval: the Wilson score interval of the hit rate at level *confidence*, or
            ``None`` when nothing is resolved.
        confidence: the level of *interval* (0.95 by default).
        scored: how many claims with a confidence resolved held or failed; the Brier and
            log scores, the calibration and the Murphy terms are over these.
        brier: their Brier score (lower is better), or ``None`` when *scored* is 0.
        log_score: their mean log likelihood (higher is better; ``-inf`` if a certain
            forecast missed), or ``None``.
        calibration: one :class:`CalibrationBin` per distinct stated confidence.
        reliability: the reliability term of the Murphy decomposition of *brier* (lower
            is better), or ``None``.
        resolution: its resolution term (higher is better), or ``None``.
        uncertainty: its uncertainty term, or ``None``.

    Example:
        >>> rec = TrackRecord.from_verdicts([])
        >>> rec.resolved, rec.hit_rate, rec.counts[ct.Verdict.HELD]
        (0, None, 0)

    .. versionadded:: 0.1.0
    """

    counts: Mapping[Verdict, int] = field(converter=_counts_converter, hash=False)
    resolved: int
    hit_rate: float | None
    interval: tuple[float, float] | None
    confidence: float = 0.95
    scored: int = 0
    brier: float | None = None
    log_score: float | None = None
    calibration: tuple[CalibrationBin, ...] = ()
    reliability: float | None = None
    resolution: float | None = None
    uncertainty: float | None = None

    @classmethod
    def from_verdicts(
        cls,
        pairs: Iterable[tuple[Claim, Verdict]],
        *,
        confidence: float = 0.95,
        include_wording: bool = True,
    ) -> TrackRecord:
        """Summarise claims and their verdicts.

        Pure: it reads only what it is given, so any scoring policy (or none: verdicts
        you decided yourself) can feed it.

        Args:
            pairs: ``(claim, verdict)`` for every claim in the selection.
            confidence: the level of the interval, strictly between 0 and 1.
            include_wording: also score claims whose confidence was read off hedging
                words (``confidence_basis == "wording"``); ``False`` scores only
                confidences the speaker stated.

        Returns:
            The :class:`TrackRecord`.

        Raises:
            InvalidRecordError: *confidence* is outside (0, 1), or a pair is not a
                claim and a verdict.

        Example:
            >>> c = ct.Claim("c1", "s", "It will rain.", stated_on="2025-01-01",
            ...              confidence=0.8)
            >>> rec = TrackRecord.from_verdicts([(c, ct.Verdict.HELD)])
            >>> rec.hit_rate, round(rec.brier, 2)
            (1.0, 0.04)
        """
        level = _check_level(confidence)
        held, failed = Verdict.HELD, Verdict.FAILED
        verdicts: list[Verdict] = []
        forecasts: list[float] = []
        outcomes: list[int] = []
        # Identity tests rather than dict look-ups: hashing an enum member runs Python
        # code, and leaderboards call this for every claim of every speaker.
        for i, pair in enumerate(pairs):
            try:
                claim, verdict = pair
            except (TypeError, ValueError):
                raise InvalidRecordError(
                    f"pairs[{i}]", pair, "must be a (claim, verdict) pair"
                ) from None
            if not isinstance(claim, Claim):
                raise InvalidRecordError(f"pairs[{i}]", claim, "must start with a Claim")
            if verdict.__class__ is not Verdict:
                verdict = to_enum(Verdict, verdict, f"pairs[{i}]")
            verdicts.append(verdict)
            if (
                claim.confidence is not None
                and (verdict is held or verdict is failed)
                and (include_wording or claim.confidence_basis != "wording")
            ):
                forecasts.append(claim.confidence)
                outcomes.append(1 if verdict is held else 0)
        counts = {v: verdicts.count(v) for v in Verdict}
        resolved = sum(counts[v] for v in HIT_SCORE)
        hit_rate = interval = None
        if resolved:
            successes = math.fsum(counts[v] * s for v, s in HIT_SCORE.items())
            hit_rate = successes / resolved
            interval = wilson_interval(successes, resolved, confidence=level)
        if not forecasts:
            return cls(
                counts=counts,
                resolved=resolved,
                hit_rate=hit_rate,
                interval=interval,
                confidence=level,
            )
        murphy = murphy_decomposition(forecasts, outcomes)
        return cls(
            counts=counts,
            resolved=resolved,
            hit_rate=hit_rate,
            interval=interval,
            confidence=level,
            scored=len(forecasts),
            brier=brier_score(forecasts, outcomes),
            log_score=log_score(forecasts, outcomes),
            calibration=calibration_bins(forecasts, outcomes),
            reliability=murphy.reliability,
            resolution=murphy.resolution,
            uncertainty=murphy.uncertainty,
        )

    @property
    def total(self) -> int:
        """How many claims the record covers, whatever their verdict."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """The record in one plain-language paragraph.

        Example:
            >>> c = ct.Claim("c1", "s", "It will rain.", stated_on="2025-01-01")
            >>> V = ct.Verdict
            >>> verdicts = [V.HELD] * 7 + [V.PARTLY_HELD] + [V.FAILED] * 2 + [V.PENDING] * 2
            >>> print(TrackRecord.from_verdicts([(c, v) for v in verdicts]).summary())
            Of 10 resolved claims, 7 held, 1 partly held and 2 failed: a hit rate of 75 %
            (95 % interval 44–92 %). 2 still pending.
        """
        counts = self.counts
        if self.total == 0:
            return "No claims."
        sentences = []
        if self.hit_rate is None or self.interval is None:
            sentences.append(f"{_n(self.total, 'claim')}, none resolved yet.")
        else:
            parts = [f"{counts[Verdict.HELD]} held"]
            if counts[Verdict.PARTLY_HELD]:
                parts.append(f"{counts[Verdict.PARTLY_HELD]} partly held")
            parts.append(f"{counts[Verdict.FAILED]} failed")
            listed = ", ".join(parts[:-1]) + " and " + parts[-1]
            low, high = self.interval
            sentences.append(
                f"Of {_n(self.resolved, 'resolved claim')}, {listed}: a hit rate of "
                f"{percent(self.hit_rate)} ({percent(self.confidence)} interval "
                f"{_interval_words(low, high)})."
            )
        open_parts = []
        if counts[Verdict.PENDING]:
            open_parts.append(f"{counts[Verdict.PENDING]} still pending")
        if counts[Verdict.UNRESOLVED]:
            open_parts.append(f"{counts[Verdict.UNRESOLVED]} past due and unresolved")
        if counts[Verdict.CONTESTED]:
            open_parts.append(f"{counts[Verdict.CONTESTED]} contested")
        if open_parts:
            sentences.append(", ".join(open_parts) + ".")
        skipped = counts[Verdict.UNVERIFIABLE] + counts[Verdict.VOID]
        if skipped:
            sentences.append(f"{skipped} unverifiable or void, not counted.")
        if self.brier is not None:
            sentences.append(
                f"Brier score {self.brier:.3f} over {_n(self.scored, 'claim')} with a "
                "stated confidence (0 is perfect, 0.25 is always saying 50 %)."
            )
        return " ".join(sentences)

    def __repr__(self) -> str:
        rate = "None" if self.hit_rate is None else f"{self.hit_rate:.3g}"
        return f"<TrackRecord {self.resolved} resolved of {self.total}, hit_rate={rate}>"


@frozen(kw_only=True)
class LeaderboardRow:
    """One speaker's line on a leaderboard.

    Attributes:
        rank: the place, from 1.
        speaker_id: the speaker's id.
        name: the speaker's name.
        hit_rate: the hit rate (held + ½·partly held) / resolved.
        interval: its Wilson interval; rows by hit rate are ordered by its lower end.
        resolved: how many of the speaker's claims are resolved.
        record: the speaker's whole :class:`TrackRecord` for the selection.

    Example:
        >>> t = ct.Tracker()
        >>> _ = t.add_speaker("Keith Kellogg", id="kellogg")
        >>> _ = t.add_claim("kellogg", "I will go to Kyiv.", id="c", stated_on="2025-02-18")
        >>> _ = t.rule("c", "held", on="2025-02-20")
        >>> row = t.leaderboard(min_resolved=1)[0]
        >>> row.rank, row.name, row.hit_rate, row.resolved
        (1, 'Keith Kellogg', 1.0, 1)
        >>> print(row)
        1. Keith Kellogg: hit rate 100 % over 1 resolved claim (95 % interval 21–100 %)

    .. versionadded:: 0.1.0
    """

    rank: int
    speaker_id: str
    name: str
    hit_rate: float
    interval: tuple[float, float]
    resolved: int
    record: TrackRecord = field(repr=False, eq=False)

    @property
    def brier(self) -> float | None:
        """The speaker's Brier score over claims with a stated confidence, if any."""
        return self.record.brier

    def __str__(self) -> str:
        low, high = self.interval
        line = (
            f"{self.rank}. {self.name}: hit rate {percent(self.hit_rate)} over "
            f"{_n(self.resolved, 'resolved claim')} ({percent(self.record.confidence)} "
            f"interval {_interval_words(low, high)})"
        )
        if self.record.brier is not None:
            line += f", Brier {self.record.brier:.3f} over {self.record.scored}"
        return line


def rank_records(
    records: Iterable[tuple[str, str, TrackRecord]], *, by: str, min_resolved: int
) -> tuple[LeaderboardRow, ...]:
    """Rank ``(speaker_id, name, record)`` triples into leaderboard rows.

    ``by="hit_rate"``: speakers with at least ``max(min_resolved, 1)`` resolved claims,
    by the lower end of the interval (highest first), then more resolved claims, then
    name and id.  ``by="brier"``: speakers with at least ``max(min_resolved, 1)`` claims
    scored, by Brier score (lowest first), then more claims scored, then name and id.
    """
    floor = max(min_resolved, 1)
    eligible = []
    for speaker_id, name, rec in records:
        if rec.hit_rate is None or rec.interval is None:
            continue
        if by == "hit_rate" and rec.resolved >= floor:
            key: tuple[float, int, str, str] = (-rec.interval[0], -rec.resolved, name, speaker_id)
        elif by == "brier" and rec.brier is not None and rec.scored >= floor:
            key = (rec.brier, -rec.scored, name, speaker_id)
        else:
            continue
        eligible.append((key, speaker_id, name, rec))
    eligible.sort(key=lambda item: item[0])
    return tuple(
        LeaderboardRow(
            rank=i,
            speaker_id=speaker_id,
            name=name,
            hit_rate=rec.hit_rate,
            interval=rec.interval,
            resolved=rec.resolved,
            record=rec,
        )
        for i, (_, speaker_id, name, rec) in enumerate(eligible, start=1)
        if rec.hit_rate is not None and rec.interval is not None
    )
