"""The queue screen at 1,000 and 1,000,000 cases, driven with Textual's Pilot.

Each figure is the time from the key (or the start) until the screen has drawn the result;
DataTable.add_rows for the open cases of a 100,000-case store is printed as the baseline of what
a table that loads everything would cost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from bench.harness import heading, row
from bench.stores import TODAY, demo_store
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import open_store
from plaintes_tui.store.queue import QueueFilter, iter_queue
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.widgets.queue_table import QueueTable

SIZES = (1_000, 1_000_000)
SIZE = (150, 40)
REPEAT = 5


async def _drawn(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    table = pilot.app.screen.query_one(QueueTable)
    for y in range(table.size.height):  # draw every visible line, as the compositor does
        table.render_line(y)


async def _timed(pilot: Pilot[None], action: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await action()
    await _drawn(pilot)
    return time.perf_counter() - start


def a_callers_phone(path: Path) -> str:
    """The phone number of a complainant with an open case, typed the Belgian way: what a
    phone agent searches while the caller waits (a handful of matches, whatever the store)."""
    store = open_store(path, create=True)
    (phone,) = store.connection.execute(
        "SELECT complainants.phone FROM cases JOIN complainants "
        "ON complainants.id = cases.complainant_id "
        "WHERE cases.next_due IS NOT NULL AND complainants.phone LIKE '+324%' LIMIT 1"
    ).fetchone()
    store.close()
    digits = "0" + phone[3:]
    return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"


async def measure(path: Path) -> dict[str, float]:
    store = open_store(path, create=True)
    results: dict[str, list[float]] = {}
    phone = a_callers_phone(path)

    def note(name: str, seconds: float) -> None:
        results.setdefault(name, []).append(seconds)

    for _ in range(REPEAT):
        app = PlaintesApp(Settings(), agent="amartin", store=store, today=TODAY)
        start = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            await _drawn(pilot)
            note("first paint", time.perf_counter() - start)
            screen = app.screen
            assert isinstance(screen, QueueScreen)
            note("page down", await _timed(pilot, lambda: pilot.press("pagedown")))
            note("jump to the end", await _timed(pilot, lambda: pilot.press("end")))
            note("overdue filter", await _timed(pilot, lambda: pilot.press("o")))

            async def search(screen: QueueScreen = screen) -> None:
                screen._filter(search=phone)  # what the debounced search field does

            note("search for a caller's phone number", await _timed(pilot, search))
    store.close()
    return {name: min(values) for name, values in results.items()}


async def datatable_baseline(path: Path) -> tuple[int, float]:
    store = open_store(path, create=True)
    rows = [
        (
            r.reference,
            f"{r.received:%d/%m/%y}",
            r.channel,
            r.complainant,
            r.category,
            r.assigned_to or "",
            r.status,
            r.clocks.acknowledgement_due.isoformat(),
            r.clocks.reply_due.isoformat() if r.clocks.reply_due else "",
        )
        for r in iter_queue(store, QueueFilter(), TODAY)
    ]
    store.close()
    elapsed = 0.0

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        table.add_columns(*(f"c{i}" for i in range(9)))
        start = time.perf_counter()
        table.add_rows(rows)
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return len(rows), elapsed


def main() -> None:
    heading("Queue screen: 1,000 vs 1,000,000 cases (Pilot, 150x40, best of 5)")
    measured = {size: asyncio.run(measure(demo_store(size)[0])) for size in SIZES}
    small, big = measured[SIZES[0]], measured[SIZES[1]]
    for name in small:
        row(f"{name} at {SIZES[0]:,} cases (baseline)", small[name])
        row(f"{name} at {SIZES[1]:,} cases", big[name], small[name], limit=1.5)
    count, seconds = asyncio.run(datatable_baseline(demo_store(100_000)[0]))
    row(f"DataTable.add_rows of the {count:,} open cases of 100,000 (for comparison)", seconds)
