"""Track records and the scoring rules they use."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import (
    CalibrationBin,
    TrackRecord,
    Verdict,
    brier_score,
    calibration_bins,
    log_score,
    murphy_decomposition,
    wilson_interval,
)
from claimtrack.errors import InvalidRecordError

V = Verdict
FORECASTS = [0.9, 0.8, 0.7, 0.6]
OUTCOMES = [1, 1, 0, 1]

probabilities = st.floats(0, 1, allow_nan=False)
# Stated confidences as people give them: a small set of values, so bins repeat.
stated = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 1.0]) | probabilities
levels = st.floats(0.01, 0.999)


@st.composite
def forecasts_and_outcomes(draw: st.DrawFn) -> tuple[list[float], list[int]]:
    n = draw(st.integers(1, 40))
    return draw(st.lists(stated, min_size=n, max_size=n)), draw(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)
    )


def claim(n: int = 0, confidence: float | None = None, basis: str | None = None) -> ct.Claim:
    return ct.Claim(
        f"c{n}",
        "s",
        "Something will happen.",
        stated_on="2025-02-18",
        confidence=confidence,
        confidence_basis=basis,
    )


verdicts = st.sampled_from(list(Verdict))


@st.composite
def judged_claims(draw: st.DrawFn) -> list[tuple[ct.Claim, Verdict]]:
    pairs = []
    for i in range(draw(st.integers(0, 30))):
        confidence = draw(st.none() | stated)
        basis = None if confidence is None else draw(st.sampled_from(["stated", "wording"]))
        pairs.append((claim(i, confidence, basis), draw(verdicts)))
    return pairs


class TestBrierScore:
    def test_hand_computed(self) -> None:
        """0.9 held, 0.8 held, 0.7 failed, 0.6 held: (0.01 + 0.04 + 0.49 + 0.16) / 4."""
        assert 0.175 == pytest.approx(brier_score(FORECASTS, OUTCOMES), abs=1e-12)

    def test_booleans_as_outcomes(self) -> None:
        """True and False are accepted as outcomes 1 and 0."""
        assert brier_score([0.25], [1]) == brier_score([0.25], [True])

    @given(forecasts_and_outcomes())
    def test_in_unit_interval(self, data: tuple[list[float], list[int]]) -> None:
        """The Brier score always lies in [0, 1]."""
        assert 0.0 <= brier_score(*data) <= 1.0

    @given(st.lists(st.sampled_from([0, 1]), min_size=1))
    def test_perfect_forecaster(self, outcomes: list[int]) -> None:
        """Saying 1.0 of everything that held and 0.0 of everything that failed scores 0."""
        perfect = [float(o) for o in outcomes]
        assert 0.0 == brier_score(perfect, outcomes)
        assert 0.0 == log_score(perfect, outcomes)

    @given(forecasts_and_outcomes(), st.randoms(use_true_random=False))
    def test_order_independent(
        self, data: tuple[list[float], list[int]], rnd: random.Random
    ) -> None:
        """Shuffling the forecast-outcome pairs does not change the score."""
        pairs = list(zip(*data, strict=True))
        rnd.shuffle(pairs)
        fs, os_ = zip(*pairs, strict=True)
        assert brier_score(*data) == brier_score(fs, os_)

    @pytest.mark.parametrize(
        ("forecasts", "outcomes", "field"),
        [
            ([], [], "forecasts"),
            ([0.5], [1, 0], "outcomes"),
            ([1.5], [1], "forecasts[0]"),
            ([0.5, math.nan], [1, 1], "forecasts[1]"),
            ([0.5, True], [1, 1], "forecasts[1]"),
            ([0.5], [0.5], "outcomes[0]"),
            ([0.5], ["1"], "outcomes[0]"),
            ("0.5", [1], "forecasts"),
        ],
    )
    def test_bad_input(self, forecasts: object, outcomes: object, field: str) -> None:
        """Bad input raises InvalidRecordError naming the argument or the item."""
        with pytest.raises(InvalidRecordError) as info:
            brier_score(forecasts, outcomes)  # type: ignore[arg-type]
        assert field == info.value.field


class TestLogScore:
    def test_hand_computed(self) -> None:
        """The mean of ln 0.9, ln 0.8, ln 0.3 and ln 0.6, i.e. ln(0.1296) / 4."""
        expected = (math.log(0.9) + math.log(0.8) + math.log(0.3) + math.log(0.6)) / 4
        assert expected == pytest.approx(log_score(FORECASTS, OUTCOMES), abs=1e-12)
        assert -0.510826 == pytest.approx(log_score(FORECASTS, OUTCOMES), abs=1e-6)

    @pytest.mark.parametrize(("forecast", "outcome"), [(0.0, 1), (1.0, 0)])
    def test_certain_miss_is_minus_infinity(self, forecast: float, outcome: int) -> None:
        """A certain forecast that misses makes the score -inf, not a clipped number."""
        assert -math.inf == log_score([0.9, forecast], [1, outcome])

    @given(forecasts_and_outcomes())
    def test_never_positive(self, data: tuple[list[float], list[int]]) -> None:
        """A log likelihood is at most 0."""
        assert log_score(*data) <= 0.0

    def test_always_half_scores_ln_half(self) -> None:
        """Saying 50 % of everything scores ln 0.5, whatever happened."""
        assert math.log(0.5) == pytest.approx(log_score([0.5] * 3, [1, 0, 1]))


class TestWilsonInterval:
    def test_seven_and_a_half_of_ten(self) -> None:
        """7.5 of 10 at 95 % (z = 1.959964), computed by hand from the Wilson formula."""
        # p = 0.75, z²/n = 0.38414589, denom = 1.38414589,
        # centre = (0.75 + 0.19207295) / denom = 0.68061678,
        # half = z / denom · √(0.01875 + 0.00960365) = 0.23843535.
        low, high = wilson_interval(7.5, 10)
        assert 0.442181 == pytest.approx(low, abs=1e-6)
        assert 0.919052 == pytest.approx(high, abs=1e-6)

    def test_none_of_one(self) -> None:
        """0 of 1 is not certainty: the interval reaches well above 0."""
        assert (0.0, pytest.approx(0.793450, abs=1e-6)) == wilson_interval(0, 1)

    def test_other_level_is_wider_at_99(self) -> None:
        """A 99 % interval contains the 95 % one."""
        low95, high95 = wilson_interval(3, 10)
        low99, high99 = wilson_interval(3, 10, confidence=0.99)
        assert low99 < low95
        assert high95 < high99

    @given(st.integers(1, 10_000), st.data(), levels)
    def test_contains_the_rate(self, n: int, data: st.DataObject, level: float) -> None:
        """The rate successes / n always lies inside its interval, inside [0, 1]."""
        successes = data.draw(st.integers(0, 2 * n)) / 2
        low, high = wilson_interval(successes, n, confidence=level)
        assert 0.0 <= low <= successes / n <= high <= 1.0

    @given(st.integers(1, 20), st.data(), st.integers(1, 50))
    def test_narrows_as_n_grows(self, m: int, data: st.DataObject, times: int) -> None:
        """At a fixed rate k/m, more observations give a strictly narrower interval."""
        k = data.draw(st.integers(0, m))
        small = wilson_interval(k * times, m * times)
        large = wilson_interval(k * (times + 1), m * (times + 1))
        assert large[1] - large[0] < small[1] - small[0]

    @pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, math.nan, True, "95%"])
    def test_bad_level(self, level: object) -> None:
        """A confidence level outside (0, 1) is refused, naming the argument."""
        with pytest.raises(InvalidRecordError, match=r"between 0 and 1") as info:
            wilson_interval(1, 2, confidence=level)  # type: ignore[arg-type]
        assert "confidence" == info.value.field

    @pytest.mark.parametrize(
        ("successes", "n", "field"),
        [(0, 0, "n"), (1, -1, "n"), (1, 2.0, "n"), (3, 2, "successes"), (-1, 2, "successes")],
    )
    def test_bad_counts(self, successes: float, n: int, field: str) -> None:
        """Counts that are not a proportion are refused, naming the argument."""
        with pytest.raises(InvalidRecordError) as info:
            wilson_interval(successes, n)
        assert field == info.value.field


class TestCalibrationBins:
    def test_distinct_values(self) -> None:
        """By default each distinct stated value is its own bin, in increasing order."""
        expected = (
            CalibrationBin(count=1, mean_stated=0.3, observed=0.0),
            CalibrationBin(count=2, mean_stated=0.8, observed=0.5),
        )
        assert expected == calibration_bins([0.8, 0.3, 0.8], [1, 0, 0])

    def test_equal_width_bins(self) -> None:
        """With bins=k, forecasts fall in k equal-width bins; 1.0 is in the last."""
        table = calibration_bins([0.05, 0.15, 0.95, 1.0], [0, 1, 1, 1], bins=10)
        assert [(1, 0.0), (1, 1.0), (2, 1.0)] == [(b.count, b.observed) for b in table]

    @given(forecasts_and_outcomes(), st.none() | st.integers(1, 20))
    def test_nothing_lost(self, data: tuple[list[float], list[int]], bins: int | None) -> None:
        """Every forecast lands in exactly one bin, and the hits add up."""
        table = calibration_bins(*data, bins=bins)
        assert len(data[0]) == sum(b.count for b in table)
        assert sum(data[1]) == pytest.approx(sum(b.observed * b.count for b in table))

    @pytest.mark.parametrize("bins", [0, -3, 2.5, True])
    def test_bad_bins(self, bins: object) -> None:
        """A number of bins that is not a whole number of at least 1 is refused."""
        with pytest.raises(InvalidRecordError) as info:
            calibration_bins([0.5], [1], bins=bins)  # type: ignore[arg-type]
        assert "bins" == info.value.field


class TestMurphyDecomposition:
    def test_hand_computed(self) -> None:
        """Four distinct forecasts: reliability 0.175, resolution = uncertainty = 0.1875."""
        m = murphy_decomposition(FORECASTS, OUTCOMES)
        assert 0.175 == pytest.approx(m.reliability)
        assert 0.1875 == pytest.approx(m.resolution)
        assert 0.1875 == pytest.approx(m.uncertainty)

    @given(forecasts_and_outcomes())
    def test_terms_add_up_to_brier(self, data: tuple[list[float], list[int]]) -> None:
        """reliability - resolution + uncertainty is the Brier score."""
        m = murphy_decomposition(*data)
        assert brier_score(*data) == pytest.approx(m.brier, abs=1e-12)
        assert m.reliability >= 0.0
        assert m.resolution >= 0.0
        assert 0.0 <= m.uncertainty <= 0.25


class TestTrackRecord:
    def test_summary_example(self) -> None:
        """7 held, 1 partly, 2 failed, 2 pending: 75 %, 95 % interval 44–92 %."""
        pairs = [(claim(i), v) for i, v in enumerate([V.HELD] * 7 + [V.PARTLY_HELD])]
        pairs += [(claim(10 + i), v) for i, v in enumerate([V.FAILED] * 2 + [V.PENDING] * 2)]
        rec = TrackRecord.from_verdicts(pairs)
        assert 0.75 == rec.hit_rate
        assert wilson_interval(7.5, 10) == rec.interval
        assert (
            "Of 10 resolved claims, 7 held, 1 partly held and 2 failed: a hit rate of 75 % "
            "(95 % interval 44–92 %). 2 still pending."
        ) == rec.summary()

    def test_scores_only_stated_held_or_failed(self) -> None:
        """Brier and log scores use the claims with a confidence resolved held or failed."""
        pairs = [
            (claim(0, 0.9), V.HELD),
            (claim(1, 0.8), V.HELD),
            (claim(2, 0.7), V.FAILED),
            (claim(3, 0.6), V.HELD),
            (claim(4, 0.2), V.PARTLY_HELD),
            (claim(5, 0.2), V.PENDING),
            (claim(6, 0.2), V.VOID),
            (claim(7, None), V.FAILED),
        ]
        rec = TrackRecord.from_verdicts(pairs)
        assert 4 == rec.scored
        assert 0.175 == pytest.approx(rec.brier)
        assert log_score(FORECASTS, OUTCOMES) == rec.log_score
        assert 0.175 == pytest.approx(rec.reliability)
        assert 4 == len(rec.calibration)
        assert (3.5 / 6) == rec.hit_rate

    def test_nothing_scored(self) -> None:
        """Without stated confidences the scores are None, never invented."""
        rec = TrackRecord.from_verdicts([(claim(0), V.HELD), (claim(1, 0.9), V.PARTLY_HELD)])
        assert (None, None, None, ()) == (rec.brier, rec.log_score, rec.reliability,
                                          rec.calibration)  # fmt: skip
        assert 0 == rec.scored

    def test_wording_can_be_excluded(self) -> None:
        """include_wording=False scores only confidences the speaker stated."""
        pairs = [(claim(0, 0.9, "stated"), V.HELD), (claim(1, 0.675, "wording"), V.FAILED)]
        assert 2 == TrackRecord.from_verdicts(pairs).scored
        without = TrackRecord.from_verdicts(pairs, include_wording=False)
        assert 1 == without.scored
        assert pytest.approx(0.01) == without.brier

    def test_counts_show_every_verdict(self) -> None:
        """Every verdict has a count, zeros included, in the order of the enum."""
        rec = TrackRecord.from_verdicts([(claim(), V.CONTESTED)])
        assert list(Verdict) == list(rec.counts)
        assert 1 == rec.counts[V.CONTESTED]
        assert 0 == rec.counts[V.HELD]

    def test_verdict_values_accepted(self) -> None:
        """A verdict may be given by its value."""
        assert 1 == TrackRecord.from_verdicts([(claim(), "held")]).counts[V.HELD]

    def test_nothing_resolved_summary(self) -> None:
        """With nothing resolved the summary says so and names what is open."""
        rec = TrackRecord.from_verdicts(
            [(claim(0), V.PENDING), (claim(1), V.UNRESOLVED), (claim(2), V.UNVERIFIABLE)]
        )
        assert (None, None) == (rec.hit_rate, rec.interval)
        assert (
            "None of 3 claims is resolved yet. 1 still pending, 1 past due and unresolved. "
            "1 unverifiable or void, not counted."
        ) == rec.summary()

    def test_empty_summary(self) -> None:
        """A record of no claims says so."""
        assert "No claims." == TrackRecord.from_verdicts([]).summary()

    def test_summary_with_brier_and_other_level(self) -> None:
        """The summary gives the interval's level and the Brier score when there is one."""
        rec = TrackRecord.from_verdicts([(claim(0, 0.8), V.HELD)], confidence=0.9)
        assert (
            "Of 1 resolved claim, 1 held and 0 failed: a hit rate of 100 % (90 % interval "
            "27–100 %). Brier score 0.040 over 1 claim with a stated confidence (0 is "
            "perfect, 0.25 is always saying 50 %)."
        ) == rec.summary()

    @given(judged_claims(), levels)
    def test_hit_rate_inside_interval(
        self, pairs: list[tuple[ct.Claim, Verdict]], level: float
    ) -> None:
        """The hit rate always lies inside its interval; both are None together."""
        rec = TrackRecord.from_verdicts(pairs, confidence=level)
        if rec.hit_rate is None:
            assert (0, None) == (rec.resolved, rec.interval)
        else:
            assert rec.interval is not None
            assert rec.interval[0] <= rec.hit_rate <= rec.interval[1]

    @given(judged_claims())
    def test_matches_brute_force(self, pairs: list[tuple[ct.Claim, Verdict]]) -> None:
        """Counts, hit rate and Brier score agree with a direct computation."""
        rec = TrackRecord.from_verdicts(pairs)
        assert len(pairs) == rec.total
        for v in Verdict:
            assert sum(1 for _, w in pairs if w is v) == rec.counts[v]
        held = sum(1 for _, w in pairs if w is V.HELD)
        partly = sum(1 for _, w in pairs if w is V.PARTLY_HELD)
        failed = sum(1 for _, w in pairs if w is V.FAILED)
        assert held + partly + failed == rec.resolved
        if rec.resolved:
            assert (held + partly / 2) / (held + partly + failed) == pytest.approx(rec.hit_rate)
        scored = [
            (c.confidence, 1 if w is V.HELD else 0)
            for c, w in pairs
            if c.confidence is not None and w in (V.HELD, V.FAILED)
        ]
        assert len(scored) == rec.scored
        if scored:
            fs, os_ = zip(*scored, strict=True)
            assert brier_score(fs, os_) == rec.brier
            assert rec.brier == pytest.approx(
                rec.reliability - rec.resolution + rec.uncertainty  # type: ignore[operator]
            )
        else:
            assert rec.brier is None

    @given(judged_claims(), st.lists(st.sampled_from([V.UNVERIFIABLE, V.VOID]), max_size=5))
    def test_unverifiable_and_void_do_not_count(
        self, pairs: list[tuple[ct.Claim, Verdict]], extra: list[Verdict]
    ) -> None:
        """Adding unverifiable or void claims changes only their counts."""
        before = TrackRecord.from_verdicts(pairs)
        after = TrackRecord.from_verdicts(
            pairs + [(claim(100 + i, 0.9), v) for i, v in enumerate(extra)]
        )
        assert (before.resolved, before.hit_rate, before.interval, before.brier) == (
            after.resolved,
            after.hit_rate,
            after.interval,
            after.brier,
        )

    @given(judged_claims(), st.randoms(use_true_random=False))
    def test_order_independent(
        self, pairs: list[tuple[ct.Claim, Verdict]], rnd: random.Random
    ) -> None:
        """The order of the pairs does not matter."""
        shuffled = list(pairs)
        rnd.shuffle(shuffled)
        assert TrackRecord.from_verdicts(pairs) == TrackRecord.from_verdicts(shuffled)

    @pytest.mark.parametrize("level", [0, 1, 2, -0.5])
    def test_bad_level(self, level: float) -> None:
        """A confidence level outside (0, 1) is refused, naming the argument."""
        with pytest.raises(InvalidRecordError) as info:
            TrackRecord.from_verdicts([], confidence=level)
        assert "confidence" == info.value.field

    @pytest.mark.parametrize(
        "pair", [("c", V.HELD), (claim(),), (claim(), "maybe"), None], ids=repr
    )
    def test_bad_pairs(self, pair: object) -> None:
        """Something that is not a (claim, verdict) pair is refused, naming its position."""
        with pytest.raises(InvalidRecordError) as info:
            TrackRecord.from_verdicts([(claim(), V.HELD), pair])  # type: ignore[list-item]
        assert "pairs[1]" == info.value.field
