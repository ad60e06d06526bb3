"""Dates as people state them: a day, a month or a year.

``PartialDate`` is the one date type of every record.  Parsing happens here, at the
edge, with :mod:`dateutil`; nothing else in claimtrack parses dates.

dateutil fills any part the text lacks from its ``default=`` argument (by default,
*today*).  To know what the text really said, :meth:`PartialDate.parse` parses twice
with two defaults that differ in year, month and day: a part that comes out the same
both times was in the text.  A text without a year is refused rather than read as this
year; ``fuzzy`` and ``dayfirst`` are never used (the first finds dates in ordinary
sentences, the second flips ISO dates).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import enum
import re
import warnings
import weakref
from typing import Any, Literal, TypeAlias

import attrs
from attrs import frozen
from dateutil import parser as _parser
from dateutil.relativedelta import relativedelta

from .errors import InvalidRecordError

__all__ = ["DateInput", "DateOrder", "PartialDate", "Precision", "RelativeDeadline", "within"]

UTC = _dt.UTC

# Two defaults that differ in every part that a date string may leave out.  Both
# years are leap years so that "29 February" parses under either.
_DEFAULT_A = _dt.datetime(2000, 1, 1)
_DEFAULT_B = _dt.datetime(2004, 2, 2, 1, 1, 1)
_MAX_TEXT = 100
# The forms str() writes, read without dateutil (which reads "0050" as 2050).
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
# An all-numeric date with the year last ("02/03/2025", "2.3.25"): its first two numbers
# are the day and the month in one order or the other.
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])", re.ASCII)
_ORDERS = {"DMY": "day/month/year", "MDY": "month/day/year"}

DateOrder: TypeAlias = Literal["DMY", "MDY"]
"""The order of an all-numeric date: ``"DMY"`` (``02/03/2025`` is 2 March) or ``"MDY"``."""


def check_date_order(value: Any, *, field: str = "date_order") -> DateOrder | None:
    """Validate a ``date_order`` argument: ``"DMY"``, ``"MDY"`` (any case) or ``None``."""
    if value is None:
        return None
    if isinstance(value, str) and value.upper() in _ORDERS:
        return "DMY" if value.upper() == "DMY" else "MDY"
    raise InvalidRecordError(field, value, "must be 'DMY' (day first), 'MDY' (month first) or None")


def _in_utc(value: _dt.datetime, field: str, given: Any) -> _dt.datetime:
    """*value* (aware) moved to UTC; a time that falls off the calendar is refused."""
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise InvalidRecordError(
            field, given, "falls outside the calendar (years 1 to 9999) once moved to UTC"
        ) from exc


def _with_order(text: str, field: str, order: DateOrder | None, given: Any) -> str:
    """*text* with an all-numeric date put month first (dateutil's reading), or refused.

    Without an order, a date whose day and month could be swapped ("02/03/2025") is
    refused; one with only one reading ("13/02/2025", "03/25/2025") is left to
    dateutil, which takes the reading that is a date.  With an order, the date must
    fit it.
    """
    found = _NUMERIC.search(text)
    if found is None:
        return text
    first, sep, second, year = found.groups()
    a, b = int(first), int(second)
    if order is None:
        if a != b and 1 <= a <= 12 and 1 <= b <= 12:
            day_first = f"{a} {calendar.month_name[b]}"
            month_first = f"{b} {calendar.month_name[a]}"
            iso = f"{year}-{b:02d}-{a:02d}" if len(year) == 4 else f"YYYY-{b:02d}-{a:02d}"
            raise InvalidRecordError(
                field,
                given,
                f"is ambiguous: {day_first} or {month_first}? Write the month's name "
                f"({day_first} {year}) or the ISO form ({iso}), or give the order of "
                "numeric dates: date_order='DMY' (day first) or 'MDY' (month first)",
            )
        return text
    day, month = (a, b) if order == "DMY" else (b, a)
    if not 1 <= month <= 12:
        raise InvalidRecordError(
            field, given, f"is not a date in {_ORDERS[order]} order (date_order={order!r})"
        )
    return f"{text[: found.start()]}{month}{sep}{day}{sep}{year}{text[found.end() :]}"


def _parse_twice(text: str, field: str, what: str) -> tuple[_dt.datetime, _dt.datetime]:
    """Parse *text* with both defaults; any failure is an InvalidRecordError naming *field*.

    dateutil warns (``UnknownTimezoneWarning``) and drops a time-zone name it does not
    know ("PST"); reading the time as UTC could shift the day, so that is refused too.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", _parser.UnknownTimezoneWarning)
            a = _parser.parse(text, default=_DEFAULT_A)
            b = _parser.parse(text, default=_DEFAULT_B)
    except _parser.UnknownTimezoneWarning as exc:
        raise InvalidRecordError(
            field, text, "has a time-zone name that is not understood; give a UTC offset"
        ) from exc
    except (ValueError, OverflowError, TypeError) as exc:
        raise InvalidRecordError(field, text, f"is not a {what}") from exc
    return a, b


class Precision(enum.Enum):
    """How much of a date was given: the day, only the month, or only the year.

    Example:
        >>> PartialDate.parse("Feb 2025").precision
        <Precision.MONTH: 'month'>

    .. versionadded:: 0.1.0
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def _calendar_date(field: str, parts: tuple[int, int, int]) -> _dt.date:
    try:
        return _dt.date(*parts)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidRecordError(field, parts, f"is not a calendar date: {exc}") from None


def _to_precision(value: Any) -> Precision:
    if isinstance(value, Precision):
        return value
    try:
        return Precision(str(value).lower())
    except ValueError:
        allowed = ", ".join(p.value for p in Precision)
        raise InvalidRecordError("precision", value, f"is not one of: {allowed}") from None


@frozen(order=False, repr=False)
class PartialDate:
    """A calendar date known to the day, the month or the year.

    A partial date is an interval of days: ``start`` and :attr:`end` are the first
    and the last day it covers, both inclusive.  ``str()`` gives ISO form
    (``"2025-02-18"``, ``"2025-02"``, ``"2025"``) which :meth:`parse` reads back.

    Partial dates are ordered by ``(start, end)``, so a month sorts before the year
    that contains it, and before its own later days.

    Args:
        start: the first day covered; for a month it must be the 1st, for a year 1 January.
        precision: a :class:`Precision` (or its value, ``"day"``, ``"month"``, ``"year"``).

    Example:
        >>> feb = PartialDate.parse("Feb 2024")
        >>> feb, feb.start, feb.end
        (PartialDate('2024-02'), datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
        >>> feb.contains(PartialDate.parse("2024-02-10"))
        True

    .. versionadded:: 0.1.0
    """

    start: _dt.date = attrs.field()
    precision: Precision = attrs.field(default=Precision.DAY, converter=_to_precision)
    end: _dt.date = attrs.field(init=False, eq=False, repr=False)
    """The last day covered, inclusive."""

    @start.validator
    def _check_start(self, _: attrs.Attribute[_dt.date], value: _dt.date) -> None:
        if type(value) is not _dt.date:
            raise InvalidRecordError("start", value, "must be a datetime.date")

    def __attrs_post_init__(self) -> None:
        start, precision = self.start, self.precision
        if precision is Precision.DAY:
            end = start
        else:
            if start.day != 1:
                raise InvalidRecordError(
                    "start", start, f"must be the first day of a {precision.value}"
                )
            if precision is Precision.MONTH:
                end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            elif start.month != 1:
                raise InvalidRecordError("start", start, "must be 1 January for a year")
            else:
                end = start.replace(month=12, day=31)
        # Worked out once: sorting and weighing evidence read it for every piece.
        object.__setattr__(self, "end", end)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def day(cls, year: int, month: int, day: int) -> PartialDate:
        """Return the partial date of one day.

        Example:
            >>> PartialDate.day(2025, 2, 18)
            PartialDate('2025-02-18')
        """
        return cls(_calendar_date("day", (year, month, day)), Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> PartialDate:
        """Return the partial date of a whole month.

        Example:
            >>> PartialDate.month(2025, 3).end
            datetime.date(2025, 3, 31)
        """
        return cls(_calendar_date("month", (year, month, 1)), Precision.MONTH)

    @classmethod
    def year(cls, year: int) -> PartialDate:
        """Return the partial date of a whole year.

        Example:
            >>> str(PartialDate.year(2025))
            '2025'
        """
        return cls(_calendar_date("year", (year, 1, 1)), Precision.YEAR)

    @classmethod
    def parse(
        cls, text: str, *, field: str = "date", date_order: DateOrder | None = None
    ) -> PartialDate:
        """Parse a date as written: ``"18 February 2025"``, ``"Feb 2025"``, ``"2025"``.

        Anything :func:`dateutil.parser.parse` reads is accepted, as long as it gives a
        year.  An all-numeric date whose day and month could be swapped
        (``"02/03/2025"``) is refused unless *date_order* says which comes first; one
        that is a date in only one order (``"13/02/2025"``, ``"03/25/2025"``) is read
        that way when no order is given, and must fit the order when one is.  ISO dates
        (``"2025-02-03"``) and dates that name the month are never ambiguous.  A time of
        day, if present, is dropped after converting to UTC.

        Args:
            text: the text to parse.
            field: the name reported in the error if the text is not a date.
            date_order: ``"DMY"`` (day first: ``"02/03/2025"`` is 2 March) or ``"MDY"``
                (month first: 3 February) for all-numeric dates; ``None`` to refuse
                ambiguous ones.

        Raises:
            InvalidRecordError: the text is not a date, has no year, is ambiguous, or
                falls outside the calendar (years 1 to 9999) once moved to UTC.

        Example:
            >>> PartialDate.parse("2025"), PartialDate.parse("18 February 2025")
            (PartialDate('2025'), PartialDate('2025-02-18'))
            >>> PartialDate.parse("02/03/2025", date_order="DMY")
            PartialDate('2025-03-02')

        .. versionchanged:: 0.2.0
           Ambiguous all-numeric dates are refused without *date_order*.
        """
        order = check_date_order(date_order)
        if not isinstance(text, str):
            raise InvalidRecordError(field, text, "must be a date string")
        cleaned = text.strip()
        if not cleaned or len(cleaned) > _MAX_TEXT:
            raise InvalidRecordError(field, text, "is not a date")
        iso = _ISO.fullmatch(cleaned)
        if iso is not None:
            year, month, day = (None if g is None else int(g) for g in iso.groups())
            assert year is not None
            try:
                if month is None:
                    return cls(_dt.date(year, 1, 1), Precision.YEAR)
                if day is None:
                    return cls(_dt.date(year, month, 1), Precision.MONTH)
                return cls(_dt.date(year, month, day), Precision.DAY)
            except ValueError as exc:
                raise InvalidRecordError(field, text, "is not a date") from exc
        a, b = _parse_twice(_with_order(cleaned, field, order, text), field, "date")
        if a.year != b.year:
            raise InvalidRecordError(field, text, "has no year")
        # Precision is read off the text as written; only a full day with a full time
        # of day and a zone is moved to UTC (moving a bare day or month by its zone's
        # offset at midnight would shift it to the day before).  Parts of the time left
        # out (seconds, say) are 0, as in parse A.
        if a.month != b.month:
            if a.day != b.day:
                return cls.year(a.year)
            # a day without a month ("2025 the 3rd") does not say which month
            raise InvalidRecordError(field, text, "gives a day but no month")
        if a.day != b.day:
            return cls.month(a.year, a.month)
        if a.tzinfo is not None and a.hour == b.hour:  # a time of day was given
            a = _in_utc(a, field, text)
        return cls(a.date(), Precision.DAY)

    @classmethod
    def coerce(
        cls, value: DateInput, *, field: str = "date", date_order: DateOrder | None = None
    ) -> PartialDate:
        """Turn any accepted date input into a :class:`PartialDate`.

        Accepts a :class:`PartialDate`, a :class:`datetime.date`, a
        :class:`datetime.datetime` (timezone-aware ones are converted to UTC first;
        naive ones are read as UTC) or a string for :meth:`parse` (with *date_order*).

        Raises:
            InvalidRecordError: naming *field*, for anything else, or for a datetime
                that falls outside the calendar once moved to UTC.

        Example:
            >>> import datetime
            >>> PartialDate.coerce(datetime.date(2025, 2, 18))
            PartialDate('2025-02-18')
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.datetime):
            value = (value if value.tzinfo is None else _in_utc(value, field, value)).date()
        if type(value) is _dt.date and cls is PartialDate:
            # Records of one day share one immutable PartialDate while any of them is
            # alive (a ledger holds a few thousand days for a million records).  The
            # table holds them weakly, so it keeps nothing a tracker dropped, and what it
            # gives is equal to what a new one would be: it never changes what is accepted.
            found = _LIVE_DAYS.get(value)
            if found is None:
                found = _LIVE_DAYS[value] = cls(value, Precision.DAY)
            return found
        if isinstance(value, _dt.date):
            return cls(value, Precision.DAY)
        if isinstance(value, str):
            return cls.parse(value, field=field, date_order=date_order)
        raise InvalidRecordError(
            field, value, "must be a date, a datetime, a PartialDate or a date string"
        )

    # -- the interval ---------------------------------------------------------------

    def contains(self, other: PartialDate | _dt.date) -> bool:
        """Whether every day of *other* lies within this date.

        Example:
            >>> PartialDate.parse("2025").contains(PartialDate.parse("March 2025"))
            True
        """
        o = PartialDate.coerce(other)
        return self.start <= o.start and o.end <= self.end

    def overlaps(self, other: PartialDate) -> bool:
        """Whether this date and *other* share at least one day.

        Example:
            >>> PartialDate.parse("2025").overlaps(PartialDate.parse("2025-06"))
            True
        """
        return self.start <= other.end and other.start <= self.end

    # -- ordering and text ----------------------------------------------------------

    def _key(self) -> tuple[_dt.date, _dt.date]:
        return (self.start, self.end)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    def __str__(self) -> str:
        s = self.start
        if self.precision is Precision.YEAR:
            return f"{s.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        return f"{s.year:04d}-{s.month:02d}-{s.day:02d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def describe(self) -> str:
        """The date in words, as a reader would write it.

        Example:
            >>> PartialDate.parse("2025-02-18").describe(), PartialDate.parse("2025-03").describe()
            ('18 February 2025', 'March 2025')
        """
        s = self.start
        if self.precision is Precision.YEAR:
            return str(s.year)
        if self.precision is Precision.MONTH:
            return f"{calendar.month_name[s.month]} {s.year}"
        return f"{s.day} {calendar.month_name[s.month]} {s.year}"


_LIVE_DAYS: weakref.WeakValueDictionary[_dt.date, PartialDate] = weakref.WeakValueDictionary()
"""The partial date of each day some live record holds (see :meth:`PartialDate.coerce`)."""

DateInput: TypeAlias = PartialDate | _dt.date | _dt.datetime | str
"""What a date argument accepts: a :class:`PartialDate`, a date, a datetime or a string."""


def _relativedelta_kwargs() -> frozenset[str]:
    return frozenset(
        {
            "years", "months", "weeks", "days", "hours", "minutes", "seconds",
            "microseconds", "year", "month", "day", "weekday", "leapdays",
        }
    )  # fmt: skip


@frozen
class RelativeDeadline:
    """A deadline stated relative to when a claim was made ("within 100 days").

    Made by :func:`within`; a claim resolves it against its ``stated_on``.

    Attributes:
        delta: the :class:`dateutil.relativedelta.relativedelta` to add.

    .. versionadded:: 0.1.0
    """

    delta: relativedelta

    def resolve(self, stated_on: PartialDate) -> PartialDate:
        """Return the due date: the last day *stated_on* covers, plus ``delta``.

        Counting from the last day gives the speaker the benefit of the doubt when the
        statement's own date is only known to the month or year.

        Example:
            >>> within(days=100).resolve(PartialDate.parse("2025-02-18"))
            PartialDate('2025-05-29')
        """
        return PartialDate(_add(stated_on.end, self.delta, self), Precision.DAY)

    def __str__(self) -> str:
        return f"within {self.delta}"


def _add(day: _dt.date, delta: relativedelta, value: Any) -> _dt.date:
    """*day* (at midnight) plus *delta*, as a date; ``"due"`` names the error if it overflows."""
    try:
        return (_dt.datetime.combine(day, _dt.time.min) + delta).date()
    except (ValueError, OverflowError) as exc:
        raise InvalidRecordError("due", value, f"falls outside the calendar from {day}") from exc


def within(**kwargs: Any) -> RelativeDeadline:
    """A deadline relative to the claim's date: ``within(days=100)``, ``within(years=4)``.

    Takes the keyword arguments of :class:`dateutil.relativedelta.relativedelta`.

    Raises:
        InvalidRecordError: for no arguments, an unknown keyword, or a deadline that
            does not lie in the future of the claim.

    Example:
        >>> within(months=6).resolve(PartialDate.parse("2025-02-18"))
        PartialDate('2025-08-18')

    .. versionadded:: 0.1.0
    """
    if not kwargs:
        raise InvalidRecordError("within", kwargs, "needs at least one relativedelta keyword")
    unknown = sorted(set(kwargs) - _relativedelta_kwargs())
    if unknown:
        allowed = ", ".join(sorted(_relativedelta_kwargs()))
        raise InvalidRecordError("within", unknown[0], f"is not a keyword; use one of: {allowed}")
    probe = _dt.datetime(2000, 1, 1)
    try:
        delta = relativedelta(**kwargs)
        later = probe + delta
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidRecordError("within", kwargs, f"is not a valid relativedelta: {exc}") from exc
    if later <= probe:
        raise InvalidRecordError("within", kwargs, "must reach into the future")
    return RelativeDeadline(delta)


def as_utc_datetime(value: Any, *, field: str, date_order: DateOrder | None = None) -> _dt.datetime:
    """Turn a knowledge-time input into a timezone-aware UTC datetime.

    A datetime is taken as it is (naive ones read as UTC).  A date, a partial date, or
    a string without a time of day means *the end* of the day (month, year) it names,
    so ``known_at="2025-03-01"`` includes everything recorded on 1 March.  A string is
    read as :meth:`PartialDate.parse` reads it (*date_order* included).
    """
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else _in_utc(value, field, value)
    if isinstance(value, str):
        text = _with_order(value.strip(), field, check_date_order(date_order), value)
        a, b = _parse_twice(text, field, "date or time")
        # A time of day was given if the hour was (minutes and seconds default to 0).
        if a.hour == b.hour and a.date() == b.date():
            return a.replace(tzinfo=UTC) if a.tzinfo is None else _in_utc(a, field, value)
    end = PartialDate.coerce(value, field=field, date_order=date_order).end
    return _dt.datetime.combine(end, _dt.time.max, tzinfo=UTC)


def check_recorded_at(value: Any, *, field: str = "recorded_at") -> _dt.datetime:
    """Validate a stored knowledge-time stamp: an aware datetime, returned in UTC."""
    if not isinstance(value, _dt.datetime):
        raise InvalidRecordError(field, value, "must be a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRecordError(field, value, "must be timezone-aware")
    return _in_utc(value, field, value)


def day_after(day: _dt.date, days: int = 1) -> _dt.date:
    """The day *days* after *day* (before it, if negative), kept within the calendar.

    Saturating: past 9999-12-31 it gives 9999-12-31, before 0001-01-01 that day.  For
    change points, "from the next day on" bounds and chart margins, so that a date at
    the end of the calendar (a claim due ``9999-12-31``) never overflows.
    """
    try:
        return day + _dt.timedelta(days=days)
    except OverflowError:
        return _dt.date.max if days > 0 else _dt.date.min


def refuse_future(
    date: PartialDate, today: _dt.date, *, field: str, record_id: str | None = None
) -> None:
    """Refuse a world-time date that starts after today anywhere on Earth.

    *today* is the tracker clock's date in UTC; a date is refused if it starts after
    the day after it (in UTC+14 it is already tomorrow), so a record made "today" in any
    time zone is accepted.

    Raises:
        InvalidRecordError: naming *field* and saying how to allow it.
    """
    if date.start > day_after(today):
        raise InvalidRecordError(
            field,
            str(date),
            f"is in the future (the tracker's clock says today is {today.isoformat()}); "
            "pass allow_future=True to record scheduled events",
            record_id=record_id,
        )
