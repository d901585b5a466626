"""The supervisor's dashboard: the report's figures, charts, and a key to each agent's backlog."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.dashboard import DashboardScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from plaintes_tui.tui.widgets.queue_table import QueueTable
from tests.factories import CALCULATOR, TODAY, add_case, new_store
from tests.pilot import burst, settle
from tests.screen_text import rendered


@pytest.fixture
def demo(isolated: Path) -> Store:
    store = open_store(isolated / "demo.db", create=True)
    generate_demo(store, cases=1500, seed=3, today=TODAY, calculator=CALCULATOR)
    return store


def panel(app: PlaintesApp, name: str) -> str:
    return " ".join(rendered(app.screen.query_one(f"#dash-{name}")).split())


async def test_the_dashboard_shows_the_reports_figures(demo: Store) -> None:
    app = PlaintesApp(Settings(), agent="sup", store=demo, today=TODAY)
    report = build_report(demo, Period.year(2026), TODAY)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        summary = panel(app, "summary")
        assert "du 01/01/2026 au 31/12/2026" in summary
        assert f"Reçues {report['received_total']}" in summary
        assert f"en retard {report['overdue']}" in summary
        received = panel(app, "received")
        assert "janv. 2026" in received and "nov. 2026" in received  # months in words
        assert str(report["by_month"]["2026-11"]["total"]) in received
        self_employed = report["by_service"]["dg_self_employed"]
        assert f"DG Indépendants {self_employed}" in received  # by service concerned
        on_time = panel(app, "on-time")
        assert "AR" in on_time and "%" in on_time
        months = report["on_time_by_month"]
        on_time_count, counted = months["2026-10"]["replied"]
        assert f"({on_time_count}/{counted})" in on_time  # each share with what it is of
        await pilot.press("right")  # 2027 has not begun: nothing to show, nothing changes
        await settle(pilot)
        assert "du 01/01/2026 au 31/12/2026" in panel(app, "summary")
        await pilot.press("left")
        await settle(pilot)
        assert "du 01/01/2025 au 31/12/2025" in panel(app, "summary")
        await pilot.press("t")  # the last twelve months, this one included
        await settle(pilot)
        assert "du 01/12/2025 au 28/11/2026" in panel(app, "summary")
        assert "nov. 2025" not in panel(app, "received")
        await pilot.press("t")  # and back
        await settle(pilot)
        assert "du 01/01/2026 au 31/12/2026" in panel(app, "summary")


async def test_an_agent_is_a_key_away_from_their_overdue_cases(demo: Store) -> None:
    app = PlaintesApp(Settings(), agent="sup", store=demo, today=TODAY)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        first = screen.agents[0]
        assert f"1 {first}" in panel(app, "agents")
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        table = app.screen.query_one(QueueTable)
        rows = table.visible_rows()
        assert rows and all(r.assigned_to == first and r.next_due < TODAY for r in rows)
        assert f"agent : {first}" in rendered(app.screen.query_one("#queue-filter"))


async def test_d_and_an_agents_number_in_one_go_show_their_overdue_cases(demo: Store) -> None:
    """``d 1`` sent at once (tmux, SSH): the 1 waits for the figures, read meanwhile, and
    shows the first agent's overdue cases — as when typed slowly."""
    app = PlaintesApp(Settings(), agent="sup", store=demo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "d", "1")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen), type(app.screen).__name__
        rows = app.screen.query_one(QueueTable).visible_rows()
        assert rows and all(r.next_due < TODAY for r in rows)
        assert len({r.assigned_to for r in rows}) == 1


async def test_agents_past_the_ninth_are_counted_not_dropped(isolated: Path) -> None:
    """Nine agents have a key each; the others are said, with where to read them."""
    store = new_store(isolated)
    for number in range(12):
        add_case(store, TODAY, assigned_to=f"agent{number:02d}")
    app = PlaintesApp(Settings(), agent="sup", store=store, today=TODAY)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        agents = panel(app, "agents")
        assert "9 agent" in agents and "10 agent" not in agents
        assert "… et 3 autre(s) agent(s), pas plus en retard : le rapport" in agents
