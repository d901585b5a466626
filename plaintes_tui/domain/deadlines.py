"""The two clocks of a complaint: acknowledgement and reasoned reply.

Counting follows the Civil Code (book 1, art. 1.7) and the Judicial Code (art. 52-53): the day
of receipt is not counted, the last day is, and a calendar-day deadline that ends on a day the
service does not work moves to the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from functools import lru_cache

from plaintes_tui.domain.calendar import WORKING_WEEKS, DayOff, WorkingCalendar, parse_month_day


class Band(StrEnum):
    """Where a clock stands on a given day."""

    MET = "met"
    MET_LATE = "met-late"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    ON_TRACK = "on-track"


class ReceiptOnDayOff(StrEnum):
    """What a complaint received on a day off (or after hours) counts from."""

    AS_RECEIVED = "as-received"
    NEXT_WORKING_DAY = "next-working-day"


@dataclass(frozen=True)
class DeadlineRules:
    """How the service counts its two clocks (the settings' ``[deadlines]``)."""

    acknowledgement_working_days: int = 5
    reply_calendar_days: int = 30
    working_week: str = "mon-fri"
    roll_forward: bool = True
    # Whether a reply due on one of the service's closure days (26 December…) moves too; a
    # reply due on a Saturday, a Sunday or a legal holiday always moves (Judicial Code art. 53).
    reply_moves_on_closure_days: bool = True
    closure_days: tuple[str, ...] = ("11-02", "11-15", "12-26")
    closure_dates: tuple[date, ...] = ()
    warning_working_days: int = 2
    receipt_on_day_off: ReceiptOnDayOff = ReceiptOnDayOff.AS_RECEIVED
    office_closes_at: time | None = None

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            WORKING_WEEKS[self.working_week],
            [parse_month_day(text) for text in self.closure_days],
            self.closure_dates,
        )


@dataclass(frozen=True, slots=True)
class ReplyPause:
    """The reply clock stopped while waiting for the complainant; ``end`` None while it lasts."""

    start: date
    end: date | None
    reason: str = ""

    def calendar_days(self, today: date) -> int:
        end = self.end if self.end is not None else today
        return max(0, (end - self.start).days)


def paused_days(pauses: Iterable[ReplyPause], today: date) -> int:
    return sum(pause.calendar_days(today) for pause in pauses)


@dataclass(frozen=True, slots=True)
class Clocks:
    """A receipt date and the two due dates it gives."""

    received: date
    acknowledgement_due: date
    reply_due: date


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the due dates fall where they do: the days skipped by each clock."""

    clocks: Clocks
    acknowledgement_skipped: list[DayOff] = field(default_factory=list)
    reply_rolled_over: list[DayOff] = field(default_factory=list)
    counts_from: date | None = None  # set when the receipt was moved to the next working day


class DeadlineCalculator:
    """Computes due dates and bands under one set of rules. Safe to share between threads."""

    def __init__(self, rules: DeadlineRules | None = None) -> None:
        self.rules = rules or DeadlineRules()
        self.calendar = self.rules.calendar()
        # Receipt dates repeat a lot (a store holds a few thousand distinct days): cache them.
        self.acknowledgement_due = lru_cache(maxsize=65536)(self._acknowledgement_due)
        self._reply_due = lru_cache(maxsize=65536)(self._reply_due_uncached)
        self.clocks = lru_cache(maxsize=65536)(self._clocks)

    # -- when the clocks start -----------------------------------------------------------------

    def counts_from(self, received: date, at: time | None = None) -> date:
        """The day the clocks count from, under the service's policy for days off and hours."""
        if self.rules.receipt_on_day_off is ReceiptOnDayOff.AS_RECEIVED:
            return received
        closes = self.rules.office_closes_at
        if at is not None and closes is not None and at >= closes:
            return self.calendar.next_working_day(received + timedelta(days=1))
        return self.calendar.next_working_day(received)

    # -- due dates -----------------------------------------------------------------------------

    def _acknowledgement_due(self, received: date) -> date:
        return self.calendar.add_working_days(received, self.rules.acknowledgement_working_days)

    def _reply_due_uncached(self, received: date, paused: int) -> date:
        due = received + timedelta(days=self.rules.reply_calendar_days + paused)
        if self.rules.roll_forward:
            due = self.calendar.next_judicial_day(
                due, closures=self.rules.reply_moves_on_closure_days
            )
        return due

    def reply_due(self, received: date, paused: int = 0) -> date:
        """Reply due date, moved by ``paused`` calendar days spent waiting for the complainant."""
        return self._reply_due(received, paused)

    def reply_due_after_pauses(self, received: date, at: time | None, paused: int) -> date:
        """The reply's due date for a complaint received on ``received`` (at ``at``) whose
        clock stood still ``paused`` calendar days: the one rule every writer follows."""
        return self.reply_due(self.counts_from(received, at), paused)

    def _clocks(self, received: date, at: time | None = None) -> Clocks:
        """Both due dates for a complaint received on ``received`` (at ``at``, when known)."""
        start = self.counts_from(received, at)
        return Clocks(received, self.acknowledgement_due(start), self.reply_due(start))

    def explain(self, received: date, at: time | None = None) -> Explanation:
        start = self.counts_from(received, at)
        clocks = self.clocks(received, at)
        raw_reply = start + timedelta(days=self.rules.reply_calendar_days)
        return Explanation(
            clocks=clocks,
            acknowledgement_skipped=self.calendar.days_off_between(
                start, clocks.acknowledgement_due
            ),
            reply_rolled_over=self.calendar.days_off_between(
                raw_reply - timedelta(days=1), clocks.reply_due - timedelta(days=1)
            )
            if clocks.reply_due > raw_reply
            else [],
            counts_from=start if start != received else None,
        )

    # -- bands ---------------------------------------------------------------------------------

    def band(self, due: date, sent: date | None, today: date) -> Band:
        """Where a clock due on ``due`` stands on ``today``."""
        if sent is not None:
            return Band.MET if sent <= due else Band.MET_LATE
        if today > due:
            return Band.OVERDUE
        if self.calendar.working_days_between(today, due) <= self.rules.warning_working_days:
            return Band.DUE_SOON
        return Band.ON_TRACK
