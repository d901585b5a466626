"""Both deadlines for 1,000,000 receipt dates, beside a naive day-by-day loop."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.harness import best_of, heading, row
from plaintes_tui.domain.deadlines import DeadlineCalculator, DeadlineRules

COUNT = 1_000_000


def naive_clocks(received: date, days_off: set[date], rules: DeadlineRules) -> tuple[date, date]:
    """What one would write first: walk day by day, asking each day whether it is off."""
    day, left = received, rules.acknowledgement_working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            left -= 1
    reply = received + timedelta(days=rules.reply_calendar_days)
    while reply.weekday() >= 5 or reply in days_off:
        reply += timedelta(days=1)
    return day, reply


def main() -> None:
    heading(f"Deadlines: both clocks for {COUNT:,} dates of receipt")
    rng = random.Random(7)
    start = date(2020, 1, 1).toordinal()
    receipts = [date.fromordinal(start + rng.randrange(3650)) for _ in range(COUNT)]
    rules = DeadlineRules()
    calculator = DeadlineCalculator(rules)
    days_off = {
        date.fromordinal(o)
        for o in range(start - 10, start + 3800)
        if calculator.calendar.day_off(date.fromordinal(o)) is not None
        and date.fromordinal(o).weekday() < 5
    }

    def engine() -> None:
        fresh = DeadlineCalculator(rules)
        for received in receipts:
            fresh.clocks(received)

    def naive() -> None:
        for received in receipts:
            naive_clocks(received, days_off, rules)

    assert all(
        (calculator.clocks(r).acknowledgement_due, calculator.clocks(r).reply_due)
        == naive_clocks(r, days_off, rules)
        for r in receipts[:5000]
    ), "engine and naive loop disagree"
    baseline = best_of(naive, repeat=1)
    row("naive day-by-day loop (baseline)", baseline)
    row("deadline engine, fresh calculator", best_of(engine, repeat=1), baseline)
