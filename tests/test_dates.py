"""Tests for claimtrack._dates: PartialDate, Precision, within and knowledge-time input."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import weakref
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack as ct
from claimtrack import PartialDate, Precision, within
from claimtrack._dates import as_utc_datetime, check_recorded_at, day_after, refuse_future
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
            ("13/02/2025", D(2025, 2, 13), Precision.DAY),
            ("03/25/2025", D(2025, 3, 25), Precision.DAY),
            ("05/05/2025", D(2025, 5, 5), Precision.DAY),
            ("2025/02/03", D(2025, 2, 3), Precision.DAY),
            ("02/2025", D(2025, 2, 1), Precision.MONTH),
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


class TestAmbiguous:
    @pytest.mark.parametrize(
        "text", ["02/03/2025", "2.3.2025", "02-03-2025", "2/3/25", "02/03/2025 10:30"]
    )
    def test_swappable_day_and_month_refused_without_order(self, text: str) -> None:
        """A numeric date that reads as two days is refused, naming the field and the value."""
        with pytest.raises(InvalidRecordError, match="ambiguous") as info:
            PartialDate.parse(text, field="stated_on")
        assert ("stated_on", text) == (info.value.field, info.value.value)

    def test_error_lists_the_accepted_forms(self) -> None:
        """The message gives both readings and the forms that would be accepted."""
        with pytest.raises(InvalidRecordError) as info:
            PartialDate.parse("02/03/2025")
        message = str(info.value)
        for part in ("2 March", "3 February", "2025-03-02", "date_order='DMY'", "'MDY'"):
            assert part in message

    @pytest.mark.parametrize(
        ("text", "order", "day"),
        [
            ("02/03/2025", "DMY", D(2025, 3, 2)),
            ("02/03/2025", "MDY", D(2025, 2, 3)),
            ("02.03.2025", "dmy", D(2025, 3, 2)),
            ("13/02/2025", "DMY", D(2025, 2, 13)),
            ("03/25/2025", "MDY", D(2025, 3, 25)),
            ("2/3/25", "DMY", D(2025, 3, 2)),
            ("2025-02-03", "DMY", D(2025, 2, 3)),
            ("2025-02-03T10:00", "DMY", D(2025, 2, 3)),
            ("3 February 2025", "DMY", D(2025, 2, 3)),
            ("February 3, 2025", "DMY", D(2025, 2, 3)),
        ],
    )
    def test_an_order_reads_numeric_dates_and_leaves_the_rest(
        self, text: str, order: str, day: dt.date
    ) -> None:
        """The order decides numeric dates; ISO dates and month names read the same in any order."""
        assert PartialDate.day(day.year, day.month, day.day) == PartialDate.parse(
            text,
            date_order=order,  # type: ignore[arg-type]
        )

    @pytest.mark.parametrize(("text", "order"), [("03/25/2025", "DMY"), ("13/02/2025", "MDY")])
    def test_a_date_that_does_not_fit_the_order_is_refused(self, text: str, order: str) -> None:
        """With an order given, a date valid only in the other order is refused (mixed formats)."""
        with pytest.raises(InvalidRecordError, match=f"date_order='{order}'") as info:
            PartialDate.parse(text, field="due", date_order=order)  # type: ignore[arg-type]
        assert ("due", text) == (info.value.field, info.value.value)

    @pytest.mark.parametrize("order", ["YMD", "", 1, "day first"])
    def test_unknown_order_refused(self, order: object) -> None:
        """An order other than DMY or MDY is refused, naming date_order."""
        with pytest.raises(InvalidRecordError) as info:
            PartialDate.parse("2025", date_order=order)  # type: ignore[arg-type]
        assert "date_order" == info.value.field

    @given(st.dates(), st.sampled_from(["/", ".", "-"]))
    def test_day_first_and_month_first_agree_with_the_calendar(
        self, day: dt.date, sep: str
    ) -> None:
        """Any date written day first reads back under DMY, and month first under MDY."""
        y = f"{day.year:04d}"
        dmy = f"{day.day:02d}{sep}{day.month:02d}{sep}{y}"
        mdy = f"{day.month:02d}{sep}{day.day:02d}{sep}{y}"
        assert day == PartialDate.parse(dmy, date_order="DMY").start
        assert day == PartialDate.parse(mdy, date_order="MDY").start

    @given(st.dates(dt.date(1000, 1, 1)))
    def test_without_an_order_a_date_is_refused_or_read_as_its_only_reading(
        self, day: dt.date
    ) -> None:
        """Day first without an order: refused if the swap is a date too, else read right."""
        text = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
        if day.day <= 12 and day.day != day.month:
            with pytest.raises(InvalidRecordError, match="ambiguous"):
                PartialDate.parse(text)
        else:
            assert day == PartialDate.parse(text).start

    def test_coerce_and_knowledge_time_take_the_order(self) -> None:
        """coerce and known_at-style inputs read numeric dates by the same rule."""
        assert D(2025, 3, 2) == PartialDate.coerce("02/03/2025", date_order="DMY").start
        with pytest.raises(InvalidRecordError, match="ambiguous"):
            as_utc_datetime("02/03/2025", field="known_at")
        stamp = as_utc_datetime("02/03/2025 10:00", field="known_at", date_order="MDY")
        assert dt.datetime(2025, 2, 3, 10, tzinfo=UTC) == stamp


_EDGE_TEXTS = [
    "0001-01-01T00:30:00+05:00",
    "9999-12-31T23:00:00-05:00",
    "2025-02-18 12:00 UTC+25",
    "0001-01-01 00:30 +05:00",
]


class TestUnrepresentable:
    @pytest.mark.parametrize("text", _EDGE_TEXTS)
    def test_offset_off_the_calendar_is_invalid_record(self, text: str) -> None:
        """A time whose offset moves it off the calendar (or is no offset) names the field."""
        with pytest.raises(InvalidRecordError) as info:
            PartialDate.parse(text, field="observed_on")
        assert ("observed_on", text) == (info.value.field, info.value.value)

    @pytest.mark.parametrize("text", _EDGE_TEXTS)
    def test_knowledge_time_text_off_the_calendar(self, text: str) -> None:
        """The same texts as known_at are refused, naming known_at."""
        with pytest.raises(InvalidRecordError) as info:
            as_utc_datetime(text, field="known_at")
        assert "known_at" == info.value.field

    @pytest.mark.parametrize(
        "when",
        [
            dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ],
    )
    def test_datetimes_off_the_calendar(self, when: dt.datetime) -> None:
        """Aware datetimes at the calendar's edge are refused by every date path."""
        with pytest.raises(InvalidRecordError, match="outside the calendar") as info:
            PartialDate.coerce(when, field="stated_on")
        assert "stated_on" == info.value.field
        for call in (
            lambda: as_utc_datetime(when, field="known_at"),
            lambda: check_recorded_at(when),
        ):
            with pytest.raises(InvalidRecordError, match="outside the calendar"):
                call()

    @given(st.text(alphabet="0123456789", min_size=5, max_size=100))
    def test_digit_strings_never_escape_as_other_errors(self, digits: str) -> None:
        """Any digit string is a PartialDate or an InvalidRecordError, never another error."""
        with contextlib.suppress(InvalidRecordError):
            PartialDate.parse(digits)

    @pytest.mark.parametrize("text", _EDGE_TEXTS)
    def test_every_tracker_date_argument(self, text: str) -> None:
        """add_claim, add_evidence, rule, assess, history, track_record refuse them cleanly."""
        tracker = ct.Tracker(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=UTC))
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
        calls = {
            "stated_on": lambda: tracker.add_claim("trump", "x", stated_on=text),
            "due": lambda: tracker.add_claim("trump", "y", stated_on="2025", due=text),
            "observed_on": lambda: tracker.add_evidence(
                "c", "x", stance="supports", observed_on=text
            ),
            "on": lambda: tracker.rule("c", "held", on=text),
            "as_of": lambda: tracker.assess("c", as_of=text),
            "known_at": lambda: tracker.assess("c", known_at=text),
        }
        for name, call in calls.items():
            with pytest.raises(InvalidRecordError) as info:
                call()
            assert name == info.value.field
        assert 2 == len(tracker)

    def test_far_future_dates_work(self) -> None:
        """A claim due on the calendar's last day is stored, assessed and judged as of then."""
        tracker = ct.Tracker(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=UTC))
        tracker.add_speaker("Donald Trump", id="trump")
        tracker.add_claim("trump", "It will last.", id="c", stated_on="2025", due="9999-12-31")
        tracker.add_evidence("c", "It held so far.", stance="supports", observed_on="2025-06")
        assert ct.Verdict.PENDING is tracker.assess("c").verdict
        late = tracker.assess("c", as_of="9999-12-31", known_at="9999-12-31")
        assert ct.Verdict.PENDING is late.verdict
        assert 1 == tracker.track_record("trump", as_of="9999-12-31").counts[ct.Verdict.PENDING]


class TestNoModuleCache:
    def test_parsed_dates_are_not_kept(self) -> None:
        """Nothing in claimtrack holds a date after the caller drops it (no module-level cache)."""
        refs = [
            weakref.ref(PartialDate.coerce(D(2031, 1, 5))),
            weakref.ref(PartialDate.coerce("5 January 2031")),
            weakref.ref(PartialDate.coerce(dt.datetime(2031, 1, 5, 9, tzinfo=UTC))),
        ]
        gc.collect()
        assert [None, None, None] == [ref() for ref in refs]

    def test_a_day_is_shared_while_a_record_holds_it(self) -> None:
        """Equal days share one PartialDate while alive (memory); a dropped tracker frees them."""
        tracker = ct.Tracker(clock=lambda: dt.datetime(2031, 6, 1, tzinfo=UTC))
        tracker.add_speaker("A", id="a")
        tracker.add_claim("a", "x", id="c", stated_on=D(2031, 1, 7))
        first = tracker.add_evidence("c", "y", stance="supports", observed_on=D(2031, 1, 7))
        again = PartialDate.coerce(dt.datetime(2031, 1, 7, 9, 30))
        assert first.observed_on is again is tracker.claim("c").stated_on
        ref = weakref.ref(again)
        del tracker, first, again
        gc.collect()
        assert ref() is None

    def test_what_is_accepted_does_not_depend_on_what_came_before(self) -> None:
        """An ambiguous text is refused whether or not it was read with an order before."""
        assert D(2025, 3, 2) == PartialDate.coerce("02/03/2025", date_order="DMY").start
        with pytest.raises(InvalidRecordError, match="ambiguous"):
            PartialDate.coerce("02/03/2025")


class TestCalendarEdge:
    def test_day_after(self) -> None:
        """day_after steps days either way, and stays within the calendar."""
        assert D(2025, 3, 1) == day_after(D(2025, 2, 28))
        assert dt.date.max == day_after(dt.date.max)
        assert dt.date.max == day_after(D(9999, 12, 1), 40)
        assert D(2025, 2, 18) == day_after(D(2025, 3, 1), -11)
        assert dt.date.min == day_after(D(1, 1, 5), -10)

    def test_refuse_future_allows_today_anywhere_on_earth(self) -> None:
        """Up to the day after the clock's UTC date is accepted; later is refused."""
        today = D(2025, 2, 18)
        refuse_future(PartialDate.day(2025, 2, 19), today, field="observed_on")
        refuse_future(PartialDate.parse("2025"), today, field="observed_on")
        with pytest.raises(InvalidRecordError, match="allow_future=True") as info:
            refuse_future(PartialDate.day(2025, 2, 20), today, field="observed_on", record_id="e")
        assert ("observed_on", "2025-02-20", "e") == (
            info.value.field,
            info.value.value,
            info.value.record_id,
        )


NOW = dt.datetime(2025, 3, 1, 12, tzinfo=UTC)


def _desk(**options: object) -> ct.Tracker:
    """A tracker on a fixed clock (1 March 2025) with speaker 'trump' and claim 'c'."""
    tracker = ct.Tracker(clock=lambda: NOW, **options)  # type: ignore[arg-type]
    tracker.add_speaker("Donald Trump", id="trump")
    tracker.add_claim("trump", "Ukraine will be involved.", id="c", stated_on="2025-02-18")
    return tracker


class TestTrackerDateOrder:
    def test_ambiguous_dates_refused_by_default_naming_the_argument(self) -> None:
        """Without an order, each method refuses an ambiguous date, naming its argument."""
        tracker = _desk()
        calls = {
            "stated_on": lambda: tracker.add_claim("trump", "x", stated_on="02/01/2025"),
            "due": lambda: tracker.add_claim("trump", "y", stated_on="2025", due="02/03/2025"),
            "observed_on": lambda: tracker.add_evidence(
                "c", "x", stance="supports", observed_on="02/01/2025"
            ),
            "on": lambda: tracker.rule("c", "held", on="02/01/2025"),
            "as_of": lambda: tracker.assess("c", as_of="02/01/2025"),
            "known_at": lambda: tracker.assess("c", known_at="02/01/2025"),
        }
        for name, call in calls.items():
            with pytest.raises(InvalidRecordError, match="ambiguous") as info:
                call()
            assert name == info.value.field
        assert 2 == len(tracker)

    @pytest.mark.parametrize(("order", "day"), [("DMY", D(2025, 1, 2)), ("MDY", D(2025, 2, 1))])
    def test_the_trackers_order_applies_to_every_date_argument(
        self, order: str, day: dt.date
    ) -> None:
        """Tracker(date_order=...) reads stated_on, due, observed_on, on and as_of by it."""
        tracker = _desk(date_order=order)
        assert order == tracker.date_order
        claim = tracker.add_claim("trump", "x", stated_on="02/01/2025", due="02/01/2025")
        evidence = tracker.add_evidence("c", "x", stance="supports", observed_on="02/01/2025")
        ruling = tracker.rule("c", "held", on="02/01/2025")
        assert [day] * 4 == [
            claim.stated_on.start,
            claim.due.start if claim.due else None,
            evidence.observed_on.start,
            ruling.on.start,
        ]
        judged = tracker.assess("c", as_of="02/01/2025")
        assert judged.as_of is not None
        assert day == judged.as_of.start

    @pytest.mark.parametrize("suffix", [".db", ".jsonl"])
    def test_open_takes_the_order(self, tmp_path: Path, suffix: str) -> None:
        """ct.open(path, date_order=...) gives a tracker that reads dates by it."""
        with ct.open(tmp_path / f"x{suffix}", clock=lambda: NOW, date_order="DMY") as tracker:
            assert "DMY" == tracker.date_order
            tracker.add_speaker("Donald Trump", id="trump")
            claim = tracker.add_claim("trump", "x", stated_on="02/01/2025")
            assert D(2025, 1, 2) == claim.stated_on.start
        with (
            ct.open(tmp_path / f"x{suffix}", clock=lambda: NOW) as tracker,
            pytest.raises(InvalidRecordError, match="ambiguous"),
        ):
            tracker.add_claim("trump", "y", stated_on="02/01/2025")

    def test_unknown_order_refused(self) -> None:
        """Tracker(date_order='YMD') is refused, naming date_order."""
        with pytest.raises(InvalidRecordError) as info:
            ct.Tracker(date_order="YMD")  # type: ignore[arg-type]
        assert "date_order" == info.value.field


class TestFuture:
    @pytest.mark.parametrize(
        ("field", "call"),
        [
            ("stated_on", lambda t, **kw: t.add_claim("trump", "x", stated_on="2025-03-03", **kw)),
            ("stated_on", lambda t, **kw: t.add_claim("trump", "x", stated_on="2026", **kw)),
            ("observed_on", lambda t, **kw: t.add_evidence(
                "c", "x", stance="refutes", observed_on="April 2025", **kw)),
            ("on", lambda t, **kw: t.rule("c", "failed", on="2025-03-03", **kw)),
            ("observed_on", lambda t, **kw: t.add(ct.Evidence(
                "e", "c", "x", stance="supports", observed_on="2025-03-03"), **kw)),
            ("on", lambda t, **kw: t.add_many([ct.Ruling(
                "r", "c", "held", on="2025-03-03", recorded_at=NOW)], **kw)),
        ],
    )  # fmt: skip
    def test_refused_unless_allowed(self, field: str, call: Any) -> None:
        """A record dated after the clock is refused (naming the field), or stored if allowed."""
        tracker = _desk()
        with pytest.raises(InvalidRecordError, match="in the future") as info:
            call(tracker)
        assert field == info.value.field
        assert 2 == len(tracker)
        call(tracker, allow_future=True)
        assert 3 == len(tracker)

    def test_today_anywhere_on_earth_is_accepted(self) -> None:
        """The clock's UTC day and the day after (already today in UTC+14) are not future."""
        tracker = _desk()
        tracker.add_evidence("c", "x", stance="supports", observed_on="2025-03-01")
        tracker.add_evidence("c", "y", stance="supports", observed_on="2025-03-02")
        tracker.add_evidence("c", "z", stance="supports", observed_on="March 2025")
        assert 5 == len(tracker)

    def test_due_may_lie_in_the_future(self) -> None:
        """A deadline is about the future: it is never refused for that."""
        tracker = _desk()
        claim = tracker.add_claim("trump", "x", stated_on="2025-02-18", due="9999-12-31")
        assert claim.due is not None
        assert dt.date.max == claim.due.end

    def test_one_future_record_refuses_the_whole_batch(self) -> None:
        """add_many with one future record (amid stamped evidence) adds nothing."""
        tracker = _desk()
        batch: list[ct.Record] = [
            ct.Evidence(
                f"e{i}", "c", "x", stance="supports", observed_on="2025-02-20", recorded_at=NOW
            )
            for i in range(5)
        ]
        batch.append(
            ct.Evidence(
                "late", "c", "x", stance="supports", observed_on="2025-05-01", recorded_at=NOW
            )
        )
        with pytest.raises(InvalidRecordError) as info:
            tracker.add_many(batch)
        assert ("observed_on", "late") == (info.value.field, info.value.record_id)
        assert 2 == len(tracker)

    def test_stored_records_are_not_checked_again(self) -> None:
        """Records already in a store open whatever the clock says (no check on load)."""
        tracker = _desk()
        tracker.add_evidence("c", "x", stance="supports", observed_on="2025-06", allow_future=True)
        early = ct.Tracker(tracker.store, clock=lambda: dt.datetime(2000, 1, 1, tzinfo=UTC))
        assert 3 == len(early)

    def test_clock_read_once_per_call(self) -> None:
        """The future check and the recorded_at stamp share one reading of the clock."""
        ticks = iter(NOW + dt.timedelta(seconds=i) for i in range(100))
        calls = []

        def clock() -> dt.datetime:
            calls.append(1)
            return next(ticks)

        tracker = ct.Tracker(clock=clock)
        tracker.add_speaker("A", id="a")
        tracker.add_claim("a", "x", stated_on="2025-02-18")
        assert 2 == len(calls)
