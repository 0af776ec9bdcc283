"""What a person reads, in their language: names that have a Lao version, dates and times.

One place decides, for pages (through the web layer's Jinja filters) and for PDFs (through
the documents' own), so a Lao page and a Lao PDF say the same thing:

- a name or title in Lao where one is known, otherwise in English (``local_name``);
- dates through Babel's locale: "ວັນອັງຄານ, 9 ມີນາ 2027" / "Tuesday, 9 March 2027";
- times of day as stored (a workshop's wall clock), and moments (a comment, a change of
  status, stored in UTC) in Vientiane time, which has no daylight saving.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime

from .i18n import current_language

VIENTIANE = ZoneInfo("Asia/Vientiane")
# The formatters that pages and documents use as template filters of the same names.
DATE_FILTERS = ("day", "date", "short_day", "month", "moment")
LANGUAGES = ("en", "lo")


def _locale(language: str) -> str:
    return "lo" if language == "lo" else "en_GB"


def local_name(obj, language: str, field: str = "name") -> str:
    """``obj``'s ``field`` in ``language``: ``<field>_lo`` on a Lao page when it is filled,
    otherwise ``<field>_en`` or the plain ``<field>`` (the English or only version)."""
    if obj is None:
        return ""
    if language == "lo":
        lao = getattr(obj, f"{field}_lo", "")
        if isinstance(lao, str) and lao.strip():
            return lao
    for attribute in (f"{field}_en", field):
        value = getattr(obj, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def _formatted(value: dt.date | None, pattern: str, language: str) -> str:
    return "" if value is None else _babel_date(value, pattern, locale=_locale(language))


def day(value: dt.date | None, language: str) -> str:
    """A day with its weekday: "ວັນອັງຄານ, 9 ມີນາ 2027", "Tuesday, 9 March 2027"."""
    return _formatted(value, "EEEE, d MMMM y", language)


def date(value: dt.date | None, language: str) -> str:
    """A date: "9 ມີນາ 2027", "9 March 2027"."""
    return _formatted(value, "d MMMM y", language)


def short_day(value: dt.date | None, language: str) -> str:
    """A day within a week or month shown around it: "ວັນອັງຄານ 9 ມີນາ", "Tuesday 9 March"."""
    return _formatted(value, "EEEE d MMMM", language)


def month(value: dt.date | None, language: str) -> str:
    """A month: "ມີນາ 2027", "March 2027"."""
    return _formatted(value, "LLLL y", language)


def date_range(start: dt.date | None, end: dt.date | None, language: str) -> str:
    """Two dates as one span: "9 – 11 ມີນາ 2027"; the full dates where month or year differ."""
    if start is None or end is None:
        return date(start or end, language)
    if start == end:
        return date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} – {date(end, language)}"
    return f"{date(start, language)} – {date(end, language)}"


def moment(value: dt.datetime | None, language: str) -> str:
    """A moment stored in UTC, shown in Vientiane time: "9 ມີນາ 2027, 14:05"."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return _babel_datetime(value.astimezone(VIENTIANE), "d MMMM y, HH:mm", locale=_locale(language))


class Moment(str):
    """A day and a time span inside a message, written in the reader's language when the
    message is shown: "ວັນອັງຄານ 9 ມີນາ 08:30–10:00" (a check's message names sessions so)."""

    __slots__ = ("day", "span")
    day: dt.date
    span: str

    def __new__(cls, day: dt.date, span: str):
        obj = super().__new__(cls, f"{day.isoformat()} {span}")
        obj.day, obj.span = day, span
        return obj

    def __str__(self) -> str:
        return f"{short_day(self.day, current_language())} {self.span}"


class Day(str):
    """A date inside a message, written in the reader's language when shown: "9 ມີນາ 2027"."""

    __slots__ = ("value",)
    value: dt.date

    def __new__(cls, value: dt.date):
        obj = super().__new__(cls, value.isoformat())
        obj.value = value
        return obj

    def __str__(self) -> str:
        return date(self.value, current_language())


class DayRanges(str):
    """Days inside a message as runs of consecutive days, in the reader's language when
    shown: "1 – 20 March 2010, 2 April 2010"."""

    __slots__ = ("ranges",)
    ranges: tuple[tuple[dt.date, dt.date], ...]

    def __new__(cls, days):
        ranges: list[tuple[dt.date, dt.date]] = []
        for day in sorted(set(days)):
            if ranges and (day - ranges[-1][1]).days == 1:
                ranges[-1] = (ranges[-1][0], day)
            else:
                ranges.append((day, day))
        obj = super().__new__(
            cls, ", ".join(a.isoformat() if a == b else f"{a}/{b}" for a, b in ranges)
        )
        obj.ranges = tuple(ranges)
        return obj

    def __str__(self) -> str:
        language = current_language()
        return ", ".join(date_range(a, b, language) for a, b in self.ranges)
