"""Tests for claimtrack._format: percentages, intervals and dates in words, one rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack._format import date_words, interval, percent, whole_percent


class TestPercent:
    @pytest.mark.parametrize(
        ("p", "words"),
        [
            (0.625, "63 %"),
            (0.285, "29 %"),
            (0.5, "50 %"),
            (0.125, "13 %"),
            (0.994, "99 %"),
            (0.995, "over 99 %"),
            (0.996, "over 99 %"),
            (0.004, "under 1 %"),
            (0.005, "1 %"),
            (1.0, "100 %"),
            (1, "100 %"),
            (0.0, "0 %"),
        ],
    )
    def test_examples(self, p: float, words: str) -> None:
        """Halves round up (0.625 is 63 %, not 62 %), and only 1 and 0 are 100 % and 0 %."""
        assert words == percent(p)

    @given(st.floats(min_value=0, max_value=1, exclude_min=True, exclude_max=True))
    def test_never_certain_short_of_certainty(self, p: float) -> None:
        """No probability strictly between 0 and 1 reads "100 %" or "0 %"."""
        assert percent(p) not in ("100 %", "0 %")

    @given(st.integers(min_value=0, max_value=99))
    def test_halves_round_up(self, n: int) -> None:
        """Every value ending in a half (n.5 %) rounds up to n + 1."""
        assert n + 1 == whole_percent(float(f"0.{n:02d}5"))

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), None, "0.5", True])
    def test_refuses_what_is_not_a_number(self, bad: object) -> None:
        """Not a finite number is an error, not "nan %"."""
        with pytest.raises(ValueError, match="finite number"):
            percent(bad)  # type: ignore[arg-type]


class TestInterval:
    def test_plain(self) -> None:
        """Two plain ends share one percent sign, with an en dash."""
        assert "44–92 %" == interval(0.4375, 0.918)

    def test_ends_in_words(self) -> None:
        """An end that needs words is written out."""
        assert "20 % to over 99 %" == interval(0.2, 0.9991)
        assert "under 1 % to 40 %" == interval(0.001, 0.4)


class TestDateWords:
    def test_partial_dates_say_what_they_know(self) -> None:
        """A day, a month or a year, as a reader writes them."""
        assert ["18 February 2025", "March 2025", "2025"] == [
            date_words(ct.PartialDate.parse(text)) for text in ("2025-02-18", "2025-03", "2025")
        ]

    def test_datetimes_are_given_in_utc(self) -> None:
        """A datetime with a timezone is converted to UTC; a naive one is read as UTC."""
        plus_two = dt.timezone(dt.timedelta(hours=2))
        assert "19 February 2025, 09:00 UTC" == date_words(
            dt.datetime(2025, 2, 19, 11, 0, tzinfo=plus_two)
        )
        assert "19 February 2025, 09:00 UTC" == date_words(dt.datetime(2025, 2, 19, 9, 0))

    def test_plain_date(self) -> None:
        """A date has no time."""
        assert "1 April 2025" == date_words(dt.date(2025, 4, 1))


class TestOneRuleEverywhere:
    def test_summary_and_leaderboard_agree(self) -> None:
        """A hit rate of 0.625 is "63 %" in the summary and in the leaderboard row."""
        t = ct.Tracker()
        t.add_speaker("Ines Calloway", id="calloway")
        verdicts = ["held"] * 4 + ["partly_held"] * 2 + ["failed"] * 2
        for i, verdict in enumerate(verdicts):
            t.add_claim("calloway", f"Promise {i}.", id=f"p{i}", stated_on="2025-01-01")
            t.rule(f"p{i}", verdict, on="2025-02-01")
        assert "a hit rate of 63 %" in t.track_record("calloway").summary()
        assert "hit rate 63 %" in str(t.leaderboard()[0])

    def test_near_certain_hit_rate_is_not_100(self) -> None:
        """A hit rate just below 1 reads "over 99 %" in the summary, not "100 %"."""
        c = ct.Claim("c1", "s", "It will rain.", stated_on="2025-01-01")
        held = [(c, ct.Verdict.HELD)] * 999 + [(c, ct.Verdict.PARTLY_HELD)]
        summary = ct.TrackRecord.from_verdicts(held).summary()
        assert "a hit rate of over 99 %" in summary
        assert "100 %" not in summary.replace("to 100 %", "")
