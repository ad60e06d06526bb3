"""Numbers and dates in words: one rule for every place a reader sees them.

``explain()``, :meth:`~claimtrack.TrackRecord.summary`, leaderboard rows, the Markdown
and HTML reports, the charts and the command line all say a probability, an interval
or a date through these functions, so that one value never reads two ways (a hit rate
of 0.625 is "63 %" in a table and in the sentence beside it).

The rules:

- **Whole percentages, halves rounded up** (0.625 → "63 %", 0.285 → "29 %"): the
  value is rounded as it is written in decimal, not as its binary float happens to
  fall, and never to the even neighbour.
- **Never "100 %" or "0 %" for a probability that is not exactly 1 or 0**: 0.996 is
  "over 99 %" and 0.004 "under 1 %", so a reader never sees certainty the evidence
  does not give.
- A space before the percent sign, as in the rest of claimtrack's text ("95 %
  interval").
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from ._dates import PartialDate, Precision

__all__ = ["date_words", "interval", "percent", "printable", "whole_percent"]

_DASH = "\N{EN DASH}"


def whole_percent(p: float) -> int:
    """*p* (a fraction) as a whole percentage, halves rounded up: 0.625 -> 63.

    Example:
        >>> whole_percent(0.625), whole_percent(0.285), whole_percent(0.5)
        (63, 29, 50)
    """
    if isinstance(p, bool) or not isinstance(p, int | float) or not math.isfinite(p):
        raise ValueError(f"a percentage needs a finite number, not {p!r}")
    # repr() is the shortest decimal that reads back as p: round what the reader wrote.
    return int((Decimal(repr(float(p))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(p: float) -> str:
    """A probability or a rate in words: ``"63 %"``, ``"over 99 %"``, ``"under 1 %"``.

    Only exactly 1 is ``"100 %"`` and only exactly 0 is ``"0 %"``; anything in between
    that would round to either says "over 99 %" or "under 1 %".

    Args:
        p: a fraction, normally in [0, 1].

    Raises:
        ValueError: *p* is not a finite number.

    Example:
        >>> percent(0.625), percent(0.996), percent(0.004), percent(1.0), percent(0)
        ('63 %', 'over 99 %', 'under 1 %', '100 %', '0 %')
    """
    n = whole_percent(p)
    if 0 < p < 1:
        if n >= 100:
            return "over 99 %"
        if n <= 0:
            return "under 1 %"
    return f"{n} %"


def interval(low: float, high: float) -> str:
    """An interval of fractions in words: ``"44–92 %"``.

    Each end follows :func:`percent`'s rule; when an end needs words ("over 99 %"),
    the interval is written out: ``"21 % to over 99 %"``.

    Example:
        >>> interval(0.4375, 0.918), interval(0.2065, 1.0), interval(0.2, 0.9991)
        ('44–92 %', '21–100 %', '20 % to over 99 %')
    """
    lo, hi = percent(low), percent(high)
    if lo[0].isdigit() and hi[0].isdigit():
        return f"{lo[:-2]}{_DASH}{hi}"
    return f"{lo} to {hi}"


def date_words(day: PartialDate | _dt.date | _dt.datetime) -> str:
    """A date as a reader writes it: ``"18 February 2025"``, ``"March 2025"``, ``"2025"``.

    A :class:`~claimtrack.PartialDate` says only what it knows (a month, a year); a
    datetime adds its time, in UTC when it carries a timezone (a naive one is read as
    UTC, as everywhere in claimtrack).

    Example:
        >>> import datetime as dt
        >>> date_words(PartialDate.parse("2025-03")), date_words(dt.date(2025, 2, 18))
        ('March 2025', '18 February 2025')
        >>> date_words(dt.datetime(2025, 2, 19, 9, 0, tzinfo=dt.UTC))
        '19 February 2025, 09:00 UTC'
    """
    if isinstance(day, PartialDate):
        s = day.start
        if day.precision is Precision.YEAR:
            return str(s.year)
        if day.precision is Precision.MONTH:
            return f"{calendar.month_name[s.month]} {s.year}"
        return _day(s)
    if isinstance(day, _dt.datetime):
        utc = day.astimezone(_dt.UTC) if day.tzinfo is not None else day
        return f"{_day(utc.date())}, {utc:%H:%M} UTC"
    return _day(day)


def _day(d: _dt.date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


# C0 and C1 control characters (ESC, BEL, ...) but tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    r"""Ledger text as a reader may see it: control characters (ESC, BEL, C1) dropped.

    Tabs and newlines stay.  What a record holds is never changed; only what is shown.

    Example:
        >>> printable("Lavrov\x1b[31m said\x07")
        'Lavrov[31m said'
    """
    return _CONTROL.sub("", str(text))
