"""The service's working calendar: working week, Belgian legal holidays and closure days.

Working days are kept as a sorted list of ordinals covering a span of years that grows on
demand, so "the N-th working day after D" and "working days between A and B" are two bisections
instead of a day-by-day walk.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.easter import easter

from plaintes_tui.errors import UserError

MON_FRI = frozenset(range(5))
MON_SAT = frozenset(range(6))
WORKING_WEEKS = {"mon-fri": MON_FRI, "mon-sat": MON_SAT}

# How many years on each side of a requested date the cached table covers when it grows.
_MARGIN_YEARS = 2


class DayOffKind(StrEnum):
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    CLOSURE = "closure"


@dataclass(frozen=True, slots=True)
class DayOff:
    """A day that does not count as a working day, and why."""

    day: date
    kind: DayOffKind
    name: str  # the holiday's French name, or empty for weekends and closures


@lru_cache(maxsize=512)
def legal_holidays(year: int) -> frozenset[date]:
    """Belgium's ten legal holidays (law of 4 January 1974): 1 January, Easter Monday, 1 May,
    Ascension, Whit Monday, 21 July, 15 August, 1 and 11 November, 25 December.

    The same dates as the ``holidays`` package's public holidays for Belgium (a test checks
    it from 1975 to 2100, the years it covers), without its start-up cost; Easter and Whit
    Sunday, Sundays anyway, are left out.
    """
    sunday = easter(year)
    fixed = ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (sunday + timedelta(days=n) for n in (1, 39, 50))
    return frozenset((*(date(year, m, d) for m, d in fixed), *moving))


class CalendarLimit(UserError):
    """No working day can be found: the date is at the calendar's end, or every day is off."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        from plaintes_tui.i18n import tr

        return tr(self.key)


def parse_month_day(text: str) -> tuple[int, int]:
    """Parse a recurring closure day written ``MM-DD``; raise ValueError when it is not one."""
    month_text, sep, day_text = text.partition("-")
    if not sep or len(month_text) != 2 or len(day_text) != 2:
        raise ValueError(text)
    month, day = int(month_text), int(day_text)
    date(2000, month, day)  # 2000 is a leap year: accepts 02-29, rejects 02-30 and 13-01
    return month, day


class WorkingCalendar:
    """Answers which days the service works, for any year, and counts working days fast."""

    def __init__(
        self,
        working_weekdays: Iterable[int] = MON_FRI,
        closure_days: Iterable[tuple[int, int]] = (),
        closure_dates: Iterable[date] = (),
    ) -> None:
        self.working_weekdays = frozenset(working_weekdays)
        if not self.working_weekdays:
            raise ValueError("a working week needs at least one day")
        self.closure_days = frozenset(closure_days)
        self.closure_dates = frozenset(closure_dates)
        self._lock = threading.Lock()
        self._first_year = 0
        self._last_year = -1
        self._ordinals: list[int] = []
        self._holiday_names: dict[str, Mapping[date, str]] = {}  # by language

    # -- single days -------------------------------------------------------------------------

    def day_off(self, day: date) -> DayOff | None:
        """Why ``day`` is not a working day, or None when it is one.

        A day that is off for several reasons reads as the most telling one: the holiday's
        name, then the weekend, then the service's closure.
        """
        if day in legal_holidays(day.year):
            return DayOff(day, DayOffKind.HOLIDAY, self._holiday_name(day))
        if day.weekday() not in self.working_weekdays:
            return DayOff(day, DayOffKind.WEEKEND, "")
        if (day.month, day.day) in self.closure_days or day in self.closure_dates:
            return DayOff(day, DayOffKind.CLOSURE, "")
        return None

    def is_working_day(self, day: date) -> bool:
        """The same answer as ``day_off(day) is None``, without naming the holiday."""
        return not (
            day.weekday() not in self.working_weekdays
            or day in legal_holidays(day.year)
            or (day.month, day.day) in self.closure_days
            or day in self.closure_dates
        )

    def days_off_between(self, start: date, end: date) -> list[DayOff]:
        """Days off in the half-open span (start, end]."""
        days: list[DayOff] = []
        day = start + timedelta(days=1)
        while day <= end:
            off = self.day_off(day)
            if off is not None:
                days.append(off)
            day += timedelta(days=1)
        return days

    def _holiday_name(self, day: date) -> str:
        """The holiday's name in the reader's language (French, Dutch or German: the
        ``holidays`` package names Belgium's holidays in its three languages), loaded when a
        name is first asked for: the dates alone are enough to count."""
        from plaintes_tui.i18n import interface_language

        language = interface_language()
        language = language if language in ("fr", "nl", "de") else "fr"
        names = self._holiday_names.get(language)
        if names is None:
            import holidays

            names = holidays.country_holidays("BE", categories=("public",), language=language)
            self._holiday_names[language] = names
        return str(names.get(day) or "")

    # -- counting ----------------------------------------------------------------------------

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        ordinal = start.toordinal()
        self._cover(start.year, start.year + 1 + count // 200)
        index = bisect_right(self._ordinals, ordinal) + count - 1
        while index >= len(self._ordinals):
            self._grow()
            index = bisect_right(self._ordinals, ordinal) + count - 1
        return date.fromordinal(self._ordinals[index])

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        self._cover(day.year, day.year + 1)
        index = bisect_left(self._ordinals, day.toordinal())
        while index >= len(self._ordinals):
            self._grow()
            index = bisect_left(self._ordinals, day.toordinal())
        return date.fromordinal(self._ordinals[index])

    def next_judicial_day(self, day: date, *, closures: bool = True) -> date:
        """Where a calendar-day deadline ending on ``day`` ends (Judicial Code art. 53): a
        Saturday, a Sunday or a legal holiday moves it to the next day that is none of them,
        whatever the working week; with ``closures``, so does a closure day of the service."""
        for _ in range(366):
            off = (
                day.weekday() >= 5
                or day in legal_holidays(day.year)
                or (
                    closures
                    and ((day.month, day.day) in self.closure_days or day in self.closure_dates)
                )
            )
            if not off:
                return day
            if day >= date.max - timedelta(days=1):
                raise CalendarLimit("calendar.beyond")
            day += timedelta(days=1)
        raise CalendarLimit("calendar.no_working_day")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        self._cover(start.year, end.year)
        return bisect_right(self._ordinals, end.toordinal()) - bisect_right(
            self._ordinals, start.toordinal()
        )

    # -- the cached table --------------------------------------------------------------------

    def _grow(self) -> None:
        """One more year at the end of the table, for a count that runs past it; refused when
        the calendar ends there or when a whole year brings no working day (every day closed:
        no count would ever end)."""
        if self._last_year >= date.max.year - 1:
            raise CalendarLimit("calendar.beyond")
        known = len(self._ordinals)
        self._cover(self._first_year, self._last_year + 1)
        if len(self._ordinals) == known:
            raise CalendarLimit("calendar.no_working_day")

    def _cover(self, first_year: int, last_year: int) -> None:
        if self._first_year <= first_year and last_year <= self._last_year:
            return
        with self._lock:
            if self._last_year < self._first_year:  # empty table
                new_first, new_last = first_year, last_year
            else:
                new_first = min(first_year, self._first_year)
                new_last = max(last_year, self._last_year)
            new_first = max(date.min.year, new_first - _MARGIN_YEARS)
            new_last = min(date.max.year - 1, new_last + _MARGIN_YEARS)
            ordinals = [
                ordinal
                for ordinal in range(
                    date(new_first, 1, 1).toordinal(), date(new_last, 12, 31).toordinal() + 1
                )
                if self.is_working_day(date.fromordinal(ordinal))
            ]
            self._ordinals = ordinals
            self._first_year, self._last_year = new_first, new_last
