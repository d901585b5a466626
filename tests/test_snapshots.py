"""Snapshot tests: each screen at a fixed size, on a demo store, with a frozen date.

After a deliberate change to a screen: ``.venv/bin/pytest --snapshot-update``, look at the new
SVGs in ``tests/__snapshots__``, then ``make screenshots``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from plaintes_tui.domain.access import Actor
from plaintes_tui.i18n import set_language, tr
from plaintes_tui.settings import AgentSettings, Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.demo import generate_demo
from plaintes_tui.tui import app as app_module
from plaintes_tui.tui.app import PlaintesApp
from tests.factories import CALCULATOR, TODAY
from tests.pilot import settle


@pytest.fixture
def demo(isolated: Path) -> Store:
    store = open_store(isolated / "demo.db", create=True)
    generate_demo(store, cases=400, seed=1, today=TODAY, calculator=CALCULATOR)
    return store


class StillApp(PlaintesApp):
    """The app with cursors that do not blink: a snapshot is the same whenever it is taken."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # relative to the app's

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False


def app_on(store: Store, supervisor: bool = False, language: str = "fr") -> PlaintesApp:
    """The app as the agent amartin sees it, in ``language`` (the one chosen for them)."""
    set_language(language)
    settings = Settings(agents=AgentSettings(supervisors=("amartin",) if supervisor else ()))
    return StillApp(settings, agent="amartin", store=store, today=TODAY)


# An 80×24 terminal over SSH, and a large one: every screen and dialog at both, in French and
# in Dutch (the agent's language).
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
LANGUAGES = ["fr", "nl"]
Steps = Callable[[Pilot[None]], Awaitable[None]]
YES = "yes"  # the key of yes in the agent's language: o (oui) or j (ja)


def keys(*pressed: str, case: bool = False) -> Steps:
    """Settle, open the second case of the queue when ``case``, then press ``pressed``."""

    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if case:
            await pilot.press("down", "enter")
            await settle(pilot)
        for key in pressed:
            await pilot.press(tr("keys.yes") if key == YES else key)
            await settle(pilot)

    return steps


SCREENS: dict[str, Steps] = {
    "queue": keys(),
    "queue_overdue": keys("o"),
    "dashboard": keys("d"),
    "dashboard_last_12_months": keys("d", "t"),
    "checklist_question": keys("a", "n"),
    "checklist_summary": keys("a", "n", YES),
    "intake_empty": keys("f2"),
    "intake_errors": keys("f2", "ctrl+s"),
    "case": keys(case=True),
    "case_note": keys("n", case=True),
    "case_acknowledgement": keys("r", case=True),
    "case_pause": keys("p", case=True),
    "case_reply": keys("R", case=True),
    "case_ombudsman": keys("m", case=True),
    "case_letter_kinds": keys("l", case=True),
    "case_letter": keys("l", "enter", case=True),
    "case_rectify": keys("i", case=True),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    snap_compare: Any, demo: Store, screen: str, size: tuple[int, int], language: str
) -> None:
    assert snap_compare(
        app_on(demo, language=language), terminal_size=size, run_before=SCREENS[screen]
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("where", ["case", "queue", "spread"])
def test_assign_dialogs(
    snap_compare: Any, demo: Store, where: str, size: tuple[int, int], language: str
) -> None:
    """The supervisor's: assigning the case from its file, the marked cases of the queue, and
    spreading them among two agents (picked with space)."""
    steps = {
        "case": keys("t", case=True),
        "queue": keys("space", "down", "space", "A"),
        "spread": keys("space", "down", "space", "A", "space", "down", "down", "space"),
    }[where]
    app = app_on(demo, supervisor=True, language=language)
    assert snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_intake_with_a_known_complainant(
    snap_compare: Any, demo: Store, size: tuple[int, int]
) -> None:
    (phone,) = demo.connection.execute(
        "SELECT phone FROM complainants WHERE phone LIKE '+324%' ORDER BY id LIMIT 1"
    ).fetchone()

    async def fill(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Dubois", "enter", *"Marie", "enter", *phone, "enter")
        await pilot.press(*"marie@", "enter")
        await settle(pilot)

    assert snap_compare(app_on(demo), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("where", ["inbox", "quarantine"])
def test_inbox(
    snap_compare: Any,
    demo: Store,
    isolated: Path,
    where: str,
    size: tuple[int, int],
    language: str,
) -> None:
    """The e-mails waiting (three, one with the online form attached), and the quarantine."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from plaintes_tui.mail import take_in
    from plaintes_tui.mail_sources import Incoming
    from tests import mail_samples as samples

    take_in(
        demo,
        [
            Incoming(str(n), raw)
            for n, raw in enumerate(
                [samples.plain(), samples.with_attachments(), samples.latin1(), samples.no_sender()]
            )
        ],
        settings=Settings(output=isolated / "output"),
        actor=Actor("cron"),
        now=datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Brussels")),
    )
    steps = keys("e", "q") if where == "quarantine" else keys("e", "down")
    assert snap_compare(app_on(demo, language=language), terminal_size=size, run_before=steps)
