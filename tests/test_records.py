"""Track records and the scoring rules they use."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
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
from claimtrack import strategies as cts
from claimtrack._records import rank_records
from claimtrack.errors import InvalidRecordError, UnknownRecordError

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
            "3 claims, none resolved yet. 1 still pending, 1 past due and unresolved. "
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


# -- the tracker's track records and leaderboards ---------------------------------------

TODAY = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
PRESIDENT = "President of the United States"


def fixed_tracker(records: Sequence[ct.Record] = ()) -> ct.Tracker:
    """A tracker whose clock always says TODAY, holding *records*."""
    tracker = ct.Tracker(clock=lambda: TODAY)
    tracker.add_many(records)
    return tracker


def ruled(tracker: ct.Tracker, speaker: str, verdicts: Sequence[str], **claim: object) -> None:
    """Add one claim per verdict for *speaker*, each settled by a ruling."""
    start = len(tracker.claims(speaker))
    for i, verdict in enumerate(verdicts, start=start):
        tracker.add_claim(
            speaker,
            f"Claim {i}.",
            id=f"{speaker}-{i}",
            **{"stated_on": "2025-02-18", **claim},  # type: ignore[arg-type]
        )
        if verdict != "pending":
            tracker.rule(f"{speaker}-{i}", verdict, on="2025-03-01")


@st.composite
def ledgers_and_filters(draw: st.DrawFn) -> tuple[list[ct.Record], dict[str, Any]]:
    """A ledger, and filters for track_record that name things in it (or not)."""
    records = draw(cts.ledgers(max_claims=8, max_rulings=6))
    said = [r for r in records if isinstance(r, ct.Claim)]
    people = [r for r in records if isinstance(r, ct.Speaker)]
    topics = sorted({t for c in said for t in c.topics})
    speaker = draw(st.none() | st.sampled_from([p.id for p in people]))
    titles = sorted({r.title for p in people if speaker in (None, p.id) for r in p.roles})
    recorded = [r.recorded_at for r in records]
    filters = {
        "speaker": speaker,
        "topic": draw(st.none() | st.sampled_from(topics)) if topics else None,
        "kind": draw(st.none() | st.sampled_from(list(ct.ClaimKind))),
        "role": draw(st.none() | st.sampled_from(titles)) if titles else None,
        "as_of": draw(st.none() | cts.partial_dates()),
        "known_at": draw(st.none() | st.sampled_from(recorded)),
    }
    return records, filters


def brute_force(tracker: ct.Tracker, records: Sequence[ct.Record], f: dict[str, Any]) -> list:
    """The (claim, verdict) pairs a track record with filters *f* covers, found one by one."""
    speakers = {r.id: r for r in records if isinstance(r, ct.Speaker)}
    known, as_of, role = f["known_at"], f["as_of"], f["role"]
    pairs = []
    for c in records:
        if not isinstance(c, ct.Claim):
            continue
        if known is not None and c.recorded_at > known:
            continue
        if tracker.is_retracted(c, known_at=known):
            continue
        if f["speaker"] is not None and c.speaker_id != f["speaker"]:
            continue
        if f["topic"] is not None and f["topic"] not in c.topics:
            continue
        if f["kind"] is not None and c.kind is not f["kind"]:
            continue
        if as_of is not None and c.stated_on.end > as_of.end:
            continue
        if role is not None and not any(
            r.title.casefold() == role.casefold() and r.covers(c.stated_on)
            for r in speakers[c.speaker_id].roles
        ):
            continue
        pairs.append((c, tracker.assess(c, as_of=as_of, known_at=known).verdict))
    return pairs


class TestTrackerTrackRecord:
    def test_speaker_record(self) -> None:
        """A speaker's record counts their claims' verdicts, and only theirs."""
        tracker = fixed_tracker()
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_speaker("Sergey Lavrov", id="lavrov")
        ruled(tracker, "trump", ["held"] * 7 + ["partly held"] + ["failed"] * 2 + ["pending"] * 2)
        ruled(tracker, "lavrov", ["failed", "void"])
        rec = tracker.track_record("trump")
        assert (7, 1, 2, 2) == (
            rec.counts[V.HELD],
            rec.counts[V.PARTLY_HELD],
            rec.counts[V.FAILED],
            rec.counts[V.PENDING],
        )
        assert wilson_interval(7.5, 10) == rec.interval
        assert "2 still pending" in rec.summary()
        everyone = tracker.track_record()
        assert (14, 11, 1) == (everyone.total, everyone.resolved, everyone.counts[V.VOID])

    def test_role_at_the_time(self) -> None:
        """role= selects the claims made while the speaker held that role."""
        tracker = fixed_tracker()
        tracker.add_speaker(
            "Donald Trump",
            id="trump",
            roles=[
                ct.Role(PRESIDENT, start="2017-01-20", end="2021-01-20"),
                ct.Role(PRESIDENT, start="2025-01-20"),
                ct.Role("Candidate", start="2023", end="2024-11-05"),
            ],
        )
        ruled(tracker, "trump", ["held", "failed"], stated_on="2018-05-01")
        ruled(tracker, "trump", ["failed", "failed"], stated_on="2024-06-01")
        ruled(tracker, "trump", ["held"], stated_on="2025-02-18")
        assert 3 == tracker.track_record("trump", role=PRESIDENT).resolved
        assert 2 == tracker.track_record("trump", role="candidate").counts[V.FAILED]
        assert 5 == tracker.track_record("trump").resolved

    def test_as_of_judges_then(self) -> None:
        """as_of leaves out later claims and judges the rest as they stood then."""
        tracker = fixed_tracker()
        tracker.add_speaker("Keith Kellogg", id="kellogg")
        ruled(tracker, "kellogg", ["held"])
        ruled(tracker, "kellogg", ["failed"], stated_on="2025-06-01")
        before_ruling = tracker.track_record("kellogg", as_of="2025-02-20")
        assert (0, 1) == (before_ruling.resolved, before_ruling.total)
        assert 2 == tracker.track_record("kellogg").resolved

    def test_retracted_claim_left_out(self) -> None:
        """A retracted claim does not count, except as the tracker knew before it."""
        tracker = fixed_tracker()
        tracker.add_speaker("Keith Kellogg", id="kellogg")
        ruled(tracker, "kellogg", ["held", "failed"])
        before = max(r.recorded_at for r in tracker.records())  # type: ignore[type-var]
        tracker.retract("kellogg-1", reason="misattributed", recorded_at=before + dt.timedelta(1))
        assert 1.0 == tracker.track_record("kellogg").hit_rate
        assert 0.5 == tracker.track_record("kellogg", known_at=before).hit_rate

    def test_cache_follows_new_records(self) -> None:
        """A ruling or retraction after an assess_all changes the next track record."""
        tracker = fixed_tracker()
        tracker.add_speaker("Keith Kellogg", id="kellogg")
        ruled(tracker, "kellogg", ["pending"])
        tracker.assess_all()
        assert 0 == tracker.track_record("kellogg").resolved
        ruling = tracker.rule("kellogg-0", "held", on="2025-03-01")
        assert 1 == tracker.track_record("kellogg").counts[V.HELD]
        tracker.retract(ruling, reason="premature")
        assert 1 == tracker.track_record("kellogg").counts[V.PENDING]

    def test_wording_excluded_on_request(self) -> None:
        """include_wording=False leaves confidences read off words out of the scores."""
        tracker = fixed_tracker()
        tracker.add_speaker("Keith Kellogg", id="kellogg")
        ruled(tracker, "kellogg", ["held"], confidence=0.9)
        ruled(tracker, "kellogg", ["held"], confidence=0.675, confidence_basis="wording")
        assert 2 == tracker.track_record("kellogg").scored
        assert 1 == tracker.track_record("kellogg", include_wording=False).scored

    @settings(max_examples=100)  # ledgers are costly to draw; as the other ledger properties
    @given(ledgers_and_filters())
    def test_filters_select_exactly(self, data: tuple[list[ct.Record], dict[str, Any]]) -> None:
        """topic, kind, as_of, known_at and role select exactly the claims they name."""
        records, f = data
        tracker = fixed_tracker(records)
        expected = TrackRecord.from_verdicts(brute_force(tracker, records, f))
        actual = tracker.track_record(**f)
        assert expected == actual
        assert expected.total == actual.total

    @settings(max_examples=100)  # ledgers are costly to draw; as the other ledger properties
    @given(cts.ledgers(max_claims=5, max_rulings=5))
    def test_cache_never_stale(self, records: list[ct.Record]) -> None:
        """Assessing after every append gives what a fresh tracker gives."""
        tracker = fixed_tracker()
        for record in records:
            tracker.add(record)
            tracker.assess_all()
        assert fixed_tracker(records).assess_all() == tracker.assess_all()

    def test_unknown_speaker(self) -> None:
        """An unknown speaker is an UnknownRecordError naming it."""
        with pytest.raises(UnknownRecordError, match="no speaker with id 'nobody'"):
            fixed_tracker().track_record("nobody")

    @pytest.mark.parametrize("level", [0, 1, 95, -0.5])
    def test_bad_level(self, level: float) -> None:
        """A confidence level outside (0, 1) is refused, naming the argument."""
        with pytest.raises(InvalidRecordError, match="between 0 and 1") as info:
            fixed_tracker().track_record(confidence=level)
        assert "confidence" == info.value.field

    def test_role_never_held(self) -> None:
        """A role the speaker never held is refused, listing the roles they did hold."""
        tracker = fixed_tracker()
        tracker.add_speaker("Donald Trump", id="trump", roles=[ct.Role(PRESIDENT)])
        with pytest.raises(
            InvalidRecordError, match="by speaker 'trump'; their roles: 'President"
        ) as info:
            tracker.track_record("trump", role="Pope")
        assert "role" == info.value.field
        with pytest.raises(InvalidRecordError, match="roles on record"):
            tracker.track_record(role="Pope")


class TestLeaderboard:
    def test_lower_bound_first(self) -> None:
        """One lucky claim does not top the board: rows go by the interval's lower end."""
        tracker = fixed_tracker()
        for who in ("lucky", "steady", "shaky", "twin"):
            tracker.add_speaker(who.title(), id=who)
        ruled(tracker, "lucky", ["held"])
        ruled(tracker, "steady", ["held"] * 9 + ["failed"])
        ruled(tracker, "shaky", ["held", "failed"] * 5)
        ruled(tracker, "twin", ["held"] * 9 + ["failed"])
        rows = tracker.leaderboard(min_resolved=1)
        assert ["steady", "twin", "shaky", "lucky"] == [r.speaker_id for r in rows]
        assert [1, 2, 3, 4] == [r.rank for r in rows]
        assert (0.9, wilson_interval(9, 10), 10) == (
            rows[0].hit_rate,
            rows[0].interval,
            rows[0].resolved,
        )
        assert ["steady", "twin", "shaky"] == [r.speaker_id for r in tracker.leaderboard()]

    def test_ties_by_count_then_name(self) -> None:
        """Equal lower bounds: more resolved claims first, then the name."""
        rows = rank_records(
            [
                ("b", "Bea", TrackRecord.from_verdicts([(claim(), V.HELD)] * 2)),
                ("a", "Abe", TrackRecord.from_verdicts([(claim(), V.HELD)] * 2)),
                ("c", "Cy", TrackRecord.from_verdicts([(claim(), V.HELD)] * 2)),
            ],
            by="hit_rate",
            min_resolved=0,
        )
        assert ["a", "b", "c"] == [r.speaker_id for r in rows]

    def test_by_brier(self) -> None:
        """by="brier" ranks by Brier score, lowest first, over stated confidences."""
        tracker = fixed_tracker()
        for who in ("sharp", "vague", "silent"):
            tracker.add_speaker(who.title(), id=who)
        ruled(tracker, "sharp", ["held"], confidence=0.9)
        ruled(tracker, "vague", ["held"], confidence=0.6)
        ruled(tracker, "silent", ["held"])
        rows = tracker.leaderboard(by="brier", min_resolved=1)
        assert ["sharp", "vague"] == [r.speaker_id for r in rows]
        assert pytest.approx(0.01) == rows[0].brier

    @settings(max_examples=100)  # ledgers are costly to draw; as the other ledger properties
    @given(ledgers_and_filters(), st.integers(0, 3))
    def test_matches_track_records(
        self, data: tuple[list[ct.Record], dict[str, Any]], min_resolved: int
    ) -> None:
        """Each row is the speaker's track_record; the rows are exactly the eligible ones."""
        records, f = data
        tracker = fixed_tracker(records)
        filters = {k: f[k] for k in ("topic", "kind", "as_of", "known_at")}
        rows = tracker.leaderboard(min_resolved=min_resolved, **filters)
        expected = []
        for s in tracker.speakers():
            rec = tracker.track_record(s.id, **filters)
            if rec.interval is not None and rec.resolved >= max(min_resolved, 1):
                expected.append(((-rec.interval[0], -rec.resolved, s.name, s.id), s.id, rec))
        expected.sort(key=lambda e: e[0])
        assert [(s, rec) for _, s, rec in expected] == [(r.speaker_id, r.record) for r in rows]

    @pytest.mark.parametrize("by", ["rate", "", None, "Brier"])
    def test_unknown_by(self, by: object) -> None:
        """An unknown by= key is refused, listing the allowed ones."""
        with pytest.raises(InvalidRecordError, match="allowed: 'hit_rate', 'brier'") as info:
            fixed_tracker().leaderboard(by=by)  # type: ignore[arg-type]
        assert "by" == info.value.field

    @pytest.mark.parametrize("minimum", [-1, 1.5, True, "5"])
    def test_bad_min_resolved(self, minimum: object) -> None:
        """min_resolved must be a whole number of at least 0."""
        with pytest.raises(InvalidRecordError, match="at least 0") as info:
            fixed_tracker().leaderboard(min_resolved=minimum)  # type: ignore[arg-type]
        assert "min_resolved" == info.value.field

    def test_bad_level(self) -> None:
        """A confidence level outside (0, 1) is refused, naming the argument."""
        with pytest.raises(InvalidRecordError) as info:
            fixed_tracker().leaderboard(confidence=1.0)
        assert "confidence" == info.value.field
