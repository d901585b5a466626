"""Who else has a case open: shown in the queue and the case file, cleared when they leave or
when their session died."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from plaintes_tui.settings import Settings
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.presence import STALE_AFTER, Activity, announce, others_present
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.case import CaseScreen
from plaintes_tui.tui.screens.queue import QueueScreen
from tests.factories import TODAY, add_admissible_case, new_store
from tests.pilot import settle
from tests.screen_text import rendered


@pytest.fixture
def store(isolated: Path) -> Store:
    store = new_store(isolated)
    add_admissible_case(store, date(2026, 11, 20))
    return store


async def beat(*pilots: Pilot[None]) -> None:
    """Each app tells the store what it has open, then reads the others (as every 2 s)."""
    for pilot in pilots:
        app = pilot.app
        assert isinstance(app, PlaintesApp)
        app.beat()
        await settle(pilot)


def banner(app: PlaintesApp) -> str:
    panel = app.screen.query_one("#case-presence")
    return " ".join(rendered(panel).split()).lstrip("█▌ ") if panel.display else ""


async def test_a_colleague_reading_then_typing_in_a_case_is_shown_then_cleared(
    store: Store, isolated: Path
) -> None:
    alice = PlaintesApp(Settings(), agent="alice", store=store, today=TODAY)
    bob = PlaintesApp(
        Settings(), agent="bob", store=open_store(isolated / "plaintes.db"), today=TODAY
    )
    async with alice.run_test(size=(140, 50)) as a, bob.run_test(size=(140, 50)) as b:
        await settle(a)
        await settle(b)
        await a.press("enter")
        await settle(a)
        await beat(a, b)
        queue = bob.screen
        assert isinstance(queue, QueueScreen)
        assert "◆alice · DUBOIS" in rendered(queue.table)
        await b.press("enter")
        await settle(b)
        await beat(a, b)
        assert isinstance(bob.screen, CaseScreen)
        assert banner(bob) == "◆ alice a aussi ce dossier ouvert."
        await a.press("n")  # a note: typing in the case
        await settle(a)
        await beat(a, b)
        assert "◆ alice est en train d'y saisir" in banner(bob)
        await a.press("escape")
        await settle(a)
        await a.press("escape")  # back to the queue: the case is no longer open there
        await settle(a)
        await beat(a, b)
        assert banner(bob) == ""
        assert "◆" in rendered(alice.screen.query_one("#queue-table"))  # bob's visit, seen
    assert store.connection.execute("SELECT count(*) FROM presence").fetchone() == (0,)


KILLED = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from plaintes_tui.store.database import open_store
from plaintes_tui.store.presence import Activity, announce

store = open_store(Path(sys.argv[1]))
announce(store, "killed-session", "carla", 1, Activity.TYPING, datetime.now(UTC))
print("open", flush=True)
time.sleep(600)
"""


def test_a_killed_session_stops_showing_once_stale_and_is_swept(store: Store) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(store.path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "open"
    process.send_signal(signal.SIGKILL)  # no goodbye: its row stays behind
    process.wait(timeout=60)
    now = datetime.now(UTC)
    assert [p.login for p in others_present(store, "mine", now)[1]] == ["carla"]
    later = now + STALE_AFTER + STALE_AFTER / 10
    assert others_present(store, "mine", later) == {}
    announce(store, "mine", "alice", 1, Activity.VIEWING, later)
    assert store.connection.execute("SELECT session FROM presence").fetchall() == [("mine",)]
