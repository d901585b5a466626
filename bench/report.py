"""`plaintes report` and the dashboard for a year of a million-case store, beside the plainest
aggregate over the same year."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.harness import best_of, heading, row
from bench.stores import TODAY, demo_store
from plaintes_tui.settings import Settings
from plaintes_tui.store.database import open_store
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.dashboard import DashboardScreen, rolling_year

REPEAT = 3


async def _dashboard(path: Path) -> dict[str, float]:
    """From a key on the queue (or the dashboard) until the dashboard shows its figures."""
    store = open_store(path)
    results: dict[str, list[float]] = {}
    for _ in range(REPEAT):
        app = PlaintesApp(Settings(), agent="amartin", store=store, today=TODAY)
        async with app.run_test(size=(150, 40)) as pilot:
            await app.workers.wait_for_complete()
            for name, key in (
                ("dashboard open (d on the queue)", "d"),
                ("the year before (←)", "left"),
                ("the last twelve months (t)", "t"),
            ):
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                results.setdefault(name, []).append(time.perf_counter() - start)
                assert isinstance(app.screen, DashboardScreen) and app.screen.report
    store.close()
    return {name: min(values) for name, values in results.items()}


def main() -> None:
    path, _ = demo_store(1_000_000)
    store = open_store(path, create=True)
    period = Period.year(TODAY.year)
    heading("Report and dashboard: the yearly figures at 1,000,000 cases")

    def plain() -> None:
        store.connection.execute(
            "SELECT channel, count(*) FROM cases WHERE received BETWEEN ? AND ? GROUP BY channel",
            period.params,
        ).fetchall()

    baseline = best_of(plain, repeat=3)
    row("SELECT count(*) … GROUP BY channel for the year (baseline)", baseline)
    row(
        "plaintes report --year (goal: 3×)",
        best_of(lambda: build_report(store, period, TODAY), 3),
        baseline,
        limit=3,
    )
    row(
        "the report of the last twelve months",
        best_of(lambda: build_report(store, rolling_year(TODAY), TODAY), 3),
        baseline,
    )
    store.close()
    for name, seconds in asyncio.run(_dashboard(path)).items():
        row(f"{name} (goal: ≤ 1 s)", seconds)
