"""Driving the app in tests: wait until its background work is done, within a bound."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

SETTLE_SECONDS = 60

if TYPE_CHECKING:
    from textual.app import App

    from plaintes_tui.tui.screens.case import CaseScreen
    from plaintes_tui.tui.screens.intake import IntakeScreen


async def settle(pilot: Pilot[None]) -> None:
    """Wait for every worker (and those they start) to end, then for the screen to redraw.

    A worker cancelled because a newer one replaced it is normal; waiting never exceeds
    ``SETTLE_SECONDS``.
    """

    async def drain() -> None:
        for _ in range(20):
            running = [
                worker
                for worker in pilot.app.workers
                if worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            ]
            if not running:
                return
            for worker in running:
                with contextlib.suppress(WorkerCancelled, WorkerFailed):
                    await worker.wait()
            await pilot.pause()

    async def quiet() -> None:
        """Until the app and every widget of the screen have handled what they were sent (a
        save deferred behind the keys typed, a focus moved to a field in error, the key bar
        redrawn for keys that changed…)."""
        for _ in range(50):
            app = pilot.app
            pumps = (app, app.screen, *app.screen.walk_children())
            if not any(pump.message_queue_size for pump in pumps):
                return
            await pilot.pause()

    await asyncio.wait_for(drain(), SETTLE_SECONDS)
    await pilot.pause()
    await asyncio.wait_for(quiet(), SETTLE_SECONDS)
    await asyncio.wait_for(drain(), SETTLE_SECONDS)  # what the handled messages started
    await pilot.pause()


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send keys the way a terminal does when they come faster than the app handles them (a
    fast typist, tmux, a paste): all at once, without waiting for the app in between."""
    from textual import events

    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        name = {" ": "space", "[": "left_square_bracket", "]": "right_square_bracket"}.get(key, key)
        if character is not None and not character.isalnum() and name == key:
            from textual.keys import _character_to_key

            name = _character_to_key(character)
        event = events.Key(name, character)
        event.set_sender(app)
        driver.send_message(event)


def paste(pilot: Pilot[None], text: str) -> None:
    """Paste ``text`` as a terminal does (a bracketed paste), in line with the keys sent
    before and after it."""
    from textual import events

    app = pilot.app
    driver = app._driver
    assert driver is not None
    event = events.Paste(text)
    event.set_sender(app)
    driver.send_message(event)


async def open_case(pilot: Pilot[None]) -> CaseScreen:
    """From the queue, the case under the cursor opened (``enter``), once it is read."""
    from plaintes_tui.tui.screens.case import CaseScreen

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen)
    return screen


async def open_form(pilot: Pilot[None]) -> None:
    """From anywhere, a new complaint's form (``F2``)."""
    await settle(pilot)
    await pilot.press("f2")
    await pilot.pause()


def intake_screen(app: App[None]) -> IntakeScreen:
    """The intake form on top of the app."""
    from plaintes_tui.tui.screens.intake import IntakeScreen

    assert isinstance(app.screen, IntakeScreen)
    return app.screen
