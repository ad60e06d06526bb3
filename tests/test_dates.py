"""Tests for claimtrack._dates: PartialDate, Precision, within and knowledge-time input."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import PartialDate, Precision, _dates, within
from claimtrack._dates import as_utc_datetime, check_recorded_at
from claimtrack.errors import InvalidRecordError
from claimtrack.strategies import partial_dates

UTC = dt.UTC
D = dt.date


class TestParse:
    @pytest.mark.parametrize(
        ("text", "start", "precision"),
        [
            ("18 February 2025", D(2025, 2, 18), Precision.DAY),
            ("February 18, 2025", D(2025, 2, 18), Precision.DAY),
            ("2025-02-18", D(2025, 2, 18), Precision.DAY),
            ("2025-02-18T10:30:00", D(2025, 2, 18), Precision.DAY),
            ("03/04/2025", D(2025, 3, 4), Precision.DAY),
            ("29 Feb 2024", D(2024, 2, 29), Precision.DAY),
            ("Feb 2025", D(2025, 2, 1), Precision.MONTH),
            ("February 2025", D(2025, 2, 1), Precision.MONTH),
            ("2025-02", D(2025, 2, 1), Precision.MONTH),
            ("2025", D(2025, 1, 1), Precision.YEAR),
            ("  2025  ", D(2025, 1, 1), Precision.YEAR),
            ("0050", D(50, 1, 1), Precision.YEAR),
            ("9999-12-31", D(9999, 12, 31), Precision.DAY),
        ],
    )
    def test_forms(self, text: str, start: dt.date, precision: Precision) -> None:
        """Each written form gives its first day and the precision the text really gave."""
        parsed = PartialDate.parse(text)
        assert (start, precision) == (parsed.start, parsed.precision)

    def test_year_is_not_filled_from_today(self) -> None:
        """A bare year is a year, not this month and day of that year."""
        assert PartialDate.year(2022) == PartialDate.parse("2022")

    def test_zone_moves_a_time_near_midnight_to_utc(self) -> None:
        """23:30 at UTC-5 on 18 February is 19 February in UTC."""
        assert PartialDate.day(2025, 2, 19) == PartialDate.parse("2025-02-18T23:30:00-05:00")

    def test_zone_ahead_of_utc_moves_back(self) -> None:
        """01:00 at UTC+5 on 1 February is still 31 January in UTC."""
        assert PartialDate.day(2025, 1, 31) == PartialDate.parse("2025-02-01T01:00+05:00")

    def test_month_with_zone_keeps_month_precision(self) -> None:
        """A month with a time and zone is that month, not a year (precision before zone)."""
        assert PartialDate.month(2025, 2) == PartialDate.parse("Feb 2025 02:00 +05:00")

    def test_rfc_2822(self) -> None:
        """An e-mail style date with an offset is read and moved to UTC."""
        assert PartialDate.day(2025, 2, 19) == PartialDate.parse("Tue, 18 Feb 2025 23:30:00 -0500")

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("March 3", "has no year"),
            ("10:30", "has no year"),
            ("Biden may sign it", "is not a date"),
            ("Smarch 31", "is not a date"),
            ("", "is not a date"),
            ("   ", "is not a date"),
            ("2025-02-30", "is not a date"),
            ("2025-13", "is not a date"),
            ("0000", "is not a date"),
            ("9" * 30, "is not a date"),
            ("1" * 25, "is not a date"),
            ("2" * 101, "is not a date"),
            ("2025-02-18 23:59 PST", "time-zone name"),
        ],
    )
    def test_refused(self, text: str, reason: str) -> None:
        """Text that is not a whole date (or names no year) is refused, naming the field."""
        with pytest.raises(InvalidRecordError, match=reason) as info:
            PartialDate.parse(text, field="stated_on")
        assert ("stated_on", text) == (info.value.field, info.value.value)

    @pytest.mark.parametrize("digits", [15, 20, 60])
    def test_long_digit_string_overflow_is_invalid_record(self, digits: int) -> None:
        """dateutil's OverflowError on long digit strings becomes InvalidRecordError."""
        with pytest.raises(InvalidRecordError) as info:
            PartialDate.parse("1" * digits)
        assert isinstance(info.value.__cause__, OverflowError)

    def test_not_a_string(self) -> None:
        """A number is not parsed."""
        with pytest.raises(InvalidRecordError, match="must be a date string"):
            PartialDate.parse(2025)  # type: ignore[arg-type]


class TestCoerce:
    def test_partial_date_unchanged(self) -> None:
        """A PartialDate is returned as it is."""
        d = PartialDate.month(2025, 2)
        assert d is PartialDate.coerce(d)

    def test_date(self) -> None:
        """A date is a day."""
        assert PartialDate.day(2025, 2, 18) == PartialDate.coerce(D(2025, 2, 18))

    def test_naive_datetime_read_as_utc(self) -> None:
        """A naive datetime's own day is taken (read as UTC)."""
        assert PartialDate.day(2025, 2, 18) == PartialDate.coerce(dt.datetime(2025, 2, 18, 23, 59))

    def test_aware_datetime_near_midnight_to_utc(self) -> None:
        """23:30 in New York on 18 February is 19 February UTC."""
        when = dt.datetime(2025, 2, 18, 23, 30, tzinfo=ZoneInfo("America/New_York"))
        assert PartialDate.day(2025, 2, 19) == PartialDate.coerce(when)

    def test_aware_datetime_ahead_of_utc(self) -> None:
        """00:30 in Tokyo on 1 March is 28 February UTC."""
        when = dt.datetime(2025, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
        assert PartialDate.day(2025, 2, 28) == PartialDate.coerce(when)

    def test_string(self) -> None:
        """A string is parsed."""
        assert PartialDate.month(2025, 2) == PartialDate.coerce("Feb 2025")

    @pytest.mark.parametrize("value", [None, 2025, 20.25, True, ["2025"]])
    def test_other_types_refused(self, value: object) -> None:
        """Anything else is refused, naming the field."""
        with pytest.raises(InvalidRecordError, match="due") as info:
            PartialDate.coerce(value, field="due")  # type: ignore[arg-type]
        assert value == info.value.value

    def test_equal_days_share_one_partial_date(self) -> None:
        """Records of one day share one (immutable) PartialDate, however the day is given."""
        first = PartialDate.coerce(D(2025, 2, 18))
        assert first is PartialDate.coerce(dt.datetime(2025, 2, 18, 9, 30))
        assert PartialDate.coerce("Feb 2025") is PartialDate.coerce("Feb 2025")
        assert PartialDate.day(2025, 2, 18) == first

    @given(st.dates(), st.booleans())
    def test_shared_or_not_a_date_gives_its_day(self, day: dt.date, shared: bool) -> None:
        """With the shared dates full or not, coerce gives the partial date of the day."""
        limit = _dates._SHARED_LIMIT if shared else 0
        with mock.patch.object(_dates, "_SHARED_LIMIT", limit):
            for _ in range(2):
                assert PartialDate(day, Precision.DAY) == PartialDate.coerce(day)
                assert PartialDate.parse(day.isoformat()) == PartialDate.coerce(day.isoformat())

    def test_a_text_that_fails_is_refused_every_time(self) -> None:
        """A text that cannot be parsed is not kept: it is refused again, naming the field."""
        for name in ("due", "on"):
            with pytest.raises(InvalidRecordError, match=name):
                PartialDate.coerce("the 3rd", field=name)

    def test_a_date_subclass_is_refused_as_before(self) -> None:
        """A subclass of date is not taken for a plain date (start must be a datetime.date)."""

        class Day(dt.date):
            pass

        with pytest.raises(InvalidRecordError, match=r"must be a datetime\.date"):
            PartialDate.coerce(Day(2025, 2, 18))


class TestConstruct:
    def test_named_constructors(self) -> None:
        """day, month and year build the right dates."""
        assert (
            PartialDate(D(2025, 2, 1), Precision.MONTH),
            PartialDate(D(2025, 1, 1), "year"),
        ) == (
            PartialDate.month(2025, 2),
            PartialDate.year(2025),
        )

    @pytest.mark.parametrize("precision", ["DAY", "day", " Month".strip(), Precision.YEAR])
    def test_precision_converted(self, precision: object) -> None:
        """Precision accepts its member, value or name in any case."""
        d = PartialDate(D(2025, 1, 1), precision)  # type: ignore[arg-type]
        assert isinstance(d.precision, Precision)

    def test_unknown_precision(self) -> None:
        """An unknown precision lists the allowed ones."""
        with pytest.raises(InvalidRecordError, match="day, month, year"):
            PartialDate(D(2025, 1, 1), "week")  # type: ignore[arg-type]

    def test_start_must_be_a_date(self) -> None:
        """A datetime (or a string) is not a start; use coerce or parse."""
        with pytest.raises(InvalidRecordError, match="start"):
            PartialDate(dt.datetime(2025, 1, 1))  # type: ignore[arg-type]

    def test_month_must_start_on_the_first(self) -> None:
        """A month's start is the 1st."""
        with pytest.raises(InvalidRecordError, match="first day of a month"):
            PartialDate(D(2025, 2, 3), Precision.MONTH)

    def test_year_must_start_on_january_first(self) -> None:
        """A year's start is 1 January."""
        with pytest.raises(InvalidRecordError, match="1 January"):
            PartialDate(D(2025, 2, 1), Precision.YEAR)

    @pytest.mark.parametrize(
        "make",
        [
            lambda: PartialDate.year(10000),
            lambda: PartialDate.month(2025, 13),
            lambda: PartialDate.day(2025, 2, 29),
        ],
    )
    def test_out_of_calendar(self, make: object) -> None:
        """A day, month or year outside the calendar is an InvalidRecordError."""
        with pytest.raises(InvalidRecordError, match="not a calendar date"):
            make()  # type: ignore[operator]


class TestInterval:
    def test_leap_february(self) -> None:
        """February 2024 runs to the 29th."""
        feb = PartialDate.parse("Feb 2024")
        assert (D(2024, 2, 1), D(2024, 2, 29)) == (feb.start, feb.end)

    def test_year_end(self) -> None:
        """A year ends on 31 December."""
        assert D(2025, 12, 31) == PartialDate.year(2025).end

    def test_day_end(self) -> None:
        """A day starts and ends on itself."""
        assert D(2025, 2, 18) == PartialDate.day(2025, 2, 18).end

    def test_contains(self) -> None:
        """A year contains its months and days, not the other way round."""
        year, march = PartialDate.year(2025), PartialDate.month(2025, 3)
        assert (True, False, True, False) == (
            year.contains(march),
            march.contains(year),
            march.contains(D(2025, 3, 31)),
            march.contains(D(2025, 4, 1)),
        )

    def test_overlaps(self) -> None:
        """Dates overlap when they share a day."""
        assert (True, True, False) == (
            PartialDate.year(2025).overlaps(PartialDate.month(2025, 12)),
            PartialDate.month(2025, 3).overlaps(PartialDate.day(2025, 3, 1)),
            PartialDate.month(2025, 3).overlaps(PartialDate.day(2025, 4, 1)),
        )

    def test_ordering(self) -> None:
        """Dates sort by (start, end): a month before its year, a day before its month."""
        dates = [
            PartialDate.year(2025),
            PartialDate.day(2025, 1, 2),
            PartialDate.month(2025, 1),
            PartialDate.day(2025, 1, 1),
            PartialDate.year(2024),
        ]
        assert [
            PartialDate.year(2024),
            PartialDate.day(2025, 1, 1),
            PartialDate.month(2025, 1),
            PartialDate.year(2025),
            PartialDate.day(2025, 1, 2),
        ] == sorted(dates)

    def test_comparison_with_other_types(self) -> None:
        """Comparing with a non-PartialDate is a TypeError, as for builtins."""
        with pytest.raises(TypeError):
            _ = PartialDate.year(2025) < D(2025, 1, 1)  # type: ignore[operator]

    def test_equal_and_hashable(self) -> None:
        """Equal dates are equal and hash alike."""
        assert {PartialDate.parse("Feb 2025")} == {PartialDate.month(2025, 2)}


class TestText:
    @pytest.mark.parametrize(
        ("date", "text", "words"),
        [
            (PartialDate.day(2025, 2, 18), "2025-02-18", "18 February 2025"),
            (PartialDate.month(2025, 3), "2025-03", "March 2025"),
            (PartialDate.year(2025), "2025", "2025"),
            (PartialDate.year(50), "0050", "50"),
        ],
    )
    def test_str_repr_describe(self, date: PartialDate, text: str, words: str) -> None:
        """str() is ISO, repr() shows it, describe() says it in words."""
        assert (text, f"PartialDate({text!r})", words) == (
            str(date),
            repr(date),
            date.describe(),
        )


class TestProperties:
    @given(partial_dates(min_year=1, max_year=9999))
    def test_str_parse_round_trip(self, date: PartialDate) -> None:
        """str() of any partial date parses back to the same date and precision."""
        assert date == PartialDate.parse(str(date))

    @given(partial_dates(min_year=1000, max_year=9999))
    def test_describe_parses_back(self, date: PartialDate) -> None:
        """describe() of any date (year 1000 on) parses back to the same date."""
        assert date == PartialDate.parse(date.describe())

    @given(partial_dates(min_year=1, max_year=9999), st.dates())
    def test_interval_containment(self, date: PartialDate, day: dt.date) -> None:
        """A date contains a day exactly when the day lies between its start and end."""
        assert (date.start <= day <= date.end) == date.contains(day)

    @given(partial_dates(min_year=1, max_year=9999))
    def test_coarser_dates_contain_finer(self, date: PartialDate) -> None:
        """The month and the year of a date contain it; its start and end lie in it."""
        month = PartialDate.month(date.start.year, date.start.month)
        year = PartialDate.year(date.start.year)
        assert date.start <= date.end
        assert year.contains(date)
        assert date.contains(date.start)
        assert date.contains(date.end)
        if date.precision is not Precision.YEAR:
            assert month.contains(date)

    @given(partial_dates(), partial_dates())
    def test_ordering_matches_start_end(self, a: PartialDate, b: PartialDate) -> None:
        """Comparisons agree with comparing (start, end), and equality with both."""
        ka, kb = (a.start, a.end), (b.start, b.end)
        assert (ka < kb, ka <= kb, ka > kb, ka >= kb, ka == kb) == (
            a < b,
            a <= b,
            a > b,
            a >= b,
            a == b,
        )

    @given(partial_dates(), partial_dates())
    def test_overlap_is_symmetric(self, a: PartialDate, b: PartialDate) -> None:
        """Overlap is symmetric, and containment implies overlap."""
        assert a.overlaps(b) == b.overlaps(a)
        if a.contains(b):
            assert a.overlaps(b)


class TestWithin:
    def test_days(self) -> None:
        """within(days=100) from 18 February 2025 is 29 May 2025."""
        assert PartialDate.day(2025, 5, 29) == within(days=100).resolve(
            PartialDate.day(2025, 2, 18)
        )

    def test_months_at_month_end(self) -> None:
        """relativedelta clips to the month's end: 31 January + 1 month is 28 February."""
        assert PartialDate.day(2025, 2, 28) == within(months=1).resolve(
            PartialDate.day(2025, 1, 31)
        )

    def test_counted_from_end_of_partial(self) -> None:
        """A partial stated date counts from its last day."""
        assert PartialDate.day(2026, 3, 31) == within(months=3).resolve(PartialDate.year(2025))

    def test_hours(self) -> None:
        """Time-of-day keywords work: 48 hours after 18 February is 20 February."""
        assert PartialDate.day(2025, 2, 20) == within(hours=48).resolve(
            PartialDate.day(2025, 2, 18)
        )

    def test_claim_due_resolved(self) -> None:
        """A claim's relative due is resolved against its stated_on."""
        claim = ct.Claim("c", "s", "t", stated_on="2025-02-18", due=within(years=4))
        assert PartialDate.day(2029, 2, 18) == claim.due

    def test_str(self) -> None:
        """str() says the delta."""
        assert "within relativedelta(days=+100)" == str(within(days=100))

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({}, "at least one"),
            ({"fortnights": 2}, "is not a keyword"),
            ({"days": 0}, "future"),
            ({"days": -3}, "future"),
            ({"days": "ten"}, "not a valid relativedelta"),
            ({"days": 10**30}, "not a valid relativedelta"),
            ({"month": 13}, "not a valid relativedelta"),
        ],
    )
    def test_refused(self, kwargs: dict[str, object], match: str) -> None:
        """Bad deadlines are refused naming ``within``."""
        with pytest.raises(InvalidRecordError, match=match) as info:
            within(**kwargs)
        assert "within" == info.value.field

    def test_resolution_beyond_calendar(self) -> None:
        """A deadline past year 9999 is an InvalidRecordError naming ``due``."""
        with pytest.raises(InvalidRecordError, match="outside the calendar") as info:
            ct.Claim("c", "s", "t", stated_on="9999-12-01", due=within(months=2))
        assert "due" == info.value.field

    def test_absolute_before_stated_on(self) -> None:
        """An absolute keyword that lands before stated_on is refused as due before stated_on."""
        with pytest.raises(InvalidRecordError, match="before stated_on"):
            ct.Claim("c", "s", "t", stated_on="2025-02-18", due=within(year=2020))


class TestKnowledgeTime:
    def test_aware_datetime(self) -> None:
        """An aware datetime is moved to UTC."""
        when = dt.datetime(2025, 2, 18, 23, 30, tzinfo=ZoneInfo("America/New_York"))
        assert dt.datetime(2025, 2, 19, 4, 30, tzinfo=UTC) == as_utc_datetime(when, field="k")

    def test_naive_datetime(self) -> None:
        """A naive datetime is read as UTC."""
        assert dt.datetime(2025, 2, 18, 10, tzinfo=UTC) == as_utc_datetime(
            dt.datetime(2025, 2, 18, 10), field="k"
        )

    def test_string_with_time(self) -> None:
        """A string with a time of day is that moment."""
        assert dt.datetime(2025, 2, 18, 10, 30, tzinfo=UTC) == as_utc_datetime(
            "2025-02-18 10:30", field="k"
        )

    @pytest.mark.parametrize(
        ("value", "day"),
        [
            ("2025-03-01", D(2025, 3, 1)),
            ("March 2025", D(2025, 3, 31)),
            (D(2025, 1, 5), D(2025, 1, 5)),
        ],
    )
    def test_date_means_end_of_it(self, value: object, day: dt.date) -> None:
        """A date without a time means the end of the day, month or year."""
        assert dt.datetime.combine(day, dt.time.max, tzinfo=UTC) == as_utc_datetime(
            value, field="k"
        )

    def test_not_a_time(self) -> None:
        """Garbage is refused naming the field."""
        with pytest.raises(InvalidRecordError, match="known_at"):
            as_utc_datetime("soon", field="known_at")

    def test_check_recorded_at(self) -> None:
        """A stored stamp must be an aware datetime; it comes back in UTC."""
        when = dt.datetime(2025, 1, 1, 12, tzinfo=ZoneInfo("Europe/Kyiv"))
        assert dt.datetime(2025, 1, 1, 10, tzinfo=UTC) == check_recorded_at(when)
        with pytest.raises(InvalidRecordError, match="timezone-aware"):
            check_recorded_at(dt.datetime(2025, 1, 1))
        with pytest.raises(InvalidRecordError, match="recorded_at"):
            check_recorded_at("2025-01-01")
